"""Imports of exports into a snapshot, and exports of a snapshot for round trips.

A source is a folder of CSV files (one per table, named like the table:
``zaken.csv``), an Excel workbook (one sheet per table) or a folder of Parquet
files. CSV is read as municipalities export it: ``;`` or ``,`` separated
(detected), UTF-8 with or without BOM or Windows-1252 (detected strictly, see
:func:`detect_encoding`), dates as
``31-12-2026``, ``2026-12-31`` or ``31/12/2026`` with or without a time, a
decimal comma in ``;``-separated files, booleans as ja/nee, true/false,
waar/onwaar or 1/0, empty text as missing, surrounding whitespace stripped.

A YAML mapping file (see ``docs/importing.md``) renames a vendor's files or
sheets, column headers and values to the contract.

The import validates everything first (:mod:`zgwlib.data.validate`) and writes the
snapshot only when there is no error, atomically, so a failed import never
leaves half a snapshot and never replaces an existing one.

Each snapshot records the day up to which its data is complete (meta.json
``periode_tot``): from the source's meta.json when it has one (an export of a
snapshot), else from ``--tot``, else the date of the export files. Zaken,
statussen and documenten dated after that day are errors.

CSV written by :func:`export_snapshot` neutralises text a spreadsheet would run
as a formula (OWASP's advice on CSV injection): a cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return, after any number of ``'``, gets
one more ``'`` in front. The import removes exactly that one ``'`` again from
a CSV cell that starts with ``'`` followed by such a text, so every value
comes back exactly (see :func:`neutralise_formulas`).
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from zgwlib.core.errors import InputFileError, Problem, UsageError, ValidationError, shorten
from zgwlib.core.files import check_out, new_dir, new_file
from zgwlib.core.nl import date_amsterdam, today_amsterdam
from zgwlib.core.terms import DOCUMENTEN_BRON, GEEN_DOCUMENTEN, has_document_data
from zgwlib.data import contract
from zgwlib.data.snapshot import Snapshot, build_meta, data_until, meta_mistakes, write_snapshot
from zgwlib.data.sources import load_snapshot, resolve
from zgwlib.data.validate import MISSING_COLUMN, RowNumbers, validate_and_convert

#: Municipality name when neither the mapping nor a meta.json gives one.
UNKNOWN_GEMEENTE = "onbekende gemeente"
#: Data rows an Excel sheet can hold (1,048,576 rows minus the header).
EXCEL_MAX_ROWS = 1_048_575
#: meta.json keys that every snapshot gets anew from :func:`zgwlib.data.snapshot.build_meta`; the source's
#: periode_van and periode_tot are kept (:func:`import_export`).
_META_OWN = ("gemeente", "bron", "aangemaakt_op", "periode_van", "periode_tot", "aantallen", "contract_versie")
#: First characters that make a spreadsheet run a cell as a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_QUOTE = r"^'*[=+\-@\t\r]"
_ADDED_QUOTE = r"^'(?='*[=+\-@\t\r])"
_EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_CSV_SUFFIXES = (".csv", ".txt")
_CSV_KEYS = ("delimiter", "encoding", "decimal")
_TABLE_KEYS = ("file", "sheet", "header_row", "columns", "values", "csv")


# --------------------------------------------------------------------------- mapping


@dataclass
class TableMapping:
    """How one contract table is found and renamed in a source (one ``tables:`` entry)."""

    file: str | None = None
    sheet: str | None = None
    header_row: int = 1
    columns: dict[str, list[str]] = field(default_factory=dict)
    values: dict[str, dict[str, str | None]] = field(default_factory=dict)
    csv: dict[str, str] = field(default_factory=dict)


@dataclass
class ImportMapping:
    """A parsed mapping file (see ``docs/importing.md`` for every key)."""

    gemeente: str | None = None
    csv: dict[str, str] = field(default_factory=dict)
    tables: dict[str, TableMapping] = field(default_factory=dict)
    path: Path | None = None

    def table(self, name: str) -> TableMapping:
        """The entry for table ``name`` (defaults when the mapping has none)."""
        return self.tables.get(name) or TableMapping()


def _csv_options(raw: Any, where: str, errors: list[str]) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        errors.append(f"{where}: must be a mapping with keys {', '.join(_CSV_KEYS)}")
        return {}
    out = {}
    for k, v in raw.items():
        if k not in _CSV_KEYS:
            errors.append(f"{where}: unknown key {k!r} (known: {', '.join(_CSV_KEYS)})")
        elif k == "decimal" and str(v) not in (",", "."):
            errors.append(f"{where}.decimal: must be ',' or '.', not {v!r}")
        elif k == "encoding":
            try:
                codecs.lookup(str(v))
            except LookupError:
                errors.append(f"{where}.encoding: unknown encoding {v!r}")
            out[k] = str(v)
        else:
            out[k] = str(v)
    return out


def load_mapping(path: str | os.PathLike[str] | None) -> ImportMapping:
    """Read and check a YAML mapping file.

    Parameters
    ----------
    path : path or None
        The mapping file; ``None`` gives an empty mapping (contract names everywhere).

    Raises
    ------
    UsageError
        The file is missing, not YAML, or names unknown keys, tables or columns
        (every such mistake is listed).
    """
    if path is None:
        return ImportMapping()
    p = Path(path)
    raw = _read_mapping_yaml(p)
    errors: list[str] = []
    for key in raw:
        if key not in ("gemeente", "csv", "tables"):
            errors.append(f"unknown key {key!r} at the top (known: gemeente, csv, tables)")
    mapping = ImportMapping(path=p)
    if raw.get("gemeente") is not None:
        mapping.gemeente = str(raw["gemeente"]).strip()
    mapping.csv = _csv_options(raw.get("csv"), "csv", errors)
    tables = raw.get("tables") or {}
    if not isinstance(tables, dict):
        errors.append("tables: must map table names to their settings")
        tables = {}
    for name, entry in tables.items():
        tm = _table_mapping(name, entry, errors)
        if tm is not None:
            mapping.tables[name] = tm
    if errors:
        raise UsageError(f"mapping file {p} has {len(errors)} mistake(s):\n" + "\n".join(f"  - {e}" for e in errors))
    return mapping


def _read_mapping_yaml(p: Path) -> dict[str, Any]:
    """The mapping file's top-level mapping, or a UsageError that says what is wrong with the file."""
    import yaml

    if not p.is_file():
        raise UsageError(f"mapping file {p} not found.")
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise UsageError(f"mapping file {p}: save it as UTF-8 text.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark is not None else ""
        raise UsageError(f"mapping file {p} is not valid YAML{line}: {getattr(exc, 'problem', exc)}") from None
    raw = raw or {}
    if not isinstance(raw, dict):
        raise UsageError(f"mapping file {p}: expected keys gemeente, csv and tables at the top.")
    return raw


def _table_mapping(name: str, entry: Any, errors: list[str]) -> TableMapping | None:
    """One ``tables.<name>`` entry of a mapping file; every mistake is added to ``errors``."""
    where = f"tables.{name}"
    if name not in contract.TABLES:
        errors.append(f"{where}: {name!r} is not a contract table (tables: {', '.join(contract.TABLES)})")
        return None
    entry = entry or {}
    if not isinstance(entry, dict):
        errors.append(f"{where}: must be a mapping with keys {', '.join(_TABLE_KEYS)}")
        return None
    tm = TableMapping()
    for key in entry:
        if key not in _TABLE_KEYS:
            errors.append(f"{where}: unknown key {key!r} (known: {', '.join(_TABLE_KEYS)})")
    tm.file = None if entry.get("file") is None else str(entry["file"])
    tm.sheet = None if entry.get("sheet") is None else str(entry["sheet"])
    header_row = entry.get("header_row", 1)
    if not isinstance(header_row, int) or isinstance(header_row, bool) or header_row < 1:
        errors.append(f"{where}.header_row: must be a row number from 1, not {header_row!r}")
    else:
        tm.header_row = header_row
    tm.csv = _csv_options(entry.get("csv"), f"{where}.csv", errors)
    tm.columns = _column_renames(name, entry.get("columns") or {}, where, errors)
    tm.values = _value_translations(name, entry.get("values") or {}, where, errors)
    return tm


def _column_renames(name: str, columns: Any, where: str, errors: list[str]) -> dict[str, list[str]]:
    """Source header -> the contract column(s) it fills; a column filled twice or unknown is a mistake."""
    if not isinstance(columns, dict):
        errors.append(f"{where}.columns: must map source headers to contract columns")
        return {}
    spec = contract.TABLES[name]
    out: dict[str, list[str]] = {}
    used: dict[str, str] = {}
    for header, target in columns.items():
        names = []
        for t in target if isinstance(target, list) else [target]:
            if str(t) not in spec.column_names:
                errors.append(f"{where}.columns.{header}: {t!r} is not a column of {name} "
                              f"(columns: {', '.join(spec.column_names)})")
            elif str(t) in used:
                errors.append(f"{where}.columns: both {used[str(t)]!r} and {header!r} map to {t}")
            else:
                used[str(t)] = str(header)
                names.append(str(t))
        out[str(header).strip()] = names
    return out


def _value_translations(name: str, values: Any, where: str, errors: list[str]) -> dict[str, dict[str, str | None]]:
    """Contract column -> {source value: contract value}; an unknown column is a mistake."""
    if not isinstance(values, dict):
        errors.append(f"{where}.values: must map contract columns to value translations")
        return {}
    spec = contract.TABLES[name]
    out: dict[str, dict[str, str | None]] = {}
    for col, table in values.items():
        if str(col) not in spec.column_names:
            errors.append(f"{where}.values.{col}: {col!r} is not a column of {name}")
        elif not isinstance(table, dict):
            errors.append(f"{where}.values.{col}: must map source values to contract values")
        else:
            out[str(col)] = {_yaml_text(k): (None if v is None else _yaml_text(v)) for k, v in table.items()}
    return out


def _yaml_text(value: Any) -> str:
    # YAML reads true/false and numbers as such; the data holds them as text.
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


# --------------------------------------------------------------------------- reading


@dataclass
class _Raw:
    """One table as read from the source, before renaming and conversion."""

    frame: pd.DataFrame
    file: str
    rows: RowNumbers
    decimal_comma: bool = False


#: A valid UTF-8 sequence of two to four bytes (RFC 3629): text in Windows-1252 hardly ever holds one.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xC2-\xDF][\x80-\xBF]|\xE0[\xA0-\xBF][\x80-\xBF]|[\xE1-\xEC\xEE\xEF][\x80-\xBF]{2}"
    rb"|\xED[\x80-\x9F][\x80-\xBF]|\xF0[\x90-\xBF][\x80-\xBF]{2}|[\xF1-\xF3][\x80-\xBF]{3}"
    rb"|\xF4[\x80-\x8F][\x80-\xBF]{2}")
_CHUNK = 1 << 20


def _reading_encoding(encoding: str) -> str:
    # UTF-8 given by name still drops a BOM (else it sticks to the first header).
    return "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding


def first_undecodable(path: Path, encoding: str) -> tuple[int, bytes, str] | None:
    """Where ``path`` stops decoding as ``encoding``: line number, the bytes, and the text before them on that line.

    None when the whole file decodes. Reads the file in chunks, so a large file costs no memory.
    """
    dec = codecs.getincrementaldecoder(encoding)()
    consumed = 0
    pos = -1
    width = 1
    with open(path, "rb") as f:
        while True:
            chunk = f.read(_CHUNK)
            pending = len(dec.getstate()[0])
            try:
                dec.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                pos, width = consumed - pending + exc.start, max(exc.end - exc.start, 1)
                break
            if not chunk:
                return None
            consumed += len(chunk)
        # Count the lines before the bad bytes and keep the start of their line, for the message.
        f.seek(0)
        line, before, done = 1, b"", 0
        while done < pos:
            part = f.read(min(_CHUNK, pos - done))
            if not part:
                break
            line += part.count(b"\n")
            before = (before + part).rsplit(b"\n", 1)[-1][-60:]
            done += len(part)
        f.seek(pos)
        bad = f.read(min(width, 8))
    return line, bad, before.decode(encoding, errors="replace").strip()


def _holds_utf8_multibyte(path: Path) -> bool:
    tail = b""
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            if _UTF8_MULTIBYTE.search(tail + chunk):
                return True
            tail = chunk[-3:]  # a sequence may straddle two chunks
    return False


def _where(path: Path, found: tuple[int, bytes, str]) -> str:
    line, bad, before = found
    after = f" after {shorten(repr(before), 40)}" if before else " at its start"
    return f"line {line} holds the byte(s) {bad.hex(' ')}{after}"


def detect_encoding(path: Path) -> str:
    """The encoding of a CSV file, decided strictly so that no character is silently read wrong.

    ``utf-8-sig`` when the whole file decodes as UTF-8 (with or without BOM); ``cp1252``
    (Windows-1252) only when it does not **and** holds no valid UTF-8 sequence of two or more
    bytes (a UTF-8 file with one stray Windows-1252 byte would otherwise become ``Ã«`` wherever
    it says ``ë``).

    Raises
    ------
    InputFileError
        The file mixes UTF-8 with other bytes, or is neither encoding; the message names the
        line and the bytes.
    """
    bad = first_undecodable(path, "utf-8")
    if bad is None:
        return "utf-8-sig"
    if _holds_utf8_multibyte(path):
        raise InputFileError(
            f"{path}: mixes UTF-8 text with bytes that are not UTF-8: {_where(path, bad)}. Save the file as "
            f"UTF-8, or say which encoding it is with --encoding (for example cp1252).")
    bad = first_undecodable(path, "cp1252")
    if bad is not None:
        raise InputFileError(
            f"{path}: is neither UTF-8 nor Windows-1252 text: {_where(path, bad)}. Save it as UTF-8, or give "
            f"its encoding with --encoding.")
    return "cp1252"


def detect_delimiter(path: Path, encoding: str, header_row: int = 1) -> str:
    """``;``, ``,`` or tab: whichever occurs most in the header line (``,`` when none does)."""
    with open(path, encoding=encoding, errors="replace", newline="") as f:
        line = ""
        for _ in range(header_row):
            line = f.readline()
    counts = {d: line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _clean_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Strip whitespace and make empty text missing, in every text column."""
    out = {}
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_string_dtype(s.dtype) or s.dtype == object:
            s = s.astype("str").str.strip()
            s = s.where(s != "")
        out[col] = s
    return pd.DataFrame(out, index=frame.index)


def _drop_empty_rows(frame: pd.DataFrame, first_row: int) -> tuple[pd.DataFrame, RowNumbers]:
    """Drop rows without any value; keep the spreadsheet row number of the others."""
    if frame.empty or len(frame.columns) == 0:
        return frame.reset_index(drop=True), first_row
    keep = frame.notna().any(axis=1).to_numpy()
    if keep.all():
        return frame.reset_index(drop=True), first_row
    rows = np.flatnonzero(keep) + first_row
    return frame[keep].reset_index(drop=True), rows


def _header_names(frame: pd.DataFrame) -> pd.DataFrame:
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def neutralise_formulas(s: pd.Series) -> pd.Series:
    """Put a ``'`` before text a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR).

    Text that starts with such a character after one or more ``'`` gets one too, so that
    :func:`restore_formulas` can take exactly one off again: the round trip is exact.
    """
    hit = s.str.contains(_NEEDS_QUOTE, regex=True)
    if not hit.any():
        return s
    return s.where(~hit.fillna(False).astype(bool), "'" + s)


def restore_formulas(s: pd.Series) -> pd.Series:
    """Undo :func:`neutralise_formulas`: remove one ``'`` before ``'``s followed by ``=``, ``+``, ``-``, ``@``, tab or CR."""
    if not (pd.api.types.is_string_dtype(s.dtype) or s.dtype == object):
        return s
    hit = s.str.contains(_ADDED_QUOTE, regex=True)
    if not hit.fillna(False).any():
        return s
    return s.str.replace(_ADDED_QUOTE, "", n=1, regex=True)


def read_csv_table(path: Path, options: Mapping[str, str], header_row: int = 1) -> _Raw:
    """Read one CSV file as text, detecting encoding, delimiter and decimal mark.

    ``options["encoding"]`` forces an encoding (``--encoding`` or the mapping); the file must then
    decode in it completely, else the message names the line and bytes.
    """
    if options.get("encoding"):
        encoding = _reading_encoding(options["encoding"])
        bad = first_undecodable(path, encoding)
        if bad is not None:
            raise InputFileError(f"{path}: is not {options['encoding']} text: {_where(path, bad)}.")
    else:
        encoding = detect_encoding(path)
    delimiter = options.get("delimiter") or detect_delimiter(path, encoding, header_row)
    decimal = options.get("decimal") or ("," if delimiter == ";" else ".")
    try:
        frame = pd.read_csv(
            path, sep=delimiter, dtype="str", keep_default_na=False, na_values=[], skip_blank_lines=False,
            encoding=encoding, skiprows=header_row - 1, header=0, engine="c",
        )
    except UnicodeDecodeError:
        raise InputFileError(f"{path}: cannot be read as {encoding} text; save it as UTF-8.") from None
    except pd.errors.EmptyDataError:
        raise InputFileError(f"{path}: the file is empty (expected a header line).") from None
    except pd.errors.ParserError as exc:
        raise InputFileError(f"{path}: cannot be read as CSV ({exc}).") from None
    frame = _clean_text(_header_names(frame))
    frame = pd.DataFrame({c: restore_formulas(frame[c]) for c in frame.columns}, index=frame.index)
    frame, rows = _drop_empty_rows(frame, header_row + 1)
    return _Raw(frame, str(path), rows, decimal == ",")


def read_parquet_table(path: Path) -> _Raw:
    """Read one Parquet file (typed columns stay typed; text is cleaned)."""
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many types for a damaged file
        raise InputFileError(f"{path}: cannot be read as Parquet ({exc}).") from None
    return _Raw(_clean_text(_header_names(frame)).reset_index(drop=True), str(path), 1)


def _read_sheet(book: pd.ExcelFile, sheet: str, header_row: int, label: str) -> _Raw:
    frame = pd.read_excel(book, sheet_name=sheet, header=header_row - 1, dtype="str",
                          keep_default_na=False, na_values=[])
    frame = _clean_text(_header_names(frame))
    frame, rows = _drop_empty_rows(frame, header_row + 1)
    return _Raw(frame, label, rows, decimal_comma=False)


def _open_workbook(path: Path) -> pd.ExcelFile:
    try:
        return pd.ExcelFile(path, engine="openpyxl")
    except Exception as exc:  # openpyxl raises zipfile/KeyError/... for a damaged file
        raise InputFileError(f"{path}: cannot be read as an Excel workbook ({exc}).") from None


def read_excel_table(path: Path, sheet: str | None = None, header_row: int = 1) -> _Raw:
    """Read one sheet of a workbook as text (the named sheet, else the first one)."""
    with _open_workbook(path) as book:
        sheets = [str(s) for s in book.sheet_names]
        found = _find(sheets, sheet) if sheet else (sheets[0] if sheets else None)
        if found is None:
            raise InputFileError(f"{path}: has no sheet {sheet!r} (sheets: {', '.join(sheets)}).")
        return _read_sheet(book, found, header_row, f"{path}, sheet {found}")


def _find(names: list[str], wanted: str) -> str | None:
    """The entry of ``names`` equal to ``wanted`` ignoring case and surrounding space."""
    key = wanted.strip().casefold()
    for n in names:
        if n.strip().casefold() == key:
            return n
    return None


@dataclass
class _Source:
    """What a source holds: its tables as read, problems finding them, and an earlier export's meta."""

    raws: dict[str, _Raw] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: Where a table not found was looked for, so its problem can name it.
    expected: dict[str, str] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    #: Where meta came from (for messages).
    meta_file: str = ""
    #: The files read, whose date says up to when the export is complete when nothing else does.
    paths: list[Path] = field(default_factory=list)


def _checked_meta(meta: object, where: str) -> dict[str, Any]:
    mistakes = meta_mistakes(meta)
    if mistakes:
        raise InputFileError(f"{where}: " + "; ".join(mistakes) + ". Fix it or remove it.")
    return meta  # type: ignore[return-value]


def _json_meta(path: Path) -> dict[str, Any]:
    """meta.json of an earlier export, or {} when there is none."""
    if not path.is_file():
        return {}
    try:
        meta = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise InputFileError(f"{path}: not valid JSON; fix it or remove it.") from None
    return _checked_meta(meta, str(path))


def _read_folder(source: Path, mapping: ImportMapping) -> _Source:
    files = sorted(p.name for p in source.iterdir() if p.is_file())
    found_source = _Source(meta=_json_meta(source / "meta.json"), meta_file=str(source / "meta.json"))
    for name, spec in contract.TABLES.items():
        tm = mapping.table(name)
        if tm.file:
            found = _find(files, tm.file)
            if found is None:
                if spec.required:
                    found_source.expected[name] = tm.file  # validation reports the missing table by this name
                else:
                    found_source.problems.append(
                        Problem(name, f"file named in the mapping is not in {source}", file=tm.file))
                continue
        else:
            candidates = [f"{name}{suffix}" for suffix in (".csv", ".parquet", ".txt", ".xlsx")]
            found = next((f for f in (_find(files, c) for c in candidates) if f), None)
            if found is None:
                found_source.expected[name] = f"{name}.csv"
                continue
        path = source / found
        found_source.paths.append(path)
        if path.suffix.lower() == ".parquet":
            found_source.raws[name] = read_parquet_table(path)
        elif path.suffix.lower() in _EXCEL_SUFFIXES:
            # A project leader's own workbook beside the system's CSV export (e.g. the cleanup sheet).
            found_source.raws[name] = read_excel_table(path, tm.sheet, tm.header_row)
        else:
            found_source.raws[name] = read_csv_table(path, {**mapping.csv, **tm.csv}, tm.header_row)
    return found_source


def _meta_sheet(frame: pd.DataFrame) -> dict[str, Any]:
    """The ``meta`` sheet of an exported workbook (key, JSON value) as a dict."""
    if list(frame.columns[:2]) != ["key", "value"]:
        return {}
    out: dict[str, Any] = {}
    for key, value in zip(frame["key"], frame["value"], strict=True):
        try:
            out[str(key)] = json.loads(value)
        except (json.JSONDecodeError, TypeError):
            out[str(key)] = value
    return out


def _read_workbook(source: Path, mapping: ImportMapping) -> _Source:
    book = _open_workbook(source)
    beside = source.with_name(f"{source.stem}.meta.json")
    found_source = _Source(meta=_json_meta(beside), meta_file=str(beside), paths=[source])
    with book:
        sheets = [str(s) for s in book.sheet_names]
        meta_sheet = _find(sheets, "meta")
        if meta_sheet is not None and not found_source.meta:
            found_source.meta = _checked_meta(_meta_sheet(
                pd.read_excel(book, sheet_name=meta_sheet, dtype="str", keep_default_na=False)),
                f"{source}, sheet {meta_sheet}")
            found_source.meta_file = f"{source.name}, sheet {meta_sheet}"
        for name in contract.TABLES:
            tm = mapping.table(name)
            wanted = tm.sheet or (Path(tm.file).stem if tm.file else None)
            found = _find(sheets, wanted or name)
            if found is None:
                where = f"{source.name}, sheet {wanted or name}"
                if contract.TABLES[name].required:
                    found_source.expected[name] = where  # validation reports the missing table by this name
                elif wanted:
                    found_source.problems.append(
                        Problem(name, "sheet named in the mapping is not in the workbook", file=where))
                continue
            found_source.raws[name] = _read_sheet(book, found, tm.header_row, f"{source.name}, sheet {found}")
    return found_source


# --------------------------------------------------------------------------- renaming


def _apply_mapping(
    name: str, raw: _Raw, tm: TableMapping
) -> tuple[pd.DataFrame, list[Problem], dict[str, str]]:
    """Rename headers to contract columns and translate values; report missing and ignored columns.

    Returns the renamed frame, problems, and for missing columns a hint on
    which header the mapping expected.
    """
    spec = contract.TABLES[name]
    frame = raw.frame
    headers = [str(c) for c in frame.columns]
    problems: list[Problem] = []
    hints: dict[str, str] = {}
    out: dict[str, pd.Series] = {}
    consumed: set[str] = set()
    for header, targets in tm.columns.items():
        found = _find(headers, header)
        if found is None:
            for t in targets:
                hints[t] = f"the mapping expects header {header!r}"
            continue
        consumed.add(found)
        for t in targets:
            out[t] = frame[found]
    for col in spec.column_names:
        if col in out or col in hints:
            continue
        found = _find([h for h in headers if h not in consumed], col)
        if found is not None:
            consumed.add(found)
            out[col] = frame[found]
    ignored = [h for h in headers if h not in consumed]
    if ignored:
        shown = ", ".join(shorten(repr(h)) for h in ignored[:10]) + (", ..." if len(ignored) > 10 else "")
        problems.append(Problem(name, f"ignored {len(ignored)} column(s) that are not in the contract: {shown}",
                                file=raw.file, severity="warning"))
    for col, table in tm.values.items():
        if col in out:
            out[col] = _translate(out[col], table)
    for col in spec.columns:
        if col.allowed and col.name in out:
            out[col.name] = _normalise_enum(out[col.name], col.allowed)
    result = pd.DataFrame(out, index=frame.index)
    for col in spec.columns:
        if col.name in result.columns:
            continue
        hint = (f" ({hints[col.name]}; headers are: {', '.join(shorten(h, 40) for h in headers[:12])})"
                if col.name in hints else "")
        if col.optional and col.name not in hints:
            # Not every zaaksysteem records it (extension, suspension): empty without a warning.
            result[col.name] = contract.empty_column(col, frame.index)
        elif col.nullable:
            problems.append(Problem(name, f"column is missing; it is left empty{hint}", column=col.name,
                                    file=raw.file, severity="warning"))
            result[col.name] = pd.Series(pd.NA, index=frame.index, dtype=col.dtype)
        else:
            problems.append(Problem(name, f"{MISSING_COLUMN}{hint}", column=col.name, file=raw.file))
    return result, problems, hints


def _translate(s: pd.Series, table: Mapping[str, str | None]) -> pd.Series:
    """Replace source values by contract values (exact match after stripping; None = empty)."""
    if not (pd.api.types.is_string_dtype(s.dtype) or s.dtype == object):
        s = s.astype("str")
    out = s.copy()
    for src, dst in table.items():
        hit = (s == src).to_numpy(dtype=bool, na_value=False)
        if hit.any():
            out[hit] = dst if dst is not None else np.nan
    return out


def _normalise_enum(s: pd.Series, allowed: tuple[str, ...]) -> pd.Series:
    """Accept 'Nog te archiveren' for nog_te_archiveren: lower case, spaces and hyphens as underscores."""
    if str(s.dtype) != "str":
        return s
    norm = s.str.lower().str.replace(r"[\s-]+", "_", regex=True)
    fix = (norm.isin(allowed) & ~s.isin(allowed)).to_numpy(dtype=bool, na_value=False)
    if not fix.any():
        return s
    return s.where(~fix, norm)


# --------------------------------------------------------------------------- import


def import_export(
    source: str | os.PathLike[str],
    out: str | os.PathLike[str],
    mapping: str | os.PathLike[str] | ImportMapping | None = None,
    *,
    today: dt.date | None = None,
    no_documents: bool = False,
    tot: str | dt.date | None = None,
    encoding: str | None = None,
    force: bool = False,
    notes: list[str] | None = None,
) -> tuple[Path, list[Problem]]:
    """Turn an export into a validated snapshot.

    Parameters
    ----------
    source : path
        A folder of CSV files (``zaken.csv``, ``statussen.csv``, ...; names are
        matched ignoring case), an ``.xlsx`` workbook with a sheet per table, or
        a folder of Parquet files. A mapping file may give other names.
    out : path
        Snapshot directory to write. An existing imported snapshot there is
        replaced only when the import succeeds; anything else only with ``force``
        (see :func:`zgwlib.core.files.check_out`).
    mapping : path or ImportMapping, optional
        YAML file renaming files/sheets, headers and values (see
        ``docs/importing.md``).
    today : datetime.date, optional
        Today (default: today in Europe/Amsterdam); ``tot`` and the files' date may not lie after it.
    tot : date or ``YYYY-MM-DD``, optional
        The day up to which the export is complete (``--tot``), when the source has no meta.json
        saying so. Default: the date of the export files. Zaken, statussen and documenten dated
        after it are errors.
    encoding : str, optional
        Read every CSV file in this encoding (``--encoding``) instead of detecting it.
    force : bool
        Replace whatever snapshot is at ``out`` (``--force``); the old one is kept as ``<out>.vorige``.
    notes : list, optional
        Gets a sentence saying where the day up to which the data is complete came from.
    no_documents : bool
        The source has no document data (the organisation keeps its documents
        in another system): ``meta.json`` says so (``"documenten_bron": "geen"``)
        and the reports say "geen documentgegevens". Without it an export with
        no documenten file, or an empty one, is declared so as well, with a
        warning; with it a documenten file that has rows is an error.

    Returns
    -------
    path : pathlib.Path
        The snapshot directory.
    warnings : list of Problem
        Suspicious but usable data, and notes (no document data); the snapshot was written anyway.

    Raises
    ------
    ValidationError
        Any error in the data; nothing is written.
    InputFileError
        The source (or one of its files) cannot be read at all.
    UsageError
        A mistake in the mapping file.

    Examples
    --------
    >>> from zgwlib.data.imports import import_export
    >>> path, warnings = import_export("export/", "data/snapshot", "mapping.yaml")  # doctest: +SKIP
    """
    src = Path(source)
    spec = _forced_encoding(mapping if isinstance(mapping, ImportMapping) else load_mapping(mapping), encoding)
    if not src.exists():
        raise InputFileError(f"{src} not found.")
    today = today or today_amsterdam()
    tot_day = _parse_tot(tot, today)
    sources = [src, spec.path]
    check_out(out, kind="import", sources=sources, force=force)  # before the work, not after it
    read = _read_source(src, spec)
    problems = list(read.problems)
    declared = _document_declaration(read, no_documents, problems)
    tables, files, rows, comma, reported_missing = _mapped_tables(read, spec, problems)
    last_day, periode_tot, how = _last_day(read, tot_day, today)
    converted, checked = validate_and_convert(tables, files=files, rows=rows, decimal_comma=comma, today=today,
                                              last_day=last_day, meta=declared)
    problems += [p for p in checked
                 if not (p.message == MISSING_COLUMN and (p.table, p.column) in reported_missing)]
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    if errors:
        raise ValidationError(errors + warnings, source=str(src))

    old = read.meta
    gemeente = spec.gemeente or str(old.get("gemeente") or UNKNOWN_GEMEENTE)
    # Whether there is document data follows this export, not an earlier export's meta.json.
    extra = {k: v for k, v in old.items() if k not in _META_OWN and k != DOCUMENTEN_BRON}
    # An export of a snapshot keeps its period: a round trip changes no meta.json value but bron and aangemaakt_op.
    period = {k: old[k] for k in ("periode_van", "periode_tot") if old.get(k)}
    period.setdefault("periode_tot", periode_tot.isoformat())
    meta = build_meta(converted, gemeente, f"import: {src}", **extra, **period, **declared)
    path = write_snapshot(converted, out, meta, force=force, sources=sources)
    if notes is not None:
        notes.append(how)
    return path, warnings


def _forced_encoding(spec: ImportMapping, encoding: str | None) -> ImportMapping:
    """``spec`` with every CSV file read in ``encoding`` (``--encoding``), over the mapping's own settings too."""
    if not encoding:
        return spec
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise UsageError(f"--encoding {encoding!r} is not an encoding (for example utf-8 or cp1252).") from None
    return ImportMapping(spec.gemeente, {**spec.csv, "encoding": encoding}, {
        name: TableMapping(tm.file, tm.sheet, tm.header_row, tm.columns, tm.values,
                           {k: v for k, v in tm.csv.items() if k != "encoding"})
        for name, tm in spec.tables.items()}, spec.path)


def _read_source(src: Path, spec: ImportMapping) -> _Source:
    """The raw tables of a folder (CSV or Parquet) or an .xlsx workbook; anything else is refused, saying why."""
    if src.is_dir():
        read = _read_folder(src, spec)
    elif src.suffix.lower() in _EXCEL_SUFFIXES:
        read = _read_workbook(src, spec)
    elif src.suffix.lower() == ".xls":
        raise InputFileError(f"{src}: old .xls workbooks cannot be read; save it as .xlsx in Excel.")
    elif src.suffix.lower() in _CSV_SUFFIXES:
        raise InputFileError(
            f"{src}: one CSV file holds one table; give the folder with a CSV file per table "
            f"(zaken.csv, statussen.csv, ...)."
        )
    else:
        raise InputFileError(f"{src}: not a folder of CSV or Parquet files and not an .xlsx workbook.")
    if not read.raws:
        raise InputFileError(
            f"{src}: no tables found. Expected files or sheets named like the tables "
            f"({', '.join(contract.TABLES)}), or a mapping file naming them."
        )
    return read


def _document_declaration(read: _Source, no_documents: bool, problems: list[Problem]) -> dict[str, str]:
    """The meta.json entry saying the source has no document data, when the export has none; problems added.

    An organisation that keeps its documents elsewhere says so on purpose (``--no-documents``, or the meta.json
    of an export of such a snapshot); otherwise an export without documents gets a warning.
    """
    docs = read.raws.get("documenten")
    n_docs = 0 if docs is None else len(docs.frame)
    on_purpose = no_documents or not has_document_data(read.meta)
    if no_documents and n_docs:
        problems.append(Problem(
            "documenten", f"--no-documents says the source has no documents, but the export has {n_docs} rows of "
            "them; leave out --no-documents, or the documenten file", file=docs.file if docs is not None else None))
    elif n_docs == 0 and not on_purpose:
        problems.append(Problem(
            "documenten", f"the export has no documents, so the snapshot says the source has no document data "
            f"(meta.json \"{DOCUMENTEN_BRON}\": \"{GEEN_DOCUMENTEN}\") and every report says \"geen "
            "documentgegevens\" instead of figures about documents. If the zaaksysteem has documents, add them to "
            "the export; --no-documents declares it without this warning",
            file=docs.file if docs is not None else read.expected.get("documenten"), severity="warning"))
    return {DOCUMENTEN_BRON: GEEN_DOCUMENTEN} if n_docs == 0 else {}


def _mapped_tables(read: _Source, spec: ImportMapping, problems: list[Problem]) -> tuple[
        dict[str, pd.DataFrame], dict[str, str], dict[str, RowNumbers], set[str], set[tuple[str, str]]]:
    """Each raw table renamed and translated by the mapping: the frames, their files and row numbers, the tables
    written with a decimal comma, and the columns already reported missing (problems added)."""
    tables: dict[str, pd.DataFrame] = {}
    files: dict[str, str] = dict(read.expected)
    rows: dict[str, RowNumbers] = {}
    comma: set[str] = set()
    reported_missing: set[tuple[str, str]] = set()
    for name, raw in read.raws.items():
        frame, found, _ = _apply_mapping(name, raw, spec.table(name))
        problems += found
        reported_missing |= {(name, p.column) for p in found if p.severity == "error" and p.column}
        tables[name] = frame
        files[name] = raw.file
        rows[name] = raw.rows
        if raw.decimal_comma:
            comma.add(name)
    return tables, files, rows, comma, reported_missing


def _parse_tot(tot: str | dt.date | None, today: dt.date) -> dt.date | None:
    if tot is None or tot == "":
        return None
    if isinstance(tot, dt.date):
        day = tot
    else:
        try:
            day = dt.date.fromisoformat(str(tot).strip())
        except ValueError:
            raise UsageError(f"--tot {shorten(repr(tot))} is not a day (YYYY-MM-DD).") from None
    if day > today:
        raise UsageError(f"--tot {day.isoformat()} lies after today ({today.isoformat()}, Europe/Amsterdam); "
                         "data cannot be complete up to a day that has not ended.")
    if day.year < 1900:
        raise UsageError(f"--tot {day.isoformat()} lies before 1900.")
    return day


def _last_day(read: _Source, tot: dt.date | None, today: dt.date) -> tuple[dt.date, dt.date, str]:
    """The last day the data may hold, the day it is complete up to (periode_tot), and a sentence saying why."""
    meta = read.meta
    until = data_until(meta) if meta else None
    if until is not None:
        day = dt.date.fromisoformat(str(meta.get("periode_tot") or until)[:10])
        if tot is not None and tot != day:
            raise UsageError(f"--tot {tot.isoformat()} contradicts {read.meta_file}, which says the data is "
                             f"complete up to {day.isoformat()} (periode_tot); leave out --tot, or fix meta.json.")
        return until, day, f"Data complete up to {day.isoformat()}: periode_tot from {read.meta_file}."
    if tot is not None:
        return tot, tot, f"Data complete up to {tot.isoformat()}: from --tot."
    stamps = [p.stat().st_mtime for p in read.paths]
    day = min(max(date_amsterdam(t) for t in stamps), today) if stamps else today
    return day, day, (f"Data complete up to {day.isoformat()}: the date of the export files (Europe/Amsterdam). "
                      "Give --tot YYYY-MM-DD when the export is complete up to another day.")


# --------------------------------------------------------------------------- export


def _text_columns(frame: pd.DataFrame, spec: contract.Table) -> pd.DataFrame:
    """The table as text the way the import reads it back: ISO dates, true/false."""
    out = {}
    for col in spec.columns:
        s = frame[col.name]
        if col.kind == "date":
            s = s.dt.strftime("%Y-%m-%d")
        elif col.kind == "datetime":
            has_us = bool((s.dropna().dt.microsecond != 0).any())
            s = s.dt.strftime("%Y-%m-%dT%H:%M:%S.%f" if has_us else "%Y-%m-%dT%H:%M:%S")
        elif col.kind == "bool":
            s = s.map({True: "true", False: "false"}).astype("str")
        elif col.kind == "str":
            s = neutralise_formulas(s)  # CSV injection: a spreadsheet must show it, not run it
        out[col.name] = s
    return pd.DataFrame(out)


def export_snapshot(
    snapshot_or_path: Snapshot | str | os.PathLike[str],
    out: str | os.PathLike[str],
    fmt: str = "csv",
    *,
    force: bool = False,
) -> Path:
    """Write a snapshot's tables as CSV files or one Excel workbook, readable by :func:`import_export`.

    Parameters
    ----------
    snapshot_or_path : Snapshot or path
        A loaded snapshot or a snapshot directory.
    out : path
        ``csv``: a folder that gets ``<table>.csv`` for every contract table
        (UTF-8, ``,``-separated, rows ending in CR LF, ISO dates, formulas
        neutralised, see :func:`neutralise_formulas`) and a copy of ``meta.json``.
        ``xlsx``: a workbook with a sheet per table and a ``meta`` sheet.
        An earlier export there is replaced; anything else only with ``force``.
    fmt : {"csv", "xlsx"}
        Output format.
    force : bool
        Replace something else than an earlier export (``--force``); it is kept as ``<out>.vorige``.

    Returns
    -------
    pathlib.Path
        What was written. It appears only when complete.

    Raises
    ------
    UsageError
        Unknown format, or a table with more rows than an Excel sheet can hold.
    OutputError
        A destination that is not an earlier export, the snapshot itself, or one
        that cannot be written (full disk, read-only).
    """
    if fmt not in ("csv", "xlsx"):
        raise UsageError(f"unknown export format {fmt!r}; use csv or xlsx.")
    out = Path(out)
    source = (snapshot_or_path.path if isinstance(snapshot_or_path, Snapshot) else resolve(snapshot_or_path))
    check_out(out, kind="export", sources=[source], force=force, file=fmt == "xlsx")
    snap = snapshot_or_path if isinstance(snapshot_or_path, Snapshot) else load_snapshot(snapshot_or_path)
    tables = {name: snap.tables.get(name, spec.empty()) for name, spec in contract.TABLES.items()}
    if fmt == "xlsx":
        for name, frame in tables.items():
            if len(frame) > EXCEL_MAX_ROWS:
                raise UsageError(
                    f"table {name} has {len(frame):,} rows; an Excel sheet holds at most {EXCEL_MAX_ROWS:,}. "
                    f"Export as CSV instead (--format csv)."
                )
        _check_excel_text(tables)
        with new_file(out, kind="export", sources=[source], force=force) as tmp:
            _write_workbook(tables, snap.meta, tmp)
        return out
    with new_dir(out, kind="export", sources=[source], force=force) as tmp:
        for name, frame in tables.items():
            # CR LF ends a row (RFC 4180): the csv writer then quotes every value holding a line break, also a
            # lone CR, which with LF endings it left bare, so the reader broke the row there.
            _text_columns(frame, contract.TABLES[name]).to_csv(
                tmp / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\r\n"
            )
        (tmp / "meta.json").write_text(json.dumps(snap.meta, indent=2, ensure_ascii=False, default=str) + "\n",
                                       encoding="utf-8")
    return out


#: Longest text an Excel cell holds.
EXCEL_MAX_TEXT = 32_767
_EXCEL_ILLEGAL = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"


def _check_excel_text(tables: Mapping[str, pd.DataFrame]) -> None:
    """Refuse text a sheet cannot hold (control characters, more than 32,767 characters) before writing anything."""
    for name, frame in tables.items():
        for col in contract.TABLES[name].columns:
            if col.kind != "str" or not len(frame):
                continue
            s = frame[col.name]
            for mask, what in ((s.str.contains(_EXCEL_ILLEGAL, regex=True), "a control character"),
                               (s.str.len() > EXCEL_MAX_TEXT, f"more than {EXCEL_MAX_TEXT:,} characters")):
                hit = mask.fillna(False).to_numpy(dtype=bool)
                if hit.any():
                    row = int(hit.argmax())
                    raise UsageError(
                        f"table {name}, column {col.name}, row {row + 1} holds {what}, which an Excel sheet cannot "
                        f"hold ({shorten(repr(s.iloc[row]))}); export as CSV instead (--format csv).")


def _cells(frame: pd.DataFrame, spec: contract.Table, ws: Any) -> list[list[Any]]:
    """Columns of Python values for openpyxl: dates as date, missing as None."""
    cols: list[list[Any]] = []
    for col in spec.columns:
        s = frame[col.name]
        if col.kind == "date":
            values = [None if pd.isna(v) else v for v in s.dt.date.tolist()]
        elif col.kind == "datetime":
            values = [None if pd.isna(v) else v for v in s.dt.to_pydatetime().tolist()]
        else:
            values = s.astype(object).where(s.notna(), None).tolist()
        if col.kind == "str" and s.str.startswith("=").any():
            # Free text starting with '=' would become a formula: write it as plain text.
            values = [_text_cell(ws, v) if v is not None and v.startswith("=") else v for v in values]
        cols.append(values)
    return cols


def _text_cell(ws: Any, value: str) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value)
    cell.data_type = "s"
    return cell


def _write_workbook(tables: Mapping[str, pd.DataFrame], meta: Mapping[str, Any], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    for name, frame in tables.items():
        spec = contract.TABLES[name]
        ws = wb.create_sheet(name)
        # A streamed sheet has no size in its header, so readers would scan it whole to find one
        # (openpyxl does, once per sheet on opening): give the size, known up front.
        ref = f"A1:{get_column_letter(len(spec.columns))}{len(frame) + 1}"
        ws.calculate_dimension = lambda ref=ref: ref
        ws.append(spec.column_names)
        for row in zip(*_cells(frame, spec, ws), strict=True):
            ws.append(row)
    ws = wb.create_sheet("meta")
    ws.calculate_dimension = lambda: f"A1:B{len(meta) + 1}"
    ws.append(["key", "value"])
    for key, value in meta.items():
        ws.append([key, json.dumps(value, ensure_ascii=False, default=str)])
    wb.save(path)
