"""Property tests: hostile exports either import exactly or are refused cleanly, and nothing else changes.

Hypothesis generates exports built on the hand-made export in tests/fixtures/export_csv (only the required
tables, to stay fast) with any Unicode in department names and free text, in UTF-8 with or without BOM and
Windows-1252, mixed encodings, formula prefixes, Markdown and HTML, dates around the day the export is complete
up to, empty and huge fields. For every one:

* ``zgw import`` exits 0 and every value reads back exactly (as the import documents: surrounding whitespace
  stripped), or exits 2 with a message and no traceback;
* no file outside ``--out`` changes, and no temporary folder is left;
* the snapshot that was at ``--out`` is unchanged after a refusal.
"""

from __future__ import annotations

import atexit
import contextlib
import csv
import datetime as dt
import io
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zgwlib.cli import main
from zgwlib.core.errors import UsageError
from zgwlib.data.imports import export_snapshot
from zgwlib.data.snapshot import Snapshot
from zgwlib.data.sources import load_snapshot

GOOD = Path(__file__).parent / "fixtures" / "export_csv"
REQUIRED = ("zaken", "statussen", "documenten", "zaaktypen", "medewerkers")
TOT = dt.date(2026, 10, 31)
FAST = settings(max_examples=30, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

HOSTILE = [
    "=HYPERLINK(\"https://evil.example\",\"klik\")", "+31 6 12345678", "-1", "@SUM(A1:A9)", "'=al gequote",
    "<script>alert('x')</script>", "[Klik hier](https://evil.example)", "**vet** _schuin_", "# Kop", "a;b,c",
    'Dakkapel "spoed"', "regel 1\nregel 2", "Financiën", "Ã« (al kapot)", "\u202eevil", "🙂 team", "x" * 90,
    "y" * 200_000, "nan", "NULL", "1.234,5", "true", "2026-13-45",
]


def _clean_edges(text: str) -> bool:
    # The import strips surrounding whitespace (docs/importing.md): generate values that survive that as they are.
    return bool(text) and all(unicodedata.category(c)[0] in "LNPS" for c in (text[0], text[-1]))


ANY_TEXT = st.text(min_size=1, max_size=25).filter(_clean_edges)
NAMES = st.one_of(ANY_TEXT, st.sampled_from(HOSTILE))
# What Windows-1252 exports hold: letters (accented ones too), digits, punctuation. A Windows-1252 file that
# happened to consist of valid UTF-8 sequences would be UTF-8 by the rule, so no such text is generated.
CP1252_TEXT = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;-'=+@\"<>[]()")
                             + [chr(c) for c in range(0xC0, 0x100) if c not in (0xD7, 0xF7)]),
    min_size=1, max_size=25).filter(_clean_edges)


def _as_read(value: str) -> str:
    """What the import reads for a CSV cell: one ``'`` before a formula character is the neutralising quote."""
    return value[1:] if re.match(r"'+[=+\-@\t\r]", value) else value


def _rows(table: str) -> list[list[str]]:
    with open(GOOD / f"{table}.csv", encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def _write(folder: Path, table: str, rows: list[list[str]], encoding: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    (folder / f"{table}.csv").write_bytes(buffer.getvalue().encode(encoding))


def _files(root: Path, skip: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and skip not in p.parents}


@contextlib.contextmanager
def _workspace() -> Path:
    """A folder with an earlier snapshot at ``out`` (imported from the good export) and room for an export."""
    with tempfile.TemporaryDirectory() as name:
        root = Path(name)
        shutil.copytree(_EARLIER, root / "out")
        (root / "export").mkdir()
        for table in REQUIRED:
            shutil.copy(GOOD / f"{table}.csv", root / "export" / f"{table}.csv")
        yield root


def _import(root: Path, *extra: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["import", str(root / "export"), "--out", str(root / "out"), *extra])
    return code, out.getvalue(), err.getvalue()


def _earlier() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="zgw-hostile-"))
    atexit.register(shutil.rmtree, folder, True)
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["import", str(GOOD), "--out", str(folder / "snapshot"), "--tot", TOT.isoformat()]) == 0
    return folder / "snapshot"


_EARLIER = _earlier()


def _import_and_check(root: Path, *extra: str) -> tuple[int, str]:
    """Import ``root/export`` over the earlier snapshot; check the invariants that hold either way."""
    before_out = _files(root / "out", root / "none")
    before_rest = _files(root, root / "out")
    code, _, err = _import(root, *extra)
    assert code in (0, 2), err
    assert "Traceback" not in err
    assert _files(root, root / "out") == before_rest, "a file outside --out changed"
    assert sorted(p.name for p in root.iterdir()) == ["export", "out"], "something was left beside --out"
    if code == 2:
        assert err.startswith("zgw import: ") and len(err) < 20_000
        assert _files(root / "out", root / "none") == before_out, "the earlier snapshot changed after a refusal"
    return code, err


@FAST
@given(encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]), data=st.data())
def test_any_names_and_free_text_import_exactly_or_are_refused_cleanly(encoding: str, data: st.DataObject) -> None:
    text = CP1252_TEXT if encoding == "cp1252" else NAMES
    afdelingen = data.draw(st.lists(text, min_size=4, max_size=4), label="afdeling")
    omschrijvingen = data.draw(st.lists(st.one_of(text, st.just("")), min_size=4, max_size=4), label="omschrijving")
    with _workspace() as root:
        zaken = _rows("zaken")
        head = zaken[0]
        for row, afdeling, omschrijving in zip(zaken[1:], afdelingen, omschrijvingen, strict=True):
            row[head.index("afdeling")] = afdeling
            row[head.index("omschrijving")] = omschrijving
        _write(root / "export", "zaken", zaken, encoding)
        code, err = _import_and_check(root, "--tot", TOT.isoformat())
        if code == 0:
            z = load_snapshot(root / "out").zaken
            assert z["afdeling"].tolist() == [_as_read(v) for v in afdelingen]
            assert [None if pd.isna(v) else v for v in z["omschrijving"]] == [_as_read(v) or None for v in omschrijvingen]
            assert load_snapshot(root / "out").meta["periode_tot"] == TOT.isoformat()


@settings(FAST, max_examples=20)
@given(text=st.text(min_size=1, max_size=20).filter(lambda t: any(ord(c) > 127 for c in t) and _clean_edges(t)),
       row=st.integers(min_value=1, max_value=4))
def test_utf8_with_a_stray_windows_byte_is_refused_naming_the_line(text: str, row: int) -> None:
    with _workspace() as root:
        zaken = _rows("zaken")
        zaken[1][zaken[0].index("omschrijving")] = text  # UTF-8 with a multi-byte character on line 2
        zaken[row][zaken[0].index("resultaat")] = "CAFE_MARKER"
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(zaken)
        data = buffer.getvalue().encode("utf-8").replace(b"CAFE_MARKER", b"caf\xe9 ")
        (root / "export" / "zaken.csv").write_bytes(data)
        code, err = _import_and_check(root, "--tot", TOT.isoformat())
        line = buffer.getvalue()[:buffer.getvalue().index("CAFE_MARKER")].count("\n") + 1
        assert code == 2 and f"mixes UTF-8 text with bytes that are not UTF-8: line {line} holds the byte(s) e9" in err


FORMULA_TEXT = st.builds(
    lambda quotes, first, rest: quotes + first + rest,
    st.sampled_from(["", "'", "''", "'''"]),
    st.sampled_from(["=", "+", "-", "@", "\t", "\r", "'", "a", "<", "["]),
    st.text(max_size=20),
).filter(lambda t: t == t.strip() and _clean_edges(t) and len(t) <= 80 and "\x00" not in t)


@settings(FAST, max_examples=20)
@given(values=st.lists(FORMULA_TEXT, min_size=4, max_size=4), fmt=st.sampled_from(["csv", "xlsx"]))
def test_formula_prefixes_survive_an_export_and_import_exactly(values: list[str], fmt: str) -> None:
    earlier = load_snapshot(_EARLIER, REQUIRED)  # the optional tables are exported empty: faster
    zaken = earlier.zaken.copy()
    zaken["omschrijving"] = pd.Series(values, dtype="str")
    with tempfile.TemporaryDirectory() as name:
        root = Path(name)
        snap = Snapshot({**earlier.tables, "zaken": zaken}, earlier.meta)
        if fmt == "xlsx" and any(re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", v) for v in values):
            # A sheet cannot hold these: refused before anything is written.
            with pytest.raises(UsageError, match="column omschrijving, row [1-4] holds a control character"):
                export_snapshot(snap, root / "export.xlsx", fmt)
            assert list(root.iterdir()) == []
            return
        out = export_snapshot(snap, root / ("export.xlsx" if fmt == "xlsx" else "export"), fmt)
        if fmt == "csv":
            cells = pd.read_csv(out / "zaken.csv", dtype="str", keep_default_na=False)["omschrijving"]
            assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
        err = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            code = main(["import", str(out), "--out", str(root / "again")])
        assert code == 0, err.getvalue()
        if fmt == "xlsx":  # a sheet is XML, which stores a carriage return as a line feed (documented)
            values = [v.replace("\r\n", "\n").replace("\r", "\n") for v in values]
        assert load_snapshot(root / "again").zaken["omschrijving"].tolist() == values


@settings(FAST, max_examples=20)
@given(offsets=st.lists(st.integers(min_value=-2, max_value=2), min_size=4, max_size=4),
       fmt=st.sampled_from(["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y %H:%M"]))
def test_a_registration_after_the_complete_until_day_is_refused_and_one_before_it_is_not(
        offsets: list[int], fmt: str) -> None:
    with _workspace() as root:
        zaken = _rows("zaken")
        head = zaken[0]
        for row, offset in zip(zaken[1:], offsets, strict=True):
            day = dt.datetime.combine(TOT + dt.timedelta(days=offset), dt.time(23, 59))
            row[head.index("registratiedatum")] = row[head.index("startdatum")] = day.strftime(fmt)
            row[head.index("einddatum")] = ""
        _write(root / "export", "zaken", zaken, "utf-8")
        code, err = _import_and_check(root, "--tot", TOT.isoformat())
        late = [i + 2 for i, o in enumerate(offsets) if o > 0]
        if late:
            assert code == 2
            assert (f"column registratiedatum: date lies after {TOT.isoformat()} (the day the data is complete up "
                    f"to, periode_tot) ({len(late)} row{'s' if len(late) > 1 else ''}; row "
                    f"{', '.join(map(str, late))})") in err
        else:
            assert code == 0, err
