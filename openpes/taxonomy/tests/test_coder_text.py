"""How the ISCO coder reads a title: normalisation, stemming, head and tail, features."""

from hypothesis import given
from hypothesis import strategies as st

from openpes.lib.khmer import normalize
from openpes.taxonomy.coder.text import context_features, normalized_key, split_title, title_features, words


def test_plurals_gendered_forms_and_case_fold_together():
    assert normalized_key("Sales Girls") == "sale girl"
    assert normalized_key("salesgirl") == normalized_key("Saleswoman") == normalized_key("salesman")
    assert normalized_key("WAITRESSES") == normalized_key("waiter")
    assert normalized_key("Secretaries") == normalized_key("secretary")
    assert normalized_key("Drivers") == normalized_key("driver")
    assert normalized_key("bus") == "bus"


def test_local_names_meet_their_usual_spelling():
    assert normalized_key("tuktuk driver") == normalized_key("tuk-tuk driver") == normalized_key("remork driver")
    assert normalized_key("moto taxi driver") == normalized_key("motorbike taxi driver")


def test_the_tail_of_a_title_is_split_off_in_english_and_khmer():
    assert split_title("sales girl in phone shop") == ("sales girl", "phone shop")
    assert split_title("cook - hotel") == ("cook", "hotel")
    assert split_title("driver (night shift)") == ("driver", "night shift")
    assert split_title("head of kitchen") == ("head of kitchen", "")
    assert split_title("ជាងភ្លើងតាមផ្ទះ") == ("ជាងភ្លើង", "ផ្ទះ")
    assert split_title("អ្នកបើកឡានឱ្យក្រុមហ៊ុន") == ("អ្នកបើកឡាន", "ក្រុមហ៊ុន")


def test_a_title_that_is_only_a_tail_marker_is_kept_whole():
    assert split_title("in") == ("in", "")


def test_khmer_titles_are_segmented_into_words():
    assert words("អ្នកបើកបររថយន្ត") == ("អ្នកបើកបរ", "រថយន្ត")


def test_title_features_hold_words_pairs_head_and_ngrams():
    features = title_features("Machine Operators")
    assert {"w:machine", "w:operator", "b:machine operator", "h:operator", "c: mach"} <= features.keys()


def test_context_features_drop_stop_words():
    assert context_features("Sew the shirts on a machine") == {"sew": 1.0, "shirt": 1.0, "machine": 1.0}


@given(st.text(max_size=80))
def test_any_text_gives_features_without_error(text):
    features = title_features(text)
    assert all(value > 0 for value in features.values())
    head, tail = split_title(text)
    assert len(head) + len(tail) <= len(text)


@given(st.text(alphabet=st.characters(min_codepoint=0x1780, max_codepoint=0x17FF), max_size=30))
def test_khmer_spelled_in_another_code_point_order_gives_the_same_features(text):
    assert title_features(text) == title_features(normalize(text))
