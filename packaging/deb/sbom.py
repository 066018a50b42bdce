#!/usr/bin/env python3
"""Writes the CycloneDX 1.6 JSON software bill of materials of an Emporium binary.

    packaging/deb/sbom.py BINARY VERSION [Package.resolved] [CHECKOUTS_DIR] > sbom.cdx.json

Components: every Swift package pinned in Package.resolved (version, git revision, licence read from
its checkout's LICENSE file), and every shared library the binary links (its ELF NEEDED entries),
as the Debian package that ships it with that package's version and the licences its DEP-5
copyright file names. `packaging/deb/check-sbom.py` checks the result in CI.
"""
import json
import os
import re
import subprocess
import sys
import uuid
from datetime import datetime, timezone

binary, version = sys.argv[1], sys.argv[2]
resolved_path = sys.argv[3] if len(sys.argv) > 3 else "Package.resolved"
checkouts = sys.argv[4] if len(sys.argv) > 4 else ".build/checkouts"

# SPDX ids the CycloneDX schema knows and this tree meets; anything else goes in as a licence name.
SPDX = {"Apache-2.0", "MIT", "BSD-2-Clause", "BSD-3-Clause", "ISC", "Zlib", "public-domain", "LGPL-2.1-or-later", "GPL-2.0-or-later",
        "LGPL-2.0-or-later", "LGPL-2.1-only", "GPL-3.0-or-later", "MPL-2.0", "BSL-1.0", "OpenSSL", "X11"}
DEBIAN_TO_SPDX = {"LGPL-2.1+": "LGPL-2.1-or-later", "LGPL-2+": "LGPL-2.0-or-later", "GPL-2+": "GPL-2.0-or-later", "GPL-3+": "GPL-3.0-or-later",
                  "Expat": "MIT", "BSD-3-clause": "BSD-3-Clause", "BSD-2-clause": "BSD-2-Clause", "zlib": "Zlib", "Zlib": "Zlib",
                  "Apache-2.0": "Apache-2.0", "ISC": "ISC", "MIT": "MIT", "X11": "X11", "public-domain": None}


def licence(name):
    name = DEBIAN_TO_SPDX.get(name, name)
    if name is None:
        return {"license": {"name": "public domain"}}
    return {"license": {"id": name}} if name in SPDX and name != "public-domain" else {"license": {"name": name}}


def licence_of_checkout(folder):
    """The licence of a Swift package, told from the text of its LICENSE file."""
    for candidate in ("LICENSE", "LICENSE.txt", "LICENSE.md", "COPYING"):
        path = os.path.join(folder, candidate)
        if os.path.exists(path):
            text = open(path, errors="replace").read()
            if "Apache License" in text and "Version 2.0" in text:
                return "Apache-2.0"
            if "Permission is hereby granted, free of charge" in text:
                return "MIT"
            if "Redistribution and use in source and binary forms" in text:
                return "BSD-3-Clause" if "Neither the name" in text or "names of its contributors" in text else "BSD-2-Clause"
            return "LicenseRef-see-" + candidate
    return None


def swift_packages():
    pins = json.load(open(resolved_path))["pins"]
    components = []
    for pin in sorted(pins, key=lambda p: p["identity"]):
        location = pin["location"]
        path = re.sub(r"^https?://", "", location).removesuffix(".git")
        state = pin["state"]
        revision, pinned = state.get("revision", ""), state.get("version") or state.get("branch") or state.get("revision", "")
        component = {
            "type": "library", "bom-ref": f"pkg:swift/{path}@{pinned}", "name": pin["identity"], "version": pinned,
            "purl": f"pkg:swift/{path}@{pinned}",
            "externalReferences": [{"type": "vcs", "url": location, "comment": f"revision {revision}"}],
        }
        found = licence_of_checkout(os.path.join(checkouts, os.path.basename(path)))
        if found:
            component["licenses"] = [licence(found)]
        components.append(component)
    return components


def needed_libraries():
    output = subprocess.run(["objdump", "-p", binary], check=True, capture_output=True, text=True).stdout
    return [line.split()[1] for line in output.splitlines() if line.strip().startswith("NEEDED")]


def library_path(name, cache):
    for line in cache.splitlines():
        parts = line.strip().split(" => ")
        if len(parts) == 2 and parts[0].split(" ")[0] == name and "x86-64" in parts[0]:
            return parts[1]
    raise SystemExit(f"sbom.py: cannot locate {name}")


# Packages whose copyright file is not machine-readable (DEP-5), with the licence Debian states in it.
KNOWN_DEBIAN_LICENCES = {"libc6": ["LGPL-2.1-or-later"], "libgcc-s1": ["GPL-3.0-or-later WITH GCC-exception-3.1"],
                         "libstdc++6": ["GPL-3.0-or-later WITH GCC-exception-3.1"]}


def debian_licences(package):
    if package in KNOWN_DEBIAN_LICENCES:
        return KNOWN_DEBIAN_LICENCES[package]
    path = f"/usr/share/doc/{package}/copyright"
    if not os.path.exists(path):
        return []
    names = []
    for line in open(path, errors="replace"):
        if line.startswith("License:"):
            for name in re.split(r"\s+(?:or|and)\s+|\s*,\s*", line[len("License:"):].strip()):
                if name and name not in names:
                    names.append(name)
    return names


def system_libraries():
    cache = subprocess.run(["ldconfig", "-p"], check=True, capture_output=True, text=True).stdout
    packages = {}
    for name in needed_libraries():
        path = library_path(name, cache)
        owner = subprocess.run(["dpkg", "-S", os.path.realpath(path)], capture_output=True, text=True)
        if owner.returncode != 0:
            owner = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True)
        package = owner.stdout.split(":")[0].strip()
        if not package:
            raise SystemExit(f"sbom.py: no package owns {name}")
        packages.setdefault(package, []).append(name)
    components = []
    for package, libraries in sorted(packages.items()):
        deb_version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], check=True, capture_output=True, text=True).stdout
        purl = f"pkg:deb/debian/{package}@{deb_version}?arch=amd64&distro=debian-12"
        component = {
            "type": "library", "bom-ref": purl, "name": package, "version": deb_version, "purl": purl,
            "properties": [{"name": "emporium:linked-library", "value": library} for library in libraries],
        }
        found = debian_licences(package)
        if found:
            component["licenses"] = [licence(name) for name in found]
        components.append(component)
    return components


components = swift_packages() + system_libraries()
bom = {
    "bomFormat": "CycloneDX",
    "specVersion": "1.6",
    "serialNumber": f"urn:uuid:{uuid.uuid4()}",
    "version": 1,
    "metadata": {
        "timestamp": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "tools": {"components": [{"type": "application", "name": "emporium packaging/deb/sbom.py"}]},
        "component": {"type": "application", "bom-ref": "emporium", "name": "emporium", "version": version,
                      "licenses": [{"license": {"id": "Apache-2.0"}}]},
    },
    "components": components,
    "dependencies": [{"ref": "emporium", "dependsOn": [c["bom-ref"] for c in components]}]
    + [{"ref": c["bom-ref"], "dependsOn": []} for c in components],
}
json.dump(bom, sys.stdout, indent=2)
sys.stdout.write("\n")
