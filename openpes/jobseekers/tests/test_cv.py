"""CV upload, download and deletion (S11): types decided by content, hostile files refused, files served
only as attachments to people allowed to see them, every download audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openpes.applications.tests.factories import ApplicationFactory
from openpes.audit.enums import AuditAction
from openpes.audit.models import AuditEvent
from openpes.employers.tests.factories import EmployerMemberFactory
from openpes.jobseekers.enums import EventKind
from openpes.jobseekers.models import Document
from openpes.jobseekers.tests.factories import JobSeekerFactory
from openpes.jobseekers.tests.files import GOOD, HOSTILE, PDF, upload
from openpes.vacancies.tests.factories import VacancyFactory

pytestmark = pytest.mark.django_db

MESSAGES = {
    "file_type": "This file cannot be accepted. Upload a PDF, a Word document (.docx) or a photo (JPEG or PNG).",
    "pdf": "This PDF contains scripts, attachments or encryption.",
    "docx": "This document contains macros or embedded programs.",
    "file_size": "The file is too large: the limit is 5 MB.",
    "empty": "The file is empty.",
}


@pytest.fixture
def me(cast, en):
    jobseeker = JobSeekerFactory(user=cast.jobseeker_a)
    en.force_login(cast.jobseeker_a)
    return jobseeker


def _cv_url():
    return reverse("jobseekers:my_section", args=["cv"])


def _files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize("kind", sorted(GOOD))
def test_a_pdf_docx_jpeg_or_png_cv_is_stored_under_a_random_name(en, me, private_media, kind):
    name, data, content_type = GOOD[kind]

    response = en.post(_cv_url(), {"file": upload(name, data, content_type)})

    assert response.status_code == 302
    document = Document.objects.get(jobseeker=me)
    assert document.original_name == name
    stored = str(document.file.name)
    assert name not in stored and stored.startswith("cv/")
    assert [p.read_bytes() for p in _files(private_media)] == [data]
    assert me.events.filter(kind=EventKind.CV_UPLOADED).exists()
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="jobseekers.document").exists()


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_files_are_refused_with_a_clear_error_and_nothing_is_stored(en, me, private_media, case):
    name, data, code = HOSTILE[case]

    response = en.post(_cv_url(), {"file": upload(name, data)})

    assert response.status_code == 200
    assert MESSAGES[code] in response.content.decode()
    assert not Document.objects.exists()
    assert _files(private_media) == []
    assert not me.events.filter(kind=EventKind.CV_UPLOADED).exists()


def test_posting_without_a_file_asks_for_one(en, me):
    assert "Choose a file to upload." in en.post(_cv_url(), {}).content.decode()


def _stored_cv(jobseeker, name="Sreymom CV.pdf"):
    from openpes.jobseekers import actions
    from openpes.lib.uploads import check_upload

    return actions.attach_cv(
        actor=None, jobseeker=jobseeker, checked=check_upload(upload(name, PDF)), original_name=name
    )


def _download(client, document):
    response = client.get(reverse("jobseekers:cv_download", args=[document.pk]))
    # Reading a streamed response to the end closes it (and the file); closing it again would also close the
    # database connection of the test's transaction.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_the_person_downloads_their_cv_as_an_attachment_with_safe_headers_and_an_audit_row(en, me):
    document = _stored_cv(me)

    response, body = _download(en, document)

    assert response.status_code == 200
    assert body == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Sreymom CV.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Content-Type"] == "application/pdf"
    audit = AuditEvent.objects.get(action=AuditAction.DOWNLOAD)
    assert (audit.actor_id, audit.object_id, audit.subject_id) == (me.user_id, str(document.pk), str(me.pk))


def test_the_cv_page_lists_the_files_with_download_and_delete(en, me):
    document = _stored_cv(me)
    page = en.get(_cv_url()).content.decode()
    assert reverse("jobseekers:cv_download", args=[document.pk]) in page
    assert reverse("jobseekers:cv_delete", args=[document.pk]) in page
    assert 'enctype="multipart/form-data"' in page


def test_another_jobseeker_cannot_open_or_delete_my_cv(client, me, cast):
    document = _stored_cv(me)
    JobSeekerFactory(user=cast.jobseeker_b)
    client.force_login(cast.jobseeker_b)
    assert _download(client, document)[0].status_code == 404
    assert client.post(reverse("jobseekers:cv_delete", args=[document.pk])).status_code == 404
    assert Document.objects.filter(pk=document.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.DOWNLOAD).exists()


@pytest.mark.parametrize(("who", "status"), [("counsellor_pursat", 200), ("manager_pursat", 200), ("national", 200),
                                             ("counsellor_battambang", 404), ("manager_battambang", 404),
                                             ("trainer", 404), ("employer_a", 404), ("deactivated", 302)])  # fmt: skip
def test_who_may_download_a_cv(client, me, cast, who, status):
    document = _stored_cv(me)
    client.force_login(getattr(cast, who))
    assert _download(client, document)[0].status_code == status
    assert AuditEvent.objects.filter(action=AuditAction.DOWNLOAD).count() == (1 if status == 200 else 0)


def test_an_employer_the_person_applied_to_may_download_the_cv_but_not_delete_it(client, me, cast):
    document = _stored_cv(me)
    vacancy = VacancyFactory()
    EmployerMemberFactory(employer=vacancy.employer, user=cast.employer_a)
    ApplicationFactory(vacancy=vacancy, jobseeker=me)
    client.force_login(cast.employer_a)

    assert _download(client, document)[0].status_code == 200
    assert client.post(reverse("jobseekers:cv_delete", args=[document.pk])).status_code == 403
    assert Document.objects.filter(pk=document.pk).exists()


def test_the_person_deletes_their_cv_and_the_file_goes_too(en, me, private_media, django_capture_on_commit_callbacks):
    document = _stored_cv(me)
    with django_capture_on_commit_callbacks(execute=True):
        response = en.post(reverse("jobseekers:cv_delete", args=[document.pk]))
    assert response.status_code == 302
    assert not Document.objects.exists()
    assert _files(private_media) == []
    assert AuditEvent.objects.filter(action=AuditAction.DELETE, object_type="jobseekers.document").exists()


def test_a_counsellor_uploads_a_cv_for_a_person_in_their_centre_but_not_elsewhere(client, cast):
    jobseeker = JobSeekerFactory()
    url = reverse("jobseekers:edit_section", args=[jobseeker.pk, "cv"])
    client.force_login(cast.counsellor_battambang)
    assert client.post(url, {"file": upload("cv.pdf", PDF)}).status_code == 404
    client.force_login(cast.counsellor_pursat)
    assert client.post(url, {"file": upload("cv.pdf", PDF)}).status_code == 302
    assert Document.objects.get().uploaded_by == cast.counsellor_pursat


def test_a_file_name_with_folders_or_control_characters_is_cleaned(en, me):
    en.post(_cv_url(), {"file": upload("cv\r\nSet-Cookie: x.pdf", PDF)})
    name = Document.objects.get().original_name
    assert "\r" not in name and "\n" not in name
