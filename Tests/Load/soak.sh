#!/usr/bin/env bash
# Soak (documented, not run in CI): mixed storefront load for SOAK_MINUTES (default 30) against a
# release binary, sampling RSS and open descriptors every minute; growth shows as a rising column.
#   BINARY=.build/release/emporium SOAK_MINUTES=30 Tests/Load/soak.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
minutes=${SOAK_MINUTES:-30}
export SCENARIOS=mixed DURATION=$((minutes * 60)) CONNECTIONS=${CONNECTIONS:-32}
# run.sh prints "rss peak … open fds …" once per scenario; for a soak we sample on the side.
export PIDFILE
PIDFILE=$(mktemp /tmp/emporium-soak-pid.XXXXXX)
: > "$PIDFILE"
Tests/Load/run.sh &
runner=$!
pid=""
for _ in $(seq 1 1200); do
    pid=$(cat "$PIDFILE")
    [ -n "$pid" ] && break
    sleep 0.5
done
# Sampling starts once the measured run begins (after data generation, customers and warm-up).
echo "minute  rss_kib  vmhwm_kib  open_fds"
for minute in $(seq 0 "$minutes"); do
    kill -0 "$pid" 2>/dev/null || break
    printf '%6d  %7s  %9s  %8s\n' "$minute" "$(awk '/VmRSS/ { print $2 }' "/proc/$pid/status")" \
        "$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")" "$(ls "/proc/$pid/fd" | wc -l)"
    sleep 60
done
wait "$runner"
