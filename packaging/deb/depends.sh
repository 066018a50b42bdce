#!/usr/bin/env bash
# Prints a Debian Depends line for an ELF binary: each shared library it needs, mapped to the
# package that ships it, with that package's installed version as the lower bound.
# (No pipeline here ends early: under `set -o pipefail` a reader that stops first turns the
# writer's SIGPIPE into a failure.)
set -euo pipefail
binary=$1
cache=$(ldconfig -p)
declare -A seen=()
entries=()
for lib in $(objdump -p "$binary" | awk '/NEEDED/ { print $2 }'); do
    path=$(awk -v lib="$lib" '$1 == lib && /x86-64/ && !found { print $NF; found = 1 }' <<< "$cache")
    [ -n "$path" ] || { echo "depends.sh: cannot locate $lib" >&2; exit 1; }
    owners=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null || dpkg -S "$path" 2>/dev/null || true)
    package=$(awk -F: 'NR == 1 { print $1 }' <<< "$owners")
    [ -n "$package" ] || { echo "depends.sh: no package owns $lib" >&2; exit 1; }
    [ -z "${seen[$package]:-}" ] || continue
    seen[$package]=1
    version=$(dpkg-query -W -f='${Version}' "$package" | sed 's/-[^-]*$//')
    entries+=("$package (>= $version)")
done
(IFS=,; echo "${entries[*]}" | sed 's/,/, /g')
