#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# A throwaway PostgreSQL cluster for the storage conformance tests.
#
#   tools/pg-test-cluster.sh start DIR   # prints the DSN and writes it to DIR/dsn
#   tools/pg-test-cluster.sh stop DIR    # stops the server (safe to repeat)
#
#   dir=$(mktemp -d)
#   export HOSHI_TEST_PG_DSN=$(tools/pg-test-cluster.sh start "$dir")
#   ctest --test-dir build/dev -L storage
#   tools/pg-test-cluster.sh stop "$dir" && rm -rf "$dir"
#
# The cluster uses Debian's PostgreSQL 15 server (package postgresql-15; override the binaries with
# PG_BIN). It listens on 127.0.0.1 only, on a free port, with scram-sha-256 authentication and a
# random password; its unix socket lives inside DIR. fsync is off: the data is disposable.
# The server refuses to run as root, so under root DIR is handed to the `postgres` user and the
# server runs as that user (DIR's parent directories must let it in, e.g. use mktemp -d under /tmp).
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_USER=${PG_TEST_CLUSTER_USER:-postgres}

usage() {
  echo "usage: $0 start DIR | stop DIR | status DIR" >&2
  exit 64
}

die() {
  echo "pg-test-cluster: $*" >&2
  exit 1
}

[[ $# -eq 2 ]] || usage
command=$1
[[ -n $2 ]] || usage
dir=$(realpath -m -- "$2")
data="$dir/data"
socket_dir="$dir/socket"
log="$dir/server.log"

# Runs a server binary as the right user: as root through runuser, otherwise directly.
as_server_user() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u "$PG_USER" -- "$@"
  else
    "$@"
  fi
}

is_running() {
  [[ -f "$data/PG_VERSION" ]] && as_server_user "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1
}

free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()' && return 0
  fi
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 40000))
    if [[ -z $(ss -Htln "sport = :$port") ]]; then
      echo "$port"
      return 0
    fi
  done
  die "no free port found"
}

random_password() {
  # 128 random bits as 32 hex digits: safe in a URL without percent-encoding. (od reads exactly
  # 16 bytes; an endless `tr </dev/urandom | head` would die of SIGPIPE under pipefail.)
  od -An -tx1 -N16 /dev/urandom | tr -d ' \n'
}

start() {
  [[ -x "$PG_BIN/initdb" ]] || die "$PG_BIN/initdb not found (install postgresql-15 or set PG_BIN)"
  if is_running; then
    [[ -f "$dir/dsn" ]] || die "a server runs in $dir but $dir/dsn is missing"
    cat "$dir/dsn"
    return 0
  fi
  [[ ! -e "$data" ]] || die "$data exists but no server runs there; stop and remove $dir first"

  mkdir -p "$dir"
  chmod 0700 "$dir"
  local password
  password=$(random_password)
  (umask 077 && printf '%s\n' "$password" >"$dir/pwfile")
  mkdir -p "$socket_dir"
  if [[ $(id -u) -eq 0 ]]; then
    id "$PG_USER" >/dev/null 2>&1 || die "user $PG_USER does not exist"
    chown -R "$PG_USER:" "$dir"
    runuser -u "$PG_USER" -- test -w "$dir" ||
      die "$PG_USER cannot write to $dir (are its parent directories private?)"
  fi

  if ! as_server_user "$PG_BIN/initdb" -D "$data" --username=postgres --auth=scram-sha-256 \
    --pwfile="$dir/pwfile" --encoding=UTF8 --no-locale --no-sync >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    die "initdb failed"
  fi
  rm -f "$dir/pwfile"

  # The port is free when chosen but may be taken before the server binds it: retry a few times.
  local port attempt
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    cat >"$data/postgresql.auto.conf" <<EOF
# Written by tools/pg-test-cluster.sh
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$socket_dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
EOF
    if [[ $(id -u) -eq 0 ]]; then
      chown "$PG_USER:" "$data/postgresql.auto.conf"
    fi
    if as_server_user "$PG_BIN/pg_ctl" -D "$data" -l "$log" -w -t 30 start >/dev/null 2>&1; then
      local dsn="postgresql://postgres:$password@127.0.0.1:$port/postgres"
      (umask 077 && printf '%s\n' "$dsn" >"$dir/dsn")
      printf '%s\n' "$dsn"
      return 0
    fi
    echo "pg-test-cluster: start on port $port failed (attempt $attempt)" >&2
  done
  tail -n 20 "$log" >&2 || true
  die "could not start PostgreSQL"
}

stop() {
  if is_running; then
    as_server_user "$PG_BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null
  fi
}

case $command in
  start) start ;;
  stop) stop ;;
  status)
    if is_running; then
      echo running
    else
      echo stopped
      exit 3
    fi
    ;;
  *) usage ;;
esac
