#!/usr/bin/env bash
# Installs the C libraries wamigrate builds against (Debian/Ubuntu), when missing.
# --test adds what only the tests need: chromium, which renders report.html headless.
set -euo pipefail
packages=(libphonenumber-dev libsqlite3-dev libcurl4-openssl-dev pkg-config curl tzdata)
[ "${1:-}" = "--test" ] && packages+=(chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
