import pytest
from django.core.management import call_command

from openpes.geography.models import Commune, District, Province
from openpes.taxonomy.enums import TranslationStatus
from openpes.taxonomy.loaders import ReferenceDataError, validate_isco_rows
from openpes.taxonomy.models import EducationLevel, IscoGroup, Sector


@pytest.mark.django_db
def test_load_reference_loads_every_level_and_is_idempotent(reference):
    call_command("load_reference")
    first = (Province.objects.count(), District.objects.count(), Commune.objects.count(), IscoGroup.objects.count())
    call_command("load_reference")
    assert (
        Province.objects.count(),
        District.objects.count(),
        Commune.objects.count(),
        IscoGroup.objects.count(),
    ) == first
    assert Province.objects.count() == 25
    assert District.objects.count() > 200
    assert Commune.objects.count() > 1600
    assert Province.objects.get(code="15").name_km == "ពោធិ៍សាត់"


@pytest.mark.django_db
def test_isco_has_all_619_groups_in_a_tree_with_khmer_titles(reference):
    counts = {level: IscoGroup.objects.filter(level=level).count() for level in range(1, 5)}
    assert counts == {1: 10, 2: 43, 3: 130, 4: 436}
    assert not IscoGroup.objects.filter(level__gt=1, parent__isnull=True).exists()
    unit = IscoGroup.objects.get(code="8322")
    assert unit.parent.code == "832"
    assert unit.parent.parent.parent.code == "8"
    # Khmer titles for at least every major, sub-major and minor group, each marked machine or reviewed.
    assert not IscoGroup.objects.filter(level__lte=3, title_km="").exists()
    assert set(IscoGroup.objects.values_list("km_status", flat=True)) <= set(TranslationStatus.values)


@pytest.mark.django_db
def test_education_levels_and_sectors_exist_in_both_languages(reference):
    assert list(EducationLevel.objects.values_list("code", flat=True)) == list(range(9))
    assert Sector.objects.count() == 21
    assert not Sector.objects.filter(name_km="").exists()
    assert not EducationLevel.objects.filter(name_km="").exists()


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"code": "1", "level": "1", "title_en": "A", "title_km": "", "km_status": "machine"}] * 2, "appears twice"),
        ([{"code": "12", "level": "2", "title_en": "A", "title_km": "", "km_status": "machine"}], "parent 1"),
        ([{"code": "1x", "level": "2", "title_en": "A", "title_km": "", "km_status": "machine"}], "not 1 to 4 digits"),
        ([{"code": "1", "level": "1", "title_en": "A", "title_km": "", "km_status": "draft"}], "km_status"),
    ],
)
def test_a_malformed_isco_file_is_rejected_with_the_line_and_reason(rows, message):
    with pytest.raises(ReferenceDataError, match=message):
        validate_isco_rows(rows)
