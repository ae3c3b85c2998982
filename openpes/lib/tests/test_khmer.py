from hypothesis import given
from hypothesis import strategies as st

from openpes.lib.khmer import has_khmer, normalize, segment, with_word_breaks

khmer_text = st.text(alphabet=st.characters(min_codepoint=0x1780, max_codepoint=0x17FF), max_size=40)
mixed_text = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x1780, max_codepoint=0x17FF),
        st.sampled_from(list("abcXYZ 019-,.\u200b")),
    ),
    max_size=60,
)


@given(mixed_text)
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@given(mixed_text)
def test_normalize_removes_zero_width_characters(text):
    assert "\u200b" not in normalize(text)


def test_look_alike_spellings_normalise_to_the_same_text():
    # Subscript order: coeng-ro after the other subscript.
    assert normalize("ស្ត្រី") == normalize("ស្រ្តី")
    # A two-part vowel typed as its two halves.
    assert normalize("ស\u17c1\u17b8") == "ស\u17be"
    # Nikahit typed before the vowel u.
    assert normalize("ក\u17c6\u17bb") == "ក\u17bb\u17c6"


def test_segment_splits_unspaced_khmer_into_words():
    words = segment("ខ្ញុំចង់រកការងារនៅភ្នំពេញ")
    assert "ការងារ" in words
    assert "ភ្នំពេញ" in words


@given(mixed_text)
def test_word_breaks_only_add_zero_width_spaces(text):
    broken = with_word_breaks(text)
    assert broken.replace("\u200b", "") == normalize(text).replace("\u200b", "") or not has_khmer(text)


@given(khmer_text)
def test_segmentation_keeps_every_letter(text):
    assert "".join(segment(text)) == "".join(c for c in normalize(text) if c.isalnum() or "\u1780" <= c <= "\u17ff")
