#!/usr/bin/env python3
"""Pictures cost bounded memory and are fair between shops (the class test of issue "Hostile
callers, round two").

Against a running server: shop A sends six of the heaviest pictures it may (an interlaced PNG
priced just under the decode limit) at once while shop B uploads a small one. Shop B's upload must
answer within about the time of one heavy decode (before the fix, one first-come queue made it wait
for all six: 10.5 s); each of A's uploads is stored or refused with 503 and Retry-After (its queue
is bounded); the server's peak RSS stays under 1 GiB; and a 311 KB interlaced 16-bit PNG of 40 MP
is refused from its header (it cost ~410 MB and 5 s to decode when it was accepted).

    heavy_pictures.py PORT SERVER_PID TOKEN_A PRODUCT_A TOKEN_B PRODUCT_B HEAVY_PNG SMALL_PNG REFUSED_PNG
"""
import http.client
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Checks  # noqa: E402

PORT, PID = int(sys.argv[1]), int(sys.argv[2])
TOKEN_A, PRODUCT_A, TOKEN_B, PRODUCT_B = sys.argv[3:7]
HEAVY, SMALL, REFUSED = (open(path, "rb").read() for path in sys.argv[7:10])
PEAK_LIMIT_MIB = 1024
check = Checks("heavy pictures")


def upload(tenant, token, product, picture):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    started = time.monotonic()
    connection.request("POST", f"/api/v1/products/{product}/images", body=picture,
                       headers={"X-Tenant-ID": tenant, "Authorization": f"Bearer {token}", "Content-Type": "image/png"})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, response.getheader("Retry-After"), time.monotonic() - started, body


def peak_rss_mib():
    with open(f"/proc/{PID}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) // 1024


# One heavy decode alone: the yardstick.
status, _, alone, body = upload("demo", TOKEN_A, PRODUCT_A, HEAVY)
check(status == 201, f"the heaviest accepted picture is stored ({status}: {body[:200]!r})")
print(f"heavy pictures: one heavy upload alone took {alone:.2f} s")

results = []
def heavy():
    results.append(upload("demo", TOKEN_A, PRODUCT_A, HEAVY))
threads = [threading.Thread(target=heavy) for _ in range(6)]
for thread in threads:
    thread.start()
time.sleep(0.3)
small_status, _, small_time, small_body = upload("spare", TOKEN_B, PRODUCT_B, SMALL)
for thread in threads:
    thread.join()

statuses = sorted(result[0] for result in results)
print(f"heavy pictures: shop A's six at once answered {statuses}; shop B's small upload took {small_time:.2f} s meanwhile")
check(small_status == 201, f"shop B's small upload is stored ({small_status}: {small_body[:200]!r})")
check(small_time <= alone * 1.5 + 1.0, f"shop B waited {small_time:.2f} s: at most one heavy decode ({alone:.2f} s) plus slack")
check(all(status in (201, 503) for status in statuses), "each heavy upload is stored or refused as busy")
check(all(retry for status, retry, _, _ in results if status == 503), "a busy refusal says when to retry (Retry-After)")
check(201 in statuses, "the shop's queue still takes heavy uploads")

started = time.monotonic()
status, _, _, body = upload("demo", TOKEN_A, PRODUCT_A, REFUSED)
check(status == 422 and b"to decode" in body, f"the 40 MP interlaced 16-bit PNG is refused from its header ({status}: {body[:160]!r})")
check(time.monotonic() - started < 5, "and refusing it costs no decode")

peak = peak_rss_mib()
check(peak <= PEAK_LIMIT_MIB, f"peak RSS {peak} MiB (limit {PEAK_LIMIT_MIB} MiB)")
check.finish()
