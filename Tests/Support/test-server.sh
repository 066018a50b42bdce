# Sourced by the stages that drive the real binary over HTTP (fuzz, boundary): a fresh data
# directory and free port, every request limit out of the way (these stages send tens of
# thousands of requests from one address), and a cleanup that stops the server on exit.
#   . Tests/Support/test-server.sh NAME     → $work, $port, $base, and the environment for the binary
#   start_server BINARY [serve args…]       → starts it in the background ($server) and waits for ready
#   field '["data"]["id"]' < JSON            → one value of a JSON answer
#   login SHOP EMAIL PASSWORD                → a shop bearer token
work=$(mktemp -d "/tmp/emporium-$1.XXXXXX")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export DATA_DIR="$work/data" PORT="$port" HOST=127.0.0.1 EMPORIUM_ENV=test BCRYPT_COST=4 LOG_LEVEL=warning \
    RATE_LIMIT_MAX_REQUESTS=1000000 TENANT_RATE_LIMIT_MAX_REQUESTS=100000000 \
    CLIENT_RATE_LIMIT_MAX_REQUESTS=100000000 USER_RATE_LIMIT_MAX_REQUESTS=100000000

start_server() {
    local binary=$1; shift
    "$binary" serve "$@" >"$work/server.log" 2>&1 &
    server=$!
    for _ in $(seq 1 200); do curl -fs "$base/health/ready" >/dev/null 2>&1 && return 0; sleep 0.1; done
    echo "the server did not become ready"; tail -20 "$work/server.log"; return 1
}

field() { python3 -c "import sys, json; print(json.load(sys.stdin)$1)"; }

login() {
    curl -fsS -H "X-Tenant-ID: $1" -H 'Content-Type: application/json' -d "{\"email\":\"$2\",\"password\":\"$3\"}" \
        "$base/api/v1/auth/login" | field '["data"]["accessToken"]'
}
