"""Certificates of participation and achievement: issue, render to PDF (Khmer and English), verify.

The PDF is drawn by WeasyPrint on A4 landscape with Noto Sans Khmer embedded (the same woff2 files the site
serves). WeasyPrint has no Khmer word dictionary, so every Khmer run is split into words with U+200B by
`openpes.lib.khmer.with_word_breaks` before rendering, and lines wrap between words. A QR code (SVG, drawn
here, no network) and the printed code lead to the public verification page.
"""

from __future__ import annotations

import io
import secrets
import zipfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from openpes.accounts.models import User
from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.lib.i18n import pick
from openpes.lib.khmer import with_word_breaks
from openpes.training.enums import CertificateKind
from openpes.training.models import Certificate, Course, Event

# The web font the site already serves (npm @fontsource/noto-sans-khmer): Khmer and Latin subsets.
FONT_DIR = Path(settings.BASE_DIR) / "node_modules" / "@fontsource" / "noto-sans-khmer" / "files"
# No 0/O, 1/I/L: codes are read aloud and typed from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    """A verification code such as `K7QM-3XTA-9PWE` (≈ 59 bits of randomness)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def normalise_code(text: str) -> str:
    """What a person typed (any case, spaces, missing dashes) → the stored form of a code."""
    raw = "".join(c for c in text.upper() if c in CODE_ALPHABET)
    if len(raw) != 12:
        return text.strip().upper()[:20]
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


@transaction.atomic
def issue_certificates(
    *, actor: Any, kind: str, people: Iterable[User], course: Course | None = None, event: Event | None = None
) -> list[Certificate]:
    """Issue (idempotently) one certificate per person for a course or an event; returns them in the order of
    `people`. A person who already holds this certificate keeps it (and its code), even if revoked.
    `actor` is the signed-in user who issues them, or None when the system issues one on completion."""
    if (course is None) == (event is None):
        raise ValueError("A certificate is for a course or for an event, not both or neither.")
    if kind not in CertificateKind.values:
        raise ValueError(f"Unknown certificate kind {kind!r}")
    people = list(dict.fromkeys(people))
    existing = {
        c.person_id: c
        for c in Certificate.objects.filter(
            person__in=people, course=course, event=event, kind=kind
        ).select_for_update()
    }
    issuer = actor if getattr(actor, "is_authenticated", False) else None
    new = [
        Certificate(person=person, kind=kind, course=course, event=event, code=new_code(), issued_by=issuer)
        for person in people
        if person.pk not in existing
    ]
    Certificate.objects.bulk_create(new)
    created = {c.person_id: c for c in Certificate.objects.filter(code__in=[c.code for c in new])}
    for certificate in created.values():
        record(actor=issuer, action=AuditAction.CREATE, obj=certificate, subject_id=certificate.person_id)
    existing.update(created)
    return [existing[person.pk] for person in people]


@transaction.atomic
def revoke_certificate(*, actor: User, certificate: Certificate, request: Any = None) -> Certificate:
    """Mark a certificate revoked: the verification page then says so."""
    if not certificate.revoked:
        certificate.revoked = True
        certificate.save(update_fields=["revoked"])
        record(
            actor=actor, action=AuditAction.UPDATE, obj=certificate, subject_id=certificate.person_id, request=request
        )
    return certificate


def verification_url(certificate: Certificate) -> str:
    return settings.SITE_URL + reverse("training:verify_certificate", args=[certificate.code])


def qr_png(text: str) -> str:
    """A QR code as a PNG data URL (drawn here, no network): one small image embeds faster than an SVG path
    of hundreds of squares, and `image-rendering: pixelated` keeps its modules sharp when printed."""
    import base64

    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=4, border=1)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def certificate_title(certificate: Certificate, language: str) -> str:
    subject = certificate.course or certificate.event
    assert subject is not None  # the database constraint guarantees one of them
    return pick(subject.title_km, subject.title_en, language)


@lru_cache(maxsize=1)
def _font_faces() -> str:
    """@font-face rules for WeasyPrint (file URLs to the woff2 files), shared by every certificate.

    The Khmer and Latin subsets are separate font files, so they get separate family names: faces sharing a
    name would be merged into one PDF font and Khmer glyph numbers would point into the Latin file."""
    rules = []
    for weight in (400, 700):
        for subset in ("latin", "khmer"):
            path = FONT_DIR / f"noto-sans-khmer-{subset}-{weight}-normal.woff2"
            rules.append(
                f"@font-face {{ font-family: 'Certificate {subset.title()}'; font-weight: {weight}; "
                f"src: url('{path.as_uri()}') format('woff2'); }}"
            )
    return "\n".join(rules)


def certificate_html(certificate: Certificate, *, language: str) -> str:
    subject_event = certificate.event
    with translation.override(language):
        html = render_to_string(
            "training/certificates/pdf.html",
            {
                "certificate": certificate,
                "language": language,
                "font_faces": mark_safe(_font_faces()),  # noqa: S308 - built above from file paths
                "name": certificate.person.full_name or str(certificate.person),
                "title": certificate_title(certificate, language),
                "programme": pick(
                    (certificate.course or subject_event).programme.title_km,  # type: ignore[union-attr]
                    (certificate.course or subject_event).programme.title_en,  # type: ignore[union-attr]
                    language,
                ),
                "event": subject_event,
                "hours": certificate.course.hours if certificate.course else subject_event.hours,  # type: ignore[union-attr]
                "verify_url": verification_url(certificate),
                "qr": qr_png(verification_url(certificate)),
            },
        )
    return with_word_breaks(html)


def render_certificate_pdf(certificate: Certificate, *, language: str) -> bytes:
    """The certificate as a one-page A4 landscape PDF in Khmer ("km") or English ("en")."""
    from weasyprint import HTML

    if language not in ("km", "en"):
        raise ValueError(f"Certificates are in Khmer or English, not {language!r}")
    html = certificate_html(certificate, language=language)
    pdf: bytes = HTML(string=html, base_url=str(FONT_DIR)).write_pdf(font_config=_font_config())
    return pdf


@lru_cache(maxsize=1)
def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def file_name(certificate: Certificate, language: str) -> str:
    return f"certificate-{certificate.code}-{language}.pdf"


def certificates_zip(certificates: Iterable[Certificate], *, language: str) -> bytes:
    """Batch generation: one PDF per certificate, in a zip (the PDFs are already compressed, so stored)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for certificate in certificates:
            archive.writestr(file_name(certificate, language), render_certificate_pdf(certificate, language=language))
    return buffer.getvalue()
