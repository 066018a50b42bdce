#!/usr/bin/env python3
"""Parses each .eml file named on the command line with Python's email package and prints one
JSON object per file: the decoded headers the tests check, both parts' text, and what was wrong
with the MIME structure (an empty list when nothing was)."""
import email
import email.policy
import json
import sys

for path in sys.argv[1:]:
    with open(path, "rb") as handle:
        raw = handle.read()
    message = email.message_from_bytes(raw, policy=email.policy.SMTPUTF8)
    problems = [type(defect).__name__ for defect in message.defects]
    parts = {}
    if message.get_content_type() != "multipart/alternative":
        problems.append("not multipart/alternative: " + message.get_content_type())
    for part in message.iter_parts() if message.is_multipart() else []:
        problems += [type(defect).__name__ for defect in part.defects]
        parts[part.get_content_type()] = part.get_content()
    for line in raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if len(line) > 998:
            problems.append("header line over 998 octets")
    print(json.dumps({
        "file": path,
        "subject": str(message["Subject"]),
        "from": str(message["From"]),
        "to": str(message["To"]),
        "messageId": str(message["Message-ID"]),
        "date": str(message["Date"]),
        "autoSubmitted": str(message["Auto-Submitted"]),
        "topic": str(message["X-Emporium-Topic"]),
        "headerNames": [name for name in message.keys()],
        "text": parts.get("text/plain", ""),
        "html": parts.get("text/html", ""),
        "problems": problems,
    }))
