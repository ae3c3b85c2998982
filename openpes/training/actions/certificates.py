"""Certificates of participation and achievement: issue, render to PDF (Khmer and English), verify."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpes.accounts.models import User
from openpes.training.models import Certificate, Course, Event


def issue_certificates(
    *, actor: Any, kind: str, people: Iterable[User], course: Course | None = None, event: Event | None = None
) -> list[Certificate]:
    """Issue (idempotently) one certificate per person for a course or an event; returns them."""
    raise NotImplementedError


def render_certificate_pdf(certificate: Certificate, *, language: str) -> bytes:
    raise NotImplementedError
