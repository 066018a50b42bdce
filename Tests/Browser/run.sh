#!/usr/bin/env bash
# Browser tests: the real binary serves `serve --demo`, headless Chromium (Debian's chromium +
# chromium-driver, driven by python3-selenium) uses the storefront and the admin panel like a
# person would. Screenshots of every page go to $TEST_OUTPUT/browser (default test-output/browser).
#   Tests/Browser/run.sh [path/to/emporium]        (default .build/debug/emporium)
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=$(realpath "${1:-.build/debug/emporium}")
output=$(realpath -m "${TEST_OUTPUT:-test-output}/browser")
rm -rf "$output" && mkdir -p "$output"
work=$(mktemp -d /tmp/emporium-browser.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; cp "$work/server.log" "$output/" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# Access tokens live 20 s, so the pages must refresh them silently during the run (one step waits for it).
export DATA_DIR="$work/data" PORT="$port" HOST=127.0.0.1 EMPORIUM_ENV=test BCRYPT_COST=4 LOG_LEVEL=warning JWT_EXPIRES_IN=20s \
    CLIENT_RATE_LIMIT_MAX_REQUESTS=100000 USER_RATE_LIMIT_MAX_REQUESTS=100000
"$binary" serve --demo >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null || { echo "the server did not become ready"; tail -20 "$work/server.log"; exit 1; }
# axe-core for the accessibility step, from PyPI's axe-selenium-python (installed by .ci/run).
AXE_JS=$(python3 -c 'import axe_selenium_python, os; print(os.path.join(os.path.dirname(axe_selenium_python.__file__), "node_modules", "axe-core", "axe.min.js"))' 2>/dev/null || true)
export AXE_JS
# Debian's python3-selenium belongs to the system interpreter, whatever python3 is first on PATH.
/usr/bin/python3 Tests/Browser/browser_test.py "http://127.0.0.1:$port" "$output"
