"""Small files for upload tests: good CVs and a corpus of hostile ones (S11)."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
DOCX_TYPES = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def png(size=(20, 20)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, "JPEG")
    return buffer.getvalue()


def docx(extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document><w:body>Sok Sreymom CV</w:body></w:document>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


GOOD = {
    "pdf": ("cv.pdf", PDF, "application/pdf"),
    "docx": ("cv.docx", docx(), DOCX_TYPES),
    "png": ("cv.png", png(), "image/png"),
    "jpeg": ("photo.jpg", jpeg(), "image/jpeg"),
}

HOSTILE = {
    "html renamed pdf": ("cv.pdf", b"<html><body><script>alert(document.cookie)</script></body></html>", "file_type"),
    "exe": ("cv.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200, "file_type"),
    "exe renamed pdf": ("cv.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200, "file_type"),
    "pdf with javascript": (
        "cv.pdf",
        b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF\n",
        "pdf",
    ),
    "docx with macros": ("cv.docx", docx({"word/vbaProject.bin": b"\x00" * 64}), "docx"),
    "truncated png": ("cv.png", png((200, 200))[:60], "file_type"),
    "svg": ("cv.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "file_type"),
    "empty": ("cv.pdf", b"", "empty"),
    "six megabytes": ("cv.pdf", PDF[:-6] + b" " * (6 * 1024 * 1024) + b"%%EOF\n", "file_size"),
}
