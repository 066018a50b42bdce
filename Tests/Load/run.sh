#!/usr/bin/env bash
# Load harness (issue "Load, fault and fuzz testing"): starts the release binary on a fresh data
# directory with a generated catalog and drives it with wrk, printing throughput, p50/p99/p99.9 and
# each scenario's rate as a share of the /health/live ceiling measured in the same run, plus start
# to ready, peak RSS and open descriptors. Results and the exact commands: docs/performance.md.
#
#   Tests/Load/run.sh                       1 shop × 10,000 products, 64 connections, 10 s per scenario
#   SCENARIOS="health product page home" Tests/Load/run.sh   the storefront's pages against the API's product and the ceiling
#   PRODUCTS=100000 Tests/Load/run.sh       search and listing over 100,000 products
#   TENANTS=100 Tests/Load/run.sh           100 shops; listings rotate over them
#   TENANTS=1000 SCENARIOS=list Tests/Load/run.sh   1,000 shops opened in turn (RSS under the LRU bound)
#   TENANTS=4 SCENARIOS="order shops-order" Tests/Load/run.sh   checkout in one shop, then in 4 shops at once
#   TENANTS=10000 SCENARIOS="health shops" Tests/Load/run.sh   10,000 shops in random order; first requests to cold shops timed,
#                                           under that load and at fixed rates (cold-rate.py)
#   SCENARIOS="health media" PICTURE=photo.jpg Tests/Load/run.sh   upload PICTURE to 20 products (timed), then serve renditions
#   SCENARIOS=order DURATION=100 KEEP_DATA=/tmp/big Tests/Load/run.sh   a shop of 10,000 products and ~100,000 orders, kept
#
# Settings: BINARY (default: swift build -c release), PRODUCTS, TENANTS, CONNECTIONS, THREADS,
# DURATION (seconds), SCENARIOS (space-separated), CUSTOMERS, PICTURE, COLD_RATES and COLD_SECONDS (with
# 1,000 shops or more: first requests to cold shops per second, and seconds at each). Needs wrk, sqlite3, curl, python3.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
products=${PRODUCTS:-10000}
tenants=${TENANTS:-1}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
duration=${DURATION:-10}
customers=${CUSTOMERS:-200}
scenarios=${SCENARIOS:-"health list search product login order mixed"}

if [ -z "${BINARY:-}" ]; then
    echo "==> swift build -c release --product emporium"
    swift build -c release --product emporium >/dev/null
    BINARY="$(swift build -c release --show-bin-path)/emporium"
fi
work=$(mktemp -d /tmp/emporium-load.XXXXXX)
export LOAD_WORK="$work"
server=""
# KEEP_LOG=path keeps the server's log (every request line, with its route and duration) after the run;
# KEEP_DATA=path keeps the data directory (shops, orders placed by the run), e.g. for fleet-move.sh.
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true
    [ -n "${KEEP_LOG:-}" ] && cp "$work/server.log" "$KEEP_LOG"
    [ -n "${KEEP_DATA:-}" ] && rm -rf "$KEEP_DATA" && cp -a "$work/data" "$KEEP_DATA"
    rm -rf "$work"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# Production-like: FULL durability, info-level JSON request logs on disk; limits out of the way.
export DATA_DIR="$work/data" PORT="$port" HOST=127.0.0.1 EMPORIUM_ENV=test LOG_LEVEL=${LOG_LEVEL:-info} DB_SYNCHRONOUS=${DB_SYNCHRONOUS:-FULL} \
    RATE_LIMIT_MAX_REQUESTS=1000000 TENANT_RATE_LIMIT_MAX_REQUESTS=100000000 \
    CLIENT_RATE_LIMIT_MAX_REQUESTS=100000000 USER_RATE_LIMIT_MAX_REQUESTS=100000000 BCRYPT_COST=${BCRYPT_COST:-10}

echo "==> data: $tenants shop(s), $products products in the first, $customers customers"
created=$(date +%s.%N)
"$BINARY" tenant create --name "Load 1" --subdomain load1 >/dev/null
first=$(sqlite3 "$DATA_DIR/system.sqlite" "SELECT id FROM tenants WHERE subdomain = 'load1'")
sqlite3 "$DATA_DIR/tenants/$first.sqlite" ".parameter set :count $products" ".read Tests/Load/seed.sql"
# Every other shop: created by the CLI and given 200 products, four at a time (10,000 shops take
# minutes; the CLI waits on the system database's lock while another creation commits).
if [ "$tenants" -gt 1 ]; then
    seq 2 "$tenants" | xargs -P 4 -I{} sh -c '
        id=$("$0" tenant create --name "Load {}" --subdomain "load{}" | sed -n "s/.*\"id\" *: *\"\([0-9a-f-]*\)\".*/\1/p")
        sqlite3 "$DATA_DIR/tenants/$id.sqlite" ".parameter set :count 200" ".read Tests/Load/seed.sql"' "$BINARY"
fi
echo "   created and seeded in $(python3 -c "print(round($(date +%s.%N) - $created, 1))") s"
# cold: shops no scenario touches before the `shops` scenario, whose first requests cold-shops.py
# times (1 in 10 shops, at most 500, from the oldest: long evicted when MAX_OPEN_TENANTS < TENANTS).
# rated: shops no scenario ever touches, for cold-rate.py's open-loop rates after the scenarios
# (COLD_SECONDS at each of COLD_RATES per second; at most 3 in 10 shops).
cold=$(( tenants / 10 < 500 ? tenants / 10 : 500 ))
cold_rates=${COLD_RATES:-"50 100 150 200 250"}
cold_seconds=${COLD_SECONDS:-3}
rated=$(( $(echo "$cold_rates" | tr ' ' '+') ))
rated=$(( rated * cold_seconds < tenants * 3 / 10 ? rated * cold_seconds : tenants * 3 / 10 ))
[ "$tenants" -ge 1000 ] || rated=0
for index in $(seq 1 "$tenants"); do
    if [ "$index" -gt 1 ] && [ "$index" -le $(( cold + 1 )) ]; then echo "load$index" >> "$work/cold.txt"
    elif [ "$index" -gt $(( cold + 1 )) ] && [ "$index" -le $(( cold + 1 + rated )) ]; then echo "load$index" >> "$work/rated.txt"
    else echo "load$index" >> "$work/tenants.txt"; fi
done
sqlite3 "$DATA_DIR/tenants/$first.sqlite" "SELECT id FROM products ORDER BY random() LIMIT 2000" > "$work/ids.txt"
sqlite3 "$DATA_DIR/tenants/$first.sqlite" "SELECT slug FROM products WHERE status = 'active' AND deleted_at IS NULL ORDER BY random() LIMIT 2000" > "$work/slugs.txt"

echo "==> start the server ($BINARY)"
started=$(date +%s.%N)
"$BINARY" serve >"$work/server.log" 2>&1 &
server=$!
# soak.sh samples the server from outside through this file.
[ -n "${PIDFILE:-}" ] && echo "$server" > "$PIDFILE"
until curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do
    kill -0 "$server" 2>/dev/null || { tail -20 "$work/server.log"; exit 1; }
    sleep 0.005
done
ready=$(python3 -c "print(round(($(date +%s.%N) - $started) * 1000))")
echo "start to ready: ${ready} ms"

register() { # shop, index → access token
    curl -fsS -H "X-Tenant-ID: $1" -H 'Content-Type: application/json' \
        -d "{\"email\":\"c$2@load.example\",\"password\":\"load-customer-pass\",\"firstName\":\"C\",\"lastName\":\"$2\"}" \
        "http://127.0.0.1:$port/api/v1/auth/register" | python3 -c 'import sys, json; print(json.load(sys.stdin)["data"]["accessToken"])'
}
for index in $(seq 1 "$customers"); do
    register load1 "$index" >> "$work/tokens.txt"
    echo "c$index@load.example" >> "$work/emails.txt"
done
# shops-order: buyers of every shop (up to 8) order that shop's products at once, one line per
# request "shop token product" (the first shop reuses its customers above).
if [[ " $scenarios " == *" shops-order "* ]]; then
    writers=$(( tenants < 8 ? tenants : 8 ))
    : > "$work/shop-buyers.txt"
    for shop in $(seq 1 "$writers"); do
        id=$(sqlite3 "$DATA_DIR/system.sqlite" "SELECT id FROM tenants WHERE subdomain = 'load$shop'")
        sqlite3 "$DATA_DIR/tenants/$id.sqlite" "SELECT id FROM products ORDER BY random() LIMIT 200" > "$work/products-$shop.txt"
        if [ "$shop" = 1 ]; then head -25 "$work/tokens.txt" > "$work/tokens-1.txt"
        else for index in $(seq 1 25); do register "load$shop" "$index"; done > "$work/tokens-$shop.txt"; fi
        paste -d' ' <(shuf -r -n 2000 "$work/tokens-$shop.txt") <(shuf -r -n 2000 "$work/products-$shop.txt") | sed "s/^/load$shop /" >> "$work/shop-buyers.txt"
    done
    shuf "$work/shop-buyers.txt" -o "$work/shop-buyers.txt"
    echo "==> shops-order: $writers shop(s) take orders at once"
fi

# media: an owner uploads PICTURE to 20 products (each upload timed: sniff, header check, three
# resizes, one transaction), then the scenario fetches their 480 px renditions. `Expect:` is sent
# empty: curl's default `Expect: 100-continue` would add its own one-second wait to each upload.
if [[ " $scenarios " == *" media "* ]]; then
    picture=${PICTURE:-Tests/Support/images/photo-rotated.jpg}
    echo "load-owner-pass" | "$BINARY" user create --tenant load1 --email owner@load.example --role owner --password-stdin >/dev/null
    owner=$(curl -fsS -H 'X-Tenant-ID: load1' -H 'Content-Type: application/json' -d '{"email":"owner@load.example","password":"load-owner-pass"}' \
        "http://127.0.0.1:$port/api/v1/auth/login" | python3 -c 'import sys, json; print(json.load(sys.stdin)["data"]["accessToken"])')
    : > "$work/media.txt"; : > "$work/upload-ms.txt"
    rss_before=$(awk '/VmRSS/ { print $2 }' "/proc/$server/status")
    for product in $(head -20 "$work/ids.txt"); do
        curl -fsS -o "$work/upload.json" -w '%{time_total}\n' -H 'Expect:' -H 'X-Tenant-ID: load1' -H "Authorization: Bearer $owner" -H 'Content-Type: image/jpeg' \
            --data-binary @"$picture" "http://127.0.0.1:$port/api/v1/products/$product/images" >> "$work/upload-ms.txt"
        python3 -c 'import sys, json; print(json.load(open(sys.argv[1]))["data"]["renditions"][1]["url"])' "$work/upload.json" >> "$work/media.txt"
    done
    python3 - "$work/upload-ms.txt" "$(stat -c %s "$picture")" "$rss_before" "$(awk '/VmRSS/ { print $2 }' "/proc/$server/status")" <<'PY'
import statistics, sys
times = sorted(float(line) * 1000 for line in open(sys.argv[1]))
print(f"==> media: 20 uploads of {int(sys.argv[2]) // 1024} KiB: median {statistics.median(times):.0f} ms, slowest {times[-1]:.0f} ms; "
      f"RSS {int(sys.argv[3]) // 1024} → {int(sys.argv[4]) // 1024} MiB")
PY
fi

peak_rss() { awk '/VmHWM/ { print $2 }' "/proc/$server/status"; }
# "commits pages orders" from /metrics: the shops' writers and every order placed so far.
write_counters() {
    curl -fsS "http://127.0.0.1:$port/metrics" | awk '
        /^db_commits_total / { c = $2 } /^db_pages_written_total / { p = $2 } /^orders_created_total/ { o += $2 }
        END { printf "%d %d %d\n", c, p, o }'
}
fds() { ls "/proc/$server/fd" | wc -l; }
: > "$work/results.txt"
for scenario in $scenarios; do
    # Warm the caches and the shop files first (1 s), then measure.
    SCENARIO=$scenario wrk -t"$threads" -c"$connections" -d1s -s Tests/Load/scenario.lua "http://127.0.0.1:$port" >/dev/null 2>&1 || true
    echo "==> $scenario: wrk -t$threads -c$connections -d${duration}s"
    logged=$(wc -l < "$work/server.log")
    writes_before=$(write_counters)
    probe=""
    if [ "$scenario" = shops ] && [ -s "$work/cold.txt" ]; then
        # Under the load of this scenario, one first request after another to shops nobody asked yet.
        (sleep 1; python3 Tests/Load/cold-shops.py "$port" "$work/cold.txt" "$((duration - 2))") > "$work/cold-result.txt" 2>&1 &
        probe=$!
    fi
    SCENARIO=$scenario wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 10s -s Tests/Load/scenario.lua \
        "http://127.0.0.1:$port" | grep '^RESULT ' | sed 's/^RESULT //' >> "$work/results.txt"
    if [ -n "$probe" ]; then wait "$probe" || true; echo "   $(cat "$work/cold-result.txt")"; fi
    # Pages the shops' writers wrote per order placed in the measured run (db_pages_written_total
    # over orders_created_total), and orders per commit (group commit).
    python3 - "$writes_before" "$(write_counters)" <<'PY'
import sys
(c0, p0, o0), (c1, p1, o1) = (map(float, a.split()) for a in sys.argv[1:3])
if o1 > o0 and c1 > c0:  # a server without these counters prints nothing
    print(f"   writes: {p1 - p0:.0f} pages in {c1 - c0:.0f} commits for {o1 - o0:.0f} orders: "
          f"{(p1 - p0) / (o1 - o0):.1f} pages per order, {(o1 - o0) / max(c1 - c0, 1):.1f} orders per commit")
PY
    # The server's stall watchdog logs every executor tick that ran ≥ 50 ms late (StallWatchdog).
    stalls=$(tail -n +"$((logged + 1))" "$work/server.log" | grep -o '"stallMs":"[0-9]*"' | grep -o '[0-9]*' | sort -n | tr '\n' ' ' || true)
    echo "   rss peak $(peak_rss) KiB, open fds $(fds); stalls ≥ 50 ms: $(echo $stalls | wc -w)${stalls:+ (ms: $(echo $stalls | tr ' ' '\n' | tail -5 | tr '\n' ' '))}"
done

# With many shops: how many first requests to cold shops per second the server answers within 50 ms
# at p99, sent at fixed rates (open loop) with nothing else running.
if [ -s "$work/rated.txt" ]; then
    echo "==> cold shops at fixed rates: $cold_rates per second, ${cold_seconds} s each"
    python3 Tests/Load/cold-rate.py "$port" "$work/rated.txt" "$cold_rates" "$cold_seconds" | sed 's/^/   /'
fi

# With many shops: how long one page of the shop list takes, first, middle and last page, through
# the platform API (an operator's token) and through `emporium tenant list --page` (a whole process).
if [ "$tenants" -ge 1000 ]; then
    echo "load-operator-pass" | "$BINARY" operator create --email operator@load.example --password-stdin >/dev/null
    operator=$(curl -fsS -H 'Content-Type: application/json' -d '{"email":"operator@load.example","password":"load-operator-pass"}' \
        "http://127.0.0.1:$port/api/v1/platform/auth/login" | python3 -c 'import sys, json; print(json.load(sys.stdin)["data"]["accessToken"])')
    last=$(( (tenants + 99) / 100 ))
    for page in 1 $(( last / 2 )) "$last"; do
        api=$(curl -fsS -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $operator" \
            "http://127.0.0.1:$port/api/v1/platform/tenants?page=$page&limit=100")
        cli_started=$(date +%s.%N)
        "$BINARY" tenant list --page "$page" --limit 100 >/dev/null
        python3 -c "print(f'==> shop list page $page of $last: API {float($api) * 1000:.1f} ms, CLI (whole process) {($(date +%s.%N) - $cli_started) * 1000:.0f} ms')"
    done
fi

python3 - "$work/results.txt" "$(peak_rss)" "$(fds)" "$ready" "$products" "$tenants" "$connections" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
peak, fds, ready, products, tenants, connections = sys.argv[2:8]
ceiling = next((r["rps"] for r in rows if r["scenario"] == "health"), None)
print(f"\n{tenants} shop(s), {products} products, {connections} connections; start to ready {ready} ms; peak RSS {int(peak)//1024} MiB; open fds {fds}")
print(f"{'scenario':<10}{'req/s':>10}{'÷ ceiling':>11}{'p50 ms':>9}{'p99 ms':>9}{'p99.9 ms':>10}{'non-2xx':>9}{'sock err':>9}")
for r in rows:
    ratio = f"{r['rps'] / ceiling:.0%}" if ceiling else "-"
    print(f"{r['scenario']:<10}{r['rps']:>10.0f}{ratio:>11}{r['p50_ms']:>9.2f}{r['p99_ms']:>9.2f}{r['p999_ms']:>10.2f}{r['non2xx']:>9}{r['socket_errors']:>9}")
PY
