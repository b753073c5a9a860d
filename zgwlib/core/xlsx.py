"""Plain tables as an ``.xlsx`` workbook, written a column at a time: fast enough for a million rows.

The published appendices (the archive's destruction list, the evaluation's tables) are plain tables: a bold,
frozen header row, then values. openpyxl builds an object per cell and serialises it with a Python XML writer,
about 20 microseconds a cell: the organisation's destruction list of a 2,000,000-zaak municipality (680,000 rows)
took two and a half minutes. This module writes the same workbook (SpreadsheetML, ECMA-376) from whole columns
with numpy and pandas string operations, streaming rows into the zip file in blocks, so memory stays bounded.

What a cell becomes:

- text (also ``=SUM(...)`` and ``0123``) as an inline string: never a formula, never a number; carriage returns
  and leading or trailing spaces survive; characters XML cannot carry (control characters) are left out;
- integers and booleans as numbers and booleans;
- floats as numbers with one decimal, as a percentage (``0.0%``) when ``procent(header)`` says so;
- dates as Excel dates (``yyyy-mm-dd``; with the time when a column has one);
- missing values (None, NaN, NaT, pd.NA, an empty text, infinity) as empty cells.

openpyxl remains the reader (the tests read every workbook written here back with it).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

import numpy as np
import pandas as pd

#: Rows per block written into the zip file: bounds the memory of a long sheet.
BLOCK_ROWS = 20_000
#: Excel's longest sheet name and its last row.
MAX_SHEET_NAME = 31
MAX_ROWS = 1_048_576

# Style indexes in styles.xml (cellXfs): see _STYLES.
_HEADER, _DECIMAL, _PERCENT, _DATE, _DATETIME = 1, 2, 3, 4, 5
_EPOCH = np.datetime64("1899-12-30T00:00:00", "ns")  # Excel's day 0 (with its 1900 leap-year quirk behind it)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_STYLES = _HEAD + (
    f'<styleSheet {_NS}>'
    '<numFmts count="4"><numFmt numFmtId="164" formatCode="0.0"/><numFmt numFmtId="165" formatCode="0.0%"/>'
    '<numFmt numFmtId="166" formatCode="yyyy-mm-dd"/><numFmt numFmtId="167" formatCode="yyyy-mm-dd hh:mm:ss"/>'
    '</numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '</fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>'
)


def column_letter(i: int) -> str:
    """Excel's letters of the ``i``-th column (1 is A, 27 is AA)."""
    letters = ""
    while i:
        i, rest = divmod(i - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text_xml(values: pd.Series) -> pd.Series:
    """Inline-string cells of text values (escaped; CR kept as a character reference)."""
    text = values.astype(str).str.replace(_ILLEGAL, "", regex=True)
    text = text.str.replace("&", "&amp;", regex=False).str.replace("<", "&lt;", regex=False)
    text = text.str.replace(">", "&gt;", regex=False).str.replace("\r", "&#13;", regex=False)
    return '" t="inlineStr"><is><t xml:space="preserve">' + text + "</t></is></c>"


def _number_xml(values: pd.Series, style: int | None) -> pd.Series:
    s = f' s="{style}"' if style else ""
    return f'"{s}><v>' + values + "</v></c>"


def _column_cells(column: pd.Series, percent: bool) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the tail of the ``<c r="..."`` element (everything after the reference) and whether it is empty."""
    n = len(column)
    out = np.full(n, "", dtype=object)
    missing = column.isna().to_numpy(dtype=bool).copy()
    if pd.api.types.is_string_dtype(column.dtype) and not pd.api.types.is_object_dtype(column.dtype):
        # An empty text is an empty cell, also when it held only characters XML cannot carry.
        missing |= (column.str.replace(_ILLEGAL, "", regex=True) == "").fillna(False).to_numpy(dtype=bool)
    present = ~missing
    values = column[present]
    dtype = column.dtype
    if len(values) == 0:
        return out, missing
    if pd.api.types.is_bool_dtype(dtype):
        cells = '" t="b"><v>' + values.astype(bool).astype(int).astype(str) + "</v></c>"
    elif pd.api.types.is_integer_dtype(dtype):
        cells = _number_xml(values.astype("int64").astype(str), None)
    elif pd.api.types.is_float_dtype(dtype):
        numbers = values.astype("float64")
        infinite = ~np.isfinite(numbers.to_numpy())
        if infinite.any():  # Excel has no infinity: an empty cell, as for a missing value
            missing[np.flatnonzero(present)[infinite]] = True
            present = ~missing
            numbers = numbers[~infinite]
        cells = _number_xml(numbers.map(repr), _PERCENT if percent else _DECIMAL)
    elif pd.api.types.is_datetime64_any_dtype(dtype) or _is_arrow_date(dtype):
        cells = _date_xml(values)
    elif pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        cells = _text_xml(values)
    else:
        return _mixed_cells(column, percent)
    out[present] = cells.to_numpy(dtype=object)
    return out, missing


def _is_arrow_date(dtype: Any) -> bool:
    pa_type = getattr(dtype, "pyarrow_dtype", None)
    if pa_type is None:
        return False
    import pyarrow as pa

    return bool(pa.types.is_date(pa_type) or pa.types.is_timestamp(pa_type))


def _date_xml(values: pd.Series) -> pd.Series:
    stamps = pd.to_datetime(values)
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_localize(None)  # the wall-clock time it shows
    ns = stamps.to_numpy(dtype="datetime64[ns]")
    days = (ns - _EPOCH) / np.timedelta64(1, "D")
    has_time = bool(((ns - ns.astype("datetime64[D]")) != np.timedelta64(0, "ns")).any())
    return _number_xml(pd.Series(days, index=values.index).map(repr), _DATETIME if has_time else _DATE)


def _mixed_cells(column: pd.Series, percent: bool) -> tuple[np.ndarray, np.ndarray]:
    """Text columns, and columns of mixed Python values: each value by its own type."""
    values = column.astype(object).to_numpy()
    out = np.full(len(values), "", dtype=object)
    missing = np.zeros(len(values), dtype=bool)
    kinds = np.array([_kind(v) for v in values], dtype=object)
    missing[kinds == "missing"] = True
    for kind in ("bool", "int", "float", "date", "text"):
        where = kinds == kind
        if not where.any():
            continue
        part = pd.Series(values[where])
        if kind == "bool":
            cells = '" t="b"><v>' + part.map(lambda v: "1" if v else "0") + "</v></c>"
        elif kind == "int":
            cells = _number_xml(part.map(lambda v: str(int(v))), None)
        elif kind == "float":
            cells = _number_xml(part.map(lambda v: repr(float(v))), _PERCENT if percent else _DECIMAL)
        elif kind == "date":
            cells = _date_xml(part.map(pd.Timestamp))
        else:
            cells = _text_xml(part.map(str))
        out[where] = cells.to_numpy(dtype=object)
    return out, missing


def _kind(v: Any) -> str:
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, str) and not _ILLEGAL.sub("", v)):
        return "missing"
    if isinstance(v, (bool, np.bool_)):
        return "bool"
    if isinstance(v, (int, np.integer)):
        return "int"
    if isinstance(v, (float, np.floating)):
        return "float" if np.isfinite(v) else "missing"  # Excel has no infinity
    if isinstance(v, (dt.date, np.datetime64)):
        return "date"
    return "text"


def _width(frame: pd.DataFrame, kolom: Any) -> float:
    """As wide as the header and the first 200 values, at least 10 and at most 60 characters."""
    breed = max([len(str(kolom))] + [len(str(v)) for v in frame[kolom].head(200)])
    return min(max(10, breed + 2), 60)


def _write_sheet(out: IO[bytes], frame: pd.DataFrame, procent: Callable[[str], bool]) -> None:
    letters = [column_letter(i) for i in range(1, frame.shape[1] + 1)]
    cols = "".join(f'<col min="{i}" max="{i}" width="{_width(frame, k)}" customWidth="1"/>'
                   for i, k in enumerate(frame.columns, start=1))
    out.write((
        f"{_HEAD}<worksheet {_NS} {_NS_R}><sheetViews><sheetView workbookViewId=\"0\">"
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/>{"<cols>" + cols + "</cols>" if cols else ""}<sheetData>'
        '<row r="1">' + "".join(
            f'<c r="{L}1" s="{_HEADER}" t="inlineStr"><is><t xml:space="preserve">'
            f'{escape(_ILLEGAL.sub("", str(k))).replace(chr(13), "&#13;")}</t></is></c>'
            for L, k in zip(letters, frame.columns)) + "</row>"
    ).encode("utf-8"))
    for start in range(0, len(frame), BLOCK_ROWS):
        block = frame.iloc[start:start + BLOCK_ROWS]
        numbers = np.arange(start + 2, start + 2 + len(block)).astype(str).astype(object)
        rows = '<row r="' + numbers + '">'
        for letter, kolom in zip(letters, block.columns):
            cells, empty = _column_cells(block[kolom], procent(str(kolom)))
            full = ~empty
            rows[full] = rows[full] + ('<c r="' + letter) + numbers[full] + cells[full]
        out.write(("".join(rows + "</row>")).encode("utf-8"))
    out.write(b"</sheetData></worksheet>")


def write_xlsx(sheets: Mapping[str, pd.DataFrame], path: str | Path,
               procent: Callable[[str], bool] = lambda kop: False) -> None:
    """Write ``sheets`` (name -> DataFrame, in order) as a workbook at ``path`` (not atomic by itself)."""
    names = [str(n)[:MAX_SHEET_NAME] for n in sheets]
    for naam, frame in zip(names, sheets.values()):
        if len(frame) + 1 > MAX_ROWS:
            raise ValueError(f"sheet {naam!r} has {len(frame):,} rows; Excel holds at most {MAX_ROWS - 1:,}")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=4) as zf:
        zf.writestr("[Content_Types].xml", _HEAD + (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                      for i in range(1, len(names) + 1))
            + "</Types>"))
        zf.writestr("_rels/.rels", _HEAD + (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'))
        zf.writestr("xl/workbook.xml", _HEAD + (
            f"<workbook {_NS} {_NS_R}><sheets>"
            + "".join(f'<sheet name={quoteattr(_ILLEGAL.sub("", n))} sheetId="{i}" r:id="rId{i}"/>'
                      for i, n in enumerate(names, start=1))
            + "</sheets></workbook>"))
        zf.writestr("xl/_rels/workbook.xml.rels", _HEAD + (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" '
                      'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                      f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(names) + 1))
            + f'<Relationship Id="rId{len(names) + 1}" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
            'Target="styles.xml"/></Relationships>'))
        zf.writestr("xl/styles.xml", _STYLES)
        for i, frame in enumerate(sheets.values(), start=1):
            with zf.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as out:
                _write_sheet(out, frame, procent)
