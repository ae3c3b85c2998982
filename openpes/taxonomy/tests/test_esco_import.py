import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from openpes.taxonomy.enums import SkillRelation
from openpes.taxonomy.models import Occupation, OccupationSkill, Skill

ESCO = Path(settings.ESCO_DIR)
CLASSIFICATION = ESCO / "classification-en-csv.zip"
RELATIONS = ESCO / "relations-csv.zip"

needs_esco = pytest.mark.skipif(not CLASSIFICATION.exists(), reason="ESCO CSV downloads not present")


@needs_esco
@pytest.mark.django_db
def test_the_official_esco_files_import_completely_and_idempotently(reference):
    call_command("import_esco", classification=CLASSIFICATION, relations=RELATIONS)
    counts = (Occupation.objects.count(), Skill.objects.count(), OccupationSkill.objects.count())
    assert counts[0] == 3007
    assert counts[1] == 13896
    assert counts[2] > 120_000
    driver = Occupation.objects.get(label_en="bus driver")
    assert driver.isco_group.code == "8331"
    assert driver.skill_links.filter(relation=SkillRelation.ESSENTIAL).exists()
    assert "coach driver" in driver.alt_labels_en.splitlines() or driver.alt_labels_en

    call_command("import_esco", classification=CLASSIFICATION, relations=RELATIONS)
    assert (Occupation.objects.count(), Skill.objects.count(), OccupationSkill.objects.count()) == counts


def _zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


@needs_esco
@pytest.mark.django_db
def test_a_file_that_is_not_a_zip_is_refused_and_nothing_is_imported(reference, tmp_path):
    bogus = tmp_path / "classification.zip"
    bogus.write_text("occupations?")
    with pytest.raises(CommandError, match="not a zip file"):
        call_command("import_esco", classification=bogus, relations=RELATIONS)
    assert not Occupation.objects.exists()


@needs_esco
@pytest.mark.django_db
def test_the_relations_zip_given_as_classification_is_refused(reference):
    with pytest.raises(CommandError, match="occupations_en.csv not found"):
        call_command("import_esco", classification=RELATIONS, relations=RELATIONS)
    assert not Occupation.objects.exists()


@needs_esco
@pytest.mark.django_db
def test_a_missing_column_is_named_and_nothing_is_half_imported(reference, tmp_path):
    with zipfile.ZipFile(CLASSIFICATION) as archive:
        occupations = archive.read("occupations_en.csv").decode()
        skills = archive.read("skills_en.csv").decode()
    broken_relations = _zip(
        tmp_path / "relations.zip",
        {"occupationSkillRelations.csv": "occupationUri,relationType,skillUri\nx,essential,y\n"},
    )
    classification = _zip(tmp_path / "classification.zip", {"occupations_en.csv": occupations, "skills_en.csv": skills})
    with pytest.raises(CommandError, match="missing column.*skillType"):
        call_command("import_esco", classification=classification, relations=broken_relations)
    assert not Occupation.objects.exists()
    assert not Skill.objects.exists()


@pytest.mark.django_db
def test_an_unknown_isco_code_is_reported_with_its_line(reference, tmp_path):
    header = (
        "conceptType,conceptUri,iscoGroup,preferredLabel,altLabels,hiddenLabels,status,modifiedDate,"
        "regulatedProfessionNote,scopeNote,definition,inScheme,description,code\n"
    )
    row = "Occupation,http://x/occ/1,9999,ghost,,,released,,,,,,,9999.1\n"
    skills = "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,description\n"
    classification = _zip(tmp_path / "c.zip", {"occupations_en.csv": header + row, "skills_en.csv": skills})
    relations = _zip(
        tmp_path / "r.zip", {"occupationSkillRelations.csv": "occupationUri,relationType,skillType,skillUri\n"}
    )
    with pytest.raises(CommandError, match=r"line 2: ISCO-08 unit group '9999' is unknown"):
        call_command("import_esco", classification=classification, relations=relations)
    assert not Occupation.objects.exists()
