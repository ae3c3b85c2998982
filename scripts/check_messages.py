#!/usr/bin/env python
"""A3: fail when our Khmer catalogue is out of date or incomplete.

1. `makemessages` must not change `locale/km/LC_MESSAGES/django.po` (every string in the code is in it and
   nothing stale is left behind);
2. every entry has a Khmer translation and none is fuzzy;
3. the third-party catalogue (`locale_vendor/`) is complete too.

Run `make messages-update` (this script with --update) to refresh the catalogue after changing strings.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "km" / "LC_MESSAGES" / "django.po"
MAKEMESSAGES = [
    sys.executable,
    "manage.py",
    "makemessages",
    "--locale",
    "km",
    "--no-location",
    "--no-wrap",
    "--no-obsolete",
    "--ignore",
    ".venv/*",
    "--ignore",
    "node_modules/*",
    "--ignore",
    "var/*",
    "--ignore",
    "bench/*",
    "--ignore",
    "locale_vendor/*",
    "--ignore",
    "scripts/*",
]


def _entries(path: Path) -> list[tuple[str, str, str, bool]]:
    catalogue = polib.pofile(str(path))
    return sorted((e.msgctxt or "", e.msgid, e.msgid_plural, e.obsolete) for e in catalogue)


def update() -> int:
    """Refresh the catalogue from the code (new strings get an empty translation to fill in)."""
    subprocess.run(MAKEMESSAGES, cwd=ROOT, env={**os.environ, "OPENPES_ENV": "test"}, check=True)
    missing = [e.msgid for e in polib.pofile(str(PO)) if not e.translated() or "fuzzy" in e.flags]
    print(f"{len(missing)} string(s) to translate in {PO.relative_to(ROOT)}.")
    return 0


def main() -> int:
    if "--update" in sys.argv:
        return update()
    status = 0
    with tempfile.TemporaryDirectory() as tmp:
        saved = Path(tmp) / "django.po"
        shutil.copy(PO, saved)
        env = {**os.environ, "OPENPES_ENV": "test"}
        try:
            subprocess.run(MAKEMESSAGES, cwd=ROOT, env=env, check=True, capture_output=True)
            if _entries(PO) != _entries(saved):
                before = {e[:3] for e in _entries(saved)}
                after = {e[:3] for e in _entries(PO)}
                print("locale/km/LC_MESSAGES/django.po is out of date; run `make messages-update`.")
                for entry in sorted(after - before):
                    print(f"  new in code: {entry[1]!r}")
                for entry in sorted(before - after):
                    print(f"  gone from code: {entry[1]!r}")
                status = 1
        finally:
            shutil.copy(saved, PO)

    catalogue = polib.pofile(str(PO))
    untranslated = [e for e in catalogue if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    for entry in untranslated:
        print(f"  missing Khmer: {entry.msgid!r}")
    if untranslated:
        print(f"{len(untranslated)} string(s) have no Khmer translation in {PO.relative_to(ROOT)}.")
        status = 1
    if any(e.obsolete for e in catalogue):
        print("Obsolete (#~) entries remain; run `make messages-update`.")
        status = 1

    vendor = subprocess.run([sys.executable, "scripts/vendor_messages.py", "--check"], cwd=ROOT)
    if vendor.returncode != 0:
        status = 1
    if status == 0:
        print(f"Translations complete: {len(catalogue)} strings of ours, and the third-party catalogue.")
    return status


if __name__ == "__main__":
    sys.exit(main())
