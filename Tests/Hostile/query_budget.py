#!/usr/bin/env python3
"""A query has a time budget (the class test of issue "Hostile callers, round two").

Against a running server with a small QUERY_BUDGET_MS and a shop BIG of many products: six clients
page through `search=e&sort=-price&limit=100&page=N` (every product matches "e") while a client of
another shop searches its own catalog. The hostile pages must end within the budget: answered, or
refused with 503 and Retry-After (never held for a second of a core each, never a 500); a page past
the first 1,000 results is 400; the other shop is served throughout; the server logs the interrupts.
Prints the other shop's search latency alone and under the hostile load.

    query_budget.py PORT LOG_FILE
"""
import os
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Checks, timed_get  # noqa: E402

PORT, LOG = int(sys.argv[1]), sys.argv[2]
check = Checks("query budget")


def get(tenant, path):
    return timed_get(PORT, tenant, path)


def victim_searches(count):
    terms = ["teapot", "mug", "lamp", "chair", "kettle"]
    return [get("demo", f"/api/v1/products?search={terms[i % len(terms)]}{i % 7}&limit=20") for i in range(count)]


alone = victim_searches(40)
stop = threading.Event()
hostile = []


def attacker(offset):
    page = 1 + offset
    while not stop.is_set():
        # Varying N (and the limit) keeps every request out of the cache, as the attack did.
        hostile.append(get("big", f"/api/v1/products?search=e&sort=-price&limit=100&page={1 + page % 10}&minPrice={page // 10}"))
        page += 6


attackers = [threading.Thread(target=attacker, args=(index,)) for index in range(6)]
for thread in attackers:
    thread.start()
time.sleep(1)
under_load = victim_searches(40)
stop.set()
for thread in attackers:
    thread.join()

alone_p50 = statistics.median(t for _, _, t in alone) * 1000
load_p50 = statistics.median(t for _, _, t in under_load) * 1000
statuses = sorted({status for status, _, _ in hostile})
busy = [entry for entry in hostile if entry[0] == 503]
print(f"query budget: {len(hostile)} hostile pages answered {statuses} ({len(busy)} over budget); "
      f"the other shop's search p50 {alone_p50:.1f} ms alone, {load_p50:.1f} ms under the hostile load")
check(all(status in (200, 503) for status, _, _ in hostile), "every hostile page is answered or refused as busy, never 5xx otherwise")
check(len(busy) > 0, "pages over the budget are stopped (503)")
check(all(retry for _, retry, _ in busy), "a page over the budget says when to retry (Retry-After)")
served = sum(1 for status, _, _ in alone + under_load if status == 200)
check(served >= 0.9 * (len(alone) + len(under_load)), f"the other shop's searches are served ({served} of {len(alone) + len(under_load)})")
deep = get("big", "/api/v1/products?search=e&sort=-price&limit=100&page=11")
check(deep[0] == 400, f"a page past the first 1,000 results is 400 ({deep[0]})")
with open(LOG) as log:
    check("query budget exceeded" in log.read(), "the interrupts are logged")
check.finish()
