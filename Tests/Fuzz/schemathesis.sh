#!/usr/bin/env bash
# Fuzzes the real binary against its own OpenAPI document with schemathesis (PyPI):
# anonymous, as a shop owner, and as a platform operator. Fails on any 5xx and on any answer that
# does not conform to the document (status code, body schema, content type, headers).
#   Tests/Fuzz/schemathesis.sh [path/to/emporium]        (default .build/debug/emporium)
# EXAMPLES (default 10 per operation and phase) and SEED (default 1) make runs bounded and repeatable.
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=$(realpath "${1:-.build/debug/emporium}")
examples=${EXAMPLES:-10}
seed=${SEED:-1}
. Tests/Support/test-server.sh fuzz
echo "fuzz-operator-pass" | "$binary" operator create --email fuzz@example.com --password-stdin >/dev/null
start_server "$binary" --demo
token() { python3 -c 'import sys, json; print(json.load(sys.stdin)["data"]["accessToken"])'; }
owner=$(curl -fsS -H 'X-Tenant-ID: demo' -H 'Content-Type: application/json' \
    -d '{"email":"owner@demo.example","password":"demo-owner-pass"}' "$base/api/v1/auth/login" | token)
operator=$(curl -fsS -H 'Content-Type: application/json' -d '{"email":"fuzz@example.com","password":"fuzz-operator-pass"}' \
    "$base/api/v1/platform/auth/login" | token)

checks=not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance,response_headers_conformance
attempt() { # NAME, then schemathesis options
    local name=$1; shift
    # coverage: boundary values of every declared range and format; --mode all: valid and invalid
    # (negative) data in every phase. One worker: with two threads, CPython 3.11 failed inside the
    # tool itself ("AST constructor recursion depth mismatch", a KeyError in linecache) now and then.
    st run "$base/api/v1/openapi.json" --checks "$checks" --phases examples,coverage,fuzzing --mode all -n "$examples" --seed "$seed" \
        --request-timeout 10 --workers 1 --no-color "$@" 2>&1 | tee "$work/$name.txt" | sed -n '/= SUMMARY =/,$p'
    [ "${PIPESTATUS[0]}" -eq 0 ] && return 0
    sed -n '/= \(ERRORS\|FAILURES\) =/,/= SUMMARY =/p' "$work/$name.txt" | head -150
    return 1
}
run() { # NAME, then schemathesis options
    local name=$1; shift
    echo "== schemathesis: $name"
    attempt "$name" "$@" && return 0
    # A finding about the API (a FAILURES section) fails at once. Only an error of the tool itself
    # with no finding (ERRORS alone: seen once in CI as "Runtime Error" in the coverage phase, not
    # reproducible in four later runs) gets one more run, and the error above stays in the log.
    if grep -q '= FAILURES =' "$work/$name.txt" || ! grep -q '= ERRORS =' "$work/$name.txt"; then return 1; fi
    echo "== schemathesis: $name again (the tool itself failed, no finding about the API)"
    attempt "$name-again" "$@"
}
failed=0
run anonymous -H 'X-Tenant-ID: demo' || failed=1
# Signing out or changing the password would end the owner's token mid-run: those two are left out.
run shop-owner -H 'X-Tenant-ID: demo' -H "Authorization: Bearer $owner" --exclude-path-regex '^/api/v1/platform' \
    --exclude-path /api/v1/auth/logout --exclude-path /api/v1/auth/password || failed=1
run platform-operator -H "Authorization: Bearer $operator" --include-path-regex '^/api/v1/platform' || failed=1
if grep -q '"level":"critical"' "$work/server.log"; then echo "critical log lines:"; grep '"level":"critical"' "$work/server.log"; failed=1; fi
kill -0 "$server" 2>/dev/null || { echo "the server died during fuzzing"; cat "$work/server.log" | tail -20; exit 1; }
[ "$failed" -eq 0 ] && echo "fuzz: no server errors, every answer conforms to the OpenAPI document"
exit "$failed"
