"""`manage.py import_jobseekers`: the same checks and the same all-or-nothing save, from the shell."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from openpes.audit.enums import AuditAction
from openpes.audit.models import AuditEvent
from openpes.jobseekers.models import JobSeeker

pytestmark = pytest.mark.django_db

CSV = (
    "name_km,name_latin,sex,date_of_birth,phone,province,consent\n"
    "សុខ ស្រីមុំ,Sok Sreymom,F,1995-03-14,012345678,15,yes\n"
    "ចាន់ ដារ៉ា,Chan Dara,M,1990-01-01,012345678,15,yes\n"
    ",Sokh Srey Mom,F,1995-03-14,,15,yes\n"
    ",Ly Visal,M,1992-02-02,,15,no\n"
)


@pytest.fixture
def path(tmp_path):
    file = tmp_path / "fair.csv"
    file.write_text(CSV, encoding="utf-8")
    return file


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_jobseekers", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_reports_every_problem_and_saves_nothing(cast, path):
    out = run(str(path), "--centre", "jc-15", "--dry-run")
    assert "row 3 REJECTED [phone]: Same phone number as row 2 of this file." in out
    assert "row 4 FLAGGED: Similar name and the same date of birth as row 2 of this file." in out
    assert "row 5 REJECTED [consent]: No consent" in out
    assert "4 rows: 1 accepted, 1 flagged, 2 rejected" in out
    assert "Dry run: 1 rows would be imported into jc-15; nothing saved." in out
    assert not JobSeeker.objects.exists()


def test_importing_saves_accepted_rows_and_flagged_rows_named_on_the_command_line(cast, path):
    out = run(str(path), "--centre", "jc-02", "--import-anyway", "4", "--user", cast.counsellor_battambang.email)
    assert "Imported 2 jobseekers into jc-02" in out
    assert set(JobSeeker.objects.values_list("name_latin", "owner_centre__code", "registered_by")) == {
        ("Sok Sreymom", "jc-02", cast.counsellor_battambang.pk),
        ("Sokh Srey Mom", "jc-02", cast.counsellor_battambang.pk),
    }
    assert AuditEvent.objects.get(action=AuditAction.IMPORT).count == 2


def test_bad_arguments_and_bad_files_stop_with_a_message(cast, path, tmp_path):
    with pytest.raises(CommandError, match="No active job centre"):
        run(str(path), "--centre", "jc-99")
    with pytest.raises(CommandError, match="These rows are not flagged: 2"):
        run(str(path), "--centre", "jc-15", "--import-anyway", "2")
    with pytest.raises(CommandError, match="No active staff member"):
        run(str(path), "--centre", "jc-15", "--user", cast.jobseeker_a.email)
    bad = tmp_path / "bad.csv"
    bad.write_bytes("name_latin,sex\nChéa,F\n".encode("cp1252"))
    with pytest.raises(CommandError, match="not in UTF-8"):
        run(str(bad), "--centre", "jc-15")
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "missing.csv"), "--centre", "jc-15")
    assert not JobSeeker.objects.exists()
