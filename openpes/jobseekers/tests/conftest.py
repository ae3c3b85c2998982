"""Fixtures for the jobseeker pages: English pages, private files in a temporary folder, a few ESCO skills."""

from __future__ import annotations

import pytest

from openpes.taxonomy.models import Skill


@pytest.fixture
def en(client):
    """A test client that asks for English pages (the default language is Khmer)."""
    client.cookies["openpes_language"] = "en"
    return client


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


@pytest.fixture
def skills(reference):
    return {
        label: Skill.objects.create(uri=f"http://data.europa.eu/esco/skill/test-{n}", label_en=label)
        for n, label in enumerate(["sew garments", "drive a forklift", "use a sewing machine", "speak Thai"])
    }
