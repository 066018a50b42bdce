#!/usr/bin/env python3
"""First requests to cold shops (issue "Speed at scale", 10,000 shops): for each shop in the file,
one `GET /api/v1/products?limit=20` that is the first request that shop sees since the server
started, so its file is opened (and its schema checked) and its catalog read from disk on the spot.
Sequential, one request at a time, bounded by the file's length and a deadline; run beside a wrk
load to see the cold path under load. Prints p50/p99/max and any non-200 answer.

usage: cold-shops.py PORT SHOPS_FILE [SECONDS]
"""
import http.client
import statistics
import sys
import time

port, shops_file = int(sys.argv[1]), sys.argv[2]
deadline = time.monotonic() + float(sys.argv[3] if len(sys.argv) > 3 else 60)
shops = [line.strip() for line in open(shops_file) if line.strip()]
times, failures = [], 0
for shop in shops:
    if time.monotonic() > deadline:
        break
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.connect()  # the connection is not what is timed: the shop's first answer is
    started = time.perf_counter()
    connection.request("GET", "/api/v1/products?limit=20", headers={"X-Tenant-ID": shop})
    response = connection.getresponse()
    response.read()
    times.append((time.perf_counter() - started) * 1000)
    connection.close()
    if response.status != 200:
        failures += 1
if not times:
    sys.exit("cold-shops: no shop was asked")
times.sort()
p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
print(f"cold shops: {len(times)} first requests, p50 {statistics.median(times):.1f} ms, p99 {p99:.1f} ms, "
      f"max {times[-1]:.1f} ms, non-200 {failures}")
