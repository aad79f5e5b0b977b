#!/usr/bin/env bash
# Installs the C libraries wamigrate builds against (Debian/Ubuntu), when missing.
# libpq-dev is always there: the build links libpq (the PostgreSQL store).
# --test adds what only the tests need: chromium, which renders report.html headless; postgresql
# (Debian's metapackage: initdb, pg_ctl, pg_dump and psql under /usr/lib/postgresql/<version>/bin),
# for the throwaway cluster scripts/postgres-cluster.sh starts for scripts/test.sh; and
# .interop-venv at the repo root: a Python venv with the pinned Tests/Interop/requirements.txt
# (pywa, the independent Cloud API client the sandbox is checked against) and
# Tests/Benchmarks/requirements.txt (phonenumbers, for the plain script bench compares with). Safe to re-run:
# nothing is installed that is already there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
packages=(libphonenumber-dev libsqlite3-dev libpq-dev libcurl4-openssl-dev pkg-config curl tzdata)
if [ "${1:-}" = "--test" ]; then
  packages+=(chromium postgresql)
  # python3 -m venv needs ensurepip, which Debian ships in python3-venv (it brings pip into the venv).
  command -v python3 >/dev/null || packages+=(python3)
  python3 -c 'import ensurepip, venv' 2>/dev/null || packages+=(python3-venv)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
[ "${1:-}" = "--test" ] || exit 0

venv="$root/.interop-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
# Install only when a pinned line is not what the venv holds. Tests/Benchmarks/requirements.txt
# pins phonenumbers for the plain Python script `bench --python` times.
for requirements in "$root/Tests/Interop/requirements.txt" "$root/Tests/Benchmarks/requirements.txt"; do
  wanted="$(grep -vE '^\s*(#|$)' "$requirements")"
  have="$("$venv/bin/python" -m pip freeze --disable-pip-version-check 2>/dev/null || true)"
  if [ -n "$(grep -vxFf <(printf '%s\n' "$have") <(printf '%s\n' "$wanted"))" ]; then
    echo "install-deps: installing $requirements into .interop-venv" >&2
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements"
  fi
done
