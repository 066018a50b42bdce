#!/usr/bin/env bash
# Benchmark of issue "Hostile callers, round two", item 4: the demo shop's search latency alone and
# while six clients of a 100,000-product shop page through search=e&sort=-price (hostile-search.py).
#   Tests/Load/hostile-search.sh [BINARY]        PRODUCTS=100000 SECONDS=20 by default
# Production-like settings except the rate limits, raised so that each hostile client is paced by
# the script (10/s, the default per-client limit) rather than all six sharing one address's budget.
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=$(realpath "${1:-.build/release/emporium}")
. Tests/Support/test-server.sh hostile-search
export LOG_LEVEL=info BCRYPT_COST=10 DB_SYNCHRONOUS=FULL
big=$("$binary" tenant create --name Big --subdomain big | python3 -c 'import sys, json; print(json.load(sys.stdin)["id"])')
sqlite3 "$DATA_DIR/tenants/$big.sqlite" ".parameter set :count ${PRODUCTS:-100000}" ".read Tests/Load/seed.sql" >/dev/null
start_server "$binary" --demo
python3 Tests/Load/hostile-search.py "$port" "${SECONDS_MEASURED:-20}"
