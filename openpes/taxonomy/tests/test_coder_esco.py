"""The coder built from the real ESCO download: real-world titles, the evaluation sets, and no leakage."""

import csv
from pathlib import Path

import pytest
from django.conf import settings

from openpes.taxonomy.coder import sources
from openpes.taxonomy.coder.model import Query, build
from openpes.taxonomy.coder.text import clean

CLASSIFICATION = Path(settings.ESCO_DIR) / "classification-en-csv.zip"
EVAL = sources.DATA_DIR / "eval"

needs_esco = pytest.mark.skipif(not CLASSIFICATION.exists(), reason="ESCO CSV downloads not present")


def eval_rows(name):
    with (EVAL / name).open(encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


@pytest.fixture(scope="module")
def coder():
    data = sources.training_data(
        sources.read_isco_csv(),
        sources.read_esco_occupations(CLASSIFICATION),
        lexicon_en=sources.read_lexicon(sources.EN_LEXICON),
        lexicon_km=sources.read_lexicon(sources.KM_LEXICON),
    )
    return build(data)


@needs_esco
@pytest.mark.parametrize(
    ("title", "description", "sector", "code"),
    [
        ("sewing operator - garment factory", "", "", "8153"),
        ("tuk tuk driver", "", "", "8321"),
        ("Sales girl in phone shop", "", "", "5223"),
        ("security guard night shift", "", "", "5414"),
        ("bus drivers", "", "", "8331"),
        ("recepsionist", "", "", "4226"),
        ("អ្នកបើកបររថយន្តដឹកទំនិញ", "", "", "8332"),
        ("ជាងដេរ", "", "", "8153"),
        ("អ្នកលក់", "", "", "5223"),
        ("machine operator", "sew shirts on an industrial sewing machine", "garment", "8153"),
    ],
)
def test_real_world_titles_find_their_unit_group_among_the_first_three(coder, title, description, sector, code):
    assert code in [s.code for s in coder.suggest(title, description, sector)]


@needs_esco
@pytest.mark.parametrize("name", ["isco08_en_messy_eval.csv", "isco08_km_eval.csv"])
def test_the_held_out_evaluation_sets_stay_above_the_targets(coder, name):
    rows = eval_rows(name)
    found = coder.suggest_many([Query(r["title"], r["description"], r["sector"]) for r in rows])
    top1 = sum(bool(f) and f[0].code == r["code"] for f, r in zip(found, rows, strict=True)) / len(rows)
    top3 = sum(r["code"] in [s.code for s in f] for f, r in zip(found, rows, strict=True)) / len(rows)
    assert top1 >= 0.70
    assert top3 >= 0.85


@pytest.mark.parametrize(
    ("lexicon", "evaluation"),
    [(sources.EN_LEXICON, "isco08_en_messy_eval.csv"), (sources.KM_LEXICON, "isco08_km_eval.csv")],
)
def test_no_evaluation_title_is_copied_into_the_training_lexicons(lexicon, evaluation):
    trained = {clean(title) for title, _ in sources.read_lexicon(lexicon)}
    assert not [r["title"] for r in eval_rows(evaluation) if clean(r["title"]) in trained]


@pytest.mark.parametrize("path", [sources.EN_LEXICON, sources.KM_LEXICON, *sorted(EVAL.glob("*.csv"))])
def test_lexicons_and_evaluation_sets_use_only_isco_unit_groups(path):
    units = {g.code for g in sources.read_isco_csv() if len(g.code) == 4}
    rows = (
        sources.read_lexicon(path)
        if path.parent == sources.DATA_DIR
        else [(r["title"], r["code"]) for r in eval_rows(path.name)]
    )
    assert rows
    assert not [(title, code) for title, code in rows if code not in units]
