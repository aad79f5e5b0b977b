#!/usr/bin/env python3
"""Generate Sources/CPhoneNumber/wm_metadata_current.cc from a pinned PyPI `phonenumbers` wheel.

Why: Debian bookworm's libphonenumber 8.12.57 carries numbering-plan metadata from 2022.
The library reads its metadata through two exported functions,
    i18n::phonenumbers::metadata_get()  (const void*)
    i18n::phonenumbers::metadata_size() (int)
that it calls through the PLT; defining both in the executable overrides the library's
built-in copy. The bytes are a serialized `PhoneMetadataCollection` protobuf
(/usr/include/phonenumbers/phonemetadata.pb.h). This script rebuilds exactly that
serialization from the `phonenumbers` wheel's Python metadata (standard library only).

Usage (regenerating is one command):
    python3 scripts/gen-phone-metadata.py                  # pinned version, writes the .cc
    python3 scripts/gen-phone-metadata.py --version 9.0.43 # explicit version
    python3 scripts/gen-phone-metadata.py --check-against-debian
        # serializes phonenumbers 8.12.57 (the version Debian packages) and compares it
        # byte for byte with the bytes Debian's libphonenumber.so returns from its own
        # metadata_get()/metadata_size() (called via ctypes on the mangled symbols).
        # Exits non-zero on any difference. Writes nothing into the repo.
    python3 scripts/gen-phone-metadata.py --wheel path/to/phonenumbers-X.Y.Z-*.whl
        # use an already downloaded wheel instead of `pip download`
    python3 scripts/gen-phone-metadata.py --output-bin FILE  # also dump the raw bytes
    python3 scripts/gen-phone-metadata.py --version X.Y.Z --allow-unknown-hash
        # a version whose wheel sha256 is not yet in KNOWN_WHEEL_SHA256

Encoding notes (checked against Debian's bytes):
  * proto2, fields emitted in field-number order; repeated int32 (possible_length,
    possible_length_local_only) are NOT packed (one tag per element).
  * Region messages: geographic regions sorted by region id, then the
    non-geographic entities (id "001") sorted by country calling code.
  * Every number-type description relevant to normal numbers (fixed_line, mobile,
    toll_free, premium_rate, shared_cost, personal_number, voip, pager, uan,
    voicemail, no_international_dialling) is always present; a type absent from the
    XML is encoded as a description with only possible_length = -1 (as a 10-byte varint).
  * The short-number descriptions (emergency, short_code, standard_rate,
    carrier_specific, sms_services) are not part of this collection.
  * A number type's possible_length is left out when it equals general_desc's
    (possible_length_local_only is always kept).
  * Group references: Python's "\\1" is written back as the C++ "$1" (format,
    national_prefix_formatting_rule, domestic_carrier_code_formatting_rule,
    national_prefix_transform_rule).
  * An intl_number_format that copies a national format is stored as the full copy
    (national_prefix_formatting_rule etc. included), as the C++ builder does.
  * Booleans are only written when true.
Only PhoneNumberUtil's metadata is replaced; ShortNumberInfo (short_metadata_get) and
PhoneNumberMatcher (alternate_format_get) keep Debian's built-in data. Neither is used
by Parse / IsValidNumber / GetNumberType / Format.
"""

import argparse
import ctypes
import ctypes.util
import hashlib
import os
import re
import subprocess
import sys
import tempfile

DEFAULT_VERSION = "9.0.43"
DEBIAN_VERSION = "8.12.57"
# sha256 of the wheels this script was checked with; a download with another hash is refused
# (pass --allow-unknown-hash for a version not listed here).
KNOWN_WHEEL_SHA256 = {
    "8.12.57": "0b234c4a9519fac18d00b3c542f5b429513ea69372d4f95fbd0f716f5e2a89b5",
    "9.0.43": "349bc799f15e010e35bd2c7d28149950ae74479cb1e11fb054ed9a95ecb4b437",
}
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(REPO_ROOT, "Sources", "CPhoneNumber", "wm_metadata_current.cc")

# --- minimal protobuf (proto2) writer -------------------------------------------------

def _varint(n):
    if n < 0:
        n += 1 << 64  # int32/int64 negative values are sign-extended to 64 bits
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _key(field, wire):
    return _varint((field << 3) | wire)


def _f_varint(field, value):
    return _key(field, 0) + _varint(value)


def _f_bytes(field, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return _key(field, 2) + _varint(len(data)) + data


# --- message encoders -----------------------------------------------------------------

_PY_GROUP_REF = re.compile(r"\\(\d)")


def _cpp_replacement(s):
    """The Python package rewrites the metadata's "$1"-style group references into
    Python's "\\1" form (in format, national_prefix_formatting_rule,
    domestic_carrier_code_formatting_rule and national_prefix_transform_rule);
    the C++ metadata keeps "$1"."""
    return None if s is None else _PY_GROUP_REF.sub(r"$\1", s)


def encode_number_format(nf):
    out = bytearray()
    if nf.pattern is not None:
        out += _f_bytes(1, nf.pattern)
    if nf.format is not None:
        out += _f_bytes(2, _cpp_replacement(nf.format))
    for ldp in nf.leading_digits_pattern or ():
        out += _f_bytes(3, ldp)
    if nf.national_prefix_formatting_rule is not None:
        out += _f_bytes(4, _cpp_replacement(nf.national_prefix_formatting_rule))
    if nf.domestic_carrier_code_formatting_rule is not None:
        out += _f_bytes(5, _cpp_replacement(nf.domestic_carrier_code_formatting_rule))
    if nf.national_prefix_optional_when_formatting:
        out += _f_varint(6, 1)
    return bytes(out)


def encode_desc(desc, general=None):
    """`general` is the region's general_desc when encoding a number-type description:
    the C++ metadata builder leaves possible_length out of a type whose lengths equal
    the general description's (possible_length_local_only is kept)."""
    out = bytearray()
    if desc is None:
        return _f_varint(9, -1)
    if desc.national_number_pattern is not None:
        out += _f_bytes(2, desc.national_number_pattern)
    if desc.example_number is not None:
        out += _f_bytes(6, desc.example_number)
    lengths = list(desc.possible_length or ())
    if general is not None and lengths == list(general.possible_length or ()):
        lengths = []
    for n in lengths:
        out += _f_varint(9, n)
    for n in desc.possible_length_local_only or ():
        out += _f_varint(10, n)
    return bytes(out)


# (field number, attribute) of the PhoneNumberDesc members of PhoneMetadata that the
# C++ (non-short-number) collection always carries.
_DESC_FIELDS = [
    (1, "general_desc"),
    (2, "fixed_line"),
    (3, "mobile"),
    (4, "toll_free"),
    (5, "premium_rate"),
    (6, "shared_cost"),
    (7, "personal_number"),
    (8, "voip"),
]


def _full_intl_format(md, intl):
    """The C++ builder stores an intl_number_format that has no explicit <intlFormat>
    as a full copy of the national format (national_prefix_formatting_rule etc.
    included); the Python package keeps only pattern, format and leading digits.
    Restore the copy when a national format has the same pattern, leading digits and
    format."""
    for nf in md.number_format or ():
        if (nf.pattern == intl.pattern and nf.format == intl.format
                and list(nf.leading_digits_pattern or ()) == list(intl.leading_digits_pattern or ())):
            return nf
    return intl


def encode_metadata(md):
    out = bytearray()
    general = md.general_desc
    for field, attr in _DESC_FIELDS:
        out += _f_bytes(field, encode_desc(getattr(md, attr),
                                           None if attr == "general_desc" else general))
    out += _f_bytes(9, md.id)
    if md.country_code is not None:
        out += _f_varint(10, md.country_code)
    for field, attr in [(11, "international_prefix"), (12, "national_prefix"),
                        (13, "preferred_extn_prefix"), (15, "national_prefix_for_parsing"),
                        (16, "national_prefix_transform_rule"),
                        (17, "preferred_international_prefix")]:
        v = getattr(md, attr)
        if attr == "national_prefix_transform_rule":
            v = _cpp_replacement(v)
        if v is not None:
            out += _f_bytes(field, v)
    if md.same_mobile_and_fixed_line_pattern:
        out += _f_varint(18, 1)
    for nf in md.number_format or ():
        out += _f_bytes(19, encode_number_format(nf))
    for nf in md.intl_number_format or ():
        out += _f_bytes(20, encode_number_format(_full_intl_format(md, nf)))
    out += _f_bytes(21, encode_desc(md.pager, general))
    if md.main_country_for_code:
        out += _f_varint(22, 1)
    if md.leading_digits is not None:
        out += _f_bytes(23, md.leading_digits)
    out += _f_bytes(24, encode_desc(md.no_international_dialling, general))
    out += _f_bytes(25, encode_desc(md.uan, general))
    if getattr(md, "leading_zero_possible", False):
        out += _f_varint(26, 1)
    out += _f_bytes(28, encode_desc(md.voicemail, general))
    if md.mobile_number_portable_region:
        out += _f_varint(32, 1)
    return bytes(out)


# --- loading the wheel ----------------------------------------------------------------

def download_wheel(version, dest):
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           "--disable-pip-version-check", "-q", "-d", dest, "phonenumbers==%s" % version]
    subprocess.run(cmd, check=True)
    wheels = [f for f in os.listdir(dest) if f.startswith("phonenumbers-%s-" % version)
              and f.endswith(".whl")]
    if len(wheels) != 1:
        sys.exit("expected one phonenumbers %s wheel in %s, found %r" % (version, dest, wheels))
    return os.path.join(dest, wheels[0])


def load_phonenumbers(wheel):
    """Import phonenumbers from the wheel (zip import) and return the module."""
    if "phonenumbers" in sys.modules:
        raise RuntimeError("phonenumbers already imported in this process")
    sys.path.insert(0, wheel)
    import phonenumbers  # noqa: E402
    if not os.path.abspath(phonenumbers.__file__).startswith(os.path.abspath(wheel)):
        sys.exit("phonenumbers was imported from %s, not from the wheel" % phonenumbers.__file__)
    return phonenumbers


def all_metadata(pn):
    """All PhoneMetadata objects in the C++ collection order."""
    from phonenumbers.phonemetadata import PhoneMetadata
    from phonenumbers import data as pndata
    regions = sorted(pndata._AVAILABLE_REGION_CODES)
    nongeo = sorted(pndata._AVAILABLE_NONGEO_COUNTRY_CODES)
    out = []
    for r in regions:
        md = PhoneMetadata.metadata_for_region(r)
        assert md is not None and md.id == r, r
        out.append(md)
    for cc in nongeo:
        md = PhoneMetadata.metadata_for_nongeo_region(cc)
        assert md is not None and md.id == "001" and md.country_code == cc, cc
        out.append(md)
    return out


def serialize_collection(pn):
    mds = all_metadata(pn)
    blob = b"".join(_f_bytes(1, encode_metadata(md)) for md in mds)
    return blob, mds


# --- Debian's built-in bytes ----------------------------------------------------------

def debian_builtin_bytes():
    name = ctypes.util.find_library("phonenumber") or "libphonenumber.so.8"
    lib = ctypes.CDLL(name)
    get = getattr(lib, "_ZN4i18n12phonenumbers12metadata_getEv")
    size = getattr(lib, "_ZN4i18n12phonenumbers13metadata_sizeEv")
    get.restype = ctypes.c_void_p
    get.argtypes = []
    size.restype = ctypes.c_int
    size.argtypes = []
    return ctypes.string_at(get(), size()), name


# --- output ---------------------------------------------------------------------------

def render_cc(blob, version, sha256, n_regions):
    lines = []
    lines.append("// GENERATED FILE - DO NOT EDIT.")
    lines.append("// Generated by scripts/gen-phone-metadata.py from PyPI phonenumbers %s" % version)
    lines.append("// (wheel sha256 %s)." % sha256)
    lines.append("// Regenerate with: python3 scripts/gen-phone-metadata.py [--version X.Y.Z]")
    lines.append("//")
    lines.append("// Contents: a serialized i18n.phonenumbers.PhoneMetadataCollection (%d region"
                 % n_regions)
    lines.append("// messages, %d bytes). wm_metadata_hook.cc hands it to the system" % len(blob))
    lines.append("// libphonenumber in place of its built-in (older) metadata.")
    lines.append("//")
    lines.append("// License notice: the numbering-plan metadata is from Google's libphonenumber,")
    lines.append("// Apache License 2.0, Copyright (C) the libphonenumber authors.")
    lines.append("// http://www.apache.org/licenses/LICENSE-2.0")
    lines.append("")
    lines.append("namespace {")
    lines.append("static const unsigned char wm_metadata_data[] = {")
    per = 20
    for i in range(0, len(blob), per):
        lines.append(",".join("0x%02x" % b for b in blob[i:i + per]) + ",")
    lines.append("};")
    lines.append("}  // namespace")
    lines.append("")
    lines.append('extern "C" const unsigned char *wm_metadata_current_data(void);')
    lines.append('extern "C" int wm_metadata_current_size(void);')
    lines.append('extern "C" const unsigned char *wm_metadata_current_data(void) { return wm_metadata_data; }')
    lines.append('extern "C" int wm_metadata_current_size(void) { return static_cast<int>(sizeof(wm_metadata_data)); }')
    lines.append("")
    lines.append('extern "C" const char *wm_phone_metadata_version(void);')
    lines.append('extern "C" const char *wm_phone_metadata_source(void);')
    lines.append('extern "C" const char *wm_phone_metadata_version(void) { return "%s"; }' % version)
    lines.append('extern "C" const char *wm_phone_metadata_source(void) {')
    lines.append('  return "phonenumbers %s (PyPI), sha256 %s";' % (version, sha256[:12]))
    lines.append("}")
    lines.append("")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--version", default=None,
                    help="phonenumbers version to use (default %s; %s with --check-against-debian)"
                    % (DEFAULT_VERSION, DEBIAN_VERSION))
    ap.add_argument("--wheel", help="use this already downloaded wheel instead of pip download")
    ap.add_argument("--output", default=OUTPUT, help="path of the generated .cc")
    ap.add_argument("--output-bin", help="also write the raw serialized bytes here")
    ap.add_argument("--check-against-debian", action="store_true",
                    help="compare the %s serialization with Debian's built-in bytes; "
                    "writes no .cc" % DEBIAN_VERSION)
    ap.add_argument("--allow-unknown-hash", action="store_true",
                    help="accept a wheel whose version has no entry in KNOWN_WHEEL_SHA256")
    args = ap.parse_args()

    version = args.version or (DEBIAN_VERSION if args.check_against_debian else DEFAULT_VERSION)
    with tempfile.TemporaryDirectory(prefix="wm-phonenumbers-") as tmp:
        wheel = args.wheel or download_wheel(version, tmp)
        with open(wheel, "rb") as f:
            sha256 = hashlib.sha256(f.read()).hexdigest()
        expected = KNOWN_WHEEL_SHA256.get(version)
        if expected is None and not args.allow_unknown_hash:
            sys.exit("no known sha256 for phonenumbers %s (wheel has %s); add it to "
                     "KNOWN_WHEEL_SHA256 or pass --allow-unknown-hash" % (version, sha256))
        if expected is not None and expected != sha256:
            sys.exit("sha256 mismatch for phonenumbers %s: got %s, expected %s"
                     % (version, sha256, expected))
        pn = load_phonenumbers(wheel)
        if pn.__version__ != version:
            sys.exit("wheel is phonenumbers %s, expected %s" % (pn.__version__, version))
        blob, mds = serialize_collection(pn)

    print("phonenumbers %s: %d region messages, %d bytes, wheel sha256 %s"
          % (version, len(mds), len(blob), sha256), file=sys.stderr)
    if args.output_bin:
        with open(args.output_bin, "wb") as f:
            f.write(blob)

    if args.check_against_debian:
        deb, libname = debian_builtin_bytes()
        print("Debian %s metadata_get(): %d bytes" % (libname, len(deb)), file=sys.stderr)
        if deb == blob:
            print("IDENTICAL: %d bytes, sha256 %s" % (len(blob), hashlib.sha256(blob).hexdigest()))
            return 0
        i = next((k for k in range(min(len(deb), len(blob))) if deb[k] != blob[k]),
                 min(len(deb), len(blob)))
        print("DIFFERENT: ours %d bytes, Debian %d bytes, first difference at offset %d"
              % (len(blob), len(deb), i))
        print("  ours:   %s" % blob[max(0, i - 32):i + 32])
        print("  debian: %s" % deb[max(0, i - 32):i + 32])
        return 1

    text = render_cc(blob, version, sha256, len(mds))
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w", encoding="ascii", newline="\n") as f:
        f.write(text)
    print("wrote %s (%d bytes)" % (os.path.relpath(args.output, os.getcwd()), len(text)),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
