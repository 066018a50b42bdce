#!/usr/bin/env python3
"""A real SMTP server for the end-to-end mail tests (aiosmtpd), on 127.0.0.1 only.

Every accepted message is written to OUT/NNNN.eml. It prints "listening PORT" once ready, and
exits on its own after --lifetime seconds. Faults for the retry tests:
  --drop-first N   close the connection after the first N messages' data, before answering it
  --refuse-first N answer 451 (try again later) to the first N messages' end of data
  --reject RCPT    answer 550 to RCPT TO for this address (a permanent refusal)
  --port P         listen on P (0: a free port)
"""
import argparse
import asyncio
import os
import socket
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sink:
    def __init__(self, out, drop_first, refuse_first, reject):
        self.out = out
        self.drop_left = drop_first
        self.refuse_left = refuse_first
        self.reject = reject
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject and address.lower() == self.reject.lower():
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.drop_left > 0:
                self.drop_left -= 1
                # Gone before it answers the end of the data: the client never learns the outcome.
                server.transport.close()
                return "421 closing"
            if self.refuse_left > 0:
                self.refuse_left -= 1
                return "451 4.3.0 try again later"
            self.count += 1
            number = self.count
        path = os.path.join(self.out, "%04d.eml" % number)
        with open(path + ".tmp", "wb") as handle:
            handle.write(envelope.original_content or envelope.content)
        os.rename(path + ".tmp", path)
        with open(os.path.join(self.out, "%04d.envelope" % number), "w") as handle:
            handle.write("%s\n%s\n%s\n" % (envelope.mail_from, ",".join(envelope.rcpt_tos), " ".join(envelope.mail_options)))
        return "250 2.0.0 queued as %d" % number


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--drop-first", type=int, default=0)
    parser.add_argument("--refuse-first", type=int, default=0)
    parser.add_argument("--reject", default="")
    parser.add_argument("--lifetime", type=float, default=300)
    arguments = parser.parse_args()
    os.makedirs(arguments.out, exist_ok=True)
    port = arguments.port or free_port()
    handler = Sink(arguments.out, arguments.drop_first, arguments.refuse_first, arguments.reject)
    controller = Controller(handler, hostname="127.0.0.1", port=port, enable_SMTPUTF8=True, decode_data=False)
    controller.start()
    print("listening %d" % port, flush=True)
    try:
        threading.Event().wait(arguments.lifetime)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
