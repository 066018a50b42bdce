#!/usr/bin/env bash
# Test of the OCI image archive without a container engine (run as root in CI):
# unpack the image with umoci, read its configuration, and run its configured entrypoint as its
# configured user under chroot, the way a runtime would (with /proc and /dev mounted, the
# configured env and working directory, secrets given through the environment). Checks the image
# shape, that it refuses to start without secrets, answers /health, resizes an uploaded picture
# with the image's own libvips, keeps data in the volume path, passes its own health check, and
# stops with exit 0 on SIGTERM.
#   packaging/container/test-image.sh dist/emporium-<version>-oci.tar
set -euo pipefail
archive=$(realpath "${1:?usage: test-image.sh dist/emporium-<version>-oci.tar}")
picture=$(realpath "$(dirname "$0")/../../Tests/Support/images/badge.png")
passed=0
fail() { echo "FAIL: $*" >&2; echo "image-test: $passed passed, 1 failed"; exit 1; }
check() { local what=$1 expected=$2 actual=$3; [ "$expected" = "$actual" ] || fail "$what: expected '$expected', got '$actual'"; echo "ok: $what = $actual"; passed=$((passed + 1)); }

work=$(mktemp -d /tmp/emporium-image-test.XXXXXX)
rootfs="$work/bundle/rootfs"
server=""
cleanup() {
    [ -n "$server" ] && kill -KILL "$server" 2>/dev/null || true
    for mountpoint in "$rootfs/proc" "$rootfs/dev"; do
        mountpoint -q "$mountpoint" 2>/dev/null && umount -l "$mountpoint"
    done
    rm -rf "$work"
}
trap cleanup EXIT

echo "== unpack $(basename "$archive")"
mkdir -p "$work/oci"
tar -C "$work/oci" -xf "$archive"
tag=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifests"][0]["annotations"]["org.opencontainers.image.ref.name"])' "$work/oci/index.json")
umoci unpack --image "$work/oci:$tag" "$work/bundle" >/dev/null

# The runtime spec umoci derived from the image config: what a runtime would run, as whom, where.
spec() { python3 -c "import json,sys; p = json.load(open(sys.argv[1]))['process']; print($1)" "$work/bundle/config.json"; }
uid=$(spec 'p["user"]["uid"]')
gid=$(spec 'p["user"]["gid"]')
cwd=$(spec 'p["cwd"]')
mapfile -t args < <(spec '"\n".join(p["args"])')
mapfile -t image_env < <(spec '"\n".join(p["env"])')

check "image user is not root" "10001:10001" "$uid:$gid"
check "entrypoint + cmd" "/usr/bin/emporium serve" "${args[*]}"
check "working directory" "/var/lib/emporium" "$cwd"
config_blob=$(python3 - "$work/oci" "$tag" <<'PY'
import json, sys, os
layout, tag = sys.argv[1], sys.argv[2]
def blob(digest):
    return json.load(open(os.path.join(layout, "blobs", *digest.split(":"))))
index = json.load(open(os.path.join(layout, "index.json")))
manifest = blob(next(m for m in index["manifests"] if m["annotations"]["org.opencontainers.image.ref.name"] == tag)["digest"])
config = blob(manifest["config"]["digest"])["config"]
print(",".join(sorted(config.get("ExposedPorts", {}))), ",".join(sorted(config.get("Volumes", {}))), config.get("StopSignal", ""))
PY
)
check "exposed port, volume, stop signal" "3000/tcp /var/lib/emporium SIGTERM" "$config_blob"
check "volume path owned by the image user" "$uid:$gid 750" "$(stat -c '%u:%g %a' "$rootfs/var/lib/emporium")"
[ ! -e "$rootfs/etc/emporium/secrets.env" ] || fail "the image carries install-time secrets"
echo "ok: no secrets baked into the image"; passed=$((passed + 1))

echo "== run the entrypoint as $uid:$gid under chroot"
mount -t proc proc "$rootfs/proc"
mount --bind /dev "$rootfs/dev"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
secret() { head -c 48 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '='; }
secrets=("JWT_SECRET=$(secret)" "JWT_REFRESH_SECRET=$(secret)" "ENCRYPTION_KEY=$(secret)")
# Only HOST is changed from the image's settings: tests listen on 127.0.0.1, never on every address.
in_image=(chroot --userspec="$uid:$gid" "$rootfs" /usr/bin/env -i -C "$cwd" "${image_env[@]}" HOST=127.0.0.1 PORT="$port" METRICS_PORT=0)

status=0
missing=$("${in_image[@]}" "${args[@]}" 2>&1) || status=$?
check "start without secrets exits 1" 1 "$status"
grep -q "JWT_SECRET" <<<"$missing" || fail "no clear message about the missing secret: $missing"
echo "ok: refuses to start without secrets: $missing"; passed=$((passed + 1))

"${in_image[@]}" "${secrets[@]}" /usr/bin/emporium tenant create --name Image --subdomain image >/dev/null
echo "image-owner-pass" | "${in_image[@]}" "${secrets[@]}" /usr/bin/emporium user create --tenant image --email owner@image.example \
    --role owner --password-stdin >/dev/null
(exec "${in_image[@]}" "${secrets[@]}" "${args[@]}" >"$work/server.log" 2>&1) &
server=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.1; done
health=$(curl -sS "http://127.0.0.1:$port/health") || { cat "$work/server.log"; fail "no answer on /health"; }
check "/health status" healthy "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])' <<<"$health")"
check "shop created in the image answers" 200 "$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Tenant-ID: image' "http://127.0.0.1:$port/api/v1/shop")"
# A picture goes through the image's libvips (its loaders and their libraries are the image's own).
api="http://127.0.0.1:$port/api/v1"
token=$(curl -fsS -H 'X-Tenant-ID: image' -H 'Content-Type: application/json' -d '{"email":"owner@image.example","password":"image-owner-pass"}' \
    "$api/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["accessToken"])')
product=$(curl -fsS -H 'X-Tenant-ID: image' -H 'Content-Type: application/json' -H "Authorization: Bearer $token" \
    -d '{"name":"Mug","sku":"MUG","price":9.5,"stock":3}' "$api/products" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["id"])')
media=$(curl -fsS -H 'X-Tenant-ID: image' -H 'Content-Type: image/png' -H "Authorization: Bearer $token" --data-binary @"$picture" \
    "$api/products/$product/images" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["renditions"][0]["url"])') \
    || { tail -20 "$work/server.log"; fail "a picture upload failed inside the image"; }
check "a picture's rendition is served as" "200 image/webp" "$(curl -s -o /dev/null -w '%{http_code} %{content_type}' "http://127.0.0.1:$port$media")"
check "server runs as" "$uid" "$(awk '/^Uid:/ { print $2 }' "/proc/$server/status")"
check "data lives in the volume path" 1 "$(find "$rootfs/var/lib/emporium" -maxdepth 1 -name system.sqlite | wc -l)"
"${in_image[@]}" /usr/bin/emporium health-check >/dev/null || fail "the image's own health check failed"
echo "ok: emporium health-check inside the image"; passed=$((passed + 1))

kill -TERM "$server"
status=0
timeout 10 tail --pid="$server" -f /dev/null || fail "server still running 10 s after SIGTERM"
wait "$server" || status=$?
server=""
check "exit status after SIGTERM" 0 "$status"
echo "image-test: $passed passed, 0 failed"
