#!/usr/bin/env python3
"""Checks the SBOM shipped in an Emporium .deb (CI's package stage):

    packaging/deb/check-sbom.py dist/emporium_<version>_amd64.deb [Package.resolved]

- /usr/share/doc/emporium/sbom.cdx.json is in the package and valid against the CycloneDX 1.6
  JSON schema (strict: no unknown fields), with cyclonedx-python-lib's validator (PyPI);
- every shared library the packaged binary links (ELF NEEDED) is listed, as its Debian package;
- every Swift package pinned in Package.resolved is listed at its pinned version, with a licence.
"""
import json
import os
import subprocess
import sys
import tempfile

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

deb = sys.argv[1]
resolved = sys.argv[2] if len(sys.argv) > 2 else "Package.resolved"
problems = []
with tempfile.TemporaryDirectory() as root:
    subprocess.run(["dpkg-deb", "-x", deb, root], check=True)
    path = os.path.join(root, "usr/share/doc/emporium/sbom.cdx.json")
    if not os.path.exists(path):
        sys.exit("check-sbom: /usr/share/doc/emporium/sbom.cdx.json is not in the package")
    text = open(path).read()
    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    if error is not None:
        problems.append("not valid CycloneDX 1.6: " + str(error).splitlines()[0])
    bom = json.loads(text)
    components = bom.get("components", [])
    linked = {p["value"] for c in components for p in c.get("properties", []) if p["name"] == "emporium:linked-library"}
    needed = [line.split()[1] for line in subprocess.run(["objdump", "-p", os.path.join(root, "usr/bin/emporium")], check=True,
                                                         capture_output=True, text=True).stdout.splitlines() if line.strip().startswith("NEEDED")]
    for library in needed:
        if library not in linked:
            problems.append(f"the binary links {library}, which the SBOM does not list")
    versions = {c["name"]: c["version"] for c in components if c.get("purl", "").startswith("pkg:swift/")}
    pins = json.load(open(resolved))["pins"]
    for pin in pins:
        want = pin["state"].get("version") or pin["state"].get("branch") or pin["state"].get("revision")
        if versions.get(pin["identity"]) != want:
            problems.append(f"Swift package {pin['identity']} {want} is not listed at that version")
    unlicensed = [c["name"] for c in components if not c.get("licenses")]
    if unlicensed:
        problems.append("components without a licence: " + ", ".join(unlicensed))
for problem in problems:
    print("FAIL:", problem)
print(f"sbom: {len(components)} components ({len(versions)} Swift packages, {len(components) - len(versions)} Debian packages for "
      f"{len(needed)} linked libraries); {'valid' if not problems else f'{len(problems)} problem(s)'}")
sys.exit(1 if problems else 0)
