#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, on a free loopback port.
#
#   scripts/postgres-cluster.sh start DIR   # DIR must not exist or be empty
#   scripts/postgres-cluster.sh stop DIR    # stops the server and removes DIR; safe to repeat
#
# start prints exactly one line on stdout, the URL of an empty database:
#   postgres://wamigrate@127.0.0.1:PORT/wamigrate_test
# DIR holds data/ (the cluster), socket/ (its Unix socket) and log (initdb's and the server's output).
# Authentication is trust, and the server listens on 127.0.0.1 only; durability is off (fsync,
# synchronous_commit, full_page_writes) since the cluster is thrown away.
#
# The binaries come from the newest /usr/lib/postgresql/*/bin (Debian's `postgresql` package,
# which scripts/install-deps.sh --test installs), else from `pg_config --bindir`, else from PATH.
# initdb and postgres refuse to run as root: as root, the cluster is owned and run by the
# unprivileged user WAMIGRATE_PG_OS_USER (default nobody), through setpriv (util-linux), or
# runuser when setpriv is missing. DIR is chowned to that user, so DIR's parent must be
# traversable by it (mktemp -d under /tmp is).
set -euo pipefail

me="postgres-cluster"
die() { echo "$me: $*" >&2; exit 1; }

usage() { die "usage: $0 start|stop DIR"; }

[ $# -eq 2 ] || usage
command="$1"
dir="$2"
[ -n "$dir" ] || usage
marker=".wamigrate-postgres-cluster"

find_bindir() {
  local candidate best=""
  # Newest version last (sort -V: 9.6 < 15 < 16).
  for candidate in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V); do
    if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then best="$candidate"; fi
  done
  if [ -z "$best" ] && command -v pg_config >/dev/null; then
    candidate="$(pg_config --bindir 2>/dev/null || true)"
    if [ -n "$candidate" ] && [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then best="$candidate"; fi
  fi
  if [ -z "$best" ] && command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    best="$(dirname "$(readlink -f "$(command -v initdb)")")"
  fi
  [ -n "$best" ] || die "no PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin, pg_config --bindir or PATH; install Debian's postgresql package (scripts/install-deps.sh --test)"
  printf '%s\n' "$best"
}

# as_user USER CMD...: runs CMD as USER (when root and USER is not root), else as is.
# It runs from DIR, so the server never inherits a working directory it cannot read.
as_user() {
  local user="$1"; shift
  if [ "$(id -u)" -ne 0 ] || [ "$user" = root ]; then
    (cd "$dir" && "$@")
  elif command -v setpriv >/dev/null; then
    (cd "$dir" && HOME="$dir" setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups -- "$@")
  elif command -v runuser >/dev/null; then
    (cd "$dir" && HOME="$dir" runuser -u "$user" -- "$@")
  else
    die "running as root, and neither setpriv nor runuser is there to drop to $user"
  fi
}

# port_in_use PORT: something accepts TCP connections on 127.0.0.1:PORT.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
  local port tries
  port=$((20000 + (RANDOM * 32768 + RANDOM) % 20001))
  for ((tries = 0; tries < 200; tries++)); do
    port_in_use "$port" || { echo "$port"; return 0; }
    port=$((port < 40000 ? port + 1 : 20000))
  done
  die "no free TCP port on 127.0.0.1 between 20000 and 40000"
}

log_tail() {
  if [ -f "$dir/log" ]; then
    echo "$me: last lines of $dir/log:" >&2
    tail -n 30 "$dir/log" >&2
  fi
}

start() {
  if [ -e "$dir" ]; then
    [ -d "$dir" ] || die "$dir exists and is not a directory"
    [ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
  else
    mkdir -p "$dir"
  fi
  dir="$(cd "$dir" && pwd)"
  case "$dir" in *"'"* | *" "*) die "$dir: quotes and spaces are not supported in the cluster directory" ;; esac

  local bindir user=""
  bindir="$(find_bindir)"
  if [ "$(id -u)" -eq 0 ]; then
    user="${WAMIGRATE_PG_OS_USER:-nobody}"
    id -u "$user" >/dev/null 2>&1 || die "running as root, and user $user (WAMIGRATE_PG_OS_USER) does not exist"
    [ "$(id -u "$user")" -ne 0 ] || die "WAMIGRATE_PG_OS_USER must not be root: initdb refuses to run as root"
  else
    user="$(id -un)"
  fi

  touch "$dir/$marker" "$dir/log"
  mkdir "$dir/socket"
  if [ "$(id -u)" -eq 0 ]; then
    chmod 755 "$dir"
    chown -R "$user:$(id -g "$user")" "$dir"
    as_user "$user" test -w "$dir" \
      || die "$user cannot reach $dir: every directory above it must be traversable by $user (mktemp -d under /tmp is)"
  fi

  echo "$me: initdb ($bindir) as $user into $dir/data" >>"$dir/log"
  as_user "$user" "$bindir/initdb" -D "$dir/data" -U wamigrate -A trust -E UTF8 --locale=C --no-sync \
    >>"$dir/log" 2>&1 || { log_tail; die "initdb failed"; }

  # Another process may take the port between the check and the server's bind: retry on a new one.
  local port attempt started=""
  for attempt in 1 2 3 4 5; do
    port="$(free_port)"
    echo "$me: starting on 127.0.0.1:$port (attempt $attempt)" >>"$dir/log"
    # Both pg_ctl's messages and the server (-l) append to the log.
    # shellcheck disable=SC2094
    if as_user "$user" "$bindir/pg_ctl" start -w -t 60 -D "$dir/data" -l "$dir/log" \
      -o "-k '$dir/socket' -p $port -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
      >>"$dir/log" 2>&1; then
      started=1
      break
    fi
    [ ! -e "$dir/data/postmaster.pid" ] \
      || as_user "$user" "$bindir/pg_ctl" stop -m immediate -D "$dir/data" >>"$dir/log" 2>&1 || true
  done
  [ -n "$started" ] || { log_tail; die "the server did not start"; }

  as_user "$user" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U wamigrate wamigrate_test >>"$dir/log" 2>&1 \
    || { log_tail; as_user "$user" "$bindir/pg_ctl" stop -m immediate -D "$dir/data" >/dev/null 2>&1 || true; die "createdb failed"; }
  echo "postgres://wamigrate@127.0.0.1:$port/wamigrate_test"
}

stop() {
  [ -e "$dir" ] || return 0
  [ -d "$dir" ] || die "$dir is not a directory"
  # Refuse to delete a directory this script did not make (unless it is empty).
  [ -e "$dir/$marker" ] || [ -z "$(ls -A "$dir")" ] || die "$dir was not made by $0 start; not removing it"
  if [ -f "$dir/data/PG_VERSION" ]; then
    local bindir user
    bindir="$(find_bindir)"
    user="$(stat -c %U "$dir/data")"
    if as_user "$user" "$bindir/pg_ctl" status -D "$dir/data" >/dev/null 2>&1; then
      local out pid tries
      pid="$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)"
      out="$(as_user "$user" "$bindir/pg_ctl" stop -w -m immediate -D "$dir/data" 2>&1)" \
        || echo "$me: pg_ctl stop failed: $out" >&2
      # pg_ctl returns once postmaster.pid is gone; give init a moment to reap the postmaster too.
      if [[ "$pid" =~ ^[0-9]+$ ]]; then
        for ((tries = 0; tries < 50; tries++)); do
          [ -d "/proc/$pid" ] || break
          sleep 0.1
        done
      fi
    fi
  fi
  rm -rf "$dir"
}

case "$command" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
