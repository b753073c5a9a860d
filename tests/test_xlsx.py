"""zgwlib.core.xlsx: every kind of value written by the column-wise writer reads back as it went in (openpyxl)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zgwlib.core import xlsx
from zgwlib.core.files import write_workbook

ILLEGAL = "\x01"


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "naam": pd.array(["=SUM(A1)", "0123", "  spaties  ", "a\r\nb", f"<b>&amp;{ILLEGAL}", None], dtype="str"),
        "aantal": pd.array([1, -2, None, 3, 0, 12_345_678_901], dtype="Int64"),
        "gemiddelde": [1.25, float("nan"), float("inf"), -0.5, 1e-9, 2.0],
        "aandeel op tijd": [0.5, 0.125, None, 1.0, 0.0, 0.333],
        "verlopen": [True, False, True, False, True, False],
        "einddatum": pd.to_datetime(["2026-10-31", None, "2024-02-29", "1999-12-31", "2026-01-01", "2026-11-27"]),
        "gezet": pd.to_datetime(["2026-10-31 13:45:10", None, "2026-03-29 02:30:00", "2026-01-01 00:00:00",
                                 "2026-01-01 00:00:00", "2026-01-01 00:00:00"]),
        "gemengd": [1, "tekst", 2.5, dt.date(2026, 5, 1), None, [1, 2]],
        "goedgekeurd": ["", "", "ja", "", "", ""],
    })


def read(path: Path, sheet: str | None = None) -> list[list[object]]:
    ws = openpyxl.load_workbook(path)[sheet] if sheet else openpyxl.load_workbook(path).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_every_kind_of_value_reads_back_as_it_went_in(tmp_path: Path) -> None:
    path = write_workbook({"Lijst": frame()}, tmp_path / "lijst.xlsx")
    rows = read(path)
    assert rows[0] == list(frame().columns)
    assert [r[0] for r in rows[1:]] == ["=SUM(A1)", "0123", "  spaties  ", "a\r\nb", "<b>&amp;", None]
    assert [r[1] for r in rows[1:]] == [1, -2, None, 3, 0, 12_345_678_901]
    assert [r[2] for r in rows[1:]] == [1.25, None, None, -0.5, 1e-9, 2.0]  # NaN and infinity: empty
    assert [r[3] for r in rows[1:]] == [0.5, 0.125, None, 1.0, 0.0, 0.333]
    assert [r[4] for r in rows[1:]] == [True, False, True, False, True, False]
    assert [r[5] for r in rows[1:]] == [dt.datetime(2026, 10, 31), None, dt.datetime(2024, 2, 29),
                                        dt.datetime(1999, 12, 31), dt.datetime(2026, 1, 1), dt.datetime(2026, 11, 27)]
    assert rows[1][6] == dt.datetime(2026, 10, 31, 13, 45, 10) and rows[3][6] == dt.datetime(2026, 3, 29, 2, 30)
    assert [r[7] for r in rows[1:]] == [1, "tekst", 2.5, dt.datetime(2026, 5, 1), None, "[1, 2]"]
    assert [r[8] for r in rows[1:]] == [None, None, "ja", None, None, None]  # an empty text is an empty cell


def test_text_is_never_a_formula_and_formats_follow_the_column(tmp_path: Path) -> None:
    path = write_workbook({"Lijst": frame()}, tmp_path / "lijst.xlsx")
    ws = openpyxl.load_workbook(path)["Lijst"]
    assert ws["A2"].data_type == "s" and ws["A2"].value == "=SUM(A1)"
    assert all(c.font.b for c in ws[1]) and not ws["A2"].font.b
    assert ws.freeze_panes == "A2"
    assert ws["C2"].number_format == "0.0" and ws["D2"].number_format == "0.0%"  # "aandeel" is a percentage
    assert ws["F2"].number_format == "yyyy-mm-dd" and ws["G2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert ws.column_dimensions["A"].width == 13  # "  spaties  " (11) + 2
    assert ws.column_dimensions["B"].width == 13  # at least 10; "12345678901" (11) + 2


def test_a_long_list_is_written_in_blocks_and_keeps_its_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "BLOCK_ROWS", 7)
    n = 50
    lijst = pd.DataFrame({"identificatie": [f"ZAAK-{i:03d}" for i in range(n)], "dagen": np.arange(n) * 1.5})
    path = write_workbook({"Vernietigingslijst": lijst, "Leeg": lijst.iloc[:0]}, tmp_path / "lijst.xlsx")
    rows = read(path, "Vernietigingslijst")
    assert rows[1:] == [[f"ZAAK-{i:03d}", i * 1.5] for i in range(n)]
    assert read(path, "Leeg") == [["identificatie", "dagen"]]
    assert pd.read_excel(path, sheet_name="Vernietigingslijst").equals(lijst)


def test_every_part_is_well_formed_xml_and_the_sheet_names_fit_excel(tmp_path: Path) -> None:
    long = "Bevindingen van de evaluatie voor het bestuur"
    path = write_workbook({long: frame(), "Tweede & <derde>": frame().iloc[:2]}, tmp_path / "twee.xlsx")
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            ET.fromstring(zf.read(name))  # raises on anything an XML parser (and so Excel) would refuse
    assert openpyxl.load_workbook(path).sheetnames == [long[:31], "Tweede & <derde>"]


def test_more_rows_than_excel_holds_is_refused_before_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "MAX_ROWS", 10)
    target = tmp_path / "lijst.xlsx"
    with pytest.raises(ValueError, match="Excel holds at most 9"):
        write_workbook({"Lijst": pd.DataFrame({"a": range(10)})}, target)
    assert not list(tmp_path.iterdir())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40), min_size=1, max_size=5))
def test_any_text_from_the_data_reads_back_exactly_but_for_characters_xml_cannot_hold(
        tmp_path_factory: pytest.TempPathFactory, texts: list[str]) -> None:
    path = tmp_path_factory.mktemp("x") / "t.xlsx"
    write_workbook({"t": pd.DataFrame({"tekst": pd.array(texts, dtype="str")})}, path)
    ws = openpyxl.load_workbook(path).active
    assert [ws.cell(row=i, column=1).value for i in range(2, len(texts) + 2)] == [
        xlsx._ILLEGAL.sub("", t) or None for t in texts]
