"""The ISCO-08 suggestion page, its htmx fragment and the API endpoint: public, bilingual, strict on input."""

import pytest

from openpes.taxonomy.actions import confirm_isco_code
from openpes.taxonomy.coder import service
from openpes.taxonomy.models import IscoGroup

URL = "/classifications/isco/suggest/"
API = "/api/v1/reference/isco/suggest"


@pytest.fixture(autouse=True)
def coder_home(settings, tmp_path, reference):
    settings.VAR_DIR = tmp_path
    service.reset()
    yield
    service.reset()


@pytest.fixture
def english(client):
    client.cookies["openpes_language"] = "en"
    return client


def test_anyone_can_list_suggestions_for_a_title_without_javascript(english):
    response = english.get(URL, {"title": "security guard", "sector": "garment factory"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>" in page and "<form" in page
    assert "5414 — Security guards" in page
    assert "Confidence:" in page
    assert "data-isco-fill" not in page


def test_the_page_is_in_khmer_by_default(client):
    page = client.get(URL, {"title": "អ្នកបើកឡាន"}).content.decode()
    assert 'lang="km"' in page
    assert f"8322 — {IscoGroup.objects.get(code='8322').title_km}" in page


def test_the_htmx_fragment_holds_buttons_that_fill_the_named_input(english):
    response = english.get(URL, {"title": "car driver", "target": "id_occupation"}, headers={"HX-Request": "true"})
    fragment = response.content.decode()
    assert "<h1>" not in fragment and "<html" not in fragment
    assert 'data-isco-fill="id_occupation"' in fragment
    assert 'data-isco-value="8322 — Car, taxi and van drivers"' in fragment
    assert "8322 — Car, taxi and van drivers (" in fragment
    assert fragment.count("<button") <= 3


def test_an_empty_title_gives_an_empty_fragment_and_an_error_on_the_page(english):
    fragment = english.get(URL, {"title": ""}, headers={"HX-Request": "true"}).content.decode()
    assert "<button" not in fragment
    page = english.get(URL, {"title": "", "description": "drive"}).content.decode()
    assert "error-summary" in page


def test_hostile_or_oversized_input_gets_a_clear_error_and_no_suggestion(english):
    page = english.get(URL, {"title": "x" * 201}).content.decode()
    assert "error-summary" in page and "at most 200 characters" in page
    page = english.get(URL, {"title": "driver", "target": '"><script>alert(1)</script>'}).content.decode()
    assert "error-summary" in page and "<script>alert" not in page


def test_an_isic_section_letter_is_read_as_its_sector(english):
    page = english.get(URL, {"title": "machine operator", "sector": "C"}).content.decode()
    assert "Suggested ISCO-08 occupations" in page


def test_a_confirmed_title_is_suggested_first_on_the_page(english):
    confirm_isco_code(text="moto dop", isco_group=IscoGroup.objects.get(code="9331"), source="review")
    page = english.get(URL, {"title": "Moto Dop"}).content.decode()
    assert page.index("9331 —") < page.index("Confidence:")


def test_the_api_is_public_and_returns_ranked_suggestions(client):
    response = client.get(API, {"title": "ជាងដេរ", "limit": 2})
    assert response.status_code == 200
    body = response.json()
    assert 1 <= len(body) <= 2
    assert body[0]["code"] == "8153"
    assert set(body[0]) == {"code", "title_en", "title_km", "confidence"}
    assert 0 < body[-1]["confidence"] <= body[0]["confidence"] <= 1


@pytest.mark.parametrize(
    "params", [{}, {"title": ""}, {"title": "x" * 201}, {"title": "driver", "limit": 0}, {"title": "a", "limit": 11}]
)
def test_the_api_refuses_bad_input(client, params):
    assert client.get(API, params).status_code == 422


def test_the_api_schema_documents_the_endpoint(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/reference/isco/suggest" in schema["paths"]
