"""Every validation rule, each with a small bad file made from the hand-made export in tests/fixtures/export_csv.

The good export (4 zaken, 7 statussen, 4 documenten, 3 zaaktypen, 3 medewerkers and the optional tables) is
valid; each test breaks one thing and checks the problem names the right file, table, column, spreadsheet rows
(header = row 1, first data row = 2), example values and count.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from zgwlib.data import contract
from zgwlib.core.errors import Problem, ValidationError
from zgwlib.data.imports import export_snapshot, import_export
from zgwlib.data.sources import load_snapshot
from zgwlib.data.validate import convert_column, format_value, validate, validate_snapshot

GOOD = Path(__file__).parent / "fixtures" / "export_csv"
TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def export(tmp_path: Path) -> Path:
    """A fresh copy of the good export to break."""
    return Path(shutil.copytree(GOOD, tmp_path / "export"))


def read(folder: Path, table: str) -> list[list[str]]:
    with open(folder / f"{table}.csv", encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def write(folder: Path, table: str, rows: list[list[str]]) -> None:
    with open(folder / f"{table}.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def set_cell(folder: Path, table: str, row: int, column: str, value: str) -> None:
    """Set one cell; ``row`` as in a spreadsheet (1 = header)."""
    rows = read(folder, table)
    rows[row - 1][rows[0].index(column)] = value
    write(folder, table, rows)


def problems_of(folder: Path, tmp_path: Path) -> list[Problem]:
    """Import ``folder``; return the problems (raised as ValidationError or returned as warnings)."""
    try:
        _, warnings = import_export(folder, tmp_path / "snapshot", today=TODAY)
    except ValidationError as exc:
        assert not (tmp_path / "snapshot").exists()
        return exc.problems
    return warnings


def only(problems: list[Problem], table: str, column: str | None = None, severity: str = "error") -> Problem:
    found = [p for p in problems if p.table == table and p.column == column and p.severity == severity]
    assert len(found) == 1, [p.describe() for p in problems]
    return found[0]


def test_good_export_has_no_problems(export: Path, tmp_path: Path) -> None:
    assert problems_of(export, tmp_path) == []
    # A zaaktype without zaken (ZT-WOO) is fine: catalogues hold more than is used.
    snap = load_snapshot(tmp_path / "snapshot")
    assert "ZT-WOO" not in set(snap.zaken["zaaktype"]) and "ZT-WOO" in set(snap.zaaktypen["identificatie"])


def test_required_table_missing(export: Path, tmp_path: Path) -> None:
    (export / "statussen.csv").unlink()
    p = only(problems_of(export, tmp_path), "statussen")
    assert p.file == "statussen.csv" and "required table is missing" in p.message


def test_required_table_without_rows(export: Path, tmp_path: Path) -> None:
    write(export, "medewerkers", read(export, "medewerkers")[:1])
    problems = problems_of(export, tmp_path)
    p = only(problems, "medewerkers")
    assert p.message == "required table has no rows" and p.file.endswith("medewerkers.csv")
    # ... and so every behandelaar now points nowhere.
    assert only(problems, "zaken", "behandelaar").count == 3


def test_optional_tables_may_be_missing_or_empty(export: Path, tmp_path: Path) -> None:
    (export / "enquete.csv").unlink()
    write(export, "opschoning", read(export, "opschoning")[:1])
    write(export, "opschoning_doelen", read(export, "opschoning_doelen")[:1])
    assert problems_of(export, tmp_path) == []
    snap = load_snapshot(tmp_path / "snapshot")
    assert snap.enquete.empty and snap.opschoning.empty
    assert dict(snap.enquete.dtypes.astype(str)) == contract.ENQUETE.dtypes


def test_an_export_without_documenten_is_declared_to_have_no_document_data_with_a_warning(
    export: Path, tmp_path: Path
) -> None:
    # An organisation that keeps its documents in another system exports no documenten at all.
    (export / "documenten.csv").unlink()
    problems = problems_of(export, tmp_path)
    p = only(problems, "documenten", severity="warning")
    assert p.file == "documenten.csv" and '"documenten_bron": "geen"' in p.message and "--no-documents" in p.message
    snap = load_snapshot(tmp_path / "snapshot")
    assert snap.meta["documenten_bron"] == "geen" and snap.documenten.empty
    assert dict(snap.documenten.dtypes.astype(str)) == contract.DOCUMENTEN.dtypes
    assert validate_snapshot(tmp_path / "snapshot", today=TODAY) == []


def test_an_empty_documenten_file_with_no_documents_is_declared_without_a_warning(
    export: Path, tmp_path: Path
) -> None:
    write(export, "documenten", read(export, "documenten")[:1])
    _, warnings = import_export(export, tmp_path / "snapshot", today=TODAY, no_documents=True)
    assert warnings == []
    assert load_snapshot(tmp_path / "snapshot").meta["documenten_bron"] == "geen"
    # The export of such a snapshot says so in its meta.json: reading it back needs no option and gives no warning.
    export_snapshot(tmp_path / "snapshot", tmp_path / "again-export", "csv")
    _, warnings = import_export(tmp_path / "again-export", tmp_path / "again", today=TODAY)
    assert warnings == [] and load_snapshot(tmp_path / "again").meta["documenten_bron"] == "geen"


def test_no_documents_refuses_an_export_that_has_documents(export: Path, tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as exc:
        import_export(export, tmp_path / "snapshot", today=TODAY, no_documents=True)
    p = only(exc.value.problems, "documenten")
    assert "--no-documents" in p.message and "4 rows" in p.message and p.file.endswith("documenten.csv")
    assert not (tmp_path / "snapshot").exists()


def test_documents_in_the_export_undo_an_earlier_exports_declaration(export: Path, tmp_path: Path) -> None:
    # meta.json of an earlier export without documents, beside an export that now has them.
    (export / "meta.json").write_text('{"gemeente": "Testdorp", "documenten_bron": "geen"}', encoding="utf-8")
    assert problems_of(export, tmp_path) == []
    meta = load_snapshot(tmp_path / "snapshot").meta
    assert meta["gemeente"] == "Testdorp" and "documenten_bron" not in meta


def test_an_empty_documenten_table_is_valid_only_when_meta_says_the_source_has_none(
    export: Path, tmp_path: Path
) -> None:
    import_export(export, tmp_path / "snapshot", today=TODAY)
    tables = load_snapshot(tmp_path / "snapshot").tables
    empty = {**tables, "documenten": contract.DOCUMENTEN.empty()}
    # Not declared: refused, with how to declare it.
    p = only(validate(empty, today=TODAY), "documenten")
    assert p.message.startswith("required table has no rows")
    assert '"documenten_bron": "geen"' in p.message and "meta.json" in p.message
    missing = {k: v for k, v in tables.items() if k != "documenten"}
    p = only(validate(missing, today=TODAY), "documenten")
    assert p.message.startswith("required table is missing") and '"documenten_bron": "geen"' in p.message
    # Declared: valid, empty or missing.
    geen = {"documenten_bron": "geen"}
    assert validate(empty, today=TODAY, meta=geen) == [] and validate(missing, today=TODAY, meta=geen) == []
    # Declared while the table has rows: the reports would hide them, so that is an error too.
    p = only(validate(tables, today=TODAY, meta=geen), "documenten")
    assert "has 4 rows" in p.message
    # The same judged from a snapshot folder: its own meta.json decides.
    contract.DOCUMENTEN.empty().to_parquet(tmp_path / "snapshot" / "documenten.parquet", index=False)
    assert "required table has no rows" in only(validate_snapshot(tmp_path / "snapshot", today=TODAY),
                                                "documenten").message
    meta_file = tmp_path / "snapshot" / "meta.json"
    meta_file.write_text(meta_file.read_text().replace('"bron":', '"documenten_bron": "geen",\n  "bron":', 1))
    assert validate_snapshot(tmp_path / "snapshot", today=TODAY) == []


def test_required_column_missing(export: Path, tmp_path: Path) -> None:
    write(export, "zaken", [r[:2] + r[3:] for r in read(export, "zaken")])  # drop afdeling
    p = only(problems_of(export, tmp_path), "zaken", "afdeling")
    assert p.message.startswith("column is missing") and p.file.endswith("zaken.csv") and p.count == 0


def test_nullable_column_missing_is_a_warning_and_left_empty(export: Path, tmp_path: Path) -> None:
    rows = read(export, "zaken")
    i = rows[0].index("communicatiekanaal")
    write(export, "zaken", [r[:i] + r[i + 1:] for r in rows])
    p = only(problems_of(export, tmp_path), "zaken", "communicatiekanaal", "warning")
    assert "left empty" in p.message
    assert load_snapshot(tmp_path / "snapshot").zaken["communicatiekanaal"].isna().all()


@pytest.mark.parametrize(
    ("table", "column", "bad", "kind"),
    [
        ("zaken", "registratiedatum", ["31-02-2026", "gisteren"], "date"),
        ("statussen", "datum_status_gezet", ["2026-03-02 25:00", "2026-13-02T09:00:00"], "date and time"),
        ("zaaktypen", "doorlooptijd_dagen", ["56.5", "acht weken"], "whole number"),
        ("opschoning", "hoeveelheid", ["veel", "1,5"], "number"),  # ',' file: a decimal comma is not read
        ("statussen", "is_eindstatus", ["misschien", "ja?"], "yes/no"),
    ],
)
def test_values_that_do_not_parse(
    export: Path, tmp_path: Path, table: str, column: str, bad: list[str], kind: str
) -> None:
    set_cell(export, table, 3, column, bad[0])
    set_cell(export, table, 4, column, bad[1])
    p = only(problems_of(export, tmp_path), table, column)
    assert p.message.startswith(f"values are not a valid {kind}")
    assert (p.file, p.rows, p.values, p.count) == (str(export / f"{table}.csv"), [3, 4], bad, 2)


def test_required_value_empty(export: Path, tmp_path: Path) -> None:
    set_cell(export, "zaken", 2, "afdeling", "   ")  # only spaces is empty too
    set_cell(export, "zaken", 5, "afdeling", "")
    p = only(problems_of(export, tmp_path), "zaken", "afdeling")
    assert (p.message, p.rows, p.count, p.values) == ("value is empty but required", [2, 5], 2, [])


def test_value_not_allowed(export: Path, tmp_path: Path) -> None:
    set_cell(export, "zaken", 3, "archiefstatus", "weg")
    set_cell(export, "documenten", 2, "status", "klaar")
    problems = problems_of(export, tmp_path)
    p = only(problems, "zaken", "archiefstatus")
    assert (p.rows, p.values, p.count) == ([3], ["weg"], 1)
    assert "nog_te_archiveren, gearchiveerd" in p.message
    assert only(problems, "documenten", "status").values == ["klaar"]


def test_text_too_long(export: Path, tmp_path: Path) -> None:
    set_cell(export, "zaken", 4, "omschrijving", "x" * 81)
    set_cell(export, "zaken", 5, "omschrijving", "y" * 80)  # exactly the limit is fine
    p = only(problems_of(export, tmp_path), "zaken", "omschrijving")
    assert (p.message, p.rows, p.count) == ("text is longer than 80 characters", [4], 1)


def test_numbers_out_of_bounds(export: Path, tmp_path: Path) -> None:
    set_cell(export, "enquete", 3, "score", "6")
    set_cell(export, "statussen", 2, "volgnummer", "0")
    set_cell(export, "opschoning", 4, "hoeveelheid", "-2.5")
    problems = problems_of(export, tmp_path)
    p = only(problems, "enquete", "score")
    assert (p.message, p.rows, p.values) == ("value is above 5", [3], ["6"])
    p = only(problems, "statussen", "volgnummer")
    assert (p.message, p.rows, p.values) == ("value is below 1", [2], ["0"])
    assert only(problems, "opschoning", "hoeveelheid").values == ["-2.5"]


def test_unique_key_repeated(export: Path, tmp_path: Path) -> None:
    rows = read(export, "documenten")
    rows += [["D-0002", "", "Memo", "2026-04-03", ""], ["D-0002", "", "Memo", "2026-04-04", ""]]
    write(export, "documenten", rows)
    p = only(problems_of(export, tmp_path), "documenten", "identificatie")
    # Every row holding a repeated value is named, the first one too.
    assert (p.rows, p.values, p.count) == ([3, 6, 7], ["D-0002"], 3)
    assert "more than once" in p.message


@pytest.mark.parametrize(
    ("table", "column", "row", "value", "target"),
    [
        ("statussen", "zaak", 3, "Z-2026-999", "zaken"),
        ("documenten", "zaak", 5, "Z-1999-001", "zaken"),
        ("zaken", "zaaktype", 2, "ZT-ONBEKEND", "zaaktypen"),
        ("zaken", "behandelaar", 3, "mw99", "medewerkers"),
        ("statussen", "gezet_door", 4, "mw42", "medewerkers"),
    ],
)
def test_reference_to_nothing(
    export: Path, tmp_path: Path, table: str, column: str, row: int, value: str, target: str
) -> None:
    set_cell(export, table, row, column, value)
    p = only(problems_of(export, tmp_path), table, column)
    assert (p.rows, p.values, p.count) == ([row], [value], 1)
    assert p.message.endswith(f"that is not in table {target}")


def test_einddatum_before_startdatum_is_an_error(export: Path, tmp_path: Path) -> None:
    set_cell(export, "zaken", 2, "einddatum", "2026-03-01")  # startdatum 2026-03-02
    p = only(problems_of(export, tmp_path), "zaken", "einddatum")
    assert (p.message, p.rows, p.values, p.count) == (
        "einddatum is before startdatum", [2], ["2026-03-01 < 2026-03-02"], 1)


def test_startdatum_after_registratiedatum_is_only_a_warning(export: Path, tmp_path: Path) -> None:
    set_cell(export, "zaken", 5, "startdatum", "2026-04-09")  # registered 2026-04-07
    p = only(problems_of(export, tmp_path), "zaken", "startdatum", "warning")
    assert (p.rows, p.values) == ([5], ["2026-04-09 > 2026-04-07"])
    assert (tmp_path / "snapshot" / "meta.json").exists()  # warnings do not stop the import


def test_a_document_dated_after_today_is_an_error_and_a_planned_date_is_not(export: Path, tmp_path: Path) -> None:
    set_cell(export, "documenten", 3, "creatiedatum", "2027-01-05")
    set_cell(export, "zaken", 3, "einddatum_gepland", "2027-01-05")  # planned dates may lie ahead
    problems = problems_of(export, tmp_path)
    p = only(problems, "documenten", "creatiedatum")
    assert (p.rows, p.values, p.file) == ([3], ["2027-01-05"], str(export / "documenten.csv"))
    # Without meta.json or --tot the export is complete up to the files' date (today here, at most TODAY).
    assert p.message.startswith("date lies after 2026-11-23 (the day the data is complete up to, periode_tot)")
    assert not [q for q in problems if q.column == "einddatum_gepland"]
    assert not (tmp_path / "snapshot").exists()


@pytest.fixture
def machine_clock_zone(monkeypatch: pytest.MonkeyPatch):
    """Set the machine's clock zone (TZ) for one test; the process's zone is restored afterwards."""
    import time

    def set_zone(zone: str) -> None:
        monkeypatch.setenv("TZ", zone)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


def test_the_future_is_judged_by_the_dutch_date_not_by_the_machine_clock(
    export: Path, tmp_path: Path, machine_clock_zone
) -> None:
    """A server's clock often runs in UTC (or any zone): "in the future" must mean after today in the Netherlands.

    The machine's zone is chosen so that its date differs from the Dutch date right now: before noon Dutch time
    a clock 12 hours behind UTC is still on yesterday (a status set after Dutch midnight is not in the future);
    after noon one 14 hours ahead is already on tomorrow (a status at Dutch midnight tonight is)."""
    from zoneinfo import ZoneInfo

    import_export(export, tmp_path / "snap", today=TODAY)
    tables = load_snapshot(tmp_path / "snap").tables
    nl_now = dt.datetime.now(ZoneInfo("Europe/Amsterdam"))
    today = pd.Timestamp(nl_now.date())
    if nl_now.hour < 12:
        machine_clock_zone("Etc/GMT+12")  # UTC-12
        when, future = today, False  # Dutch midnight just passed
    else:
        machine_clock_zone("Etc/GMT-14")  # UTC+14
        when, future = today + pd.Timedelta(days=1), True  # Dutch midnight tonight
    assert dt.date.today() != nl_now.date()  # the machine's clock is on another day than the Dutch one
    st = tables["statussen"].copy()
    st.loc[0, "datum_status_gezet"] = when
    problems = validate({**tables, "statussen": st})
    flagged = [p for p in problems if p.table == "statussen" and "future" in p.message]
    assert bool(flagged) == future, [p.describe() for p in problems]
    if future:
        assert f"after {nl_now.date().isoformat()}" in flagged[0].message


def test_cleanup_over_reporting_is_a_warning(export: Path, tmp_path: Path) -> None:
    # 12.5 metres inventoried; processing 11 more on top of the 2.25 makes 13.25.
    rows = read(export, "opschoning")
    rows.append(["VTH", "2026-06-15", "vernietigd", "strekkende_meters", "11", "Kelder", ""])
    write(export, "opschoning", rows)
    p = only(problems_of(export, tmp_path), "opschoning", "hoeveelheid", "warning")
    assert "VTH processed 13.25 strekkende_meters, more than the 12.5 inventoried" in p.message
    assert p.rows == [3, 5] and p.count == 2  # the processing registrations in metres
    assert load_snapshot(tmp_path / "snapshot").opschoning["hoeveelheid"].sum() == pytest.approx(65.75)


def test_row_numbers_count_blank_lines_like_a_spreadsheet(export: Path, tmp_path: Path) -> None:
    text = (export / "zaken.csv").read_text(encoding="utf-8").splitlines()
    text.insert(1, "")  # a blank row 2: data now starts in row 3
    text[3] = text[3].replace("VTH", "")  # the second zaak (now row 4) loses its afdeling
    (export / "zaken.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    p = only(problems_of(export, tmp_path), "zaken", "afdeling")
    assert p.rows == [4]


def test_many_problems_show_five_rows_three_values_and_the_count() -> None:
    n = 40
    zaaktypen = pd.DataFrame({
        "identificatie": [f"ZT{i}" for i in range(n)], "omschrijving": "x", "afdeling": "A",
        "doorlooptijd_dagen": [str(-i) for i in range(n)],  # all but the first below 0
        "servicenorm_dagen": None, "verlenging_mogelijk": "nee", "verlengingstermijn_dagen": None,
    })
    problems = validate({"zaaktypen": zaaktypen}, rows={"zaaktypen": 2}, today=TODAY)
    p = only(problems, "zaaktypen", "doorlooptijd_dagen")
    assert (p.rows, p.values, p.count, p.file) == ([3, 4, 5, 6, 7], ["-1", "-2", "-3"], n - 1, None)
    assert "(39 rows; row 3, 4, 5, 6, 7, ...); e.g. '-1', '-2', '-3'" in p.describe()
    # The required tables that were not given are named too.
    assert {q.table for q in problems if "required table is missing" in q.message} == {
        "zaken", "statussen", "documenten", "medewerkers"}


def test_snapshot_problems_name_the_parquet_file_and_data_row(export: Path, tmp_path: Path) -> None:
    import_export(export, tmp_path / "snapshot", today=TODAY)
    snap = load_snapshot(tmp_path / "snapshot")
    zaken = snap.zaken.copy()
    zaken.loc[2, "identificatie"] = zaken.loc[0, "identificatie"]
    zaken["einddatum"] = zaken["einddatum"].astype("str")  # a snapshot written by another tool, dates as text
    zaken.loc[3, "einddatum"] = "binnenkort"
    zaken.to_parquet(tmp_path / "snapshot" / "zaken.parquet", index=False)
    problems = validate_snapshot(tmp_path / "snapshot", today=TODAY)
    p = only(problems, "zaken", "identificatie")
    assert (p.file, p.rows, p.values) == (str(tmp_path / "snapshot" / "zaken.parquet"), [1, 3], ["Z-2026-001"])
    # The readable ISO text still counts as a date; only the unreadable one is reported.
    p = only(problems, "zaken", "einddatum")
    assert (p.rows, p.values, p.count) == ([4], ["binnenkort"], 1)
    # Statussen of the now duplicated zaak still refer to an existing identificatie; Z-2026-003's do not.
    p = only(problems, "statussen", "zaak")
    assert p.values == ["Z-2026-003"] and p.rows == [5]


def test_sample_is_valid(small_sample: Path) -> None:
    problems = validate_snapshot(small_sample)
    assert [p.describe() for p in problems if p.severity == "error"] == []
    # The sample plants one over-reporting department: validation warns about it.
    overmeld = load_snapshot(small_sample, ["zaken"]).meta["sample"]["geplant"]["opschoning_overmeld"]
    assert any(p.table == "opschoning" and f"afdeling {overmeld} processed" in p.message for p in problems)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31-12-2026", "2026-12-31"), ("2026-12-31", "2026-12-31"), ("31/12/2026", "2026-12-31"),
        ("1-2-2026", "2026-02-01"), ("31-12-2026 14:05", "2026-12-31 14:05:00"),
        ("2026-12-31T14:05:09", "2026-12-31 14:05:09"), ("2026-12-31T13:05:00Z", "2026-12-31 14:05:00"),
        ("2026-06-30T14:05:00+02:00", "2026-06-30 14:05:00"),
    ],
)
def test_date_formats(text: str, expected: str) -> None:
    column = contract.STATUSSEN.column("datum_status_gezet")
    values, bad = convert_column(pd.Series([text, None], dtype="str"), column)
    assert not bad.any() and format_value(values[0]) == expected and pd.isna(values[1])
    # A date column drops the time.
    day, _ = convert_column(pd.Series([text], dtype="str"), contract.ZAKEN.column("einddatum"))
    assert format_value(day[0]) == expected[:10]


def test_numbers_and_booleans() -> None:
    float_col = contract.OPSCHONING.column("hoeveelheid")
    values, bad = convert_column(pd.Series(["1.040", "2,5", "1.234,5", " 7 ", "", "1,2,3"], dtype="str"),
                                 float_col, decimal_comma=True)
    assert values[:4].tolist() == [1040.0, 2.5, 1234.5, 7.0] and pd.isna(values[4])
    assert bad.tolist() == [False] * 5 + [True]
    bool_col = contract.STATUSSEN.column("is_eindstatus")
    words = ["Ja", "nee", "TRUE", "false", "1", "0", "waar", "Onwaar", None, "soms"]
    values, bad = convert_column(pd.Series(words, dtype="str"), bool_col)
    assert values[:8].tolist() == [True, False] * 4 and pd.isna(values[8]) and pd.isna(values[9])
    assert bad.tolist() == [False] * 9 + [True]


def test_department_names_that_differ_only_in_accents_case_or_spaces_are_an_error_naming_both(
        export: Path, tmp_path: Path) -> None:
    set_cell(export, "medewerkers", 3, "afdeling", "vth")  # zaken say VTH
    set_cell(export, "opschoning_doelen", 2, "afdeling", "V.T.H.")
    p = only(problems_of(export, tmp_path), "zaken", "afdeling")
    assert "department names 'VTH' (in zaken, zaaktypen, medewerkers, opschoning, enquete) and 'vth' (in medewerkers) and " \
           "'V.T.H.' (in opschoning_doelen) are the same once case, accents, punctuation and spaces are ignored" \
           in p.message
    assert p.rows == [3, 5] and p.values == ["VTH", "vth", "V.T.H."]


def test_financien_with_and_without_trema_and_teams_hrm_and_hrm_collide(export: Path, tmp_path: Path) -> None:
    rows = read(export, "medewerkers")
    rows.append(["mw04", "D. Smit", "Financiën", "HRM", ""])
    rows.append(["mw05", "E. Mol", "Financien", "hrm", ""])
    rows.append(["mw06", "F. Bos", "VTH", "Hrm", ""])  # another department's team may be called so
    write(export, "medewerkers", rows)
    problems = problems_of(export, tmp_path)
    names = [p.message for p in problems if p.severity == "error"]
    assert any("'Financiën' (in medewerkers) and 'Financien' (in medewerkers)" in m for m in names)
    [team] = [p for p in problems if p.column == "team"]
    assert "team names 'HRM' (in medewerkers) and 'hrm' (in medewerkers) of department 'Financiën'" in team.message
    assert team.rows == [5, 6]


def test_organisatie_cannot_be_a_department(export: Path, tmp_path: Path) -> None:
    set_cell(export, "enquete", 2, "afdeling", "Organisatie")
    p = only(problems_of(export, tmp_path), "enquete", "afdeling")
    assert "'organisatie' is the name of the whole organisation" in p.message and p.rows == [2]


def test_numbers_too_large_for_their_column_say_so(export: Path, tmp_path: Path) -> None:
    set_cell(export, "statussen", 2, "volgnummer", "99999999999999999999")
    set_cell(export, "opschoning", 2, "hoeveelheid", "1e999")
    set_cell(export, "zaaktypen", 2, "doorlooptijd_dagen", "14,5")
    problems = problems_of(export, tmp_path)
    p = only(problems, "statussen", "volgnummer")
    assert p.message == "number is too large for this column (at most 9,007,199,254,740,991)"
    assert p.values == ["99999999999999999999"] and p.rows == [2]
    assert only(problems, "opschoning", "hoeveelheid").message.startswith("number is too large")
    assert only(problems, "zaaktypen", "doorlooptijd_dagen").message == "values are not a valid whole number"


def test_validate_takes_the_last_day_from_meta_json_not_from_today(export: Path, tmp_path: Path) -> None:
    import json

    import_export(export, tmp_path / "snapshot", tot="2026-10-31", today=TODAY)
    meta_path = tmp_path / "snapshot" / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["periode_tot"] = "2026-05-31"  # documents of 2026-05-20 are fine, the zaak closed 2026-05-20 too
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    assert [p for p in validate_snapshot(tmp_path / "snapshot") if p.severity == "error"] == []
    meta["periode_tot"] = "2026-04-30"
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    errors = [p for p in validate_snapshot(tmp_path / "snapshot") if p.severity == "error"]
    assert {(p.table, p.column) for p in errors} == {("zaken", "einddatum"), ("statussen", "datum_status_gezet"),
                                                     ("documenten", "creatiedatum")}
    assert all("date lies after 2026-04-30" in p.message for p in errors)


def test_the_fast_control_character_scan_finds_what_the_regular_expression_finds() -> None:
    # The scan looks at each Arrow chunk's own bytes; chunks that are slices of one buffer must not see
    # their neighbours' bytes, and C1 controls (two bytes in UTF-8) must be found too.
    import numpy as np
    import pyarrow as pa
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from zgwlib.data.validate import _arrow, _control_characters

    @settings(max_examples=50, deadline=None, database=None)
    @given(texts=st.lists(st.one_of(st.text(max_size=6), st.sampled_from(["\x00", "a\x85", "\x7f", "é\tb", "©"])),
                          min_size=1, max_size=12), cut=st.integers(min_value=0, max_value=12),
           free=st.booleans())
    def check(texts: list[str], cut: int, free: bool) -> None:
        whole = pa.array(texts, type=pa.large_string())
        cut = min(cut, len(texts))
        chunks = pa.chunked_array([whole.slice(0, cut), whole.slice(cut)], type=pa.large_string())
        s = pd.Series(pd.array(chunks, dtype="str"))
        assert [c.offset for c in _arrow(s).chunks if len(c)][-1] == (cut if 0 < cut < len(texts) else 0)
        expected = np.array([("\x00" in t) if free else any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in t)
                             for t in texts])
        assert _control_characters(s, free).tolist() == expected.tolist()

    check()


@pytest.mark.parametrize("bron", ["periode_tot", "vandaag"])
def test_a_date_on_the_last_allowed_day_is_fine_and_one_on_the_day_after_is_not(
    export: Path, tmp_path: Path, bron: str
) -> None:
    """The boundary of "after the last day": the whole last day is allowed, up to its last second; the first moment
    of the next day is not. The last day is meta.json's periode_tot, or without it today (Dutch date)."""
    import_export(export, tmp_path / "snap", today=TODAY)
    tables = load_snapshot(tmp_path / "snap").tables
    last = dt.date(2026, 10, 31) if bron == "periode_tot" else TODAY
    kwargs = {"last_day": last} if bron == "periode_tot" else {"today": TODAY}

    def flagged(when: str) -> list[Problem]:
        st = tables["statussen"].copy()
        st.loc[0, "datum_status_gezet"] = pd.Timestamp(when)
        return [p for p in validate({**tables, "statussen": st}, **kwargs)
                if (p.table, p.column) == ("statussen", "datum_status_gezet")]

    assert flagged(f"{last.isoformat()} 00:00") == []
    assert flagged(f"{last.isoformat()} 23:59:59") == []
    volgende = (last + dt.timedelta(days=1)).isoformat()
    p, = flagged(f"{volgende} 00:00")
    assert p.severity == "error" and p.message.startswith(f"date lies after {last.isoformat()} (")
    assert p.rows == [1] and p.values == [volgende]  # row 1: the first row of a table in memory
