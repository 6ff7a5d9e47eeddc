#!/usr/bin/env bash
# The server's memory after search and address requests (issue 15 budget: ≤ 100 MB resident), on the demo:
#   - resident memory once the search index is built (the server rebuilds it at start);
#   - N searches through GET /api/v1/search (one-word, multi-word, abbreviation, symbol, typo queries, as the
#     public and as a signed-in officer's pages), then N address resolutions through
#     GET /api/v1/address/resolve (the address index is built on first use), each timed by curl;
#   - resident memory after each series, and at the end.
# Baseline in the same run: GET /healthz timed the same way.
# Builds the release binary first. Usage: benches/search.sh [N, default 500]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-500}"
cargo build --release --locked -q
bin=target/release/tiendo
work=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"

"$bin" demo --no-serve --data-dir "$work/d" >/dev/null 2>&1
RUST_LOG=warn "$bin" serve --data-dir "$work/d" --listen "127.0.0.1:$port" >"$work/log" 2>&1 &
pid=$!
until curl -sf "$base/readyz" 2>/dev/null | grep -q "search: ready"; do sleep 0.05; done
rss() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$pid/status"; }
sleep 1
rss_ready=$(rss)

# Times N requests to the URLs given (cycled), prints "p50 p99" in ms.
timed() {
  local urls=("$@") i
  for ((i = 0; i < n; i++)); do
    curl -s -o /dev/null -w '%{time_total}\n' "$base${urls[i % ${#urls[@]}]}"
  done | sort -n | awk '{a[NR]=$1} END {printf "%.2f %.2f\n", a[int(NR*0.5)]*1000, a[int(NR*0.99)]*1000}'
}
read -r h50 h99 < <(timed /healthz)
read -r s50 s99 < <(timed \
  "/api/v1/search?q=khoa" \
  "/api/v1/search?q=quang+yen" \
  "/api/v1/search?q=KH%26CN+ha+long" \
  "/api/v1/search?q=07-NQ%2FTU" \
  "/api/v1/search?q=nghi+quyeet" \
  "/search?q=khoa+hoc+cong+nghe" \
  "/api/v1/search?q=thuy+san&kind=article&facets=false")
rss_search=$(rss)
read -r a50 a99 < <(timed \
  "/api/v1/address/resolve?text=th%C3%B4n+3+x%C3%A3+Ho%C3%A0ng+T%C3%A2n+th%E1%BB%8B+x%C3%A3+Qu%E1%BA%A3ng+Y%C3%AAn" \
  "/api/v1/address/resolve?text=Phuong+Phuc+Xa+Quan+Ba+Dinh+Ha+Noi" \
  "/api/v1/address/resolve?text=x%C3%A3+Ho%C3%A0ng+Tn" \
  "/api/v1/address/resolve?text=P.+H%C3%A0+An%2C+TX+Qu%E1%BA%A3ng+Y%C3%AAn%2C+QN")
rss_address=$(rss)
sleep 2
rss_end=$(rss)

echo "machine:              $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "index:                $(curl -s "$base/readyz" | sed -n 2p), $(du -sh "$work/d/search" | cut -f1) on disk"
echo "GET /healthz:         p50 ${h50} ms, p99 ${h99} ms (baseline, n=$n, curl)"
echo "search:               p50 ${s50} ms, p99 ${s99} ms (n=$n)"
echo "address resolution:   p50 ${a50} ms, p99 ${a99} ms (n=$n)"
echo "RSS:                  ${rss_ready} MB with the index built; ${rss_search} MB after the searches; ${rss_address} MB after the addresses; ${rss_end} MB at the end (budget 100 MB)"
