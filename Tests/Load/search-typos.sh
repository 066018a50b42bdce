#!/usr/bin/env bash
# Search that forgives (issue 38): times the first (uncached) answer of exact searches and of
# misspelt ones at 100,000 products of the load catalog; a misspelt search finds nothing, so it
# goes through SearchCorrection (the vocabulary range of its first letter) and answers a
# suggestion. Usage: Tests/Load/search-typos.sh [BINARY]. Needs sqlite3, curl, bc, python3.
set -euo pipefail
BINARY=${1:-.build/debug/emporium}
export DATA_DIR=$(mktemp -d) PORT=3917 HOST=127.0.0.1 LOG_LEVEL=error BCRYPT_COST=4
"$BINARY" migrate >/dev/null
"$BINARY" tenant create --name Load --subdomain load1 >/dev/null
id=$(sqlite3 "$DATA_DIR/system.sqlite" "SELECT id FROM tenants WHERE subdomain = 'load1'")
sqlite3 "$DATA_DIR/tenants/$id.sqlite" ".parameter set :count 100000" ".read Tests/Load/seed.sql"
"$BINARY" serve >/dev/null 2>&1 & pid=$!
trap 'kill $pid; rm -rf "$DATA_DIR"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/health/live" >/dev/null && break; sleep 0.2; done
time_it() { curl -s -o /dev/null -w "%{time_total}" -H "X-Tenant-ID: load1" "http://127.0.0.1:$PORT/api/v1/products?search=$1&limit=20"; }
for pair in "copper:coppr" "teapot:tepot" "kettle:ketlte" "blanket:blankte" "backpack:backpakc" "12345:12345x"; do
    exact=${pair%%:*}; typo=${pair##*:}
    # first (cold) request of each; the answer is cached after it
    e=$(time_it "$exact"); t=$(time_it "$typo")
    s=$(curl -s -H "X-Tenant-ID: load1" "http://127.0.0.1:$PORT/api/v1/products?search=$typo&limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"].get("suggestion"))')
    printf '%-10s %6.1f ms   %-10s %6.1f ms  -> %s\n' "$exact" "$(echo "$e*1000" | bc)" "$typo" "$(echo "$t*1000" | bc)" "$s"
done
