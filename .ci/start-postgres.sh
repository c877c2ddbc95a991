#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the vault tests and prints the line that exports its
# JDBC URL. Safe to run again: it installs PostgreSQL from Debian's packages only when missing,
# reuses a cluster that is already running, and creates the database only once.
#
#   eval "$(.ci/start-postgres.sh)"     # sets OLARES_TEST_PG_URL for the current shell
#
# Settings (environment): OLARES_PG_PORT (default 55432), OLARES_PG_DIR (default a directory
# under $TMPDIR or /tmp), OLARES_PG_DB (default olares_vault_test).
# The cluster listens on 127.0.0.1 only and trusts local connections: it is for tests, never data.
set -euo pipefail

port="${OLARES_PG_PORT:-55432}"
base="${OLARES_PG_DIR:-${TMPDIR:-/tmp}/olares-secrets-pg-${port}}"
db="${OLARES_PG_DB:-olares_vault_test}"

log() { echo "start-postgres: $*" >&2; }

find_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
    echo "$dir"
  fi
}

bin="$(find_bin)"
if [[ -z "$bin" ]]; then
  log "PostgreSQL is not installed; installing it from Debian's packages"
  if [[ "$(id -u)" -ne 0 ]]; then
    log "installing needs root: run 'apt-get install -y postgresql' as root, then run this again"
    exit 2
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  bin="$(find_bin)"
  if [[ -z "$bin" ]]; then
    log "PostgreSQL was installed but initdb/pg_ctl were not found under /usr/lib/postgresql"
    exit 2
  fi
fi

# initdb refuses to run as root: run the server as the 'postgres' system user in that case.
run_as=()
owner="$(id -un)"
if [[ "$(id -u)" -eq 0 ]]; then
  owner=postgres
  run_as=(runuser -u postgres --)
fi

mkdir -p "$base"
chown "$owner" "$base"
chmod 700 "$base"
data="$base/data"

if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
  log "a server already answers on 127.0.0.1:$port; reusing it"
else
  # Nothing answers: whatever is in the data directory is left over from a server that was
  # killed (its postmaster.pid may even name a PID that now belongs to another process). The
  # cluster holds only test data, so start again from an empty one.
  if [[ -e "$data" ]]; then
    pkill -9 -f -- "-D $data" 2>/dev/null || true
    log "removing the leftover cluster in $data"
    rm -rf "$data"
  fi
  if [[ ! -f "$data/PG_VERSION" ]]; then
    log "initialising a cluster in $data"
    "${run_as[@]}" "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 \
      --no-locale >"$base/initdb.log" 2>&1 || {
      cat "$base/initdb.log" >&2
      exit 1
    }
  fi
  log "starting PostgreSQL on 127.0.0.1:$port"
  "${run_as[@]}" "$bin/pg_ctl" -D "$data" -l "$base/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $base -c fsync=on" start >&2 || {
    tail -n 20 "$base/server.log" >&2
    exit 1
  }
fi

exists="$("$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = '$db'")"
if [[ "$exists" != "1" ]]; then
  log "creating database $db"
  "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$db"
fi

echo "export OLARES_TEST_PG_URL='jdbc:postgresql://127.0.0.1:${port}/${db}?user=postgres'"
