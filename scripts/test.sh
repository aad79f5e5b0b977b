#!/usr/bin/env bash
# The test command: style gate, build (warnings are errors), every test.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --test
./scripts/lint.sh
swift build --build-tests -Xswiftc -warnings-as-errors
swift test --skip-build
