"""The coder core on a small hand-made classification: ranking, Khmer, context, confirmations, persistence."""

import numpy as np
import pytest

from openpes.taxonomy.coder.model import Example, IscoCoder, Params, Query, TrainingData, build

GROUPS = {
    "5223": ("Shop sales assistants", "អ្នកលក់ក្នុងហាង"),
    "5414": ("Security guards", "សន្តិសុខ"),
    "8153": ("Sewing machine operators", "ប្រតិបត្តិករម៉ាស៊ីនដេរ"),
    "8160": ("Food and related products machine operators", ""),
    "8321": ("Motorcycle drivers", "អ្នកបើកម៉ូតូ"),
    "8322": ("Car, taxi and van drivers", "អ្នកបើកឡាន"),
    "9412": ("Kitchen helpers", ""),
}
EXAMPLES = [
    Example("shop assistant", "5223", "preferred"),
    Example("sales clerk", "5223", "alternative"),
    Example("security guard", "5414", "preferred"),
    Example("watchman", "5414", "alternative"),
    Example("sewing machine operator", "8153", "preferred"),
    Example("sewing machinist", "8153", "alternative"),
    Example("packaging machine operator", "8160", "preferred"),
    Example("motorcycle courier", "8321", "preferred"),
    Example("tuk tuk driver", "8321", "lexicon"),
    Example("taxi driver", "8322", "preferred"),
    Example("chauffeur", "8322", "alternative"),
    Example("kitchen porter", "9412", "preferred"),
    Example("ជាងដេរ", "8153", "lexicon_km"),
    Example("អ្នកលក់", "5223", "lexicon_km"),
]
CONTEXTS = {
    "8153": ["Sewing machine operators sew garments and shirts in a garment factory."],
    "8160": ["Food machine operators tend machines that process rice, noodles and food."],
}


@pytest.fixture(scope="module")
def coder():
    data = TrainingData(groups=dict(GROUPS), examples=list(EXAMPLES), contexts=CONTEXTS)
    for code, (title_en, title_km) in GROUPS.items():
        data.examples.append(Example(title_en, code, "isco"))
        if title_km:
            data.examples.append(Example(title_km, code, "isco_km"))
    return build(data)


def codes(suggestions):
    return [s.code for s in suggestions]


def test_a_known_title_comes_first_with_most_of_the_confidence(coder):
    found = coder.suggest("Taxi Drivers")
    assert found[0].code == "8322"
    assert found[0].title_en == "Car, taxi and van drivers"
    assert found[0].confidence > found[1].confidence > 0
    assert sum(s.confidence for s in found) <= 1.0 + 1e-6


def test_at_most_the_asked_number_of_suggestions_come_back(coder):
    assert len(coder.suggest("driver", limit=1)) == 1
    assert len(coder.suggest("driver", limit=2)) == 2
    assert len(coder.suggest("operator", limit=10)) <= 10


def test_a_misspelt_title_still_finds_its_group(coder):
    assert codes(coder.suggest("secuirty gaurd"))[0] == "5414"


def test_a_khmer_title_finds_its_group(coder):
    assert codes(coder.suggest("ជាងដេរ"))[0] == "8153"
    assert codes(coder.suggest("អ្នកបើកឡាន"))[0] == "8322"


def test_the_tail_of_a_title_does_not_drown_the_occupation(coder):
    assert codes(coder.suggest("security guard at the garment factory night shift"))[0] == "5414"


def test_tasks_and_sector_decide_between_two_kinds_of_machine_operator(coder):
    garment = coder.suggest("machine operator", "sew shirts", "garment factory")
    food = coder.suggest("machine operator", "process rice and noodles", "food")
    assert garment[0].code == "8153"
    assert food[0].code == "8160"


def test_an_empty_or_meaningless_title_gets_no_suggestion(coder):
    assert coder.suggest("") == []
    assert coder.suggest("!!! ...") == []


def test_a_batch_gives_the_same_answers_as_one_by_one(coder):
    queries = [Query("taxi driver"), Query("ជាងដេរ"), Query("watchman"), Query("")]
    batch = coder.suggest_many(queries, chunk=2)
    assert [codes(b) for b in batch] == [codes(coder.suggest(q.title)) for q in queries]


def test_a_confirmed_title_is_used_at_once_and_an_exact_repeat_goes_first(coder):
    coder.set_feedback([("moto dop", "8321"), ("Moto Dops", "8321"), ("moto dop", "8322")])
    try:
        assert codes(coder.suggest("moto dop"))[0] == "8321"
        assert coder.feedback_count == 3
        assert codes(coder.suggest("moto dop rider"))[0] == "8321"
    finally:
        coder.set_feedback([])
    assert coder.feedback_count == 0


def test_a_confirmation_for_an_unknown_code_is_ignored(coder):
    coder.set_feedback([("ghost", "9999"), ("", "8321")])
    assert coder.feedback_count == 0


def test_a_saved_coder_loads_and_answers_the_same(coder, tmp_path):
    path = tmp_path / "coder" / "isco.npz"
    coder.save(path)
    loaded = IscoCoder.load(path)
    queries = [Query("taxi driver"), Query("ជាងដេរ"), Query("machine operator", "sew shirts")]
    assert np.allclose(coder.scores(queries), loaded.scores(queries), atol=1e-6)
    assert loaded.params == coder.params
    assert not list(path.parent.glob(".isco-coder-*"))


def test_a_file_of_another_format_is_refused(tmp_path):
    path = tmp_path / "bad.npz"
    np.savez(path, header=np.frombuffer(b'{"format": 0}', dtype=np.uint8))
    with pytest.raises(ValueError, match="format"):
        IscoCoder.load(path)


def test_without_votes_a_group_scores_its_best_label():
    data = TrainingData(groups=dict(GROUPS), examples=list(EXAMPLES))
    plain = build(data, Params(vote_power=0, title_context_weight=0.0))
    top = plain.suggest("taxi driver")[0]
    assert top.code == "8322"
    assert top.score == pytest.approx(1.0, abs=1e-5)
