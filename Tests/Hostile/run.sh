#!/usr/bin/env bash
# The hostile classes of issue "Hostile callers, round two" against the real binary, each finding
# its class by itself: slow readers (memory and the write deadline), heavy pictures (decode cost,
# per-shop queue, fairness between shops) and expensive queries (the query budget). The look-alike
# class runs in the boundary stage (Tests/Boundary), which sends its values into every field.
#   Tests/Hostile/run.sh [path/to/emporium]        (default .build/debug/emporium)
# Needs sqlite3, curl, python3 and vips (Debian's libvips-tools) to draw the pictures.
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=$(realpath "${1:-.build/debug/emporium}")
. Tests/Support/test-server.sh hostile
status=0

# A shop with a sales report of 400,000 lines (4,000 paid orders of 100 lines), written straight
# into its file (Tests/Load/sales-lines.sql, as csv-export.sh does); a second shop for the
# pictures; the demo shop.
big=$("$binary" tenant create --name Big --subdomain big | field '["id"]')
echo "owner-pass-123" | "$binary" user create --tenant big --email owner@big.example --password-stdin --role owner >/dev/null
"$binary" tenant create --name Spare --subdomain spare >/dev/null
echo "owner-pass-123" | "$binary" user create --tenant spare --email owner@spare.example --password-stdin --role owner >/dev/null
sqlite3 "$DATA_DIR/tenants/$big.sqlite" ".parameter set :orders 4000" ".read Tests/Load/sales-lines.sql" >/dev/null
# 100,000 products: every one of them matches the search "e" ("… every day").
sqlite3 "$DATA_DIR/tenants/$big.sqlite" ".parameter set :count 100000" ".read Tests/Load/seed.sql" >/dev/null
# The pictures: the heaviest accepted (interlaced 8-bit RGB just under the 160 MB decode price,
# 77 KB on the wire) and the one the review sent (interlaced 16-bit RGBA, 40 MP, 311 KB).
vips black "$work/heavy.v" 6000 4400 --bands 3 && vips copy "$work/heavy.v" "$work/heavy.png[interlace]"
vips black "$work/r.v" 7000 5700 --bands 4 && vips cast "$work/r.v" "$work/r16.v" ushort
vips copy "$work/r16.v" "$work/r16i.v" --interpretation rgb16 && vips copy "$work/r16i.v" "$work/refused.png[interlace,bitdepth=16]"
rm -f "$work"/*.v

echo "== slow readers and heavy pictures (WRITE_TIMEOUT=5s)"
WRITE_TIMEOUT=5s start_server "$binary" --demo
token=$(login big owner@big.example owner-pass-123)
python3 Tests/Hostile/slow_readers.py "$port" "$server" "$token" 5 || status=1
demo_owner=$(login demo owner@demo.example demo-owner-pass)
spare_owner=$(login spare owner@spare.example owner-pass-123)
demo_product=$(curl -fsS -H 'X-Tenant-ID: demo' "$base/api/v1/products?limit=1" | field '["data"]["products"][0]["id"]')
spare_product=$(curl -fsS -H 'X-Tenant-ID: spare' -H 'Content-Type: application/json' -H "Authorization: Bearer $spare_owner" \
    -d '{"name":"Spare part","sku":"SPARE-1","price":5,"stock":3}' "$base/api/v1/products" | field '["data"]["id"]')
python3 Tests/Hostile/heavy_pictures.py "$port" "$server" "$demo_owner" "$demo_product" "$spare_owner" "$spare_product" \
    "$work/heavy.png" Tests/Support/images/badge.png "$work/refused.png" || status=1
kill -0 "$server" 2>/dev/null || { echo "the server died"; tail -20 "$work/server.log"; exit 1; }
kill "$server"; wait "$server" 2>/dev/null || true; server=""

echo "== expensive queries (QUERY_BUDGET_MS=60)"
QUERY_BUDGET_MS=60 start_server "$binary" --demo
python3 Tests/Hostile/query_budget.py "$port" "$work/server.log" || status=1
kill -0 "$server" 2>/dev/null || { echo "the server died"; tail -20 "$work/server.log"; exit 1; }
exit "$status"
