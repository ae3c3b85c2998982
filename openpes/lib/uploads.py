"""Checking uploaded files (S11): the type is decided by content, never by name; sizes are capped; active
content (macros, PDF JavaScript, HTML, SVG, executables) and decompression bombs are refused."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000

KINDS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|OpenAction|AA|RichMedia|XFA)\b")


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    content_type: str
    data: bytes


def _refuse() -> ValidationError:
    return ValidationError(
        _("This file cannot be accepted. Upload a PDF, a Word document (.docx) or a photo (JPEG or PNG)."),
        code="file_type",
    )


def _check_pdf(data: bytes) -> None:
    if b"%%EOF" not in data[-2048:]:
        raise _refuse()
    if _PDF_ACTIVE.search(data) or b"/Encrypt" in data:
        raise ValidationError(
            _("This PDF contains scripts, attachments or encryption. Save it again as a plain PDF."), code="pdf"
        )


def _check_docx(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise _refuse() from None
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise _refuse()
    if total > MAX_UNZIPPED_BYTES or any(n.lower().endswith(("vbaproject.bin", ".bin", ".exe")) for n in names):
        raise ValidationError(_("This document contains macros or embedded programs."), code="docx")
    content_types = archive.read("[Content_Types].xml")
    if b"macroEnabled" in content_types:
        raise ValidationError(_("This document contains macros or embedded programs."), code="docx")


def _check_image(data: bytes) -> None:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise _refuse()
            image.verify()
    except ValidationError:
        raise
    except Exception:  # Pillow raises many kinds of errors on broken or hostile images
        raise _refuse() from None


def check_upload(upload: UploadedFile[bytes], *, allowed: frozenset[str] = frozenset(KINDS)) -> CheckedFile:
    """Read and check an uploaded file; raise ValidationError (in the user's language) if it is refused."""
    import filetype

    if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is too large: the limit is 5 MB."), code="file_size")
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is too large: the limit is 5 MB."), code="file_size")
    if not data:
        raise ValidationError(_("The file is empty."), code="file_empty")
    guess = filetype.guess(data)
    kind = {"pdf": "pdf", "docx": "docx", "zip": "docx", "jpg": "jpeg", "png": "png"}.get(
        guess.extension if guess else "", ""
    )
    if kind not in allowed:
        raise _refuse()
    if kind == "pdf":
        _check_pdf(data)
    elif kind == "docx":
        _check_docx(data)
    else:
        _check_image(data)
    return CheckedFile(kind=kind, content_type=KINDS[kind], data=data)
