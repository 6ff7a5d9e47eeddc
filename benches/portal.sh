#!/usr/bin/env bash
# HTTP benchmark of the public portal (issue 9 budget: a published article page and the home page each
# at least 3,000 requests/s on 2 cores with 64 connections, p99 under 30 ms), on the demo database (the
# article of 27/02/2020 with its two photos and comments). /healthz is measured in the same run as the
# baseline; anonymous requests are served from the page cache, and a signed-in-like request (a cookie
# that is not a session: rendered every time) shows the cost of rendering.
# Needs: wrk (Debian package `wrk`). Builds the release binary first.
# Usage: benches/portal.sh [duration, default 10s]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10s}"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
cargo build --release --locked -q
bin=target/release/tiendo
work=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

"$bin" demo --no-serve --data-dir "$work/demo" >/dev/null 2>&1
RUST_LOG=warn "$bin" serve --data-dir "$work/demo" --listen "127.0.0.1:$port" >"$work/log" 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.05; done
article=/news/so-khcn-lam-viec-voi-thi-xa-quang-yen-va-thanh-pho-ha-long
curl -sf "http://127.0.0.1:$port$article" >/dev/null

run_wrk() {
  local path="$1"; shift
  wrk -t2 -c64 -d"$duration" --latency "$@" "http://127.0.0.1:$port$path" | awk '
    /Requests\/sec/ {rps=$2}
    /^ +99%/ {p99=$2}
    /^ +50%/ {p50=$2}
    /Non-2xx/ {bad=$NF}
    END {printf "%s %s %s %s\n", rps, p50, p99, (bad == "" ? 0 : bad)}'
}
read -r base_rps base_p50 base_p99 _ < <(run_wrk /healthz)
read -r home_rps home_p50 home_p99 home_bad < <(run_wrk /)
read -r art_rps art_p50 art_p99 art_bad < <(run_wrk "$article")
read -r fresh_rps fresh_p50 fresh_p99 _ < <(run_wrk "$article?fresh=1")
read -r etag_rps etag_p50 etag_p99 _ < <(run_wrk "$article" -H "If-None-Match: $(curl -sI "http://127.0.0.1:$port$article" | awk 'tolower($1)=="etag:" {print $2" "$3}' | tr -d '\r')")

echo "machine:            $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m)"
echo "GET /healthz:       ${base_rps} req/s, p50 ${base_p50}, p99 ${base_p99} (baseline)"
echo "GET / (home):       ${home_rps} req/s, p50 ${home_p50}, p99 ${home_p99}, non-2xx ${home_bad} (budget 3000 req/s, p99 < 30 ms)"
echo "GET article:        ${art_rps} req/s, p50 ${art_p50}, p99 ${art_p99}, non-2xx ${art_bad} (budget 3000 req/s, p99 < 30 ms)"
echo "GET article, 304:   ${etag_rps} req/s, p50 ${etag_p50}, p99 ${etag_p99} (If-None-Match)"
echo "GET article, fresh: ${fresh_rps} req/s, p50 ${fresh_p50}, p99 ${fresh_p99} (not cached: rendered each time)"
python3 -c "print(f'article/baseline:   {float(\"$art_rps\")/float(\"$base_rps\"):.2f}; home/baseline {float(\"$home_rps\")/float(\"$base_rps\"):.2f}; fresh/cached {float(\"$fresh_rps\")/float(\"$art_rps\"):.2f}')"
