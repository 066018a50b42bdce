#!/usr/bin/env python3
"""Links ICU's data trimmed to what Emporium asks ICU for, instead of all of it.

    packaging/icu/trim-data.py OUTDIR [--list]

Prints the linker flags for `swift build -c release --static-swift-stdlib` and writes the object
they name into OUTDIR. The static Swift runtime links Foundation, and Foundation links ICU with all
of its data: 34 MB, over a third of the binary. Emporium asks ICU for time zones (a shop's
`timezone`), the Gregorian calendar, and dates in the fixed `en_US_POSIX` locale; what a browser
shows, the browser formats. So the data keeps every time zone, calendar, normalization, the root
collation and the break rules, plus the root and English locales; it drops the other locales'
display data (names of languages, currencies, units; spell-out rules; collation tailorings), the
legacy charset converters, the word dictionaries of languages written without spaces, and
transliteration. A locale that is gone falls back to root, as ICU does for any locale it lacks.

The data is ICU's "common data" (a table of contents of names and offsets, then the items, 16-byte
aligned), read out of the toolchain's `lib_FoundationICU.a` and written back as `icupkg` writes it.
The object defines `__wrap_icudtNN_dat`; `--wrap=icudtNN_dat` sends ICU's one reference there, so
the linker never pulls the archive member that holds the full data. A check after the link
(packaging/deb/build.sh) fails the build if the full data is linked anyway.
"""
import json
import os
import re
import struct
import subprocess
import sys

LOCALE = re.compile(r'^[a-z]{2,3}(_[A-Za-z0-9]*)*$')
# Items under these trees are per-locale display data (names of languages, regions, currencies,
# units, zones; number spell-out rules; collation tailorings): kept for root and English only.
LOCALE_TREES = {'', 'curr', 'lang', 'region', 'unit', 'zone', 'rbnf', 'coll', 'brkitr'}


def keeps(name: str) -> bool:
    """Whether the item `name` (`icudt76l/zone/de.res`) stays in the trimmed data."""
    parts = name.split('/')[1:]
    tree = '/'.join(parts[:-1])
    leaf = parts[-1]
    stem, _, kind = leaf.rpartition('.')
    if tree == 'translit':
        return False
    if tree == '' and kind == 'cnv':
        return False
    if tree == 'brkitr' and kind == 'dict':
        return False
    if tree in LOCALE_TREES and kind == 'res' and LOCALE.match(stem) and stem not in ('root', 'res_index'):
        return stem == 'en' or stem.startswith('en_')
    return True


def read(data: bytes):
    header_size = struct.unpack_from('<H', data, 0)[0]
    if data[2:4] != b'\xda\x27' or data[8] != 0 or data[12:16] != b'CmnD':
        sys.exit('not little-endian ICU common data')
    count = struct.unpack_from('<I', data, header_size)[0]
    entries = [struct.unpack_from('<II', data, header_size + 4 + 8 * i) for i in range(count)]
    offsets = [header_size + data_offset for _, data_offset in entries] + [len(data)]
    items = []
    for index, (name_offset, _) in enumerate(entries):
        start = header_size + name_offset
        name = data[start:data.index(b'\0', start)].decode('ascii')
        items.append((name, data[offsets[index]:offsets[index + 1]]))
    return data[:header_size], items


def write(header: bytes, items) -> bytes:
    names = b''.join(name.encode('ascii') + b'\0' for name, _ in items)
    toc_size = 4 + 8 * len(items)
    first_item = (toc_size + len(names) + 15) & ~15
    table, body, name_offset = [], bytearray(), toc_size
    for name, item in items:
        table.append(struct.pack('<II', name_offset, first_item + len(body)))
        name_offset += len(name) + 1
        body += item
        body += b'\0' * (-len(body) % 16)
    toc = struct.pack('<I', len(items)) + b''.join(table) + names
    toc += b'\0' * (first_item - len(toc))
    return header + toc + bytes(body)


def run(*command: str, cwd: str | None = None) -> bytes:
    return subprocess.run(command, check=True, capture_output=True, cwd=cwd).stdout


def toolchain_archive() -> str:
    """The static `lib_FoundationICU.a` next to the Swift runtime the release build links."""
    info = json.loads(run('swiftc', '-print-target-info'))
    runtime = info['paths']['runtimeResourcePath']  # …/usr/lib/swift
    archive = os.path.join(os.path.dirname(runtime), 'swift_static', 'linux', 'lib_FoundationICU.a')
    if not os.path.exists(archive):
        sys.exit(f'trim-data: no {archive}')
    return archive


def packaged_data(archive: str, workdir: str) -> tuple[str, bytes]:
    """The data symbol's name (`icudt76_dat`) and its bytes, from the archive member defining it."""
    for line in run('nm', '-A', '--defined-only', '-S', archive).decode().splitlines():
        match = re.match(r'^[^:]+:([^:]+):([0-9a-f]+) ([0-9a-f]+) [RrDd] (icudt\d+_dat)$', line)
        if match:
            member, offset, size, symbol = match.group(1), int(match.group(2), 16), int(match.group(3), 16), match.group(4)
            break
    else:
        sys.exit(f'trim-data: no icudtNN_dat in {archive}')
    run('ar', 'x', archive, member, cwd=workdir)
    run('objcopy', '-O', 'binary', '--only-section=.rodata', member, 'rodata.bin', cwd=workdir)
    rodata = open(os.path.join(workdir, 'rodata.bin'), 'rb').read()
    for scratch in (member, 'rodata.bin'):
        os.remove(os.path.join(workdir, scratch))
    return symbol, rodata[offset:offset + size]


def main() -> None:
    workdir = os.path.abspath(sys.argv[1])
    os.makedirs(workdir, exist_ok=True)
    symbol, data = packaged_data(toolchain_archive(), workdir)
    header, items = read(data)
    kept = [(name, item) for name, item in items if keeps(name)]
    if '--list' in sys.argv:
        for name, item in items:
            print(('keep ' if keeps(name) else 'drop ') + f'{len(item):9d} {name}', file=sys.stderr)
    trimmed = write(header, kept)
    open(os.path.join(workdir, 'icu-data.dat'), 'wb').write(trimmed)
    run('objcopy', '-I', 'binary', '-O', 'elf64-x86-64', '-B', 'i386:x86-64',
        '--rename-section', '.data=.rodata,alloc,load,readonly,data,contents',
        '--redefine-sym', f'_binary_icu_data_dat_start=__wrap_{symbol}',
        '--strip-symbol', '_binary_icu_data_dat_end', '--strip-symbol', '_binary_icu_data_dat_size',
        'icu-data.dat', 'icu-data-unaligned.o', cwd=workdir)
    run('objcopy', '--set-section-alignment', '.rodata=16', 'icu-data-unaligned.o', 'icu-data.o', cwd=workdir)
    os.remove(os.path.join(workdir, 'icu-data-unaligned.o'))
    print(f'ICU data {symbol}: {len(items)} items, {len(data) / 1e6:.1f} MB -> {len(kept)} items, {len(trimmed) / 1e6:.1f} MB',
          file=sys.stderr)
    print(f'-Xlinker {os.path.join(workdir, "icu-data.o")} -Xlinker --wrap={symbol}')


if __name__ == '__main__':
    main()
