"""What the hostile-class scripts (and Tests/Load/hostile-search.py) share: one timed HTTP call and
the pass/fail bookkeeping that ends in the `N passed, N failed` line CI reads."""
import http.client
import sys
import time


def timed_get(port, tenant, path):
    """GET `path` of shop `tenant` on a fresh connection: (status, Retry-After, seconds)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.monotonic()
    connection.request("GET", path, headers={"X-Tenant-ID": tenant})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, response.getheader("Retry-After"), time.monotonic() - started


class Checks:
    def __init__(self, name):
        self.name, self.count, self.failures = name, 0, []

    def __call__(self, condition, message):
        self.count += 1
        print(("  ok: " if condition else "  FAILED: ") + message)
        if not condition:
            self.failures.append(message)

    def finish(self):
        print(f"{self.name}: {self.count - len(self.failures)} passed, {len(self.failures)} failed")
        sys.exit(1 if self.failures else 0)
