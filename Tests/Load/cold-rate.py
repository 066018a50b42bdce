#!/usr/bin/env python3
"""How many first requests to cold shops per second a server answers within 50 ms at p99 (issue
"Speed at scale", 10,000 shops). cold-shops.py times cold shops one after another beside a
saturating load, where a first request waits behind 64 others; this sends them at fixed rates
instead, open loop: each request leaves at its scheduled moment whether or not earlier ones have
answered, and its time counts from that moment, so a server that falls behind shows it (no
coordinated omission). Every shop in the file is asked once, in order, so each request is that
shop's first since the server started.

usage: cold-rate.py PORT SHOPS_FILE "RATE RATE ..." [SECONDS_PER_RATE]
Prints one line per rate, and the highest rate whose p99 stayed within 50 ms. Stops early when
the file runs out of shops; every request has a 10-s timeout, so a run ends by itself.
"""
import http.client
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

TARGET_MS = 50.0
port, shops_file = int(sys.argv[1]), sys.argv[2]
rates = [int(rate) for rate in sys.argv[3].split()]
seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 4.0
shops = [line.strip() for line in open(shops_file) if line.strip()]
lock = threading.Lock()


def first_request(shop, scheduled, results):
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/api/v1/products?limit=20", headers={"X-Tenant-ID": shop})
        response = connection.getresponse()
        response.read()
        connection.close()
        status = response.status
    except (OSError, http.client.HTTPException):
        # A malformed or cut-short answer counts as no answer: an exception left in the thread
        # pool's future would drop the request from the results without a word.
        status = 0
    elapsed = (time.perf_counter() - scheduled) * 1000
    with lock:
        results.append((elapsed, status))


best = None
next_shop = 0
for rate in rates:
    count = int(rate * seconds)
    if next_shop + count > len(shops):
        print(f"cold rate {rate}/s: not run, {len(shops) - next_shop} cold shops left of the {count} it needs")
        break
    batch, next_shop = shops[next_shop:next_shop + count], next_shop + count
    results = []
    # Enough threads that a slow answer never delays the next departure (open loop).
    with ThreadPoolExecutor(max_workers=min(256, max(8, rate))) as pool:
        start = time.perf_counter() + 0.05
        for index, shop in enumerate(batch):
            scheduled = start + index / rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(first_request, shop, scheduled, results)
    times = sorted(elapsed for elapsed, _ in results)
    failures = sum(1 for _, status in results if status != 200)
    # 0: no answer at all (refused, e.g. beyond the server's connections per address, reset or cut short).
    answers = sorted({status for _, status in results if status != 200})
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    within = p99 <= TARGET_MS and failures == 0
    print(f"cold rate {rate}/s for {seconds:g} s: {len(times)} first requests, p50 {statistics.median(times):.1f} ms, "
          f"p99 {p99:.1f} ms, max {times[-1]:.1f} ms, non-200 {failures}{f' {answers}' if answers else ''}{'' if within else '  (over 50 ms)' if p99 > TARGET_MS else '  (not every answer was 200)'}")
    if within:
        best = rate
    time.sleep(1)  # let the LRU's background closes of this step finish before the next
print(f"cold rate: highest rate with p99 ≤ {TARGET_MS:.0f} ms: {f'{best}/s' if best else 'none of those tried'}")
