#!/usr/bin/env bash
# Builds dist/emporium_<version>_amd64.deb from a release build of this checkout.
#   packaging/deb/build.sh [VERSION]      VERSION defaults to BuildInfo.version
# Needs: swift, dpkg-deb, fakeroot-free (uses --root-owner-group), binutils (strip/objcopy/nm/ar), gzip, python3.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

version=${1:-$(sed -n 's/.*static let version = "\(.*\)".*/\1/p' Sources/EmporiumObservability/BuildInfo.swift)}
revision=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
arch=amd64
out="$root/dist"
stage="$out/stage-$version"
rm -rf "$stage"
mkdir -p "$out" "$stage"

echo "==> release build (static Swift runtime), version $version, revision $revision"
build_info=Sources/EmporiumObservability/BuildRevision.swift
cp "$build_info" "$out/BuildRevision.swift.orig"
trap 'cp "$out/BuildRevision.swift.orig" "$root/'"$build_info"'"' EXIT
printf '/// Written by packaging/deb/build.sh for release builds.\nenum BuildRevision {\n    static let value = "%s"\n}\n' "$revision" > "$build_info"
# Foundation's ICU data, trimmed to what Emporium asks ICU for (packaging/icu/trim-data.py: 34 → 5 MB).
icu_flags=$(python3 packaging/icu/trim-data.py "$out/icu")
# shellcheck disable=SC2086
swift build -c release --static-swift-stdlib --product emporium $icu_flags
binary="$(swift build -c release --static-swift-stdlib --show-bin-path)/emporium"
# The full data must not be linked beside the trimmed one (a toolchain whose archive member holds more
# than the data would bring it back): only the trimmed copy's __wrap_ symbol may be defined.
icu_symbol=${icu_flags##*--wrap=}
icu_symbols=$(nm "$binary" | grep "$icu_symbol" || true)
if ! grep -q " __wrap_$icu_symbol\$" <<<"$icu_symbols" || grep -q " [RrDd] $icu_symbol\$" <<<"$icu_symbols"; then
    echo "build.sh: the binary does not link the trimmed ICU data in place of $icu_symbol" >&2
    exit 1
fi

echo "==> stage the package tree"
install -d "$stage/DEBIAN" "$stage/usr/bin" "$stage/lib/systemd/system" "$stage/etc/emporium" \
    "$stage/usr/share/doc/emporium" "$stage/usr/share/man/man1"
install -m 0755 "$binary" "$stage/usr/bin/emporium"
objcopy --only-keep-debug "$stage/usr/bin/emporium" "$out/emporium-$version.debug"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$stage/usr/bin/emporium"
objcopy --add-gnu-debuglink="$out/emporium-$version.debug" "$stage/usr/bin/emporium"
install -m 0644 systemd/emporium.service "$stage/lib/systemd/system/emporium.service"
# The packaged configuration is config/emporium.env (the one documented template) in production mode.
sed -e 's/^EMPORIUM_ENV=development/EMPORIUM_ENV=production/' -e 's/^HOST=127.0.0.1/HOST=0.0.0.0/' \
    -e 's|^DATA_DIR=./emporium-data|DATA_DIR=/var/lib/emporium|' -e 's/^#METRICS_PORT=9464/METRICS_PORT=9464/' -e 's|^#LOG_DIR=./emporium-data/logs|LOG_DIR=/var/log/emporium|' \
    -e '1,2c # Emporium configuration for the packaged service (a conffile: your edits survive upgrades).\n# Secrets are generated at installation into /etc/emporium/secrets.env; the environment wins over both files.' \
    config/emporium.env > "$stage/etc/emporium/emporium.env"
chmod 0644 "$stage/etc/emporium/emporium.env"
install -m 0644 packaging/deb/copyright "$stage/usr/share/doc/emporium/copyright"
sed "s/@VERSION@/$version/; s/@DATE@/$(date -R -u -d @"$(git log -1 --format=%ct 2>/dev/null || date +%s)")/" \
    packaging/deb/changelog | gzip -9n > "$stage/usr/share/doc/emporium/changelog.gz"
sed "s/@VERSION@/$version/" packaging/deb/emporium.1 | gzip -9n > "$stage/usr/share/man/man1/emporium.1.gz"

echo "==> software bill of materials (CycloneDX 1.6): Swift packages from Package.resolved, linked system libraries"
python3 packaging/deb/sbom.py "$stage/usr/bin/emporium" "$version" Package.resolved .build/checkouts > "$stage/usr/share/doc/emporium/sbom.cdx.json"
chmod 0644 "$stage/usr/share/doc/emporium/sbom.cdx.json"

echo "==> compute Depends from the binary's libraries"
depends=$(packaging/deb/depends.sh "$stage/usr/bin/emporium")
echo "Depends: $depends"

size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
sed "s/@VERSION@/$version/; s/@ARCH@/$arch/; s/@DEPENDS@/$depends/; s/@SIZE@/$size/" packaging/deb/control > "$stage/DEBIAN/control"
install -m 0644 packaging/deb/conffiles "$stage/DEBIAN/conffiles"
for script in postinst prerm postrm; do
    install -m 0755 "packaging/deb/$script" "$stage/DEBIAN/$script"
done
find "$stage" -type d -exec chmod 0755 {} +

deb="$out/emporium_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb"
rm -rf "$stage"
echo "==> built $deb ($(du -h "$deb" | cut -f1))"
