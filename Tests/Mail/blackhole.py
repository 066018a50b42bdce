#!/usr/bin/env python3
"""A dead SMTP server for the benchmarks: accepts connections on 127.0.0.1 and never says a word,
so every delivery attempt waits for its deadline. Prints "listening PORT"; exits after --lifetime
seconds."""
import argparse
import socket
import threading
import time

parser = argparse.ArgumentParser()
parser.add_argument("--lifetime", type=float, default=300)
arguments = parser.parse_args()
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 0))
server.listen(128)
print("listening %d" % server.getsockname()[1], flush=True)
held = []
server.settimeout(1)
deadline = time.time() + arguments.lifetime
while time.time() < deadline:
    try:
        connection, _ = server.accept()
        held.append(connection)  # kept open, never answered
    except socket.timeout:
        pass
