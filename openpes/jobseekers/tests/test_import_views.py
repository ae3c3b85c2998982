"""Import pages: upload → review → confirm (or cancel), for counsellors and managers only."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openpes.audit.enums import AuditAction
from openpes.audit.models import AuditEvent
from openpes.jobseekers import importing
from openpes.jobseekers.importing import store
from openpes.jobseekers.models import JobSeeker
from openpes.jobseekers.tests.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

HEADER = "name_km,name_latin,sex,date_of_birth,phone,national_id,province,channel,consent,notes\n"
GOOD_LINES = [
    "សុខ ស្រីមុំ,Sok Sreymom,F,1995-03-14,012345678,010203040,15,fair,yes,",
    "ចាន់ ដារ៉ា,Chan Dara,M,1990-01-01,,,15,fair,yes,",
]
FLAGGED_LINE = ",Keo Sopheap,M,1991-05-05,,,15,fair,yes,"  # similar to a registered Keo Sophea born that day
REJECTED_LINE = ",Ly Visal,M,1992-02-02,,,15,fair,no,"  # no consent


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.JOBSEEKER_IMPORT_DIR = tmp_path / "imports"
    return settings.JOBSEEKER_IMPORT_DIR


@pytest.fixture
def registered(reference):
    return JobSeekerFactory(name_km="", name_latin="Keo Sophea", date_of_birth=datetime.date(1991, 5, 5), phone="")


def upload(client, lines, name="fair.csv"):
    data = (HEADER + "\n".join(lines) + "\n").encode()
    return client.post(reverse("jobseekers:import"), {"file": SimpleUploadedFile(name, data, "text/csv")})


def review_url(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    assert re.fullmatch(r"/jobseekers/import/[A-Za-z0-9_-]{32}/", response["Location"])
    return response["Location"]


def test_a_counsellor_uploads_checks_and_confirms_and_ticked_flagged_rows_are_imported(client, cast, registered):
    client.force_login(cast.counsellor_pursat)
    page = client.get(reverse("jobseekers:import"))
    assert page.status_code == 200
    assert "date_of_birth" in page.content.decode()  # the file layout is explained

    url = review_url(upload(client, [*GOOD_LINES, FLAGGED_LINE, REJECTED_LINE]))
    assert not JobSeeker.objects.exclude(pk=registered.pk).exists()  # checking saves nothing

    review = client.get(url)
    text = review.content.decode()
    assert review.status_code == 200
    assert review.context["pending"].counts == {"accepted": 2, "flagged": 1, "rejected": 1}
    assert "No consent: a person&#x27;s data can be kept only if they agreed." in text
    assert f"Similar name and the same date of birth as jobseeker #{registered.pk}." in text
    assert "notes" in text  # the ignored column is named
    assert reverse("jobseekers:detail", args=[registered.pk]) in text  # in the counsellor's centre: linked

    done = client.post(url, {"confirm": "1", "import_anyway": ["4"]})
    assert done.status_code == 302
    imported = JobSeeker.objects.exclude(pk=registered.pk)
    assert sorted(imported.values_list("name_latin", flat=True)) == ["Chan Dara", "Keo Sopheap", "Sok Sreymom"]
    assert set(imported.values_list("owner_centre", flat=True)) == {cast.pursat.pk}
    (audit,) = AuditEvent.objects.filter(action=AuditAction.IMPORT)
    assert audit.count == 3
    assert audit.detail["imported_anyway"] == 1
    assert "3 jobseekers were imported" in client.get(done["Location"]).content.decode()
    assert client.get(url).status_code == 404  # the checked rows are gone
    assert client.post(url, {"confirm": "1"}).status_code == 404  # a second click imports nothing twice
    assert imported.count() == 3


def test_flagged_rows_are_left_out_unless_ticked(client, cast, registered):
    client.force_login(cast.manager_pursat)
    url = review_url(upload(client, [*GOOD_LINES, FLAGGED_LINE]))
    client.post(url, {"confirm": "1"})
    assert not JobSeeker.objects.filter(name_latin="Keo Sopheap").exists()
    assert JobSeeker.objects.filter(name_latin__in=["Sok Sreymom", "Chan Dara"], owner_centre=cast.pursat).count() == 2


def test_only_flagged_rows_can_be_ticked(client, cast, registered):
    client.force_login(cast.counsellor_pursat)
    url = review_url(upload(client, [*GOOD_LINES, FLAGGED_LINE, REJECTED_LINE]))
    response = client.post(url, {"confirm": "1", "import_anyway": ["5"]})  # row 5 was rejected
    assert response.status_code == 200
    assert not JobSeeker.objects.filter(name_latin="Ly Visal").exists()
    assert JobSeeker.objects.count() == 1


def test_cancelling_saves_nothing_and_forgets_the_rows(client, cast, import_dir):
    client.force_login(cast.counsellor_pursat)
    url = review_url(upload(client, GOOD_LINES))
    assert len(list(import_dir.iterdir())) == 2
    response = client.post(url, {"cancel": "1"})
    assert response.status_code == 302
    assert not JobSeeker.objects.exists()
    assert list(import_dir.iterdir()) == []
    assert "Nothing was saved" in client.get(response["Location"]).content.decode()


def test_when_nothing_can_be_imported_confirming_says_so(client, cast):
    client.force_login(cast.counsellor_pursat)
    url = review_url(upload(client, [REJECTED_LINE]))
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 200
    assert "There is nothing to import" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()


def test_a_malformed_file_gets_a_clear_error_on_the_upload_page_and_nothing_is_kept(client, cast, import_dir):
    client.force_login(cast.counsellor_pursat)
    response = client.post(
        reverse("jobseekers:import"), {"file": SimpleUploadedFile("cv.pdf", b"%PDF-1.7 ...", "application/pdf")}
    )
    assert response.status_code == 200
    assert "This is not a CSV or Excel (.xlsx) file." in response.content.decode()
    assert not import_dir.exists() or list(import_dir.iterdir()) == []
    missing = client.post(reverse("jobseekers:import"), {})
    assert "This field is required." in missing.content.decode()


def test_the_stored_rows_live_outside_the_web_root_and_only_as_checked_rows(client, cast, import_dir):
    client.force_login(cast.counsellor_pursat)
    review_url(upload(client, [*GOOD_LINES, REJECTED_LINE]))
    files = sorted(p.name for p in import_dir.iterdir())
    assert [name.split(".", 1)[1] for name in files] == ["json", "rows.json.gz"]
    assert all((import_dir / name).stat().st_mode & 0o077 == 0 for name in files)  # private to the app
    meta = (import_dir / files[0]).read_text()
    assert "Ly Visal" in meta and "1992-02-02" not in meta  # rejected rows: the name to find them, no data


def test_another_counsellor_or_a_guessed_token_gets_404(client, cast):
    client.force_login(cast.counsellor_pursat)
    url = review_url(upload(client, GOOD_LINES))
    client.force_login(cast.manager_pursat)  # even their own manager
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": "1"}).status_code == 404
    assert not JobSeeker.objects.exists()
    for token in ["A" * 32, "..%2F..%2Fsettings", "x"]:
        assert client.get(f"/jobseekers/import/{token}/").status_code == 404


def test_checked_rows_expire_after_two_hours(client, cast, monkeypatch):
    client.force_login(cast.counsellor_pursat)
    url = review_url(upload(client, GOOD_LINES))
    monkeypatch.setattr(store, "STORE_TTL", datetime.timedelta(seconds=-1))
    assert client.get(url).status_code == 404


def test_a_record_registered_meanwhile_sends_the_counsellor_back_to_the_review(client, cast):
    client.force_login(cast.counsellor_pursat)
    url = review_url(upload(client, GOOD_LINES))
    other = JobSeekerFactory(phone="+85512345678")
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url)
    assert page.context["pending"].counts == {"accepted": 1, "flagged": 0, "rejected": 1}
    assert f"Same phone number as jobseeker #{other.pk}" in page.content.decode()
    assert JobSeeker.objects.count() == 1
    client.post(url, {"confirm": "1"})
    assert JobSeeker.objects.filter(name_latin="Chan Dara").exists()


@pytest.mark.parametrize("who", ["jobseeker_a", "employer_a", "trainer", "coordinator", "national", "admin"])
def test_people_who_do_not_register_jobseekers_are_refused(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("jobseekers:import")).status_code == 403
    assert upload(client, GOOD_LINES).status_code == 403
    assert client.get(reverse("jobseekers:import_review", args=["A" * 32])).status_code == 403
    assert not JobSeeker.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, reference):
    response = client.get(reverse("jobseekers:import"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_empty_file_with_the_column_names_can_be_downloaded(client, cast):
    client.force_login(cast.counsellor_pursat)
    response = client.get(reverse("jobseekers:import") + "?template=csv")
    assert response["Content-Disposition"] == 'attachment; filename="jobseekers-import.csv"'
    assert response.content.decode("utf-8-sig").strip() == ",".join(c.name for c in importing.COLUMNS)


def test_the_review_page_needs_few_queries_however_many_rows_need_a_look(client, cast, django_assert_max_num_queries):
    client.force_login(cast.counsellor_pursat)
    lines = [f",Person {chr(65 + i % 26)}{chr(65 + i // 26)},M,1990-01-01,,,15,fair,no," for i in range(300)]
    lines += [",Twin Sister,F,1991-01-01,,,15,fair,yes,"] * 40
    url = review_url(upload(client, lines))
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.context["pending"].counts == {"accepted": 1, "flagged": 39, "rejected": 300}
    assert len(page.context["rejected"]) == 50  # paginated


def test_a_very_long_list_of_rows_to_decide_on_is_cut_and_the_rest_is_left_out(client, cast, monkeypatch):
    from openpes.jobseekers import views_import

    monkeypatch.setattr(views_import, "FLAGGED_SHOWN", 2)
    client.force_login(cast.counsellor_pursat)
    url = review_url(upload(client, [",Twin Sister,F,1991-01-01,,,15,fair,yes,"] * 5))  # rows 3–6 flagged
    page = client.get(url)
    assert [row["row"] for row in page.context["flagged"]] == [3, 4]
    assert "The 2 other rows are left out of this import" in page.content.decode()
    assert client.post(url, {"confirm": "1", "import_anyway": ["6"]}).status_code == 200  # not offered
    assert not JobSeeker.objects.exists()
    client.post(url, {"confirm": "1", "import_anyway": ["4"]})
    assert JobSeeker.objects.count() == 2


def test_a_job_title_coded_by_the_isco_coder_is_imported_only_once_the_counsellor_confirms_it(client, cast, reference):
    client.force_login(cast.counsellor_pursat)
    data = (
        b"name_km,name_latin,sex,date_of_birth,province,desired_occupation,consent\n"
        b",Chan Dara,M,1990-01-01,15,sewing machine operator,yes\n"
    )
    url = review_url(client.post(reverse("jobseekers:import"), {"file": SimpleUploadedFile("f.csv", data, "text/csv")}))
    text = client.get(url).content.decode()
    assert "Occupation coded from the job title “sewing machine operator” as ISCO-08 8153" in text
    assert "Import: the occupation code is right" in text
    assert "this is a different person" not in text
    assert client.post(url, {"confirm": "1", "import_anyway": ["2"]}).status_code == 302
    person = JobSeeker.objects.get(name_latin="Chan Dara")
    assert list(person.desired_occupations.values_list("isco_group__code", flat=True)) == ["8153"]
