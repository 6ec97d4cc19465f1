#!/usr/bin/env bash
# Sourced by scripts/test.sh and bench/shared-state.sh: starts a throwaway PostgreSQL and Redis on free loopback ports
# and stops both (and removes their folder) when the sourcing script exits. Sets PGBIN, PGPORT, REDIS_PORT, WORK, PGDATA.
#   start_services "<extra postgres -c settings>"   e.g. "-c fsync=off -c synchronous_commit=off" for tests
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

stop_services() {
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}

start_services() {
  local pg_settings=${1:-}
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  PGPORT=${PGPORT:-$(free_port)}
  REDIS_PORT=${REDIS_PORT:-$(free_port)}
  WORK=$(mktemp -d); chmod 755 "$WORK"
  PGDATA="$WORK/pg"; mkdir "$PGDATA"; chown postgres:postgres "$PGDATA"
  trap stop_services EXIT
  ( cd "$WORK"
    runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --no-locale >"$WORK/initdb.log" 2>&1
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDATA $pg_settings" start >/dev/null )
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --save '' --appendonly no \
    --dir "$WORK" --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log"
  for _ in $(seq 1 100); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
}
