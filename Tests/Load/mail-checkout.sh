#!/usr/bin/env bash
# Checkout with mail on against mail off (issue 37): the load harness's order scenario (every order
# writes its confirmation to the outbox in the same transaction, and the worker sends it while the
# load runs) with MAIL_URL unset, pointing at a real SMTP server on loopback (aiosmtpd), and pointing
# at a dead one that accepts connections and never answers (Tests/Mail/blackhole.py). Rounds
# alternate so the machine's drift shows; each prints the harness's order lines.
#
#   BINARY=.build/release/emporium ROUNDS=2 Tests/Load/mail-checkout.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export BINARY=$(realpath "${BINARY:-.build/release/emporium}")
rounds=${ROUNDS:-2}
work=$(mktemp -d /tmp/emporium-mailcheckout.XXXXXX)
helper=""
cleanup() { [ -n "$helper" ] && kill "$helper" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
# Starts a helper server in this shell (so it can be stopped) and sets $port to where it listens.
start() {
    : >"$work/helper.log"
    "$@" >"$work/helper.log" 2>&1 &
    helper=$!
    for _ in $(seq 1 100); do grep -q listening "$work/helper.log" 2>/dev/null && break; sleep 0.1; done
    port=$(sed -n 's/listening //p' "$work/helper.log")
}
stop() { kill "$helper" 2>/dev/null; wait "$helper" 2>/dev/null || true; helper=""; }
run() {
    echo "==> mail $1"
    SCENARIOS=order Tests/Load/run.sh 2>&1 | sed -n '/==> order/,$p'
}
for round in $(seq 1 "$rounds"); do
    echo "#### round $round"
    (unset MAIL_URL MAIL_FROM; run off)
    start python3 Tests/Mail/smtp_sink.py "$work/out-$round" --lifetime 600
    MAIL_URL="smtp://127.0.0.1:$port" MAIL_FROM=shop@load.example run "on (aiosmtpd on loopback)"
    echo "   delivered to the sink during the run: $(find "$work/out-$round" -name '*.eml' | wc -l) messages"
    stop
    start python3 Tests/Mail/blackhole.py --lifetime 600
    MAIL_URL="smtp://127.0.0.1:$port" MAIL_FROM=shop@load.example run "to a dead server (accepts, never answers)"
    stop
done
