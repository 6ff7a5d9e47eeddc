#!/usr/bin/env bash
# HTTP benchmark of `tiendo serve` (issue 2 budgets):
#   - time from process start to the first answer of /healthz, on an existing (migrated) database;
#   - idle resident memory after start-up;
#   - the home page under `wrk -t2 -c64 -d10s`, with /healthz measured in the same run as the baseline.
# Needs: wrk (Debian package `wrk`). Builds the release binary first.
# Usage: benches/http.sh [duration, default 10s]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10s}"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
cargo build --release --locked -q
bin=target/release/tiendo
work=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

# An existing database: migrate once, then measure a cold start of `serve` on it.
"$bin" migrate --data-dir "$work" >/dev/null 2>&1
start_ns=$(date +%s%N)
RUST_LOG=warn "$bin" serve --data-dir "$work" --listen "127.0.0.1:$port" >"$work/log" 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.005; done
ready_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
sleep 1
rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)

run_wrk() {
  wrk -t2 -c64 -d"$duration" --latency "http://127.0.0.1:$port$1" | awk '
    /Requests\/sec/ {rps=$2}
    /^ +99%/ {p99=$2}
    /^ +50%/ {p50=$2}
    END {printf "%s %s %s\n", rps, p50, p99}'
}
read -r base_rps base_p50 base_p99 < <(run_wrk /healthz)
read -r home_rps home_p50 home_p99 < <(run_wrk /)
rss_after_kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)

echo "machine:          $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m)"
echo "ready after:      ${ready_ms} ms (budget 1000 ms)"
echo "idle RSS:         $((rss_kb / 1024)) MB (budget 60 MB); after load $((rss_after_kb / 1024)) MB"
echo "GET /healthz:     ${base_rps} req/s, p50 ${base_p50}, p99 ${base_p99} (baseline)"
echo "GET / (home):     ${home_rps} req/s, p50 ${home_p50}, p99 ${home_p99} (budget 5000 req/s, p99 < 20 ms)"
python3 -c "print(f'home/baseline:    {float(\"$home_rps\")/float(\"$base_rps\"):.2f} of the baseline throughput')"
