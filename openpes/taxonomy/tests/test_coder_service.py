"""The coder inside the app: built from the database on first use, saved, rebuilt when the data changes, and
taught by confirmed codes."""

import pytest
from django.core.management import call_command

from openpes.taxonomy.actions import NotAUnitGroupError, confirm_isco_code
from openpes.taxonomy.coder import service
from openpes.taxonomy.coder.model import Query
from openpes.taxonomy.enums import CodingSource
from openpes.taxonomy.models import CodingFeedback, IscoGroup, Occupation


@pytest.fixture
def coder_home(settings, tmp_path, reference):
    settings.VAR_DIR = tmp_path
    service.reset()
    yield tmp_path
    service.reset()


def top(title, **kwargs):
    found = service.suggest(title, **kwargs)
    return found[0].code if found else None


def test_the_first_suggestion_builds_and_saves_the_coder(coder_home):
    assert not service.model_path().exists()
    assert top("car driver") == "8322"
    assert service.model_path().exists()
    assert service.model_path().is_relative_to(coder_home)


def test_a_saved_coder_is_loaded_instead_of_rebuilt(coder_home, monkeypatch):
    service.rebuild()
    service.reset()
    monkeypatch.setattr(service, "rebuild", lambda: pytest.fail("rebuilt a coder that was up to date"))
    assert top("security guard") == "5414"


def test_a_coder_built_from_other_occupations_is_rebuilt(coder_home):
    service.rebuild()
    assert top("tuk-tuk pilot") != "9629"
    Occupation.objects.create(
        uri="http://example.org/occupation/1",
        isco_group=IscoGroup.objects.get(code="9629"),
        label_en="tuk-tuk pilot",
        alt_labels_en="remork pilot",
    )
    service.reset()  # a new process, or the periodic check
    assert top("tuk-tuk pilot") == "9629"


def test_an_unreadable_saved_coder_is_rebuilt(coder_home):
    service.model_path().parent.mkdir(parents=True)
    service.model_path().write_bytes(b"not a coder")
    assert top("car driver") == "8322"
    assert service.model_path().stat().st_size > 1000


def test_a_confirmed_code_changes_the_next_suggestion_for_that_title(coder_home):
    assert top("moto dop") != "9331"
    cyclo = IscoGroup.objects.get(code="9331")
    confirm_isco_code(text="  Moto   dop ", isco_group=cyclo, source=CodingSource.VACANCY, suggested_code="8321")
    assert top("moto dop") == "9331"
    saved = CodingFeedback.objects.get()
    assert (saved.text, saved.language, saved.source, saved.suggested_code) == ("Moto dop", "en", "vacancy", "8321")


def test_confirmations_reach_a_coder_loaded_before_them_and_survive_a_rebuild(coder_home):
    service.get_coder()
    confirm_isco_code(text="ម៉ូតូកង់បី", isco_group=IscoGroup.objects.get(code="8321"), source="work_history")
    assert top("ម៉ូតូកង់បី") == "8321"
    assert CodingFeedback.objects.get().language == "km"
    service.rebuild()
    assert top("ម៉ូតូកង់បី") == "8321"


def test_only_unit_groups_can_be_confirmed_and_blank_titles_are_ignored(coder_home):
    with pytest.raises(NotAUnitGroupError):
        confirm_isco_code(text="driver", isco_group=IscoGroup.objects.get(code="83"), source="review")
    assert confirm_isco_code(text="   ", isco_group=IscoGroup.objects.get(code="8322"), source="review") is None
    assert not CodingFeedback.objects.exists()


def test_a_batch_of_titles_is_coded_in_one_call(coder_home):
    found = service.suggest_many([Query("car driver"), Query("អ្នកលក់"), Query("x" * 500)])
    assert [f[0].code if f else None for f in found][:2] == ["8322", "5223"]


def test_the_command_builds_the_coder_and_says_what_it_knows(coder_home, capsys):
    call_command("build_isco_coder")
    output = capsys.readouterr().out
    assert "436 unit groups" in output
    assert "No ESCO occupations" in output
    assert service.model_path().exists()
    call_command("build_isco_coder", if_missing=True)
    assert "up to date" in capsys.readouterr().out
