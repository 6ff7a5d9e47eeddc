#!/usr/bin/env bash
# The load test of issue 20: 200 generated users working a generated province for ten minutes through real
# `tiendo serve` processes (release build), once on SQLite with one instance and, when a PostgreSQL URL is
# given, once on PostgreSQL with two instances on one database. What it generates, the users' mix and the
# report: crates/tiendo/benches/load.rs. Figures: docs/benchmarks.md, section "Load".
# Usage: benches/load.sh [postgres://user:pass@host:port/db]
# Environment: LOAD_USERS (200), LOAD_SECONDS (600), LOAD_THINK_MS (5000), LOAD_INSTANCES.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --locked -p tiendo --bench load --no-run
echo "=== SQLite, one instance"
env -u TEST_DATABASE_URL cargo bench --locked -q -p tiendo --bench load
if [[ -n "${1:-}" ]]; then
  echo "=== PostgreSQL, two instances"
  TEST_DATABASE_URL="$1" cargo bench --locked -q -p tiendo --bench load
fi
