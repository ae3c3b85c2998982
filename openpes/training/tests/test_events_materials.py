"""Session materials: uploads checked by content, downloaded as attachments by participants only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openpes.audit.models import AuditEvent
from openpes.training.models import Material
from openpes.training.tests.events_helpers import enrol, staff
from openpes.training.tests.factories import EventFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def event(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = EventFactory()
    event.facilitators.add(cast.trainer)
    return event


def _upload(client, event, name="slides.pdf", data=PDF, title="Slides day 1"):
    return client.post(
        reverse("training:material_new", args=[event.pk]),
        {"title": title, "file": SimpleUploadedFile(name, data, content_type="application/pdf")},
    )


def test_a_facilitator_uploads_a_pdf_stored_under_a_random_name(client, event, cast):
    client.force_login(cast.trainer)
    response = _upload(client, event)
    assert response.status_code == 302
    material = Material.objects.get()
    assert material.content_type == "application/pdf"
    name = str(material.file.name)
    assert "slides" not in name and name.startswith("training/materials/")


def test_a_disguised_or_active_file_is_refused(client, event, cast):
    client.force_login(cast.trainer)
    response = _upload(client, event, name="notes.pdf", data=b"<script>alert(1)</script>")
    assert response.status_code == 200
    assert "This file cannot be accepted" in response.content.decode()
    response = _upload(client, event, data=b"%PDF-1.4\n/JavaScript (app.alert(1))\n%%EOF\n")
    assert "contains scripts" in response.content.decode()
    assert not Material.objects.exists()


def test_participants_download_as_an_attachment_and_others_get_404(client, event, cast):
    client.force_login(cast.trainer)
    _upload(client, event)
    material = Material.objects.get()
    participant = staff()
    enrol(event, participant)
    client.force_login(participant)
    response = client.get(reverse("training:material_download", args=[material.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF
    assert AuditEvent.objects.filter(object_type="training.material", action="download").count() == 1
    client.force_login(cast.counsellor_battambang)
    assert client.get(reverse("training:material_download", args=[material.pk])).status_code == 404


def test_only_those_who_run_the_event_upload_or_delete(client, event, cast):
    participant = staff()
    enrol(event, participant)
    client.force_login(participant)
    assert _upload(client, event).status_code == 404
    client.force_login(cast.trainer)
    _upload(client, event)
    material = Material.objects.get()
    client.force_login(participant)
    assert client.post(reverse("training:material_delete", args=[material.pk])).status_code == 404
    client.force_login(cast.trainer)
    client.post(reverse("training:material_delete", args=[material.pk]))
    assert not Material.objects.exists()
