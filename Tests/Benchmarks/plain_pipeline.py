"""Plain-Python baseline for `wamigrate bench`: the obvious script a data engineer writes.

It reads the two exports that `wamigrate bench` generates (ExportGenerator.swift):

* ``sms_export.csv``   UTF-8 with BOM, ``;``-delimited, CRLF; columns
  Mobile;First Name;Last Name;Email;Country;Opt-In;Opt-In Date;Tags
  (mapping ``generic``: auto-detected phone=Mobile, name=First+Last, country=Country)
* ``viber_export.csv`` UTF-8, ``,``-delimited; columns
  viber_user_id,phone,name,subscribed_at,language,country,status,last_seen
  (mapping ``viber``: phone, name, country)

and runs four timed steps:

1. read       both files with the csv module -> (phone, country, name) per row
2. normalize  phonenumbers.parse(cell, region) + is_valid_number -> E.164; a
              NumberParseException or an invalid number counts as rejected.
              region = the row's country cell when it is a 2-letter code, else the
              mapping's default region (neither shipped mapping sets one), else None.
              One parse per row, no cache, no repairs.
3. group      dict E.164 -> [first name seen, rows]
4. write      a new SQLite file, one executemany in one transaction

It prints one JSON object on stdout. The tool does far more (repairs, legacy forms,
country names, consent, survivorship); this is only the speed baseline.

    python plain_pipeline.py --dir /tmp/pybench-100k --out /tmp/plain.sqlite
"""

import argparse
import csv
import json
import os
import platform
import sqlite3
import time

import phonenumbers

# File layout per source, from ExportGenerator.swift and mappings/{generic,viber}.yml.
# "region" is the mapping's default_region: neither generic.yml nor viber.yml has one.
SOURCES = {
    "sms": {"delimiter": ";", "encoding": "utf-8-sig", "phone": "Mobile", "country": "Country",
            "name": ["First Name", "Last Name"], "region": None},
    "viber": {"delimiter": ",", "encoding": "utf-8", "phone": "phone", "country": "country",
              "name": ["name"], "region": None},
}


def read_rows(path, spec):
    """Yield (phone cell, region hint, name) for every data row of one export."""
    with open(path, newline="", encoding=spec["encoding"]) as f:
        for row in csv.DictReader(f, delimiter=spec["delimiter"]):
            name = " ".join(row[c].strip() for c in spec["name"] if row[c].strip())
            country = (row.get(spec["country"]) or "").strip() if spec["country"] else ""
            yield row[spec["phone"]], country, name, spec["region"]


def region_for(country, source_region, default_region):
    if len(country) == 2 and country.isalpha():
        return country.upper()
    return source_region or default_region


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sms", help="SMS provider export (sms_export.csv)")
    ap.add_argument("--viber", help="Viber subscriber export (viber_export.csv)")
    ap.add_argument("--dir", help="a `wamigrate bench --dir` folder: finds both files in it")
    ap.add_argument("--out", required=True, help="SQLite file to write (replaced)")
    ap.add_argument("--default-region", default=None,
                    help="last-resort region (off by default; the bench's tool run passes DE)")
    args = ap.parse_args()
    sms = args.sms or (args.dir and os.path.join(args.dir, "sms_export.csv"))
    viber = args.viber or (args.dir and os.path.join(args.dir, "viber_export.csv"))
    if not sms or not viber:
        ap.error("give --sms and --viber, or --dir")

    seconds = {}
    start = t = time.perf_counter()

    # 1. read
    rows = list(read_rows(sms, SOURCES["sms"])) + list(read_rows(viber, SOURCES["viber"]))
    seconds["read"], t = time.perf_counter() - t, time.perf_counter()

    # 2. normalize
    normalized = []  # (e164, name)
    rejected = 0
    for phone, country, name, source_region in rows:
        region = region_for(country, source_region, args.default_region)
        try:
            number = phonenumbers.parse(phone, region)
        except phonenumbers.NumberParseException:
            rejected += 1
            continue
        if not phonenumbers.is_valid_number(number):
            rejected += 1
            continue
        normalized.append((phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), name))
    seconds["normalize"], t = time.perf_counter() - t, time.perf_counter()

    # 3. group
    contacts = {}
    for e164, name in normalized:
        entry = contacts.get(e164)
        if entry is None:
            contacts[e164] = [name, 1]
        else:
            entry[1] += 1
    seconds["group"], t = time.perf_counter() - t, time.perf_counter()

    # 4. write
    if os.path.exists(args.out):
        os.remove(args.out)
    db = sqlite3.connect(args.out)
    db.execute("CREATE TABLE contacts (e164 TEXT PRIMARY KEY, name TEXT, rows INTEGER)")
    # sqlite3 opens one transaction before the first INSERT; commit ends it.
    db.executemany("INSERT INTO contacts VALUES (?, ?, ?)",
                   ((e164, name, n) for e164, (name, n) in contacts.items()))
    db.commit()
    db.close()
    seconds["write"] = time.perf_counter() - t
    seconds["total"] = time.perf_counter() - start

    print(json.dumps({
        "rows": len(rows), "contacts": len(contacts), "rejected": rejected,
        "seconds": {k: round(v, 4) for k, v in seconds.items()},
        "python": platform.python_version(), "phonenumbers": phonenumbers.__version__,
    }))


if __name__ == "__main__":
    main()
