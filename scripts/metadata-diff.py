#!/usr/bin/env python3
"""List numbering-plan changes between two `phonenumbers` versions (default 8.12.57, the
metadata built into Debian's libphonenumber, and 9.0.43, the pinned current metadata).

Compares, per region (and per non-geographic calling code "001/<cc>"): national_prefix,
national_prefix_for_parsing, national_prefix_transform_rule, international_prefix,
preferred_international_prefix and the general description's possible lengths
(possible_length and possible_length_local_only). Regions present in only one version
are listed as well. Use it to find legacy forms a migration must rewrite.

    python3 scripts/metadata-diff.py                      # 8.12.57 -> 9.0.43, changed regions
    python3 scripts/metadata-diff.py --regions MX,BJ,UZ   # full field dump for these regions
    python3 scripts/metadata-diff.py --old 8.12.57 --new 9.0.43 --json

Wheels are fetched with `pip download --no-deps` into a temporary directory (or pass
--old-wheel/--new-wheel). Standard library only.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

FIELDS = ["national_prefix", "national_prefix_for_parsing", "national_prefix_transform_rule",
          "international_prefix", "preferred_international_prefix",
          "possible_length", "possible_length_local_only"]

# Runs in a child interpreter with the wheel first on sys.path (zip import).
_DUMP = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import phonenumbers
from phonenumbers import data
from phonenumbers.phonemetadata import PhoneMetadata
out = {"version": phonenumbers.__version__, "regions": {}}
mds = [(r, PhoneMetadata.metadata_for_region(r)) for r in data._AVAILABLE_REGION_CODES]
mds += [("001/%d" % cc, PhoneMetadata.metadata_for_nongeo_region(cc))
        for cc in data._AVAILABLE_NONGEO_COUNTRY_CODES]
for key, md in mds:
    g = md.general_desc
    out["regions"][key] = {
        "country_code": md.country_code,
        "national_prefix": md.national_prefix,
        "national_prefix_for_parsing": md.national_prefix_for_parsing,
        "national_prefix_transform_rule": md.national_prefix_transform_rule,
        "international_prefix": md.international_prefix,
        "preferred_international_prefix": md.preferred_international_prefix,
        "possible_length": list(g.possible_length or ()),
        "possible_length_local_only": list(g.possible_length_local_only or ()),
    }
json.dump(out, sys.stdout)
"""


def wheel_for(version, tmp, given):
    if given:
        return given
    d = os.path.join(tmp, version)
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                    "--disable-pip-version-check", "-q", "-d", d, "phonenumbers==%s" % version],
                   check=True)
    (whl,) = [f for f in os.listdir(d) if f.endswith(".whl")]
    return os.path.join(d, whl)


def dump(wheel):
    res = subprocess.run([sys.executable, "-c", _DUMP, wheel], check=True,
                         capture_output=True, text=True)
    return json.loads(res.stdout)


def fmt(v):
    if isinstance(v, list):
        return ",".join(str(x) for x in v) or "-"
    return "-" if v is None else repr(v)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--old", default="8.12.57")
    ap.add_argument("--new", default="9.0.43")
    ap.add_argument("--old-wheel")
    ap.add_argument("--new-wheel")
    ap.add_argument("--regions", help="comma-separated regions: dump all fields for both versions")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="wm-mdiff-") as tmp:
        old = dump(wheel_for(args.old, tmp, args.old_wheel))
        new = dump(wheel_for(args.new, tmp, args.new_wheel))
    o, n = old["regions"], new["regions"]

    if args.regions:
        rows = []
        for r in [x.strip().upper() for x in args.regions.split(",") if x.strip()]:
            for ver, src in ((old["version"], o), (new["version"], n)):
                md = src.get(r)
                rows.append({"region": r, "version": ver, **(md or {"missing": True})})
        if args.json:
            json.dump(rows, sys.stdout, indent=1)
            print()
            return 0
        for row in rows:
            if row.get("missing"):
                print("%-6s %-8s (not in this version)" % (row["region"], row["version"]))
                continue
            print("%-6s %-8s " % (row["region"], row["version"])
                  + "  ".join("%s=%s" % (k, fmt(row[k])) for k in FIELDS))
        return 0

    changes = {}
    for r in sorted(set(o) | set(n)):
        if r not in o or r not in n:
            changes[r] = {"only_in": old["version"] if r in o else new["version"]}
            continue
        diff = {k: [o[r][k], n[r][k]] for k in FIELDS if o[r][k] != n[r][k]}
        if diff:
            changes[r] = diff
    if args.json:
        json.dump({"old": old["version"], "new": new["version"], "changes": changes},
                  sys.stdout, indent=1)
        print()
        return 0
    print("phonenumbers %s -> %s: %d of %d regions changed in %s"
          % (old["version"], new["version"], len(changes), len(set(o) | set(n)),
             ", ".join(FIELDS)))
    for r, diff in changes.items():
        if "only_in" in diff:
            print("%-7s only in %s" % (r, diff["only_in"]))
            continue
        print("%-7s " % r + "; ".join("%s: %s -> %s" % (k, fmt(a), fmt(b))
                                      for k, (a, b) in diff.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
