#!/usr/bin/env bash
# Install test of the .deb, run as root on a machine without a running systemd (CI):
# install, check files/owners/modes, run the installed binary as user emporium with the installed
# env files, create a shop, place an order, check /health, stop with SIGTERM; upgrade to a higher
# version and check data and secrets survived; purge and check everything is gone.
#   packaging/deb/test-install.sh dist/emporium_A_amd64.deb dist/emporium_B_amd64.deb
set -euo pipefail
first=$1
second=$2
passed=0
fail() { echo "FAIL: $*" >&2; echo "install-test: $passed passed, 1 failed"; exit 1; }
check() { local what=$1 expected=$2 actual=$3; [ "$expected" = "$actual" ] || fail "$what: expected '$expected', got '$actual'"; echo "ok: $what = $actual"; passed=$((passed + 1)); }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
metrics_port=$(free_port)
# Runs a command as user emporium with the installed env files, the way the unit does. setpriv
# and sh exec in place, so when started as `(exec as_emporium_exec …) &`, $! is the binary itself.
as_emporium_exec() {
    exec setpriv --reuid emporium --regid emporium --init-groups --reset-env -- \
        sh -c 'set -a; . /etc/emporium/emporium.env; . /etc/emporium/secrets.env; set +a; HOST=127.0.0.1 PORT='"$port"' METRICS_PORT='"$metrics_port"' exec "$@"' sh "$@"
}
as_emporium() { (as_emporium_exec "$@"); }
api() { # METHOD PATH [BODY] [TOKEN]
    curl -sS -X "$1" -H 'Content-Type: application/json' -H 'X-Tenant-ID: shop' ${4:+-H "Authorization: Bearer $4"} \
        ${3:+-d "$3"} "http://127.0.0.1:$port/api/v1$2"
}
json() { python3 -c "import sys, json; d = json.load(sys.stdin); print($1)"; }
start_server() {
    (as_emporium_exec /usr/bin/emporium serve > /tmp/emporium-install-test.log 2>&1) &
    server=$!
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && return 0; sleep 0.1; done
    cat /tmp/emporium-install-test.log; fail "server did not become ready"
}
stop_server() {
    kill -TERM "$server"
    local status=0
    timeout 10 tail --pid="$server" -f /dev/null || fail "server still running 10 s after SIGTERM"
    wait "$server" || status=$?
    check "exit status after SIGTERM" 0 "$status"
}

echo "== install $first"
dpkg -i "$first"
check "binary mode/owner" "755 root:root" "$(stat -c '%a %U:%G' /usr/bin/emporium)"
check "env file is a conffile" "/etc/emporium/emporium.env" "$(dpkg-query -W -f='${Conffiles}' emporium | awk 'NF { print $1 }')"
check "secrets mode/owner" "640 root:emporium" "$(stat -c '%a %U:%G' /etc/emporium/secrets.env)"
check "data dir mode/owner" "750 emporium:emporium" "$(stat -c '%a %U:%G' /var/lib/emporium)"
check "log dir mode/owner" "750 emporium:emporium" "$(stat -c '%a %U:%G' /var/log/emporium)"
for file in /lib/systemd/system/emporium.service /usr/share/doc/emporium/copyright /usr/share/doc/emporium/changelog.gz /usr/share/man/man1/emporium.1.gz; do
    [ -f "$file" ] || fail "missing $file"
done
grep -q '^EMPORIUM_ENV=production' /etc/emporium/emporium.env || fail "env file is not in production mode"
grep -q '^HOST=0.0.0.0' /etc/emporium/emporium.env || fail "env file does not listen on 0.0.0.0"
grep -q '^METRICS_PORT=9464' /etc/emporium/emporium.env || fail "env file does not serve /metrics on a loopback listener"
echo "ok: $(/usr/bin/emporium version)"
check "shared Swift libraries the binary needs" 0 "$(ldd /usr/bin/emporium | grep -ci swift || true)"
secrets_before=$(sha256sum /etc/emporium/secrets.env)

echo "== run as emporium: shop, owner, product, order, health"
as_emporium /usr/bin/emporium tenant create --name Shop --subdomain shop >/dev/null
echo "owner-password-1" | as_emporium /usr/bin/emporium user create --tenant shop --email owner@shop.example --role owner --password-stdin
start_server
token=$(api POST /auth/login '{"email":"owner@shop.example","password":"owner-password-1"}' | json 'd["data"]["accessToken"]')
product=$(api POST /products '{"name":"Packaged teapot","sku":"PKG-1","price":19.99,"status":"active","stock":5}' "$token" | json 'd["data"]["id"]')
order=$(api POST /orders "{\"items\":[{\"productId\":\"$product\",\"quantity\":3}]}" "$token" | json 'd["data"]["total"]')
check "order total" "59.97" "$order"
check "/health status" "healthy" "$(curl -fsS "http://127.0.0.1:$port/health" | json 'd["status"]')"
check "/metrics on the public listener without METRICS_TOKEN" "403" "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/metrics")"
check "/metrics on the loopback metrics listener" "200" "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$metrics_port/metrics")"
check "shop file mode (owner only)" "600" "$(stat -c '%a' /var/lib/emporium/tenants/*.sqlite | sort -u)"
stop_server

echo "== upgrade to $second"
dpkg -i "$second"
check "secrets unchanged by the upgrade" "$secrets_before" "$(sha256sum /etc/emporium/secrets.env)"
as_emporium /usr/bin/emporium migrate
start_server
token=$(api POST /auth/login '{"email":"owner@shop.example","password":"owner-password-1"}' | json 'd["data"]["accessToken"]')
check "orders after upgrade" "1" "$(api GET /orders '' "$token" | json 'd["data"]["pagination"]["total"]')"
stop_server

echo "== remove keeps data, purge removes everything"
dpkg -r emporium
[ -d /var/lib/emporium/tenants ] || fail "remove deleted the data"
[ -f /etc/emporium/secrets.env ] || fail "remove deleted the secrets"
dpkg --purge emporium
for path in /etc/emporium /var/lib/emporium /var/log/emporium /usr/bin/emporium; do
    [ ! -e "$path" ] || fail "purge left $path"
done
getent passwd emporium >/dev/null && fail "purge left the emporium user"
echo "install-test: $passed passed, 0 failed"
