"""P6: render 100 Khmer certificates of achievement to PDF; goal ≤ 30 s.

    .venv/bin/python bench/certificates.py [--count 100] [--language km] [--zip]

Builds a throw-away SQLite database (migrated from zero, geography loaded), 100 staff with Khmer names and a
course with a long Khmer title, issues their certificates, then times `render_certificate_pdf` for each (one
process, one core) — the same call the download and batch (zip) pages make. The first render pays for
loading the Khmer segmenter and the fonts; it is reported apart and included in the total.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GIVEN = ["សុភា", "ស្រីពេជ្រ", "វិចិត្រ", "ចាន់ថា", "សុខា", "រតនា", "ពិសិដ្ឋ", "បុប្ផា", "សំណាង", "ច័ន្ទមុនី"]
FAMILY = ["កែវ", "សុខ", "ចាន់", "លី", "ហេង", "ម៉ៅ", "ឈឹម", "ស៊ុន", "ប៊ុន", "អ៊ុំ"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--language", choices=["km", "en"], default="km")
    parser.add_argument("--zip", action="store_true", help="also time the batch zip of all of them")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="openpes-bench-certificates-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpes.settings")
    os.environ["OPENPES_ENV"] = "test"
    os.environ["OPENPES_VAR_DIR"] = folder
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from openpes.accounts.enums import Role
    from openpes.accounts.models import User
    from openpes.centres.models import JobCentre
    from openpes.geography.loaders import load_geography
    from openpes.geography.models import Province
    from openpes.training.actions.certificates import certificates_zip, issue_certificates, render_certificate_pdf
    from openpes.training.models import Course, Programme

    load_geography()
    centre = JobCentre.objects.create(
        code="jc-15", name_km="មជ្ឈមណ្ឌលការងារពោធិ៍សាត់", name_en="Pursat", province=Province.objects.get(code="15")
    )
    people = [
        User.objects.create_user(
            email=f"official{n}@bench.example",
            full_name=f"{FAMILY[n % len(FAMILY)]} {GIVEN[(n // len(FAMILY)) % len(GIVEN)]}",
            role=Role.COUNSELLOR,
            centre=centre,
        )
        for n in range(args.count)
    ]
    programme = Programme.objects.create(
        title_km="ការកសាងសមត្ថភាពមន្ត្រីសេវាការងារសាធារណៈ", title_en="PES staff capacity building"
    )
    course = Course.objects.create(
        programme=programme,
        title_km="សេវាការងារផ្តោតលើអតិថិជន និងបរិយាប័ន្ន សម្រាប់អ្នកស្វែងរកការងារគ្រប់រូប រួមទាំងជនមានពិការភាព",
        title_en="Client-centred, inclusive employment services for every jobseeker, including persons "
        "with disabilities",
        hours=6,
        is_published=True,
    )
    certificates = issue_certificates(actor=None, kind="achievement", people=people, course=course)

    timings = []
    size = 0
    started = time.perf_counter()
    for certificate in certificates:
        one = time.perf_counter()
        size += len(render_certificate_pdf(certificate, language=args.language))
        timings.append(time.perf_counter() - one)
    total = time.perf_counter() - started
    steady = timings[1:] or timings
    print(f"P6 certificates ({args.language}): {len(certificates)} PDFs in {total:.1f} s (goal ≤ 30 s)")
    print(f"  first {timings[0]:.2f} s (loads segmenter and fonts); then median {statistics.median(steady):.3f} s, ")
    print(f"  max {max(steady):.3f} s per certificate; average size {size / len(certificates) / 1024:.0f} KB")
    if args.zip:
        started = time.perf_counter()
        archive = certificates_zip(certificates, language=args.language)
        print(f"  batch zip: {len(archive) / 1024 / 1024:.1f} MB in {time.perf_counter() - started:.1f} s")
    print("PASS" if total <= 30 else "FAIL")


if __name__ == "__main__":
    main()
