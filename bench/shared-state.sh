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

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGPORT=$(free_port)
REDIS_PORT=$(free_port)
WORK=$(mktemp -d); chmod 755 "$WORK"
PGDATA="$WORK/pg"; mkdir "$PGDATA"; chown postgres:postgres "$PGDATA"
cleanup() {
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
# A production-like PostgreSQL: fsync and synchronous commit on (the test script turns them off for speed).
( cd "$WORK"
  runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --no-locale >"$WORK/initdb.log" 2>&1
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDATA" start >/dev/null )
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --save '' --appendonly no \
  --dir "$WORK" --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log"
for _ in $(seq 1 100); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done

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
