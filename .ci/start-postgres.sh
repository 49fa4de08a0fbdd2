#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1 for the tests and prints its connection string.
# Usage: .ci/start-postgres.sh [port]   (needs Debian's postgresql package)
set -euo pipefail
port="${1:-55432}"
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
dir=/tmp/valuebot-pg-$port
if [ -f "$dir/postmaster.pid" ] && su postgres -c "$bin/pg_ctl -D $dir status" >/dev/null 2>&1; then
  echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  exit 0
fi
rm -rf "$dir" && mkdir -p "$dir" && chown postgres:postgres "$dir"
su postgres -c "$bin/initdb -D $dir -A trust -U postgres --no-sync" >/dev/null
su postgres -c "$bin/pg_ctl -D $dir -l $dir/server.log -w -o '-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=/tmp -c fsync=off -c max_connections=200' start" >/dev/null
echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
