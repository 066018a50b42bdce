#!/usr/bin/env python3
"""Fails when docs/security/*.md name a test or a script that does not exist, so the threat model
and the ASVS mapping cannot rot: every `Suite.test` must be a test function in
Tests/*/Suite.swift, every `Tests/…`, `packaging/…` or `.ci/…` path must be a file.

    Tests/Security/check-references.py [docs/security]
"""
import glob
import os
import re
import sys

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "docs", "security")
tests, scripts, missing = 0, 0, []
for document in sorted(glob.glob(os.path.join(folder, "*.md"))):
    text = open(document).read()
    name = os.path.relpath(document, root)
    for suite, test in sorted(set(re.findall(r"`([A-Z][A-Za-z0-9]*Tests)\.([A-Za-z_][A-Za-z0-9_]*)`", text))):
        tests += 1
        files = glob.glob(os.path.join(root, "Tests", "*", f"{suite}.swift"))
        if not any(re.search(rf"\bfunc {re.escape(test)}\s*\(", open(path).read()) for path in files):
            missing.append(f"{name}: {suite}.{test} is not a test function in Tests/*/{suite}.swift")
    for path in sorted(set(re.findall(r"`((?:Tests|packaging|\.ci)/[^`\s]+)", text))):
        scripts += 1
        if not os.path.exists(os.path.join(root, path)):
            missing.append(f"{name}: {path} does not exist")
for line in missing:
    print("FAIL:", line)
print(f"security references: {tests} tests and {scripts} scripts named; {len(missing)} missing")
sys.exit(1 if missing or tests == 0 else 0)
