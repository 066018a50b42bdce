#!/usr/bin/env bash
# Memory of the streamed sales report: writes LINES order lines (100 per paid order) straight into
# a fresh shop's file, then downloads /analytics/reports/sales.csv and prints the server's peak RSS
# (VmHWM) before and after, the bytes and lines received, and the time taken.
#   Tests/Load/csv-export.sh [BINARY]            LINES=100000 by default; try LINES=1000000
# Needs sqlite3, curl, python3. Results: docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=$(realpath "${1:-.build/release/emporium}")
lines=${LINES:-100000}
orders=$(( (lines + 99) / 100 ))
work=$(mktemp -d /tmp/emporium-csv.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export DATA_DIR="$work/data" PORT="$port" HOST=127.0.0.1 EMPORIUM_ENV=test BCRYPT_COST=4 LOG_LEVEL=warning
shop=$("$binary" tenant create --name Big --subdomain big | python3 -c 'import sys, json; print(json.load(sys.stdin)["id"])')
echo "owner-pass-123" | "$binary" user create --tenant big --email owner@big.example --password-stdin --role owner >/dev/null
sqlite3 "$DATA_DIR/tenants/$shop.sqlite" ".parameter set :orders $orders" ".read Tests/Load/sales-lines.sql" >/dev/null
"$binary" serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.1; done
base="http://127.0.0.1:$port/api/v1"
token=$(curl -fsS -H 'X-Tenant-ID: big' -H 'Content-Type: application/json' -d '{"email":"owner@big.example","password":"owner-pass-123"}' \
    "$base/auth/login" | python3 -c 'import sys, json; print(json.load(sys.stdin)["data"]["accessToken"])')
# Warm up: one small report, so the baseline includes the code paths and the open shop file.
curl -fsS -H 'X-Tenant-ID: big' -H "Authorization: Bearer $token" "$base/analytics/reports/sales.csv?from=2000-01-01&to=2000-01-02" >/dev/null
hwm() { awk '/VmHWM/ { print $2 }' "/proc/$server/status"; }
before=$(hwm)
start=$(date +%s.%N)
curl -fsS -H 'X-Tenant-ID: big' -H "Authorization: Bearer $token" "$base/analytics/reports/sales.csv" -o "$work/sales.csv"
end=$(date +%s.%N)
after=$(hwm)
received=$(( $(wc -l <"$work/sales.csv") - 1 ))
printf 'lines written %d, received %d (%s bytes) in %.1f s\n' "$lines" "$received" "$(stat -c %s "$work/sales.csv")" "$(echo "$end - $start" | bc)"
printf 'server peak RSS before %d KiB, after %d KiB (+%d KiB)\n' "$before" "$after" "$((after - before))"
[ "$received" -eq "$(( orders * 100 ))" ]
