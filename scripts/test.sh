#!/usr/bin/env bash
# The test command: style gate, build (warnings are errors), every test, against SQLite and a
# PostgreSQL server. Unless WAMIGRATE_TEST_POSTGRES already names one (a postgres:// URL of a
# database the tests may fill), a throwaway cluster is started on a free loopback port
# (scripts/postgres-cluster.sh) and removed on exit, failure or interruption.
# WAMIGRATE_REQUIRE_POSTGRES=1 tells the tests an unreachable server is a failure, not a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --test
./scripts/lint.sh
if [ -z "${WAMIGRATE_TEST_POSTGRES:-}" ]; then
  # Under /tmp, not $TMPDIR: as root the cluster runs as nobody, who must reach it, and the
  # socket path must stay short.
  pgdir="$(mktemp -d /tmp/wamigrate-pg.XXXXXX)"
  trap './scripts/postgres-cluster.sh stop "$pgdir"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  WAMIGRATE_TEST_POSTGRES="$(./scripts/postgres-cluster.sh start "$pgdir")"
  export WAMIGRATE_TEST_POSTGRES
  echo "test: PostgreSQL at $WAMIGRATE_TEST_POSTGRES (cluster in $pgdir)" >&2
fi
export WAMIGRATE_TEST_POSTGRES
export WAMIGRATE_REQUIRE_POSTGRES=1
swift build --build-tests -Xswiftc -warnings-as-errors
swift test --skip-build
