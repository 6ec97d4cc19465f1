#!/usr/bin/env bash
# What shared state costs: the MCP read benchmark (mcp-http) and the write benchmark (mcp-writes) run on the default
# storage (SQLite + in-memory) and on PostgreSQL + Redis, alternately, ROUNDS times each (default 2). Starts throwaway
# PostgreSQL and Redis on free loopback ports (as scripts/test.sh does), a fresh database and an empty Redis per run,
# and stops both at the end. Results and method: docs/benchmarks.md §9.
#   bash bench/shared-state.sh            # full runs
#   QUICK=1 ROUNDS=1 bash bench/shared-state.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-2}
QUICK_FLAG=${QUICK:+--quick}

# A production-like PostgreSQL: fsync and synchronous commit on (the test script turns them off for speed).
. scripts/services.sh
start_services ""

dotnet build -c Release bench/DiscordMcp.Benchmarks -v q -nologo >/dev/null
run() { dotnet run -c Release --no-build --project bench/DiscordMcp.Benchmarks -- "$@" $QUICK_FLAG; }
for round in $(seq 1 "$ROUNDS"); do
  for mode in mcp-http mcp-writes; do
    echo "== round $round, $mode, SQLite + in-memory"
    run "$mode" || true
    db="bench_$(date +%s)_$RANDOM"
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" flushall >/dev/null
    echo "== round $round, $mode, PostgreSQL + Redis"
    BENCH_DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/$db" BENCH_REDIS_URL="redis://127.0.0.1:$REDIS_PORT" run "$mode" || true
  done
done
