#!/usr/bin/env python
"""Keep the Khmer catalogue for third-party (Django / django-allauth) strings complete.

Django's own ``km`` catalogue is only partly translated and django-allauth ships
no Khmer at all, yet our pages show many of their strings. This script collects
the msgids we need from the installed packages' English catalogues and writes
``locale_vendor/km/LC_MESSAGES/django.po`` (+ ``django.mo``) containing exactly
those entries:

* translations already present in that file are kept;
* otherwise the msgstr is pre-filled from Django's own ``km`` catalogues when
  they have a non-fuzzy translation;
* everything else is left empty for a translator.

Usage::

    python scripts/vendor_messages.py           # refresh the .po and compile the .mo
    python scripts/vendor_messages.py --check   # CI: write nothing, exit 1 if incomplete

No Django setup is needed; only ``polib`` (a dev dependency).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import polib

REPO_ROOT = Path(__file__).resolve().parent.parent
TARGET_PO = REPO_ROOT / "locale_vendor" / "km" / "LC_MESSAGES" / "django.po"
TARGET_MO = TARGET_PO.with_suffix(".mo")
LANG = "km"

# Occurrence path prefixes (as written in allauth's English catalogue) that we use.
# Anything else (socialaccount, usersessions, headless, idp, openid, ...) is skipped.
ALLAUTH_PREFIXES = (
    "account/",
    "mfa/",
    "templates/account/",
    "templates/mfa/",
    "templates/allauth/",
    "core/",
)

HEADER = {
    "Project-Id-Version": "openpes-vendor",
    "Report-Msgid-Bugs-To": "",
    "Language-Team": "Khmer",
    "Language": LANG,
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=1; plural=0;",
}

# Header fields a translator (or their PO editor) may update; kept across runs.
DEFAULT_HEADER = {
    "PO-Revision-Date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M+0000"),
    "Last-Translator": "machine draft, to be reviewed by a Khmer-speaking PES officer",
}

# Python %-style (named or positional) and str.format-style placeholders.
_PERCENT_RE = re.compile(r"%(?:\([^)]+\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[sdifrxXeEgGcou%]")
_BRACE_RE = re.compile(r"\{[^{}\s]*\}")


def package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"error: package {name!r} is not installed")
    return Path(list(spec.submodule_search_locations)[0])


@dataclass
class Source:
    label: str
    root: Path  # the package directory containing "locale/<lang>/LC_MESSAGES/django.po"
    prefixes: tuple[str, ...] | None = None  # only keep entries with an occurrence under these

    def po_path(self, lang: str) -> Path:
        return self.root / "locale" / lang / "LC_MESSAGES" / "django.po"


def sources() -> list[Source]:
    django_dir = package_dir("django")
    allauth_dir = package_dir("allauth")
    return [
        Source("django/conf", django_dir / "conf"),
        Source("django/contrib/auth", django_dir / "contrib" / "auth"),
        Source("django/contrib/humanize", django_dir / "contrib" / "humanize"),
        Source("allauth", allauth_dir, ALLAUTH_PREFIXES),
    ]


def key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


@dataclass
class Wanted:
    entry: polib.POEntry
    labels: list[str] = field(default_factory=list)


def collect(srcs: list[Source]) -> tuple[dict[tuple[str, str], Wanted], dict[str, int]]:
    wanted: dict[tuple[str, str], Wanted] = {}
    counts: dict[str, int] = {}
    for src in srcs:
        path = src.po_path("en")
        if not path.exists():
            sys.exit(f"error: source catalogue not found: {path}")
        n = 0
        for e in polib.pofile(str(path)):
            if e.obsolete or not e.msgid:
                continue
            if src.prefixes is not None and not any(occ[0].startswith(src.prefixes) for occ in e.occurrences):
                continue
            n += 1
            k = key(e)
            if k not in wanted:
                flags = [f for f in e.flags if f != "fuzzy"]
                wanted[k] = Wanted(
                    polib.POEntry(
                        msgid=e.msgid,
                        msgctxt=e.msgctxt,
                        msgid_plural=e.msgid_plural,
                        flags=flags,
                    )
                )
            else:
                w = wanted[k].entry
                for f in e.flags:
                    if f != "fuzzy" and f not in w.flags:
                        w.flags.append(f)
                if e.msgid_plural and not w.msgid_plural:
                    w.msgid_plural = e.msgid_plural
            if src.label not in wanted[k].labels:
                wanted[k].labels.append(src.label)
        counts[src.label] = n
    return wanted, counts


def is_translated(entry: polib.POEntry | None) -> bool:
    if entry is None or entry.obsolete or "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(
            (entry.msgstr_plural.get(i) or "").strip() for i in range(len(entry.msgstr_plural))
        )
    return bool(entry.msgstr.strip())


def django_km(srcs: list[Source]) -> dict[tuple[str, str], polib.POEntry]:
    found: dict[tuple[str, str], polib.POEntry] = {}
    for src in srcs:
        path = src.po_path(LANG)
        if not path.exists():
            continue
        for e in polib.pofile(str(path)):
            if is_translated(e) and key(e) not in found:
                found[key(e)] = e
    return found


def copy_translation(dst: polib.POEntry, src: polib.POEntry) -> None:
    if dst.msgid_plural:
        if src.msgid_plural:
            dst.msgstr_plural = {0: src.msgstr_plural.get(0, "")}
        else:
            dst.msgstr_plural = {0: src.msgstr}
    else:
        dst.msgstr = src.msgstr if not src.msgid_plural else src.msgstr_plural.get(0, "")


def placeholders(text: str) -> list[str]:
    found = [p for p in _PERCENT_RE.findall(text) if p != "%%"]
    found += _BRACE_RE.findall(text)
    return sorted(found)


def placeholder_problems(entry: polib.POEntry) -> str | None:
    """Return a message if a translation's placeholders don't fit its msgid's.

    Named (``%(x)s``) and brace (``{x}``) placeholders must all come from the
    msgid (or msgid_plural) and none of the msgid_plural's (for plural entries,
    Khmer's single form) or msgid's may be dropped; positional ``%s``
    placeholders must match in number and order.
    """
    if not is_translated(entry) or "no-python-format" in entry.flags:
        return None
    source = entry.msgid_plural or entry.msgid
    # Without a format flag gettext treats '%' literally; only compare when the
    # msgid actually contains placeholders.
    has_flag = "python-format" in entry.flags or "python-brace-format" in entry.flags
    if not has_flag and not placeholders(entry.msgid) and not placeholders(source):
        return None
    required = placeholders(source)
    allowed = set(placeholders(entry.msgid)) | set(required)
    strs = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
    for s in strs:
        got = placeholders(s)
        extra = sorted(set(got) - allowed)
        lost = sorted({p for p in required if p.startswith(("%(", "{"))} - set(got))
        positional = [p for p in got if not p.startswith(("%(", "{"))]
        wanted_pos = [
            [p for p in _PERCENT_RE.findall(t) if p != "%%" and not p.startswith("%(")] for t in (entry.msgid, source)
        ]
        if extra:
            return f"unknown placeholder(s) {extra}"
        if lost:
            return f"missing placeholder(s) {lost}"
        if positional not in wanted_pos:
            return f"positional placeholders {positional} != {wanted_pos[-1]}"
    return None


def build(check: bool) -> int:
    srcs = sources()
    wanted, counts = collect(srcs)
    print("Entries collected per source:")
    for label, n in counts.items():
        print(f"  {label:28} {n:5}")
    print(f"  {'unique (msgctxt, msgid)':28} {len(wanted):5}")

    existing: dict[tuple[str, str], polib.POEntry] = {}
    existing_meta: dict[str, str] = {}
    if TARGET_PO.exists():
        current = polib.pofile(str(TARGET_PO))
        existing = {key(e): e for e in current if not e.obsolete}
        existing_meta = dict(current.metadata)

    if check:
        return run_check(wanted, existing)

    km = django_km(srcs)
    po = polib.POFile(wrapwidth=78)
    po.header = (
        "Khmer translations of Django and django-allauth strings that their own\n"
        "catalogues lack. Generated by scripts/vendor_messages.py; edit msgstr only.\n"
        "Machine-drafted: to be reviewed by a Khmer-speaking PES officer."
    )
    po.metadata = {**DEFAULT_HEADER, **existing_meta, **HEADER}
    stats = {"kept": 0, "django-km": 0, "empty": 0}
    for k in sorted(wanted, key=lambda k: (k[1], k[0])):
        w = wanted[k]
        entry = w.entry
        entry.comment = "source: " + ", ".join(w.labels)
        if entry.msgid_plural:
            entry.msgstr_plural = {0: ""}
        old = existing.get(k)
        if old is not None and is_translated(old):
            copy_translation(entry, old)
            stats["kept"] += 1
        elif k in km:
            copy_translation(entry, km[k])
            stats["django-km"] += 1
        else:
            stats["empty"] += 1
        po.append(entry)

    dropped = [k for k in existing if k not in wanted]
    TARGET_PO.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(TARGET_PO))
    po.save_as_mofile(str(TARGET_MO))
    print(
        f"Wrote {TARGET_PO.relative_to(REPO_ROOT)} ({len(po)} entries: "
        f"{stats['kept']} kept, {stats['django-km']} from Django km, "
        f"{stats['empty']} untranslated; {len(dropped)} stale entries dropped) "
        f"and {TARGET_MO.name}"
    )
    return 0


def run_check(wanted: dict[tuple[str, str], Wanted], existing: dict[tuple[str, str], polib.POEntry]) -> int:
    status = 0
    missing = []
    for k in sorted(wanted, key=lambda k: (k[1], k[0])):
        if not is_translated(existing.get(k)):
            missing.append(k)
    if missing:
        status = 1
        print(f"\n{len(missing)} msgid(s) missing or untranslated in {TARGET_PO.relative_to(REPO_ROOT)}:")
        for ctx, msgid in missing:
            print(f"  {'[' + ctx + '] ' if ctx else ''}{msgid!r}")

    bad = [(k, p) for k in sorted(wanted) if k in existing for p in [placeholder_problems(existing[k])] if p]
    if bad:
        status = 1
        print(f"\n{len(bad)} translation(s) with mismatching placeholders:")
        for (ctx, msgid), problem in bad:
            print(f"  {'[' + ctx + '] ' if ctx else ''}{msgid!r}: {problem}")

    stale = [k for k in existing if k not in wanted]
    if stale:
        print(f"\nnote: {len(stale)} entries no longer in the sources (run the script to drop them).")

    # The .mo is built from the .po by `make messages` (msgfmt) and not kept in git, so it is not checked here.

    if status == 0:
        print("\nOK: every entry is translated.")
    else:
        print(
            "\nFix: run `python scripts/vendor_messages.py` (adds new msgids, drops stale ones,"
            " recompiles the .mo), translate any empty msgstr, then run it again."
        )
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if any needed msgid is missing or untranslated",
    )
    args = parser.parse_args(argv)
    return build(check=args.check)


if __name__ == "__main__":
    sys.exit(main())
