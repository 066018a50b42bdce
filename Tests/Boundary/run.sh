#!/usr/bin/env bash
# Boundary values against every parameter of every operation of the real binary (boundary.py):
# anonymous and as a customer, staff member, manager, owner and platform operator. Fails on any
# 5xx, any broken connection, or a process that stops answering.
#   Tests/Boundary/run.sh [path/to/emporium]        (default .build/debug/emporium)
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=$(realpath "${1:-.build/debug/emporium}")
. Tests/Support/test-server.sh boundary
# The sample e-mail of the sign-in bodies is the operator's: thousands of wrong passwords must not matter.
export LOGIN_MAX_ATTEMPTS=100
echo "boundary-operator-pass" | "$binary" operator create --email boundary@example.com --password-stdin >/dev/null
"$binary" tenant create --name "Spare" --subdomain spare >/dev/null
start_server "$binary" --demo
owner=$(login demo owner@demo.example demo-owner-pass)
for role in staff manager; do
    curl -fsS -H 'X-Tenant-ID: demo' -H 'Content-Type: application/json' -H "Authorization: Bearer $owner" \
        -d "{\"email\":\"$role@boundary.example\",\"password\":\"boundary-pass-1\",\"firstName\":\"B\",\"lastName\":\"$role\",\"role\":\"$role\"}" \
        "$base/api/v1/users" >/dev/null
done
# A webhook secret, so the Stripe webhook's signature check (not just "no Stripe here") meets every value.
curl -fsS -X PUT -H 'X-Tenant-ID: demo' -H 'Content-Type: application/json' -H "Authorization: Bearer $owner" \
    -d '{"value":"whsec_boundary_secret","encrypted":true}' "$base/api/v1/settings/payments.stripe.webhookSecret" >/dev/null
staff=$(login demo staff@boundary.example boundary-pass-1)
manager=$(login demo manager@boundary.example boundary-pass-1)
customer=$(login demo customer1@demo.example demo-customer-pass)
operator=$(curl -fsS -H 'Content-Type: application/json' -d '{"email":"boundary@example.com","password":"boundary-operator-pass"}' \
    "$base/api/v1/platform/auth/login" | field '["data"]["accessToken"]')
product=$(curl -fsS -H 'X-Tenant-ID: demo' "$base/api/v1/products?limit=1" | field '["data"]["products"][0]["id"]')
variant=$(curl -fsS -H 'X-Tenant-ID: demo' "$base/api/v1/products/$product" | field '["data"]["variants"][0]["id"]')
shop=$(curl -fsS -H 'X-Tenant-ID: demo' "$base/api/v1/shop" | field '["data"]["id"]')
image=$(curl -fsS -H 'X-Tenant-ID: demo' -H "Authorization: Bearer $owner" -H 'Content-Type: image/png' \
    --data-binary @Tests/Support/images/badge.png "$base/api/v1/products/$product/images" | field '["data"]["id"]')
category=$(curl -fsS -H 'X-Tenant-ID: demo' "$base/api/v1/categories" | field '["data"]["categories"][0]["id"]')
order=$(curl -fsS -H 'X-Tenant-ID: demo' -H "Authorization: Bearer $owner" "$base/api/v1/orders?limit=1" | field '["data"]["orders"][0]["id"]')
user=$(curl -fsS -H 'X-Tenant-ID: demo' -H "Authorization: Bearer $owner" "$base/api/v1/users?role=customer&limit=1" | field '["data"]["users"][0]["id"]')
spare=$(curl -fsS -H "Authorization: Bearer $operator" "$base/api/v1/platform/tenants?limit=100" \
    | python3 -c 'import sys, json; print([t["id"] for t in json.load(sys.stdin)["data"]["tenants"] if t["subdomain"] == "spare"][0])')
tokens=$(python3 -c 'import json, sys; print(json.dumps(dict(zip(["customer","staff","manager","owner","operator"], sys.argv[1:]))))' \
    "$customer" "$staff" "$manager" "$owner" "$operator")
ids=$(python3 -c 'import json, sys; print(json.dumps({"id": sys.argv[1], "productId": sys.argv[1], "categoryId": sys.argv[2], "orderId": sys.argv[3],
    "userId": sys.argv[4], "tenantId": sys.argv[5], "key": "boundary.setting", "variantId": sys.argv[6], "itemId": sys.argv[6],
    "shopId": sys.argv[7], "imageId": sys.argv[8], "file": "160.webp", "topic": "order.received"}))' \
    "$product" "$category" "$order" "$user" "$spare" "$variant" "$shop" "$image")
status=0
python3 Tests/Boundary/boundary.py "$base" Sources/EmporiumHTTP/OpenAPI/openapi.json "$tokens" "$ids" || status=$?
# The look-alike values the sweep sent, carried into printed documents and parsed there.
python3 Tests/Boundary/lookalike.py "$base" "$owner" "$customer" || status=1
# The server-rendered storefront: hostile slugs, queries and hosts on every page.
python3 Tests/Boundary/storefront.py "$base" || status=1
if grep -q '"level":"critical"' "$work/server.log"; then echo "critical log lines:"; grep '"level":"critical"' "$work/server.log" | head; status=1; fi
kill -0 "$server" 2>/dev/null || { echo "the server died"; tail -20 "$work/server.log"; exit 1; }
exit "$status"
