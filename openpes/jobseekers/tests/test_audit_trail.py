"""S8 for the jobseeker pages: every read and change of personal data leaves one audit row, and no audit
row ever holds a national ID or a phone number in clear."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from openpes.audit.enums import AuditAction
from openpes.audit.models import AuditEvent
from openpes.jobseekers.models import JobSeeker
from openpes.jobseekers.tests.factories import JobSeekerFactory
from openpes.jobseekers.tests.files import PDF, upload

pytestmark = pytest.mark.django_db

# Canaries: if any of these digit strings shows up in an audit row, personal data leaked into the log.
NATIONAL_ID = "031415926"
PHONE = "+85516271828"
PHONE_DIGITS = ("16271828", "016271828", "85516271828")


def _audit_dump():
    return " ".join(str(model_to_dict(row)) + str(row.detail) for row in AuditEvent.objects.all())


def test_a_day_of_work_on_a_record_is_fully_audited_without_ids_or_phones_in_clear(en, cast):
    existing = JobSeekerFactory(name_latin="Sok Sreymom", date_of_birth="1995-03-02", phone=PHONE,
                                national_id=NATIONAL_ID)  # fmt: skip
    en.force_login(cast.counsellor_pursat)

    def count(action):
        return AuditEvent.objects.filter(action=action, actor_id=cast.counsellor_pursat.pk).count()

    en.get(reverse("jobseekers:list"), {"q": "016 271 828"})
    assert count(AuditAction.LIST) == 1
    en.get(reverse("jobseekers:list"), {"q": NATIONAL_ID})
    assert count(AuditAction.LIST) == 2

    en.get(reverse("jobseekers:detail", args=[existing.pk]))
    assert count(AuditAction.VIEW) == 1
    en.get(reverse("jobseekers:edit_section", args=[existing.pk, "contact"]))
    assert count(AuditAction.VIEW) == 2

    en.post(
        reverse("jobseekers:edit_section", args=[existing.pk, "contact"]),
        {"phone": "016 271 829", "phone_alt": "016 271 828", "email": "", "province": existing.province_id,
         "address": ""},
    )  # fmt: skip
    assert count(AuditAction.UPDATE) == 1

    en.post(
        reverse("jobseekers:register"),
        {"name_latin": "Sreymom Sokh", "sex": "F", "date_of_birth": "1995-03-02", "national_id": NATIONAL_ID,
         "phone": "016271828", "province": existing.province_id, "channel": "centre", "consent_method": "verbal",
         "consent": "on"},
    )  # fmt: skip
    assert count(AuditAction.LIST) == 3  # the possible duplicates shown
    assert JobSeeker.objects.count() == 1

    en.post(reverse("jobseekers:edit_section", args=[existing.pk, "cv"]), {"file": upload("cv.pdf", PDF)})
    assert count(AuditAction.CREATE) == 1
    document = existing.documents.get()
    response = en.get(reverse("jobseekers:cv_download", args=[document.pk]))
    b"".join(response.streaming_content)  # read to the end: the test client then closes the file
    assert count(AuditAction.DOWNLOAD) == 1

    dump = _audit_dump()
    assert NATIONAL_ID not in dump
    for digits in PHONE_DIGITS:
        assert digits not in dump
    assert "016271829" not in dump and "16271829" not in dump


def test_self_sign_up_and_profile_changes_keep_phones_out_of_the_audit(en, cast):
    en.post(
        reverse("account_signup"),
        {"name_latin": "Sok Sreymom", "sex": "F", "date_of_birth": "1998-04-13", "province": cast.pursat.province_id,
         "phone": "016 271 828", "email": "", "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase",
         "consent": "on"},
    )  # fmt: skip
    jobseeker = JobSeeker.objects.get()
    en.post(
        reverse("jobseekers:my_section", args=["personal"]),
        {"name_latin": "Sok Sreymom", "sex": "F", "date_of_birth": "1998-04-13", "national_id": NATIONAL_ID},
    )
    en.get(reverse("jobseekers:my_profile"))

    actions = sorted(AuditEvent.objects.filter(subject_id=str(jobseeker.pk)).values_list("action", flat=True))
    assert actions == sorted([AuditAction.CREATE, AuditAction.UPDATE, AuditAction.VIEW])
    dump = _audit_dump()
    assert NATIONAL_ID not in dump
    for digits in PHONE_DIGITS:
        assert digits not in dump
