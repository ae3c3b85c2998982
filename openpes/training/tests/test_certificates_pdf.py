"""A4: Khmer in the certificate PDF is shaped correctly.

The PDF is rasterised with `pdftoppm` and the person's name is cut out of the page by rendering the same
certificate a second time with a blank name and keeping only the pixels that differ. That cut-out is
compared with `reference/certificate_name_km.png`, the same Khmer text drawn by Chromium (HarfBuzz + Skia,
an independent renderer) with the same Noto Sans Khmer Bold: both are reduced to their ink, scaled to one
size and compared (intersection over union). The name "កែវ ស្រីពេជ្រ" needs a pre-base vowel (ែ, េ), a
pre-base subscript ro (្រ) and stacked subscripts (ជ្រ): without the Khmer font, or with broken shaping,
the ink differs and the test fails (`test_the_comparison_notices_a_missing_khmer_font` proves it).

To redraw the reference (needs Chromium): `DJANGO_SETTINGS_MODULE=openpes.settings .venv/bin/python -c
"import django; django.setup(); from openpes.training.tests import test_certificates_pdf as t; t._draw_reference()"`
"""

from __future__ import annotations

import datetime
import os
import re
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from openpes.accounts.tests.factories import UserFactory
from openpes.training.actions import certificates
from openpes.training.models import Certificate
from openpes.training.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db

NAME = "កែវ ស្រីពេជ្រ"
REFERENCE = Path(__file__).resolve().parent / "reference" / "certificate_name_km.png"
DPI = 150
SIMILAR = 0.80  # intersection over union of the ink; a correct render scores ~0.9, a wrong font < 0.6


def _certificate(full_name: str, centre) -> Certificate:
    course = CourseFactory(title_km="សេវាការងារផ្តោតលើអតិថិជន", title_en="Client-centred services", hours=Decimal(6))
    person = UserFactory(full_name=full_name, counsellor=True, centre=centre)
    return Certificate.objects.create(
        person=person, kind="achievement", course=course, code="TEST-A4A4-KHMR", issued_on=datetime.date(2026, 1, 15)
    )


def _raster(pdf: bytes) -> np.ndarray:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "c.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(DPI), "-gray", "-png", "-singlefile", str(source), str(Path(folder) / "page")],
            check=True,
            timeout=60,
        )
        return np.asarray(Image.open(Path(folder) / "page.png").convert("L"), dtype=np.int16)


def _ink(gray: np.ndarray) -> np.ndarray:
    """Dark pixels, cropped to their bounding box."""
    mask = gray < 128
    rows, cols = np.where(mask)
    if rows.size == 0:
        return mask[:0, :0]
    return mask[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]


def _render(certificate: Certificate) -> bytes:
    return certificates.render_certificate_pdf(certificate, language="km")


def name_cut_out(cast, render=_render) -> np.ndarray:
    """The ink of the person's name on the Khmer certificate, as rendered in the PDF."""
    with_name = _raster(render(_certificate(NAME, cast.pursat)))
    Certificate.objects.all().delete()
    blank = _raster(render(_certificate("\u00a0", cast.pursat)))
    assert with_name.shape == blank.shape
    only_name = np.where(np.abs(with_name - blank) > 40, with_name, 255)
    return _ink(only_name)


def similarity(candidate: np.ndarray, reference: np.ndarray) -> float:
    """Intersection over union of two ink masks once the candidate is scaled to the reference's size."""
    if candidate.size == 0:
        return 0.0
    height, width = reference.shape
    aspect = (candidate.shape[1] / candidate.shape[0]) / (width / height)
    if not 0.9 <= aspect <= 1.1:
        return 0.0  # different proportions: different glyphs or order
    scaled = Image.fromarray((candidate * 255).astype(np.uint8)).resize((width, height), Image.Resampling.BILINEAR)
    ink = np.asarray(scaled) >= 128
    return float((ink & reference).sum() / (ink | reference).sum())


def _reference() -> np.ndarray:
    return _ink(np.asarray(Image.open(REFERENCE).convert("L"), dtype=np.int16))


def test_khmer_in_the_certificate_pdf_is_shaped_like_the_reference(cast):
    score = similarity(name_cut_out(cast), _reference())
    assert score >= SIMILAR, f"Khmer name differs from the reference (IoU {score:.2f})"


_RENDER_ALONE = "import sys, weasyprint; sys.stdout.buffer.write(weasyprint.HTML(string=sys.stdin.read()).write_pdf())"


def test_the_comparison_notices_a_missing_khmer_font(cast, monkeypatch, tmp_path):
    """Negative control: the same certificate drawn in a fresh process that has neither our font files nor
    any Khmer font on the system (only DejaVu) shows glyph boxes, and the comparison fails."""
    monkeypatch.setattr(certificates, "FONT_DIR", tmp_path)  # no font files here
    certificates._font_faces.cache_clear()
    config = tmp_path / "fonts.conf"
    config.write_text(
        f"<?xml version='1.0'?><fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir>"
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )

    def render_without_khmer_fonts(certificate: Certificate) -> bytes:
        html = certificates.certificate_html(certificate, language="km")
        done = subprocess.run(
            [sys.executable, "-c", _RENDER_ALONE],
            input=html.encode(),
            capture_output=True,
            check=True,
            timeout=120,
            env={**os.environ, "FONTCONFIG_FILE": str(config)},
        )
        return done.stdout

    try:
        score = similarity(name_cut_out(cast, render_without_khmer_fonts), _reference())
    finally:
        certificates._font_faces.cache_clear()
    assert score < SIMILAR, f"a render without a Khmer font still matched (IoU {score:.2f})"


def test_the_pdf_embeds_the_khmer_font_and_is_a4_landscape(cast):
    pdf = certificates.render_certificate_pdf(_certificate(NAME, cast.pursat), language="km")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        fonts = subprocess.run(["pdffonts", handle.name], capture_output=True, text=True, check=True).stdout
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True, check=True).stdout
    khmer = [line for line in fonts.splitlines() if "Certificate-Khmer" in line]
    assert khmer and all(" yes " in line for line in khmer)  # embedded
    assert "841.89 x 595.276 pts (A4)" in info or "842 x 595" in info
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE)


def _draw_reference() -> None:  # pragma: no cover - run by hand to redraw the reference
    import base64

    from playwright.sync_api import sync_playwright

    from openpes.browser import CHROMIUM, CHROMIUM_ARGS

    font = certificates.FONT_DIR / "noto-sans-khmer-khmer-700-normal.woff2"
    data = base64.b64encode(font.read_bytes()).decode()
    size = round(28 * DPI / 72)  # the certificate's 28 pt name at the raster's resolution
    html = (
        "<!doctype html><meta charset=utf-8><style>"
        f"@font-face {{font-family:K;font-weight:700;src:url(data:font/woff2;base64,{data}) format('woff2')}}"
        f"body{{margin:0;background:#fff}}p{{font:700 {size}px K;margin:20px;color:#000;white-space:nowrap}}"
        f"</style><p>{NAME}</p>"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 900, "height": 160})
        page.set_content(html)
        page.evaluate("document.fonts.ready")
        REFERENCE.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(REFERENCE))
        browser.close()
