#!/usr/bin/env python3
"""Slow readers cannot grow the server's memory (the class test of issue "Hostile callers, round two").

Against a running server whose shop BIG holds a large sales report: READERS connections each ask for
/analytics/reports/sales.csv, read 100 bytes, then stop reading. Every streamed answer must be
produced only as fast as its client reads (a bounded buffer per response), so the server's RSS may
grow by less than RSS_LIMIT_MIB; and each connection must be closed by WRITE_TIMEOUT. Before the fix,
one reader made the server buffer the whole report (~105 MB at 400k lines) and kept the connection.

    slow_readers.py PORT SERVER_PID TOKEN WRITE_TIMEOUT_SECONDS
"""
import socket
import sys
import time

PORT, PID, TOKEN, WRITE_TIMEOUT = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
READERS = 8
RSS_LIMIT_MIB = 32


def rss_kib():
    with open(f"/proc/{PID}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def slow_reader():
    connection = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # A small receive window, as a stalled client on a real network would advertise.
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    connection.connect(("127.0.0.1", PORT))
    connection.sendall((f"GET /api/v1/analytics/reports/sales.csv HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        f"X-Tenant-ID: big\r\nAuthorization: Bearer {TOKEN}\r\n\r\n").encode())
    received = b""
    while len(received) < 100:
        chunk = connection.recv(100 - len(received))
        if not chunk:
            raise SystemExit("the server closed a reader before its first 100 bytes")
        received += chunk
    if not received.startswith(b"HTTP/1.1 200"):
        raise SystemExit(f"the report did not start: {received[:100]!r}")
    return connection


def server_holds(connection):
    """Whether the server process still holds its end of `connection`. Reading to find out would be
    progress and restart the deadline, so the kernel's table is asked instead: a socket the process
    closed is orphaned (inode 0) while its unsent bytes drain, or gone."""
    client_port = connection.getsockname()[1]
    with open("/proc/net/tcp") as table:
        for line in list(table)[1:]:
            fields = line.split()
            local_port, remote_port = int(fields[1].split(":")[1], 16), int(fields[2].split(":")[1], 16)
            if local_port == PORT and remote_port == client_port:
                return fields[9] != "0"
    return False


def warm_up():
    """One small report first: the baseline then includes the shop's open file and its readers."""
    connection = socket.create_connection(("127.0.0.1", PORT))
    connection.sendall((f"GET /api/v1/analytics/reports/sales.csv?from=2000-01-01&to=2000-01-02 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        f"X-Tenant-ID: big\r\nAuthorization: Bearer {TOKEN}\r\nConnection: close\r\n\r\n").encode())
    while connection.recv(65536):
        pass
    connection.close()


warm_up()
baseline = rss_kib()
readers = [slow_reader() for _ in range(READERS)]
opened = time.monotonic()
peak = baseline
# Watch memory while the answers are stuck, until the write deadline is near.
while time.monotonic() - opened < max(2.0, WRITE_TIMEOUT - 1):
    peak = max(peak, rss_kib())
    time.sleep(0.2)
grown_mib = (peak - baseline) / 1024
print(f"slow readers: {READERS} connections, RSS {baseline // 1024} MiB -> peak {peak // 1024} MiB (+{grown_mib:.1f} MiB, limit {RSS_LIMIT_MIB})")
# Each must be closed by the deadline: WRITE_TIMEOUT without progress, with slack for a busy machine.
deadline = opened + WRITE_TIMEOUT + 20
while time.monotonic() < deadline and any(server_holds(reader) for reader in readers):
    time.sleep(0.25)
still_open = sum(1 for reader in readers if server_holds(reader))
print(f"slow readers: {READERS - still_open} of {READERS} closed by the server within WRITE_TIMEOUT ({WRITE_TIMEOUT:g} s) + 20 s, "
      f"after {time.monotonic() - opened:.1f} s")
failed = (1 if grown_mib >= RSS_LIMIT_MIB else 0) + (1 if still_open else 0)
print(f"slow readers: {2 - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
