#!/usr/bin/env bash
# Release build time from scratch (an empty target directory), so that growth of the dependency tree
# stays visible. Usage: benches/build-time.sh
set -euo pipefail
cd "$(dirname "$0")/.."
target=$(mktemp -d)
trap 'rm -rf "$target"' EXIT
cargo fetch --locked -q
start=$(date +%s)
CARGO_TARGET_DIR="$target" cargo build --release --locked -q
end=$(date +%s)
echo "machine: $(nproc) cores, $(uname -m); rustc $(rustc --version | cut -d' ' -f2)"
echo "release build from scratch: $((end - start)) s; binary $(du -h "$target/release/tiendo" | cut -f1)"
echo "crates compiled: $(ls "$target/release/deps" | grep -c '\.rlib$') rlibs"
