#!/usr/bin/env bash
# Regenerates Sources/WamigrateCore/Mapping/CountryNameTable.swift: every territory
# name in every locale Foundation ships (scripts/country-names/main.swift) and the
# ISO 3166-1 alpha-3 codes (pycountry, from PyPI). Commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip install -q pycountry >/dev/null 2>&1 || true
python3 -c 'import pycountry
for c in pycountry.countries: print(c.alpha_3, c.alpha_2)' >"$work/alpha3.txt"
swiftc -O scripts/country-names/main.swift -o "$work/country-names"
"$work/country-names" <"$work/alpha3.txt" >Sources/WamigrateCore/Mapping/CountryNameTable.swift
echo "wrote Sources/WamigrateCore/Mapping/CountryNameTable.swift"
