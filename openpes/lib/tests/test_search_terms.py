"""The terms of the search index (openpes.lib.search) and how records get their place in it."""

import pytest

from openpes.lib.search import KEY_BITS, Entry, TextIndex, parse_query, tag, tokens


def test_terms_fold_case_and_khmer_digits_and_drop_khmer_punctuation():
    assert tokens("Driver ២០២៦ ។") == {"driver", "2026"}
    assert tokens("ដេរ") == {"ដេ", "រ", "ដេរ"}  # each syllable and each pair of neighbours


def test_a_khmer_query_is_its_syllable_pairs_and_a_latin_word_a_prefix():
    query = parse_query("ម៉ាស៊ីនដេរ Driv")
    assert [(t.token, t.prefix) for t in query.terms] == [
        ("ម៉ាស៊ី", False),
        ("ស៊ីន", False),
        ("នដេ", False),
        ("ដេរ", False),
        ("driv", True),
    ]
    assert [t.token for t in parse_query("ក").terms] == ["ក"]  # one syllable: the syllable itself


def test_no_typed_text_becomes_a_tag_or_a_title_copy():
    assert tag("province", "12") == "_fprovince12"
    assert not any(t.startswith("_") for t in tokens("_fprovince12 __tcook _x"))
    assert parse_query("_fprovince12").terms[0].token == "fprovince12"


@pytest.mark.django_db
def test_records_sharing_a_sort_value_still_each_get_a_place(reference):
    """Keys are sort value << 22 | id: two records with the same time and ids 2**22 apart would share one."""
    ids = [7, 7 + (1 << KEY_BITS), 7 + (2 << KEY_BITS)]
    index = TextIndex("vacancies.Vacancy", lambda pks: {pk: Entry(title="welder", sort_value=1000) for pk in pks})
    index.update(ids[:2])
    index.update(ids[2:])
    found = index.search("welder", limit=10)
    assert (sorted(found.ids), found.total) == (ids, 3)
    assert found.ids[0] == ids[0]  # the first one indexed keeps the key it was given
    index.update(ids)  # indexing them again finds the same places
    assert sorted(index.search("welder", limit=10).ids) == ids


@pytest.mark.django_db
def test_a_later_page_of_a_capped_search_still_says_it_is_capped(reference):
    index = TextIndex("vacancies.Vacancy", lambda pks: {pk: Entry(title="welder", sort_value=pk) for pk in pks})
    index.update(range(1, 8))
    first = index.search("welder", limit=2, cap=5)
    assert (first.ids, first.total, first.capped) == ([7, 6], 5, True)
    later = index.search("welder", offset=4, limit=2, cap=5, total=first.total, capped=first.capped)
    assert (later.ids, later.total, later.capped) == ([3], 5, True)
