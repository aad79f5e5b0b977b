#!/usr/bin/env bash
# Installs what is missing, builds, and runs the contact pipeline on the bundled samples.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
swift build -c release
rm -f demo.sqlite demo.sqlite-wal demo.sqlite-shm
.build/release/wamigrate run --store demo.sqlite --out out/ --default-region DE \
  --mapping generic samples/sms_subscribers.csv \
  --mapping viber samples/viber_subscribers.csv
echo
.build/release/wamigrate status --store demo.sqlite
