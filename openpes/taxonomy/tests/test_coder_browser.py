"""A1 for the ISCO-08 suggestion page (Khmer and English, phone and desktop), and a suggestion button filling
an ISCO-08 input in a real browser. Set OPENPES_SCREENSHOT_DIR to keep screenshots."""

import os
from pathlib import Path

import pytest

from openpes.browser import DESKTOP, PHONE, axe_violations
from openpes.taxonomy.coder import service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def coder_home(settings, tmp_path, reference):
    settings.VAR_DIR = tmp_path
    service.reset()
    yield
    service.reset()


def screenshot(page, name):
    folder = os.environ.get("OPENPES_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("language", ["km", "en"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_suggestion_page_passes_axe_and_fits_a_phone(new_page, live_server, viewport, language):
    page = new_page(viewport=viewport)
    page.context.add_cookies([{"name": "openpes_language", "value": language, "url": live_server.url}])
    title = "អ្នកបើកឡានដឹកទំនិញ" if language == "km" else "sales girl in phone shop"
    response = page.goto(f"/classifications/isco/suggest/?title={title}&description=&sector=")
    assert response is not None and response.status == 200
    assert page.locator("ol.results li").count() >= 1
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
    screenshot(page, f"isco-suggest-{'phone' if viewport is PHONE else 'desktop'}-{language}")


def test_a_suggestion_button_fills_the_isco_input_it_names(new_page, live_server):
    page = new_page(viewport=PHONE)
    page.context.add_cookies([{"name": "openpes_language", "value": "en", "url": live_server.url}])
    page.goto("/classifications/isco/suggest/")
    page.add_script_tag(url="/static/taxonomy/isco-suggest.js")
    # Stand in for a form with an ISCO-08 field that includes the fragment (vacancy, work history).
    page.evaluate(
        """() => {
          const form = document.querySelector("main form") || document.body;
          const label = document.createElement("label");
          label.htmlFor = "id_occupation"; label.textContent = "Occupation";
          const input = document.createElement("input"); input.id = "id_occupation";
          const box = document.createElement("div"); box.id = "box";
          form.append(label, input, box);
          htmx.ajax("GET", "/classifications/isco/suggest/?title=car+driver&target=id_occupation", "#box");
        }"""
    )
    button = page.locator("#box button[data-isco-fill]").first
    button.wait_for()
    assert button.inner_text().startswith("8322 — Car, taxi and van drivers (")
    button.click()
    assert page.locator("#id_occupation").input_value() == "8322 — Car, taxi and van drivers"
    assert button.get_attribute("aria-pressed") == "true"
    assert axe_violations(page) == []
    screenshot(page, "isco-suggest-fragment-phone-en")
