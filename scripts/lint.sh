#!/usr/bin/env bash
# Style gate: swift-format (bundled with the toolchain) with the committed .swift-format.
# Fix findings with: swift format format --in-place --recursive Sources Tests Plugins Package.swift
set -euo pipefail
cd "$(dirname "$0")/.."
swift format lint --strict --recursive Sources Tests Plugins Package.swift
