#!/usr/bin/env bash
# Measures `emporium fleet move` on a big shop (issue "Fleet": the write pause for a shop of 10,000
# products and 100,000 orders). Node a serves a copy of DATA — a data directory kept by
#   SCENARIOS=order DURATION=100 KEEP_DATA=/tmp/big Tests/Load/run.sh
# — node b starts empty; both are release binaries on loopback ports with FULL durability. The move
# of shop load1 from a to b is timed step by step by the command itself; a client placing orders
# against node a throughout prints how long its writes were refused.
#   Tests/Load/fleet-move.sh /tmp/big        (BINARY: default .build-rel/release/emporium)
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=$(realpath "${BINARY:-.build-rel/release/emporium}")
data=$(realpath "$1")
work=$(mktemp -d /tmp/emporium-move.XXXXXX)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
cp -a "$data" "$work/a"
mkdir -p "$work/b"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
export EMPORIUM_ENV=test HOST=127.0.0.1 LOG_LEVEL=warning DB_SYNCHRONOUS=FULL BCRYPT_COST=10 \
    RATE_LIMIT_MAX_REQUESTS=1000000 TENANT_RATE_LIMIT_MAX_REQUESTS=100000000 \
    CLIENT_RATE_LIMIT_MAX_REQUESTS=100000000 USER_RATE_LIMIT_MAX_REQUESTS=100000000
declare -A ports
for node in a b; do
    echo "move-operator-pass" | DATA_DIR="$work/$node" "$binary" operator create --email ops@move.example --password-stdin >/dev/null
    ports[$node]=$(free_port)
    DATA_DIR="$work/$node" PORT=${ports[$node]} "$binary" serve > "$work/$node.log" 2>&1 &
    pids+=($!)
    until curl -fs "http://127.0.0.1:${ports[$node]}/health/ready" >/dev/null 2>&1; do sleep 0.05; done
done
id=$(sqlite3 "$work/a/system.sqlite" "SELECT id FROM tenants WHERE subdomain = 'load1'")
file="$work/a/tenants/$id.sqlite"
echo "==> shop load1: $(sqlite3 "$file" 'SELECT count(*) FROM products') products, $(sqlite3 "$file" 'SELECT count(*) FROM orders') orders," \
     "$(( $(stat -c %s "$file") / 1048576 )) MiB"
cat > "$work/fleet.json" <<JSON
{"platformNode": "a", "shops": [{"id": "$id", "subdomain": "load1", "node": "a"}],
 "nodes": [{"name": "a", "url": "http://127.0.0.1:${ports[a]}"}, {"name": "b", "url": "http://127.0.0.1:${ports[b]}"}]}
JSON
# A client writing to the shop on node a all along (a sign-in writes a session): the longest
# stretch of refused (503) writes it saw, until the shop is gone from node a (404).
echo "probe-pass-123" | DATA_DIR="$work/a" "$binary" user create --tenant load1 --email probe@move.example --role customer --password-stdin >/dev/null
python3 - "${ports[a]}" > "$work/probe.txt" <<'PY' &
import http.client, json, sys, time
port = int(sys.argv[1]); refused_since = None; longest = 0.0; refused = 0; done = 0
body = json.dumps({"email": "probe@move.example", "password": "probe-pass-123"})
while True:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("POST", "/api/v1/auth/login", body, {"X-Tenant-ID": "load1", "Content-Type": "application/json"})
    status = connection.getresponse().status; connection.close(); now = time.monotonic()
    if status == 503:
        refused += 1; refused_since = refused_since or now
    elif status == 404:
        break
    else:
        done += 1
        if refused_since: longest = max(longest, now - refused_since); refused_since = None
    time.sleep(0.01)
if refused_since: longest = max(longest, time.monotonic() - refused_since)
print(f"probe: {done} writes went through on node a, {refused} refused with 503; writes refused for {longest * 1000:.0f} ms until the shop left node a")
PY
probe=$!
sleep 2
echo "==> emporium fleet move load1 --to b"
echo "move-operator-pass" | "$binary" fleet move load1 --to b --fleet "$work/fleet.json" --operator-email ops@move.example --password-stdin --retire-after 0
wait "$probe" || true
cat "$work/probe.txt"
echo "==> on node b: $(curl -fsS -H 'X-Tenant-ID: load1' "http://127.0.0.1:${ports[b]}/api/v1/products?limit=1" \
    | python3 -c 'import sys, json; print(json.load(sys.stdin)["data"]["pagination"]["total"])') products listed"
