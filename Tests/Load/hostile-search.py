#!/usr/bin/env python3
"""Benchmark: how much a hostile shop's expensive searches slow another shop's search.

Another shop's client searches alone (sequential, uncached pages), then again while HOSTILE clients
of shop BIG page through `search=e&sort=-price&limit=100&page=N` (N and a minPrice varied, so nothing comes from the cache),
each paced to RATE requests per second (the per-client limit, 600 a minute). Prints the other
shop's p50 and p95 both ways, and how the hostile requests were answered. No assertion: a figure
for docs/performance.md.

    hostile-search.py PORT [SECONDS] [HOSTILE] [RATE]
"""
import os
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Hostile"))
from harness import timed_get  # noqa: E402

PORT = int(sys.argv[1])
SECONDS = float(sys.argv[2]) if len(sys.argv) > 2 else 20
HOSTILE = int(sys.argv[3]) if len(sys.argv) > 3 else 6
RATE = float(sys.argv[4]) if len(sys.argv) > 4 else 10


def get(tenant, path):
    status, _, seconds = timed_get(PORT, tenant, path)
    return status, seconds


def victim(seconds):
    timings, index, end = [], 0, time.monotonic() + seconds
    terms = ["teapot", "mug", "lamp", "chair", "kettle", "towel", "desk", "basket"]
    while time.monotonic() < end:
        # Term, page and limit vary so every search is worked out, not served from the cache.
        status, took = get("demo", f"/api/v1/products?search={terms[index % 8]}&limit=20&minPrice={index}")
        if status == 200:
            timings.append(took * 1000)
        index += 1
    return timings


def summary(timings):
    ordered = sorted(timings)
    return f"p50 {statistics.median(ordered):.1f} ms, p95 {ordered[int(len(ordered) * 0.95)]:.1f} ms ({len(ordered)} searches)"


alone = victim(SECONDS / 2)
stop = threading.Event()
answers = []


def attacker(offset):
    page = offset
    while not stop.is_set():
        started = time.monotonic()
        answers.append(get("big", f"/api/v1/products?search=e&sort=-price&limit=100&page={1 + page % 10}&minPrice={page // 10}"))
        page += HOSTILE
        time.sleep(max(0.0, 1 / RATE - (time.monotonic() - started)))


threads = [threading.Thread(target=attacker, args=(index,)) for index in range(HOSTILE)]
for thread in threads:
    thread.start()
time.sleep(1)
loaded = victim(SECONDS)
stop.set()
for thread in threads:
    thread.join()
statuses = {}
for status, _ in answers:
    statuses[status] = statuses.get(status, 0) + 1
hostile_ms = statistics.median(took for _, took in answers) * 1000
print(f"other shop's search alone:           {summary(alone)}")
print(f"under {HOSTILE} hostile clients at {RATE:g}/s: {summary(loaded)}")
print(f"hostile pages: {len(answers)}, answered {dict(sorted(statuses.items()))}, p50 {hostile_ms:.0f} ms")
print(f"slowdown of the other shop's p50: {statistics.median(loaded) / statistics.median(alone):.2f}x")
