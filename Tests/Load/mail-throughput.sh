#!/usr/bin/env bash
# Mail delivery throughput (issue 37): N messages waiting in one shop's outbox are delivered by the
# real binary to a real SMTP server on loopback (aiosmtpd, Tests/Mail/smtp_sink.py); prints the
# messages per second from the server being ready to the last message on the sink's disk, and the
# sink's own ceiling (Python's smtplib sending the same number straight to it) for comparison.
#
#   BINARY=.build/release/emporium MESSAGES=2000 Tests/Load/mail-throughput.sh
#   RECIPIENTS=1 …    every message to one address (delivered strictly in order); default: one each
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=$(realpath "${BINARY:-.build/release/emporium}")
messages=${MESSAGES:-2000}
recipients=${RECIPIENTS:-$messages}
work=$(mktemp -d /tmp/emporium-mail.XXXXXX)
sink=""; server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; [ -n "$sink" ] && kill "$sink" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
start_sink() {
    python3 Tests/Mail/smtp_sink.py "$1" --lifetime 600 >"$work/sink.log" 2>&1 &
    sink=$!
    for _ in $(seq 1 100); do grep -q listening "$work/sink.log" 2>/dev/null && break; sleep 0.1; done
    sink_port=$(sed -n 's/listening //p' "$work/sink.log")
}
count() { find "$1" -name '*.eml' | wc -l; }

echo "==> the sink's own ceiling: smtplib sends $messages messages on one connection"
start_sink "$work/direct"
python3 - "$sink_port" "$messages" <<'PY'
import smtplib, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
body = "Subject: ceiling\r\nMessage-ID: <x@example.com>\r\n\r\n" + "line of text\r\n" * 40
start = time.time()
with smtplib.SMTP("127.0.0.1", port) as smtp:
    for i in range(n):
        smtp.sendmail("shop@example.com", ["r%d@example.com" % i], body)
elapsed = time.time() - start
print("sink ceiling: %d messages in %.2f s = %.0f messages/s" % (n, elapsed, n / elapsed))
PY
kill "$sink"; wait "$sink" 2>/dev/null || true; sink=""

echo "==> $messages messages queued in one shop ($recipients recipient(s)), then emporium serve"
export DATA_DIR="$work/data" EMPORIUM_ENV=test LOG_LEVEL=warning BCRYPT_COST=4 HOST=127.0.0.1
export PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$binary" tenant create --name "Mail" --subdomain mailbench >/dev/null
shop=$(sqlite3 "$DATA_DIR/system.sqlite" "SELECT id FROM tenants WHERE subdomain = 'mailbench'")
python3 - "$DATA_DIR/tenants/$shop.sqlite" "$messages" "$recipients" <<'PY'
import sqlite3, sys, uuid, datetime
path, n, recipients = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
now = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M:%S.000")
db = sqlite3.connect(path)
db.executemany("INSERT INTO outbox (id, channel, topic, recipient, payload, next_attempt_at, created_at) VALUES (?, 'mail', 'mail.test', ?, '{}', ?, ?)",
               [(str(uuid.uuid4()), "r%d@example.com" % (i % recipients), now, now) for i in range(n)])
db.commit()
PY
start_sink "$work/out"
export MAIL_URL="smtp://127.0.0.1:$sink_port" MAIL_FROM="shop@example.com"
"$binary" serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break; sleep 0.05; done
started=$(date +%s.%N)
deadline=$(( $(date +%s) + 300 ))
while [ "$(count "$work/out")" -lt "$messages" ] && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.1; done
finished=$(date +%s.%N)
delivered=$(count "$work/out")
rss=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
python3 -c "import sys; n, a, b = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]); print('emporium: %d of %s messages delivered in %.2f s = %.0f messages/s' % (n, sys.argv[4], b - a, n / (b - a)))" \
    "$delivered" "$started" "$finished" "$messages"
echo "emporium peak RSS: $((rss / 1024)) MiB"
[ "$delivered" -eq "$messages" ]
