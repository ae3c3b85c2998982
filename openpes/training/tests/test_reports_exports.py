"""S10: CSV and XLSX exports never carry a formula into the reader's spreadsheet (property-tested)."""

from __future__ import annotations

import csv
import io

from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from openpes.lib.exports import FORMULA_PREFIXES, Sheet, csv_bytes, neutralise, xlsx_bytes

DANGEROUS = st.sampled_from(list(FORMULA_PREFIXES))
TEXT = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40)
# Text that starts like a formula, and any text at all (Khmer included).
CELLS = st.one_of(st.builds(lambda head, tail: head + tail, DANGEROUS, TEXT), TEXT, st.integers(-(10**6), 10**6))


@given(head=DANGEROUS, tail=TEXT)
def test_a_cell_starting_like_a_formula_is_prefixed_with_an_apostrophe(head, tail):
    assert neutralise(head + tail) == "'" + head + tail


@given(TEXT)
def test_a_neutralised_text_cell_never_starts_like_a_formula(text):
    value = neutralise(text)
    assert isinstance(value, str)
    assert not value.startswith(FORMULA_PREFIXES)
    assert value in (text, "'" + text)


@given(st.integers())
def test_numbers_stay_numbers(number):
    assert neutralise(number) == number


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(CELLS, min_size=1, max_size=4), min_size=1, max_size=5))
def test_no_csv_cell_starts_like_a_formula(rows):
    data, count = csv_bytes([Sheet("t", ["=header", "b", "c", "d"], rows)])
    assert count == len(rows)
    text = data.decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text, newline="")):
        for cell in row:
            if cell.lstrip("-").isdigit():
                continue  # a number, not text
            assert not cell.startswith(FORMULA_PREFIXES), cell


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(CELLS, min_size=1, max_size=4), min_size=1, max_size=5))
@example([["\x08@SUM(A1)", "\x00=1+1", "\x1f-2"]])  # found by Hypothesis in CI: XML-illegal character first
def test_no_xlsx_cell_is_a_formula_or_starts_like_one(rows):
    data, count = xlsx_bytes([Sheet("Table = 1", ["=SUM(A1)", "b"], rows)])
    assert count == len(rows)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    for cells in sheet.iter_rows():
        for cell in cells:
            assert cell.data_type != "f"
            if isinstance(cell.value, str):
                assert not cell.value.startswith(FORMULA_PREFIXES), cell.value


def test_khmer_text_survives_both_formats():
    rows = [["ខេត្តពោធិ៍សាត់", 12]]
    data, _ = csv_bytes([Sheet("t", ["ខេត្ត", "n"], rows)])
    assert "ខេត្តពោធិ៍សាត់" in data.decode("utf-8-sig")
    data, _ = xlsx_bytes([Sheet("t", ["ខេត្ត", "n"], rows)])
    assert load_workbook(io.BytesIO(data)).worksheets[0]["A2"].value == "ខេត្តពោធិ៍សាត់"
