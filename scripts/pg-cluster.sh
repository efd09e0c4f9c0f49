#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for tests and local development.
#
#   scripts/pg-cluster.sh start DIR PORT   create (if needed) and start a cluster in DIR,
#                                          print its admin URL on stdout
#   scripts/pg-cluster.sh stop DIR         stop the cluster fast and remove DIR
#   scripts/pg-cluster.sh url DIR          print the admin URL of a cluster in DIR
#
# The cluster listens on 127.0.0.1 only, trusts every loopback connection (no passwords:
# never use it for real data), keeps fsync on and uses a small shared_buffers.
# Layout: DIR/data (the data directory), DIR/postgres.log (server log), DIR/port.
# When run as root, initdb and pg_ctl run as the `postgres` system user.
set -euo pipefail

MARKER=".staffroom-pg-cluster"
PROG="pg-cluster.sh"

die() { echo "$PROG: error: $*" >&2; exit 1; }
note() { echo "$PROG: $*" >&2; }

usage() {
  cat >&2 <<USAGE
usage: $PROG start DIR PORT
       $PROG stop DIR
       $PROG url DIR
USAGE
  exit 2
}

# Finds the directory holding initdb, pg_ctl and postgres; prefers the newest major version.
find_bindir() {
  local candidates=() dir best="" best_ver=-1 ver
  if command -v pg_config >/dev/null 2>&1; then
    dir="$(pg_config --bindir 2>/dev/null || true)"
    [[ -n "$dir" ]] && candidates+=("$dir")
  fi
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -d "$dir" ]] && candidates+=("$dir")
  done
  for dir in "${candidates[@]}"; do
    [[ -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" ]] || continue
    ver="$("$dir/postgres" --version 2>/dev/null | sed -n 's/.* \([0-9][0-9]*\)[.0-9]*.*/\1/p' | head -n1)"
    [[ "$ver" =~ ^[0-9]+$ ]] || ver=0
    if (( ver > best_ver )); then best_ver=$ver; best=$dir; fi
  done
  if [[ -z "$best" ]]; then
    die "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found in \$(pg_config --bindir) or /usr/lib/postgresql/*/bin. Install them, e.g. 'apt-get install postgresql' on Debian/Ubuntu."
  fi
  echo "$best"
}

# Runs a command as the cluster owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
  if [[ "$(id -u)" -eq 0 ]]; then
    if command -v runuser >/dev/null 2>&1; then
      runuser -u postgres -- "$@"
    else
      su -s /bin/sh postgres -c "$(printf '%q ' "$@")"
    fi
  else
    "$@"
  fi
}

abs_path() {
  local d="$1"
  if [[ "$d" != /* ]]; then d="$PWD/$d"; fi
  # strip trailing slashes (but keep "/")
  while [[ "$d" == */ && "$d" != "/" ]]; do d="${d%/}"; done
  echo "$d"
}

admin_url() { echo "postgresql://postgres@127.0.0.1:$1/postgres"; }

is_running() {
  local bindir="$1" data="$2"
  [[ -f "$data/postmaster.pid" ]] || return 1
  as_owner "$bindir/pg_ctl" status -D "$data" >/dev/null 2>&1
}

cmd_start() {
  local dir port bindir data log
  [[ $# -eq 2 ]] || usage
  dir="$(abs_path "$1")"; port="$2"
  [[ "$port" =~ ^[0-9]+$ ]] && (( port > 0 && port < 65536 )) || die "PORT must be a number between 1 and 65535, got '$port'"
  [[ "$dir" != "/" ]] || die "refusing to use / as the cluster directory"
  bindir="$(find_bindir)"
  data="$dir/data"; log="$dir/postgres.log"

  if [[ "$(id -u)" -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "running as root but the 'postgres' system user does not exist (it comes with the Debian package 'postgresql')"
  fi

  if [[ -e "$dir" && ! -f "$dir/$MARKER" ]]; then
    if [[ -d "$dir" && -z "$(ls -A "$dir")" ]]; then
      : # an empty directory is fine
    else
      die "$dir exists and is not a cluster made by this script; choose a new or empty directory"
    fi
  fi

  if [[ -f "$dir/$MARKER" && -f "$data/PG_VERSION" ]]; then
    local old_port
    old_port="$(cat "$dir/port" 2>/dev/null || true)"
    if [[ "$old_port" != "$port" ]]; then
      die "$dir already holds a cluster on port ${old_port:-?}; stop it first or use port ${old_port:-?}"
    fi
    if is_running "$bindir" "$data"; then
      note "cluster in $dir is already running"
      admin_url "$port"
      return 0
    fi
  else
    mkdir -p "$dir"
    touch "$dir/$MARKER"
    echo "$port" > "$dir/port"
    if [[ "$(id -u)" -eq 0 ]]; then
      chown -R postgres: "$dir"
    fi
    chmod 700 "$dir"
    as_owner test -w "$dir" || die "the postgres user cannot write to $dir (check the permissions of its parent directories)"

    note "creating cluster in $data with $bindir/initdb"
    if ! as_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C \
        >"$dir/initdb.log" 2>&1; then
      cat "$dir/initdb.log" >&2
      die "initdb failed (see above)"
    fi

    # Unix socket inside DIR when the path is short enough, otherwise TCP only.
    local sockdir="$dir"
    if (( ${#dir} > 90 )); then sockdir=""; fi
    as_owner tee -a "$data/postgresql.conf" >/dev/null <<CONF

# --- throwaway test cluster settings ---
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$sockdir'
fsync = on
shared_buffers = 16MB
max_connections = 100
logging_collector = off
log_min_messages = warning
CONF
    as_owner tee "$data/pg_hba.conf" >/dev/null <<HBA
# TYPE  DATABASE  USER  ADDRESS        METHOD
local   all       all                  trust
host    all       all   127.0.0.1/32   trust
HBA
  fi

  note "starting PostgreSQL on 127.0.0.1:$port"
  if ! as_owner "$bindir/pg_ctl" start -D "$data" -l "$log" -w -t 60 >/dev/null 2>&1; then
    if [[ -f "$log" ]]; then tail -n 20 "$log" >&2; fi
    die "PostgreSQL did not start on port $port (see the log above; is the port already in use?); remove the half-made cluster with: $PROG stop $dir"
  fi

  # pg_ctl -w waits for the postmaster; also check that TCP connections are accepted.
  local i ready=0
  for i in $(seq 1 100); do
    if [[ -x "$bindir/pg_isready" ]]; then
      if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres; then ready=1; break; fi
    else
      ready=1; break
    fi
    sleep 0.1
  done
  (( ready )) || die "PostgreSQL started but does not accept connections on 127.0.0.1:$port"
  admin_url "$port"
}

cmd_stop() {
  local dir bindir data
  [[ $# -eq 1 ]] || usage
  dir="$(abs_path "$1")"
  if [[ ! -e "$dir" ]]; then
    note "no cluster in $dir; nothing to stop"
    return 0
  fi
  [[ "$dir" != "/" ]] || die "refusing to remove /"
  if [[ ! -f "$dir/$MARKER" ]]; then
    if [[ -d "$dir" && -z "$(ls -A "$dir")" ]]; then
      rmdir "$dir"
      return 0
    fi
    die "$dir was not made by this script; not touching it"
  fi
  data="$dir/data"
  if [[ -f "$data/postmaster.pid" ]]; then
    bindir="$(find_bindir)"
    note "stopping PostgreSQL in $data"
    if ! as_owner "$bindir/pg_ctl" stop -D "$data" -m fast -w -t 60 >/dev/null 2>&1; then
      if is_running "$bindir" "$data"; then
        die "pg_ctl stop failed and the server is still running (see $dir/postgres.log)"
      fi
    fi
  fi
  rm -rf -- "$dir"
}

cmd_url() {
  local dir
  [[ $# -eq 1 ]] || usage
  dir="$(abs_path "$1")"
  [[ -f "$dir/$MARKER" && -f "$dir/port" ]] || die "no cluster in $dir"
  admin_url "$(cat "$dir/port")"
}

[[ $# -ge 1 ]] || usage
action="$1"; shift
case "$action" in
  start) cmd_start "$@" ;;
  stop) cmd_stop "$@" ;;
  url) cmd_url "$@" ;;
  -h|--help|help) usage ;;
  *) echo "$PROG: unknown command '$action'" >&2; usage ;;
esac
