#!/usr/bin/env bash
# Links packaging/icu/probe.swift twice, with ICU's full data and with the trimmed data, and shows
# that both print the same lines (also under LANG=de_DE.UTF-8). A stage of .ci/run, which also runs
# the end-to-end suite against the trimmed release binary; run it after changing trim-data.py.
#   packaging/icu/compare.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d /tmp/emporium-icu-compare.XXXXXX)
trap 'rm -rf "$work"' EXIT
icu_flags=$(python3 packaging/icu/trim-data.py "$work")
swiftc -O -static-stdlib packaging/icu/probe.swift -o "$work/full"
# shellcheck disable=SC2086
swiftc -O -static-stdlib packaging/icu/probe.swift -o "$work/trimmed" $icu_flags
failed=0
for lang in C.UTF-8 de_DE.UTF-8; do
    LANG=$lang "$work/full" > "$work/full-$lang.txt"
    LANG=$lang "$work/trimmed" > "$work/trimmed-$lang.txt"
    if diff -u "$work/full-$lang.txt" "$work/trimmed-$lang.txt"; then
        echo "LANG=$lang: the same $(wc -l < "$work/full-$lang.txt") lines with full and trimmed ICU data"
    else
        failed=1
    fi
done
echo "binaries: full $(stat -c %s "$work/full") bytes, trimmed $(stat -c %s "$work/trimmed") bytes"
exit "$failed"
