"""Validation of snapshot tables against the data contract.

Every rule is driven by :mod:`zgwlib.data.contract`: required tables and columns,
types, empty values, allowed values, text length, number bounds, unique keys and
references between tables. A few rules span columns (date order) or tables
(cleanup over-reporting). Each finding is one :class:`~zgwlib.core.errors.Problem`
that names the file, table, column, a few row numbers, a few example values
and how many rows have it.

Severity:

* ``error``: the snapshot cannot be used as it is (the import refuses to write
  it, ``zgw validate`` exits with code 2).
* ``warning``: suspicious but usable (a zaak that started after it was
  registered, cleanup, survey or staff dates after the data's last day, more
  cleanup processed than inventoried, a document type that the optional
  catalogue of informatieobjecttypen lacks, dates before 1900 read as empty).

The data's last day is the day up to which it is complete (meta.json
``periode_tot``, see :func:`zgwlib.data.snapshot.data_until`); without one, today
in Europe/Amsterdam. A zaak, status or document dated after it is an error:
such a date is mistyped, and it would make a future month the newest report.

Everything is vectorised in Arrow and numpy (masks, hash lookups built once
per referenced key, row positions only for failing rows; no per-row Python),
so a snapshot of two million zaken validates in about three seconds of CPU
time (``benchmarks/bench_sample.py``). The same functions convert text to the
contract's types for :mod:`zgwlib.data.imports` (:func:`convert_column`), so the
import reports unreadable values instead of silently making them empty.
"""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from zgwlib.core.errors import Problem, shorten
from zgwlib.core.nl import today_amsterdam
from zgwlib.core.terms import ORGANISATIE  # the name the reports give the whole organisation
from zgwlib.data import contract
from zgwlib.data.opschoning import overmeldingen  # same definition as the cleanup report
from zgwlib.data.snapshot import data_until
from zgwlib.data.sources import load_snapshot, resolve

#: Row numbers shown per problem; ``Problem.count`` has the full number.
MAX_ROWS = 5
#: Example values shown per problem.
MAX_VALUES = 3

#: How a table's positions map to row numbers a person can find: an int is the
#: number of the first data row (1 for Parquet, 2 for a CSV file or sheet with
#: its header in row 1); an array gives the number of every row.
RowNumbers = Union[int, Sequence[int], np.ndarray]

#: Texts read as true or false (compared lower-case, after stripping).
TRUE_WORDS = ("true", "ja", "j", "waar", "yes", "y", "1")
FALSE_WORDS = ("false", "nee", "n", "onwaar", "no", "0")

# Day-first formats as Dutch systems write them, ISO first; each also with a time.
_DAY_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")
_TIME_SUFFIXES = ("", " %H:%M", " %H:%M:%S", " %H:%M:%S.%f", "T%H:%M", "T%H:%M:%S", "T%H:%M:%S.%f")
DATE_FORMATS: tuple[str, ...] = tuple(d + t for d in _DAY_FORMATS for t in _TIME_SUFFIXES)
_TZ_SUFFIX = r"(?:Z|[+-]\d{2}:?\d{2})$"
#: Local time zone that timestamps with an offset (API exports) are converted to.
LOCAL_TZ = "Europe/Amsterdam"

#: Columns that record something that already happened in the zaaksysteem: a value after the data's
#: last day (periode_tot; without it today) is an error. (Planned dates such as einddatum_gepland or
#: streefdatum are naturally in the future.)
AFTER_LAST_DAY_ERRORS: dict[str, tuple[str, ...]] = {
    "zaken": ("registratiedatum", "startdatum", "einddatum"),
    "statussen": ("datum_status_gezet",),
    "documenten": ("creatiedatum",),
}
#: Past events from other sources (an HR export, the project's own sheets), which may be kept beyond the
#: zaaksysteem's export: a value after the last day is a warning.
AFTER_LAST_DAY_WARNINGS: dict[str, tuple[str, ...]] = {
    "medewerkers": ("actief_sinds",),
    "opschoning": ("datum",),
    "enquete": ("datum",),
    "activiteiten": ("datum",),
}
PAST_EVENT_COLUMNS: dict[str, tuple[str, ...]] = {**AFTER_LAST_DAY_ERRORS, **AFTER_LAST_DAY_WARNINGS}

#: Dates before this day are not plausible: some systems export 01-01-0001 for "no date".
FIRST_PLAUSIBLE_DAY = pd.Timestamp("1900-01-01")
#: Largest whole number read exactly (numbers pass through a 64-bit float, exact up to 2**53).
MAX_EXACT_INT = 2**53 - 1

#: Text columns that hold free text; every other text column is an identifier or a name, in which
#: control characters (tab, line break, NUL, ...) are refused. In free text only NUL is.
FREE_TEXT: frozenset[tuple[str, str]] = frozenset({
    ("zaken", "omschrijving"), ("medewerkers", "naam"), ("opschoning", "locatie"),
    ("opschoning", "omschrijving"), ("enquete", "vraag"),
})
_CONTROL = r"[\x00-\x1f\x7f-\x9f]"
_NUL = r"\x00"

#: Columns holding department names (and, in medewerkers, team names within them).
DEPARTMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("zaken", "afdeling"), ("zaaktypen", "afdeling"), ("medewerkers", "afdeling"), ("opschoning", "afdeling"),
    ("opschoning_doelen", "afdeling"), ("enquete", "afdeling"),
)

# Messages that import deduplicates against its own, clearer ones.
MISSING_COLUMN = "column is missing"


@dataclass
class _Context:
    """Where problems go and how to name their place."""

    files: Mapping[str, str]
    rows: Mapping[str, RowNumbers]
    problems: list[Problem] = field(default_factory=list)

    def row_numbers(self, table: str, positions: np.ndarray) -> list[int]:
        spec = self.rows.get(table, 1)
        if isinstance(spec, (int, np.integer)):
            return [int(p) + int(spec) for p in positions]
        arr = np.asarray(spec)
        return [int(arr[p]) for p in positions]

    def add(
        self,
        table: str,
        column: str | None,
        mask: np.ndarray,
        message: str,
        values: pd.Series | None = None,
        *,
        severity: str = "error",
        examples: list[str] | None = None,
    ) -> None:
        """Record a problem for the rows where ``mask`` is true (nothing when none is)."""
        if not np.any(mask):  # the usual case: no scan for positions, no allocation
            return
        positions = np.flatnonzero(mask)
        if examples is None:
            examples = example_values(values, positions) if values is not None else []
        self.problems.append(
            Problem(
                table=table,
                message=message,
                column=column,
                rows=self.row_numbers(table, positions[:MAX_ROWS]),
                values=examples,
                count=int(len(positions)),
                file=self.files.get(table),
                severity=severity,
            )
        )

    def note(self, table: str, message: str, column: str | None = None, severity: str = "error") -> None:
        """Record a problem that concerns a whole table or column, not rows."""
        self.problems.append(
            Problem(table=table, message=message, column=column, file=self.files.get(table), severity=severity)
        )


def format_value(value: object) -> str:
    """A value as a person would type it: dates as ``2026-12-31``, moments with their time."""
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        ts = pd.Timestamp(value)
        if ts == ts.normalize():
            return ts.date().isoformat()
        return ts.isoformat(sep=" ")
    if isinstance(value, (float, np.floating)):
        return f"{float(value):g}"
    return str(value)


def example_values(values: pd.Series, positions: np.ndarray) -> list[str]:
    """Up to :data:`MAX_VALUES` distinct, non-empty values at ``positions`` (first ones first), cut to 80 characters."""
    # Looking at a bounded slice keeps this cheap when millions of rows are wrong.
    sub = values.iloc[positions[:2000]]
    sub = sub[sub.notna()]
    return [shorten(format_value(v)) for v in pd.unique(sub)[:MAX_VALUES]]


def _np(mask: object) -> np.ndarray:
    """A plain numpy bool array from a Series/array mask (missing counts as false)."""
    if isinstance(mask, pd.Series):
        mask = mask.array
    if isinstance(mask, np.ndarray):
        return mask.astype(bool, copy=False)
    if isinstance(mask, pd.api.extensions.ExtensionArray) and pd.api.types.is_bool_dtype(mask.dtype):
        return mask.to_numpy(dtype=bool, na_value=False)  # one pass, no intermediate "boolean" array
    return np.asarray(pd.array(mask, dtype="boolean").fillna(False), dtype=bool)


def _np_arrow(mask: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A numpy bool array from an Arrow boolean result (missing counts as false)."""
    if mask.null_count:
        mask = pc.fill_null(mask, False)
    return np.asarray(mask.to_numpy(zero_copy_only=False), dtype=bool)


def _is_text(s: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(s.dtype) or s.dtype == object or isinstance(s.dtype, pd.CategoricalDtype)


def _as_text(s: pd.Series) -> pd.Series:
    """Stripped text with empty strings as missing."""
    t = s if str(s.dtype) == "str" else s.astype("str")
    t = t.str.strip()
    return t.where(t != "")


def _parse_dates(text: pd.Series, present: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Parse date texts in any of :data:`DATE_FORMATS`; return datetime64[us] values and the unreadable mask."""
    out = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[us]")
    todo = present.copy()
    if not todo.any():
        return out, todo
    # Try first the formats that fit a sample, so a large column is usually parsed in one pass.
    sample = text[todo].iloc[:200]
    hits: dict[str, int] = {}
    for f in DATE_FORMATS:
        hits[f] = int(pd.to_datetime(sample, format=f, errors="coerce").notna().sum())
        if hits[f] == len(sample):
            break  # one format reads them all: the usual case
    formats = sorted((f for f in hits if hits[f]), key=lambda f: -hits[f])
    formats += [f for f in DATE_FORMATS if not hits.get(f)]
    for fmt in formats:
        idx = np.flatnonzero(todo)
        if not len(idx):
            break
        part = text if len(idx) == len(text) else text.iloc[idx]
        parsed = pd.to_datetime(part, format=fmt, errors="coerce")
        ok = parsed.notna().to_numpy()
        if ok.any():
            out[idx[ok]] = parsed.to_numpy()[ok].astype("datetime64[us]")
            todo[idx[ok]] = False
    if todo.any():
        # Timestamps with an offset (2026-12-31T14:05:00+01:00, ...Z) as APIs write them: local time.
        idx = np.flatnonzero(todo)
        part = text.iloc[idx]
        tz = _np(part.str.contains(_TZ_SUFFIX, regex=True))
        if tz.any():
            parsed = pd.to_datetime(part[tz], format="ISO8601", utc=True, errors="coerce")
            parsed = parsed.dt.tz_convert(LOCAL_TZ).dt.tz_localize(None)
            ok = parsed.notna().to_numpy()
            sel = idx[tz][ok]
            out[sel] = parsed.to_numpy()[ok].astype("datetime64[us]")
            todo[sel] = False
    return out, todo


def _parse_numbers(text: pd.Series, decimal_comma: bool) -> pd.Series:
    if decimal_comma:
        # 1.234,5 and 1.040 use dots to group thousands; 2,5 is two and a half; 2.5 is read as written.
        grouped = _np(text.str.fullmatch(r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d*)?"))
        if grouped.any():
            text = text.where(~grouped, text.str.replace(".", "", regex=False))
        comma = _np(text.str.contains(",", regex=False))
        if comma.any():
            text = text.where(~comma, text.str.replace(",", ".", regex=False))
    return pd.to_numeric(text, errors="coerce").astype("float64")


def convert_column(
    values: pd.Series, column: contract.Column, *, decimal_comma: bool = False
) -> tuple[pd.Series, np.ndarray]:
    """Convert ``values`` to the contract dtype of ``column``.

    Text is read generously (see ``docs/importing.md``): dates as
    ``2026-12-31``, ``31-12-2026``, ``31/12/2026``, optionally with a time;
    numbers with a decimal point, or a decimal comma when ``decimal_comma``;
    booleans as ja/nee, true/false, waar/onwaar, 1/0. Surrounding whitespace is
    stripped and empty text is missing.

    Parameters
    ----------
    values : Series
        Text or already typed values.
    column : contract.Column
        Target column.
    decimal_comma : bool
        Whether ``,`` is the decimal separator (``;``-separated CSV).

    Returns
    -------
    converted : Series
        Values with the contract dtype; unreadable ones are missing.
    bad : numpy.ndarray of bool
        Positions whose value was present but could not be read.
    """
    kind, dtype = column.kind, column.dtype
    n = len(values)
    no_bad = np.zeros(n, dtype=bool)
    if str(values.dtype) == dtype:
        return values, no_bad
    if kind == "str":
        return _as_text(values).astype("str"), no_bad
    if _is_text(values):
        text = _as_text(values)
        present = _np(text.notna())
        if kind in ("date", "datetime"):
            parsed, bad = _parse_dates(text, present)
            result = pd.Series(parsed, index=values.index)
            if kind == "date":
                result = result.dt.normalize()
            return result.astype(dtype), bad
        if kind == "bool":
            low = text.str.lower()
            true, false = _np(low.isin(TRUE_WORDS)), _np(low.isin(FALSE_WORDS))
            result = pd.Series(pd.array(np.where(true, True, False), dtype="boolean"), index=values.index)
            result[~(true | false)] = pd.NA
            return result, present & ~(true | false)
        num = _parse_numbers(text, decimal_comma)
    else:
        # Typed input of another dtype (a Parquet file from elsewhere, a notebook's frame).
        present = _np(values.notna())
        if kind in ("date", "datetime"):
            if isinstance(values.dtype, pd.DatetimeTZDtype):
                values = values.dt.tz_convert(LOCAL_TZ).dt.tz_localize(None)
            if pd.api.types.is_datetime64_any_dtype(values.dtype):
                result = values.astype(dtype)
                return (result.dt.normalize() if kind == "date" else result), no_bad
            return pd.Series(pd.NaT, index=values.index, dtype=dtype), present
        if kind == "bool":
            if pd.api.types.is_bool_dtype(values.dtype):
                return values.astype("boolean"), no_bad
            num = pd.to_numeric(values, errors="coerce").astype("float64")
            ok = num.isin([0.0, 1.0]).to_numpy()
            result = pd.Series(pd.array(num.to_numpy() == 1.0, dtype="boolean"), index=values.index)
            result[~ok] = pd.NA
            return result, present & ~ok
        if pd.api.types.is_bool_dtype(values.dtype):
            num = values.astype("float64")
        else:
            num = pd.to_numeric(values, errors="coerce").astype("float64")
    arr = num.to_numpy()
    bad = present & ~np.isfinite(arr)
    if kind == "int":
        with np.errstate(invalid="ignore"):
            bad |= present & np.isfinite(arr) & ((np.mod(arr, 1) != 0) | (np.abs(arr) > MAX_EXACT_INT))
        arr = np.where(bad, np.nan, arr)
        return pd.Series(pd.array(arr, dtype="Float64"), index=values.index).astype("Int64"), bad
    return pd.Series(np.where(bad, np.nan, arr), index=values.index, dtype="float64"), bad


def _arrow(s: pd.Series) -> pa.ChunkedArray | None:
    """The Arrow data behind a text column (zero-copy), or None when it is not Arrow-backed."""
    if str(s.dtype) != "str" or getattr(s.dtype, "storage", None) != "pyarrow":
        return None
    arr = pa.array(s.array)
    return arr if isinstance(arr, pa.ChunkedArray) else pa.chunked_array([arr])


def isin(s: pd.Series, values: pd.Series | Sequence[object]) -> np.ndarray:
    """``s.isin(values)`` as a numpy mask, hashed in Arrow for text (pandas iterates in Python there)."""
    a = _arrow(s)
    if a is not None:
        v = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype="str")
        b = _arrow(v.astype("str"))
        if b is not None:
            value_set = b.combine_chunks().cast(a.type)
            return np.asarray(pc.is_in(a, value_set=value_set).to_numpy(zero_copy_only=False), dtype=bool)
    return _np(s.isin(values))


def _strictly_increasing(a: pa.ChunkedArray) -> bool:
    """Whether every value is greater than the one before it (so no two are equal); ``a`` has no nulls."""
    chunks = [c for c in a.chunks if len(c)]
    for c in chunks:
        if len(c) > 1 and not pc.all(pc.greater(c.slice(1), c.slice(0, len(c) - 1))).as_py():
            return False
    return all(pc.greater(nxt[0], prev[-1]).as_py() for prev, nxt in zip(chunks, chunks[1:]))


def duplicated(s: pd.Series) -> np.ndarray:
    """Rows whose non-empty value occurs more than once (all of them, not only the later ones)."""
    a = _arrow(s)
    if a is None:
        return _np(s.duplicated(keep=False)) & ~_np(s.isna())
    present = pc.drop_null(a) if a.null_count else a
    # Keys are usually exported in order: one comparison pass proves them unique, no hashing.
    # Otherwise one hash pass (unique is about twice as fast as count_distinct on millions of keys).
    if _strictly_increasing(present) or len(pc.unique(present)) == len(present):
        return np.zeros(len(s), dtype=bool)
    counts = pc.value_counts(present)
    repeated = counts.field("values").filter(pc.greater(counts.field("counts"), 1))
    return _np_arrow(pc.is_in(a, value_set=repeated))  # a null is not in the set: never a duplicate


def _missing(s: pd.Series) -> np.ndarray:
    """Missing or empty text, missing values of other kinds."""
    a = _arrow(s)
    if a is not None:
        return _np_arrow(pc.fill_null(pc.equal(a, ""), True))
    m = _np(s.isna())
    if str(s.dtype) == "str":
        m |= _np(s == "")
    return m


def _check_table(
    ctx: _Context, spec: contract.Table, frame: pd.DataFrame, decimal_comma: bool
) -> pd.DataFrame | None:
    """Column-level rules of one table; returns the converted table (None when a column is missing)."""
    name = spec.name
    absent = [c for c in spec.optional_columns if c not in frame.columns]
    if absent:  # an optional column a source lacks is empty, not missing
        frame = frame.assign(**{c: contract.empty_column(spec.column(c), frame.index) for c in absent})
    missing = [c.name for c in spec.columns if c.name not in frame.columns]
    for col in missing:
        ctx.note(name, MISSING_COLUMN, col)
    out: dict[str, pd.Series] = {}
    for col in spec.columns:
        if col.name not in frame.columns:
            continue
        raw = frame[col.name]
        if isinstance(raw, pd.DataFrame):  # the same header twice
            ctx.note(name, "column appears more than once", col.name)
            raw = raw.iloc[:, 0]
        raw = raw.reset_index(drop=True)
        s, bad = convert_column(raw, col, decimal_comma=decimal_comma)
        big = _too_large(raw, col, bad, decimal_comma)
        ctx.add(name, col.name, bad & ~big, f"values are not a valid {_KIND_WORDS[col.kind]}", raw)
        limit = f"{MAX_EXACT_INT:,}" if col.kind == "int" else "about 1.8e308"
        ctx.add(name, col.name, big, f"number is too large for this column (at most {limit})", raw)
        if col.kind in ("date", "datetime"):
            s = _old_dates(ctx, name, col, s, raw)
        out[col.name] = s
        empty = _missing(s) & ~bad
        if not col.nullable:
            ctx.add(name, col.name, empty, "value is empty but required")
        present = ~empty & ~bad
        if col.allowed:
            wrong = present & ~isin(s, col.allowed)
            ctx.add(name, col.name, wrong, f"value is not one of: {', '.join(col.allowed)}", s)
        if col.max_length is not None:
            long = present & _np(s.str.len() > col.max_length)
            ctx.add(name, col.name, long, f"text is longer than {col.max_length} characters", s)
        if col.min_value is not None:
            ctx.add(name, col.name, present & _np(s < col.min_value), f"value is below {col.min_value:g}", s)
        if col.max_value is not None:
            ctx.add(name, col.name, present & _np(s > col.max_value), f"value is above {col.max_value:g}", s)
        if col.unique:
            dup = present & duplicated(s)
            ctx.add(name, col.name, dup, "value appears more than once (must be unique)", s)
        if col.kind == "str" and present.any():
            free = (name, col.name) in FREE_TEXT
            ctrl = present & _control_characters(s, free)
            what = "a NUL character" if free else "a control character (tab, line break, NUL, ...)"
            ctx.add(name, col.name, ctrl, f"text holds {what}; identifiers and names must be plain text", s)
    if missing:
        return None
    # copy=False: no consolidation into 2-D blocks, which copied every date column (copy-on-write keeps it safe).
    return pd.DataFrame(out, copy=False)


def _matches(s: pd.Series, pattern: str) -> np.ndarray:
    """Rows whose text contains ``pattern`` (a regular expression), searched in Arrow when the text is there."""
    a = _arrow(s)
    if a is not None:
        return _np_arrow(pc.match_substring_regex(a, pattern))
    return _np(s.str.contains(pattern, regex=True))


def _may_hold_control(chunk: pa.Array, free: bool) -> bool:
    """Whether the bytes of one Arrow text chunk could hold a control character (no false "no").

    In UTF-8 the C0 controls and DEL are single bytes that never occur inside another character, and the
    C1 controls are C2 80 .. C2 9F: one pass of numpy over the text bytes, about a tenth of a regular
    expression's time, rules out nearly every column at once.
    """
    if chunk.type not in (pa.string(), pa.large_string()):
        return True
    _, offsets, data = chunk.buffers()
    if data is None or data.size == 0 or len(chunk) == 0:
        return False
    # Only this chunk's bytes: chunks that are slices share one buffer with their neighbours.
    ends = np.frombuffer(offsets, dtype=np.int64 if chunk.type == pa.large_string() else np.int32)
    buf = np.frombuffer(data, dtype=np.uint8)[ends[chunk.offset]:ends[chunk.offset + len(chunk)]]
    if not len(buf):
        return False
    if free:
        return bool(buf.min() == 0)
    if buf.min() < 0x20 or bool((buf == 0x7F).any()):
        return True
    lead = np.flatnonzero(buf[:-1] == 0xC2) + 1
    return bool(((buf[lead] >= 0x80) & (buf[lead] <= 0x9F)).any())


def _control_characters(s: pd.Series, free: bool) -> np.ndarray:
    """Rows holding a control character (``free``: only NUL), see :data:`FREE_TEXT`."""
    a = _arrow(s)
    if a is not None and not any(_may_hold_control(c, free) for c in a.chunks):
        return np.zeros(len(s), dtype=bool)
    return _matches(s, _NUL if free else _CONTROL)


def _too_large(raw: pd.Series, col: contract.Column, bad: np.ndarray, decimal_comma: bool) -> np.ndarray:
    """Of the unreadable numbers, those that are numbers but too large for the column (only bad rows are looked at)."""
    big = np.zeros(len(raw), dtype=bool)
    if col.kind not in ("int", "float") or not bad.any():
        return big
    idx = np.flatnonzero(bad)
    part = raw.iloc[idx]
    if _is_text(part):
        text = _as_text(part)
        num = _parse_numbers(text, decimal_comma).to_numpy()
        has_digit = _np(text.str.contains(r"\d", regex=True))  # "inf" is no number, "1e999" is a large one
    else:
        num = pd.to_numeric(part, errors="coerce").astype("float64").to_numpy()
        has_digit = np.ones(len(part), dtype=bool)
    with np.errstate(invalid="ignore"):
        too = np.isinf(num) | (np.abs(num) > MAX_EXACT_INT if col.kind == "int" else False)
    if col.kind == "int":
        with np.errstate(invalid="ignore"):
            too &= ~(np.isfinite(num) & (np.mod(num, 1) != 0))  # 1e20 is too large; 2.5 is no whole number
    big[idx] = too & has_digit
    return big


def _old_dates(ctx: _Context, table: str, col: contract.Column, s: pd.Series, raw: pd.Series) -> pd.Series:
    """Dates before 1900 ("null dates" such as 01-01-0001): empty where the column may be, else an error."""
    old = _np(s < FIRST_PLAUSIBLE_DAY)
    if not old.any():
        return s
    if col.nullable:
        ctx.add(table, col.name, old,
                "dates before 1900 are not plausible (systems write 01-01-0001 for 'no date'); read as empty",
                raw, severity="warning")
        return s.mask(pd.Series(old, index=s.index))
    ctx.add(table, col.name, old, "dates before 1900 are not plausible, and a date is required here", raw)
    return s


_KIND_WORDS = {
    "str": "text",
    "int": "whole number",
    "float": "number",
    "bool": "yes/no value (ja/nee, true/false, 1/0)",
    "date": "date (2026-12-31 or 31-12-2026)",
    "datetime": "date and time (2026-12-31 14:05)",
}


#: Target sizes from which a reference lookup first collapses runs of equal values: probing a large
#: hash set misses the CPU cache, so looking up each zaak once instead of per status pays; a small
#: set (zaaktypen, medewerkers) is cheaper to probe for every row than to find runs in.
_RUNS_FROM = 100_000


def _not_in(sources: Sequence[pd.Series], target: pd.Series) -> list[np.ndarray]:
    """Per source column the rows whose non-empty value is not among ``target``'s values.

    Arrow-backed text is looked up in one hash set of the target, built once for
    all sources (statussen and documenten both point at zaken); runs of the same
    value (the statussen of one zaak) are looked up once.
    """
    t = _arrow(target)
    arrays = [_arrow(s) for s in sources]
    if t is None or any(a is None for a in arrays):
        values = target.dropna()
        return [~_missing(s) & ~isin(s, values) for s in sources]
    value_set = pc.drop_null(t.combine_chunks())
    chunks = [c.cast(value_set.type) for a in arrays for c in a.chunks if len(c)]
    if len(value_set) < _RUNS_FROM:
        found = _np_arrow(pc.is_in(pa.chunked_array(chunks, type=value_set.type), value_set=value_set))
    else:
        runs = [pc.run_end_encode(c, run_end_type=pa.int64()) for c in chunks]
        probe = pa.chunked_array([r.values for r in runs], type=value_set.type)
        lengths = [np.diff(np.asarray(r.run_ends), prepend=0) for r in runs]
        repeats = np.concatenate(lengths) if lengths else np.zeros(0, dtype=np.int64)
        found = np.repeat(_np_arrow(pc.is_in(probe, value_set=value_set)), repeats)
    out: list[np.ndarray] = []
    start = 0
    for s in sources:
        out.append(~_missing(s) & ~found[start:start + len(s)])
        start += len(s)
    return out


def _check_references(ctx: _Context, done: Mapping[str, pd.DataFrame]) -> None:
    refs = [
        (spec.name, col.name, col.references)
        for spec in contract.TABLES.values()
        if spec.name in done
        for col in spec.columns
        if col.references is not None and col.references[0] in done  # else missing or broken; reported already
        # A reference into an optional catalogue is checked only when the catalogue was given.
        and not (col.reference_warning and len(done[col.references[0]]) == 0)
    ]
    soft = {(spec.name, col.name) for spec in contract.TABLES.values() for col in spec.columns
            if col.reference_warning}
    by_target: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for table, column, target in refs:
        by_target.setdefault(target, []).append((table, column))
    wrong: dict[tuple[str, str], np.ndarray] = {}
    for (target_table, target_col), sources in by_target.items():
        masks = _not_in([done[t][c] for t, c in sources], done[target_table][target_col])
        wrong.update(zip(sources, masks))
    for table, column, (target_table, target_col) in refs:  # problems in contract order
        if (table, column) in soft:
            ctx.add(
                table, column, wrong[(table, column)],
                f"refers to a {target_col} that is not in table {target_table} (the catalogue may be incomplete)",
                done[table][column], severity="warning",
            )
            continue
        ctx.add(
            table, column, wrong[(table, column)],
            f"refers to a {target_col} that is not in table {target_table}", done[table][column],
        )


def _check_dates(ctx: _Context, done: Mapping[str, pd.DataFrame], last_day: dt.date, said: str) -> None:
    zaken = done.get("zaken")
    if zaken is not None:
        start, eind, reg = zaken["startdatum"], zaken["einddatum"], zaken["registratiedatum"]
        before = _np(eind < start)
        pos = np.flatnonzero(before)[:MAX_VALUES]
        ctx.add(
            "zaken", "einddatum", before, "einddatum is before startdatum",
            examples=[f"{format_value(eind.iloc[p])} < {format_value(start.iloc[p])}" for p in pos],
        )
        late = _np(start > reg)
        pos = np.flatnonzero(late)[:MAX_VALUES]
        ctx.add(
            "zaken", "startdatum", late,
            "startdatum is after registratiedatum (a zaak is normally registered on or after the day it starts)",
            examples=[f"{format_value(start.iloc[p])} > {format_value(reg.iloc[p])}" for p in pos],
            severity="warning",
        )
    limit = pd.Timestamp(last_day) + pd.Timedelta(days=1)
    for table, cols in PAST_EVENT_COLUMNS.items():
        frame = done.get(table)
        if frame is None:
            continue
        severity = "error" if table in AFTER_LAST_DAY_ERRORS else "warning"
        for col in cols:
            s = frame[col]
            ctx.add(table, col, _np(s >= limit), f"date lies after {last_day.isoformat()} ({said})", s,
                    severity=severity)


def fold_name(name: str) -> str:
    """A name with case, accents, punctuation and spaces left out: ``"Financiën"`` and ``"fin-ancien"`` -> ``"financien"``.

    Two department (or team) names that fold to the same are one name spelt two ways: they would split
    one department in the reports, or merge two in one folder. A name without any letter or digit folds
    to itself without spaces, so two names of only symbols do not collide.
    """
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()
    folded = "".join(c for c in plain if c.isalnum())
    return folded or "".join(unicodedata.normalize("NFKC", name).casefold().split())


def _name_problems(ctx: _Context, places: list[tuple[str, str, pd.Series]], what: str,
                   within: str = "") -> None:
    """One error per set of names in ``places`` (table, column, values) that fold to the same."""
    spellings: dict[str, dict[str, list[str]]] = {}  # folded -> spelling -> tables
    for table, _, values in places:
        for v in values.dropna().unique():
            tables = spellings.setdefault(fold_name(str(v)), {}).setdefault(str(v), [])
            if table not in tables:
                tables.append(table)
    for names in spellings.values():
        if len(names) < 2:
            continue
        listed = " and ".join(f"{shorten(repr(n))} (in {', '.join(t)})" for n, t in names.items())
        message = (f"{what} names {listed}{within} are the same once case, accents, punctuation and spaces are "
                   f"ignored; they would split or merge a {what} in the reports. Write them one way")
        table, column, values = next((t, c, v) for t, c, v in places if v.isin(list(names)).any())
        ctx.add(table, column, isin(values, list(names)), message, examples=[shorten(n) for n in names][:MAX_VALUES])


def _check_names(ctx: _Context, done: Mapping[str, pd.DataFrame]) -> None:
    """Department and team names that collide when folded, and a department called like the whole organisation."""
    places = [(t, c, done[t][c]) for t, c in DEPARTMENT_COLUMNS if t in done and len(done[t])]
    _name_problems(ctx, places, "department")
    for table, column, values in places:
        names = [str(v) for v in values.dropna().unique() if fold_name(str(v)) == fold_name(ORGANISATIE)]
        reserved = isin(values, names) if names else np.zeros(len(values), dtype=bool)
        ctx.add(table, column, reserved,
                f"{ORGANISATIE!r} is the name of the whole organisation in the reports; it cannot be a department",
                values)
    staff = done.get("medewerkers")
    if staff is not None and len(staff) and staff["team"].notna().any():
        folded = staff["afdeling"].map(lambda v: fold_name(str(v)), na_action="ignore")
        for key in folded.dropna().unique():
            rows = staff[(folded == key).to_numpy()]
            afdeling = str(rows["afdeling"].iloc[0])
            team = staff["team"].where((folded == key).to_numpy())
            _name_problems(ctx, [("medewerkers", "team", team)], "team", f" of department {shorten(repr(afdeling))}")


def _check_cleanup(ctx: _Context, done: Mapping[str, pd.DataFrame], broken: Collection[str]) -> None:
    """More processed than inventoried per afdeling and unit: over-reporting, a warning."""
    opschoning, doelen = done.get("opschoning"), done.get("opschoning_doelen")
    if opschoning is None or doelen is None or "opschoning" in broken or "opschoning_doelen" in broken:
        return
    if opschoning.empty:
        return
    over = overmeldingen(opschoning, doelen)
    for row in over.itertuples(index=False):  # one per afdeling and unit: a handful at most
        mask = _np((opschoning["afdeling"] == row.afdeling) & (opschoning["eenheid"] == row.eenheid)
                   & (opschoning["actie"] != "inventarisatie"))
        ctx.add(
            "opschoning", "hoeveelheid", mask,
            f"afdeling {row.afdeling} processed {row.gedaan:g} {row.eenheid}, more than the "
            f"{row.startvoorraad:g} inventoried (over-reporting)",
            examples=[str(row.afdeling)], severity="warning",
        )


def _how_to_declare(spec: contract.Table) -> str:
    """For a table that may be empty by declaration: how to declare it (else nothing)."""
    if not spec.empty_when:
        return ""
    key, value = spec.empty_when
    return (f". A source without {spec.name} (kept in another system) must say so in meta.json: "
            f"\"{key}\": \"{value}\"; zgw import and zgw fetch write it when they find none "
            "(docs/data-contract.md)")


def validate_and_convert(
    tables: Mapping[str, pd.DataFrame],
    *,
    files: Mapping[str, str] | None = None,
    rows: Mapping[str, RowNumbers] | None = None,
    decimal_comma: Collection[str] = (),
    today: dt.date | None = None,
    meta: Mapping[str, Any] | None = None,
    last_day: dt.date | None = None,
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Check tables against the contract and convert them to contract dtypes.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Contract tables, typed (a snapshot) or as text (an import).
        Tables that are not in the contract are ignored.
    files : mapping of str to str, optional
        File (or sheet) each table came from, named in the problems.
    rows : mapping of str to int or array, optional
        Per table how positions map to row numbers (see :data:`RowNumbers`);
        default 1, the first data row of a Parquet file.
    decimal_comma : collection of str
        Tables whose numbers use a decimal comma.
    today : datetime.date, optional
        Today, when there is no ``last_day`` (default: today in Europe/Amsterdam).
    last_day : datetime.date, optional
        The last day the data may hold (the day up to which it is complete, meta.json ``periode_tot``);
        zaken, statussen and documenten dated after it are errors. Default: ``today``.
    meta : mapping, optional
        The snapshot's ``meta.json``: a required table may be empty only when it
        says the source has none (``"documenten_bron": "geen"``, see
        :attr:`zgwlib.data.contract.Table.empty_when`), and must be empty then.

    Returns
    -------
    tables : dict of str to DataFrame
        Converted tables for those without a missing column; empty optional
        tables for those not given.
    problems : list of Problem
        Errors first, then warnings.
    """
    ctx = _Context(files or {}, rows or {})
    done: dict[str, pd.DataFrame] = {}
    broken: set[str] = set()
    for spec in contract.TABLES.values():
        frame = tables.get(spec.name)
        may_be_empty = spec.may_be_empty(meta)
        if frame is None:
            if not may_be_empty:
                ctx.note(spec.name, "required table is missing (no file or sheet for it)" + _how_to_declare(spec))
                broken.add(spec.name)
            else:
                done[spec.name] = spec.empty()
            continue
        if not may_be_empty and len(frame) == 0:
            ctx.note(spec.name, "required table has no rows" + _how_to_declare(spec))
        elif spec.required and spec.empty_when and may_be_empty and len(frame):
            # The reports would leave these rows out: the meta says there are none.
            key, value = spec.empty_when
            ctx.note(spec.name, f"meta.json says the source has no {spec.name} (\"{key}\": \"{value}\") but the "
                     f"table has {len(frame)} rows; remove that key from meta.json, or the rows")
        before = len(ctx.problems)
        converted = _check_table(ctx, spec, frame, spec.name in decimal_comma)
        if converted is None:
            broken.add(spec.name)
            continue
        if any(p.severity == "error" for p in ctx.problems[before:]):
            broken.add(spec.name)
        done[spec.name] = converted
    _check_references(ctx, done)
    if last_day is not None:
        _check_dates(ctx, done, last_day, "the day the data is complete up to, periode_tot")
    else:
        today = today or today_amsterdam()
        _check_dates(ctx, done, today, "today: a date in the future")
    _check_names(ctx, done)
    _check_cleanup(ctx, done, broken)
    problems = [p for p in ctx.problems if p.severity == "error"] + [
        p for p in ctx.problems if p.severity != "error"
    ]
    return done, problems


def validate(
    tables: Mapping[str, pd.DataFrame],
    *,
    files: Mapping[str, str] | None = None,
    rows: Mapping[str, RowNumbers] | None = None,
    today: dt.date | None = None,
    meta: Mapping[str, Any] | None = None,
    last_day: dt.date | None = None,
) -> list[Problem]:
    """Check tables against the data contract.

    Rules: required tables present and not empty (optional tables may be
    missing or empty; ``documenten`` may be empty, and must be, when ``meta``
    says ``"documenten_bron": "geen"``); every contract column present; values readable as the
    column's type; required columns not empty; allowed values; text length;
    number bounds; unique keys; references (statussen and documenten to zaken,
    zaken to zaaktypen, behandelaar and gezet_door to medewerkers); einddatum
    not before startdatum; zaken, statussen and documenten not dated after the
    data's last day; no control characters in identifiers and names; no two
    department (or team) names that differ only in case, accents, punctuation
    or spaces, and no department called like the whole organisation.
    Warnings: startdatum after registratiedatum, staff, cleanup and survey
    dates after the last day, dates before 1900 in columns that may be empty
    (read as empty), cleanup processed beyond the inventoried amount
    (over-reporting), a document type missing from the optional
    ``informatieobjecttypen`` catalogue (when it has rows).

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Contract tables, for example ``load_snapshot(path).tables``.
    files : mapping of str to str, optional
        File each table came from, named in the problems.
    rows : mapping of str to int or array, optional
        Row numbering per table (default: 1 = first data row).
    today : datetime.date, optional
        Today, when there is no ``last_day`` (default: today in Europe/Amsterdam).
    last_day : datetime.date, optional
        The last day the data may hold (see :func:`validate_and_convert`).
    meta : mapping, optional
        The snapshot's ``meta.json`` (see :func:`validate_and_convert`).

    Returns
    -------
    list of Problem
        Errors first, then warnings; empty when all is well.

    Examples
    --------
    >>> from zgwlib import load_snapshot
    >>> from zgwlib.data.validate import validate
    >>> problems = validate(load_snapshot("voorbeeld").tables)  # doctest: +SKIP
    >>> [p.describe() for p in problems if p.severity == "error"]  # doctest: +SKIP
    []
    """
    return validate_and_convert(tables, files=files, rows=rows, today=today, last_day=last_day, meta=meta)[1]


def validate_snapshot(path: str | os.PathLike[str], *, today: dt.date | None = None) -> list[Problem]:
    """Load the snapshot at ``path`` and validate it (see :func:`validate`).

    Problems name the Parquet file of their table; row numbers count data rows from 1. The last day
    the data may hold comes from meta.json (:func:`zgwlib.data.snapshot.data_until`); ``today`` counts only
    when meta.json does not say.
    """
    base = resolve(path)
    snap = load_snapshot(base)
    files = {name: str(Path(base) / f"{name}.parquet") for name in snap.tables}
    return validate(snap.tables, files=files, today=today, last_day=data_until(snap.meta), meta=snap.meta)
