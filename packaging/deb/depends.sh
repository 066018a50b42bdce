#!/usr/bin/env bash
# Prints a Debian Depends line for an ELF binary: each shared library it needs, mapped to the
# package that ships it, with that package's installed version as the lower bound.
set -euo pipefail
binary=$1
declare -A seen=()
entries=()
for lib in $(objdump -p "$binary" | awk '/NEEDED/ { print $2 }'); do
    path=$(ldconfig -p | awk -v lib="$lib" '$1 == lib && /x86-64/ { print $NF; exit }')
    [ -n "$path" ] || { echo "depends.sh: cannot locate $lib" >&2; exit 1; }
    real=$(readlink -f "$path")
    package=$(dpkg -S "$real" 2>/dev/null | head -1 | cut -d: -f1) || true
    [ -n "$package" ] || package=$(dpkg -S "$path" 2>/dev/null | head -1 | cut -d: -f1)
    [ -n "$package" ] || { echo "depends.sh: no package owns $lib" >&2; exit 1; }
    [ -z "${seen[$package]:-}" ] || continue
    seen[$package]=1
    version=$(dpkg-query -W -f='${Version}' "$package" | sed 's/-[^-]*$//')
    entries+=("$package (>= $version)")
done
(IFS=,; echo "${entries[*]}" | sed 's/,/, /g')
