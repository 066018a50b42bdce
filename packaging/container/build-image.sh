#!/usr/bin/env bash
# Builds an OCI image archive from the .deb without a Docker engine:
#   packaging/container/build-image.sh dist/emporium_<version>_amd64.deb
# -> dist/emporium-<version>-oci.tar (an OCI image layout, tag <version>; load it with
#    `skopeo copy oci-archive:dist/emporium-<version>-oci.tar docker-daemon:emporium:<version>`
#    or `podman load -i …`).
# Steps: a minimal Debian root from Debian's packages (debootstrap --variant=minbase), the user
# `emporium` with the fixed uid/gid 10001 (so Kubernetes' runAsUser/fsGroup can name it), the .deb
# installed with dpkg, install-time secrets removed (an image is shared: secrets come from the
# environment), then one layer and the image config assembled with umoci.
# Needs root, debootstrap, umoci and network access to a Debian mirror (DEBIAN_MIRROR).
set -euo pipefail
cd "$(dirname "$0")/../.."

deb=$(realpath "${1:?usage: build-image.sh path/to/emporium_<version>_amd64.deb}")
suite=${DEBIAN_SUITE:-bookworm}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
uid=10001
version=$(dpkg-deb -f "$deb" Version)
out=$(pwd)/dist
work="$out/image-work-$version"
archive="$out/emporium-$version-oci.tar"

rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

# Runtime libraries named by the .deb's Depends ("libc6 (>= 2.34), adduser" -> "libc6,adduser"),
# plus rsync: a fleet node in a cluster ships its backups to the standby's folder with it (BACKUP_SHIP_TO).
packages=$( (dpkg-deb -f "$deb" Depends | tr ',' '\n'; echo rsync) | sed 's/(.*)//; s/|.*//; s/[[:space:]]//g' | grep -v '^$' | paste -sd, -)
echo "==> debootstrap $suite (minbase) with $packages"
debootstrap --variant=minbase --include="$packages" "$suite" "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -n 30 "$work/debootstrap.log"; exit 1; }

echo "==> install $(basename "$deb") as uid $uid"
rootfs="$work/rootfs"
chroot "$rootfs" groupadd --gid "$uid" emporium
chroot "$rootfs" useradd --uid "$uid" --gid "$uid" --home-dir /var/lib/emporium --no-create-home \
    --shell /usr/sbin/nologin --comment "Emporium commerce backend" emporium
cp "$deb" "$rootfs/tmp/emporium.deb"
chroot "$rootfs" dpkg -i /tmp/emporium.deb
rm "$rootfs/tmp/emporium.deb" "$rootfs/etc/emporium/secrets.env"

# Nothing in the image needs package indexes, caches, docs, man pages or locales.
rm -rf "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/debconf/*-old \
    "$rootfs"/var/log/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* \
    "$rootfs"/tmp/* "$rootfs"/var/tmp/*
find "$rootfs/usr/share/doc" -mindepth 1 -maxdepth 1 ! -name emporium -exec rm -rf {} +
install -d -m 0750 -o "$uid" -g "$uid" "$rootfs/var/lib/emporium" "$rootfs/var/log/emporium"

echo "==> assemble the OCI image with umoci"
layout="$work/oci"
image="$layout:$version"
umoci init --layout "$layout"
umoci new --image "$image"
umoci unpack --image "$image" "$work/bundle" >/dev/null
rm -rf "$work/bundle/rootfs"
mv "$rootfs" "$work/bundle/rootfs"
umoci repack --image "$image" "$work/bundle"
created=$(date -u -d @"$(git log -1 --format=%ct 2>/dev/null || date +%s)" +%Y-%m-%dT%H:%M:%SZ)
umoci config --image "$image" \
    --author "Emporium" --created "$created" \
    --config.user "$uid:$uid" \
    --config.entrypoint /usr/bin/emporium --config.cmd serve \
    --config.workingdir /var/lib/emporium \
    --config.env EMPORIUM_CONFIG=/etc/emporium/emporium.env \
    --config.exposedports 3000/tcp \
    --config.volume /var/lib/emporium \
    --config.stopsignal SIGTERM \
    --config.label org.opencontainers.image.title=emporium \
    --config.label org.opencontainers.image.version="$version" \
    --config.label org.opencontainers.image.revision="$(git rev-parse HEAD 2>/dev/null || echo unknown)" \
    --config.label org.opencontainers.image.description="Multi-tenant commerce backend in one binary"
umoci gc --layout "$layout"

tar -C "$layout" -cf "$archive" .
echo "==> built $archive ($(du -h "$archive" | cut -f1), uncompressed root $(du -sh "$work/bundle/rootfs" | cut -f1))"
