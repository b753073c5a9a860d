"""Imports of exports (CSV, Excel, Parquet, mapping files), exports for round trips, and the CLI around them."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import stat
from pathlib import Path

import pandas as pd
import pytest

from zgwlib.data import contract
from zgwlib.cli import main
from zgwlib.core.errors import InputFileError, OutputError, UsageError, ValidationError
from zgwlib.data.imports import EXCEL_MAX_ROWS, export_snapshot, import_export, load_mapping
from zgwlib.data.snapshot import Snapshot, read_meta
from zgwlib.data.sources import load_snapshot

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "export_csv"
DUTCH = FIXTURES / "export_nl"
MAPPING = Path(__file__).parent.parent / "docs" / "mapping-voorbeeld.yaml"
TODAY = dt.date(2026, 11, 23)


def assert_same_tables(a: Snapshot, b: Snapshot) -> None:
    for name in contract.TABLES:
        assert a.tables[name].equals(b.tables[name]), name


# --------------------------------------------------------------------------- round trips


@pytest.fixture(scope="module")
def csv_round_trip(small_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    """The small sample exported as CSV and imported again, once for the tests that read it (read-only):
    the export folder, the imported snapshot and the import's notes."""
    base = tmp_path_factory.mktemp("csv-round-trip")
    folder = export_snapshot(small_sample, base / "export")
    notes: list[str] = []
    out, _ = import_export(folder, base / "snapshot", notes=notes)
    return folder, out, notes


def test_sample_csv_round_trip_is_identical(small_sample: Path, csv_round_trip: tuple[Path, Path, list[str]]) -> None:
    folder, out, _ = csv_round_trip
    assert sorted(p.name for p in folder.iterdir()) == sorted([f"{t}.csv" for t in contract.TABLES] + ["meta.json"])
    original, again = load_snapshot(small_sample), load_snapshot(out)
    assert_same_tables(original, again)
    # meta: the municipality and the sample's own keys survive; the source is the export.
    assert again.meta["gemeente"] == original.meta["gemeente"] == "Gemeente Voorbeeld"
    assert again.meta["invoeringsdatum"] == original.meta["invoeringsdatum"]
    assert again.meta["sample"] == original.meta["sample"]
    assert again.meta["bron"] == f"import: {folder}" and again.meta["aantallen"] == original.meta["aantallen"]


def test_sample_excel_round_trip_is_identical(small_sample: Path, tmp_path: Path) -> None:
    # Excel is read and written cell by cell; 300 zaken with their statussen and documents (and every other
    # table whole) keep it quick while covering every column kind of the sample.
    snap = load_snapshot(small_sample)
    zaken = snap.zaken.sort_values("identificatie").head(300)
    ids = zaken["identificatie"]
    part = Snapshot({**snap.tables, "zaken": zaken, "statussen": snap.statussen[snap.statussen["zaak"].isin(ids)],
                     "documenten": snap.documenten[snap.documenten["zaak"].isin(ids) | snap.documenten["zaak"].isna()],
                     "enquete": snap.enquete.head(300), "opschoning": snap.opschoning.head(300)}, snap.meta)
    part.tables["zaken"].loc[part.tables["zaken"].index[0], "omschrijving"] = "=HYPERLINK(\"http://x\")"
    book = export_snapshot(part, tmp_path / "export.xlsx", "xlsx")
    out, _ = import_export(book, tmp_path / "snapshot")
    again = load_snapshot(out)
    for name in contract.TABLES:
        expected = contract.conform(name, part.tables[name])
        assert expected.equals(again.tables[name]), name
    # Free text that looks like a formula stays text; meta comes back from the meta sheet.
    assert again.zaken["omschrijving"].iloc[0] == "=HYPERLINK(\"http://x\")"
    assert again.meta["gemeente"] == "Gemeente Voorbeeld" and again.meta["sample"] == snap.meta["sample"]


def test_parquet_folder_imports_as_is(tmp_path: Path) -> None:
    first, _ = import_export(GOOD, tmp_path / "a", today=TODAY)
    out, _ = import_export(first, tmp_path / "b", today=TODAY)  # a snapshot is a Parquet folder
    assert_same_tables(load_snapshot(first), load_snapshot(out))


# --------------------------------------------------------------------------- Dutch exports


def test_dutch_export_with_the_example_mapping(tmp_path: Path) -> None:
    out, warnings = import_export(DUTCH, tmp_path / "snapshot", MAPPING, today=TODAY)
    snap = load_snapshot(out)
    assert snap.meta["gemeente"] == "Gemeente Voorbeeld"
    z = snap.zaken
    assert z["identificatie"].tolist() == ["2026-0001", "2026-0002", "2026-0003"]
    # 02-03-2026 09:15 is a date: the time goes; 01/04/2026 is read day first.
    assert z["registratiedatum"].tolist() == [pd.Timestamp("2026-03-02"), pd.Timestamp("2026-03-03"),
                                              pd.Timestamp("2026-04-01")]
    assert z["archiefnominatie"].tolist() == ["vernietigen", "blijvend_bewaren", "vernietigen"]  # values: mapping
    assert z["archiefstatus"].unique().tolist() == ["nog_te_archiveren"]  # 'Nog te archiveren' normalised
    assert z["vertrouwelijkheidaanduiding"].tolist() == ["intern", "openbaar", "intern"]
    assert z["behandelaar"].isna().tolist() == [False, False, True]  # 'Niet toegewezen' -> empty
    # The optional extension and suspension columns: the open permit was extended by 42 days and is suspended.
    assert z["verlenging_duur_dagen"].astype("float").fillna(-1).tolist() == [-1, 42, -1]
    assert z["verlenging_reden"].fillna("").tolist() == ["", "Advies welstandscommissie nodig", ""]
    assert z["opschorting_indicatie"].astype("object").fillna("leeg").tolist() == [False, True, "leeg"]
    assert z["opschorting_reden"].iloc[1] == "Wacht op aanvulling; tekening ontbreekt"
    # Windows-1252 text, quoted ';' and quotes, surrounding spaces stripped.
    assert z["omschrijving"].tolist() == ["Losse stoeptegel bij café de Zwaan", 'Dakkapel; "spoed"',
                                          "Lantaarnpaal defect"]
    s = snap.statussen
    assert s["datum_status_gezet"].iloc[1] == pd.Timestamp("2026-03-10 16:40:30")
    assert s["is_eindstatus"].tolist() == [False, True, False, True]
    assert snap.documenten["status"].tolist() == ["definitief", "in_bewerking", "ter_vaststelling"]
    assert snap.zaaktypen["identificatie"].equals(snap.zaaktypen["omschrijving"])  # one header, two columns
    assert snap.zaaktypen["verlenging_mogelijk"].tolist() == [False, True]
    assert snap.medewerkers["afdeling"].iloc[2] == "Financiën"
    # Header in row 3, a blank line inside, decimal comma and a thousands dot.
    o = snap.opschoning
    assert o["hoeveelheid"].tolist() == [12.5, 2.25, 1040.0]
    assert o["eenheid"].tolist() == ["strekkende_meters", "strekkende_meters", "dossiers"]
    assert o["omschrijving"].iloc[1] == "Bouwdossiers 1990–1995"
    assert [w.describe() for w in warnings] == [
        f"{DUTCH / 'Zaken export.csv'}, table zaken: ignored 1 column(s) that are not in the contract: "
        "'Aangemaakt door'"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8"])
def test_dutch_export_in_utf8_with_and_without_bom_gives_the_same(tmp_path: Path, encoding: str) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    for f in DUTCH.iterdir():
        (folder / f.name).write_text(f.read_text(encoding="cp1252"), encoding=encoding)
    expected, _ = import_export(DUTCH, tmp_path / "a", MAPPING, today=TODAY)
    mapping = tmp_path / "mapping.yaml"  # the example says cp1252: let the import detect it instead
    mapping.write_text(MAPPING.read_text(encoding="utf-8").replace("  encoding: cp1252", ""), encoding="utf-8")
    out, _ = import_export(folder, tmp_path / "b", mapping, today=TODAY)
    assert_same_tables(load_snapshot(expected), load_snapshot(out))
    assert load_snapshot(out).zaken.columns[0] == "identificatie"  # no BOM glued to the first header


def test_dutch_export_without_the_csv_settings_detects_them(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    text = MAPPING.read_text(encoding="utf-8")
    text = "\n".join(line for line in text.splitlines() if not line.startswith(("csv:", "  delimiter", "  encoding",
                                                                                "  decimal")))
    mapping.write_text(text, encoding="utf-8")
    a, _ = import_export(DUTCH, tmp_path / "a", MAPPING, today=TODAY)
    b, _ = import_export(DUTCH, tmp_path / "b", mapping, today=TODAY)
    assert_same_tables(load_snapshot(a), load_snapshot(b))


def test_folder_with_an_excel_sheet_for_one_table(tmp_path: Path) -> None:
    # The project leader keeps the cleanup registrations in a workbook beside the system's CSV export.
    import openpyxl

    folder = tmp_path / "export"
    shutil.copytree(DUTCH, folder)
    (folder / "Opschoonactie.csv").unlink()
    wb = openpyxl.Workbook()
    wb.active.title = "Instructie"
    wb.active.append(["Vul het tabblad Registratie in."])
    ws = wb.create_sheet("Registratie")
    ws.append(["Registratie opschoonactie"])
    ws.append([])
    ws.append(["Afdeling", "Datum", "Actie", "Eenheid", "Hoeveelheid", "Locatie", "Toelichting"])
    vth = "Vergunningen, Toezicht en Handhaving"
    ws.append([vth, dt.datetime(2026, 5, 4), "Inventarisatie", "Strekkende meter", 12.5, "Kelder", None])
    ws.append([vth, dt.datetime(2026, 5, 18), "Gedigitaliseerd", "Strekkende meter", 2.25, "Kelder",
               "Bouwdossiers 1990–1995"])
    ws.append([])
    ws.append([vth, dt.datetime(2026, 6, 1), "Vernietigd", "Dossier", 1040, "Kast 3", None])
    wb.save(folder / "Opschoonactie.xlsx")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(MAPPING.read_text(encoding="utf-8").replace(
        "file: Opschoonactie.csv", "file: Opschoonactie.xlsx\n    sheet: Registratie"), encoding="utf-8")

    expected, _ = import_export(DUTCH, tmp_path / "a", MAPPING, today=TODAY)
    out, _ = import_export(folder, tmp_path / "b", mapping, today=TODAY)
    assert_same_tables(load_snapshot(expected), load_snapshot(out))

    mapping.write_text(mapping.read_text(encoding="utf-8").replace("sheet: Registratie", "sheet: Blad9"),
                       encoding="utf-8")
    with pytest.raises(InputFileError, match=r"Opschoonactie.xlsx: has no sheet 'Blad9' \(sheets: Instructie, "
                                             r"Registratie\)"):
        import_export(folder, tmp_path / "c", mapping, today=TODAY)
    assert not (tmp_path / "c").exists()


def test_mapping_header_not_in_the_file_says_which_it_expected(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(DUTCH, tmp_path / "export"))
    path = folder / "Zaken export.csv"
    path.write_text(path.read_text(encoding="cp1252").replace("Zaaknummer;", "Zaaknr;", 1), encoding="cp1252")
    with pytest.raises(ValidationError) as info:
        import_export(folder, tmp_path / "snapshot", MAPPING, today=TODAY)
    [p] = [p for p in info.value.errors if p.column == "identificatie"]
    assert p.table == "zaken" and "the mapping expects header 'Zaaknummer'" in p.message and "Zaaknr" in p.message
    assert len([q for q in info.value.problems if q.column == "identificatie"]) == 1  # said once, not twice


def test_mapping_mistakes_are_listed(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "gemeente: X\nkleur: rood\ntables:\n  zaken:\n    columns:\n      Zaaknummer: zaaknummer\n"
        "    header_row: 0\n  dossiers: {}\n", encoding="utf-8")
    with pytest.raises(UsageError) as info:
        load_mapping(mapping)
    text = str(info.value)
    assert "has 4 mistake(s)" in text
    assert "'kleur'" in text and "'zaaknummer' is not a column of zaken" in text and "'dossiers'" in text
    assert "header_row" in text
    mapping.write_text("tables: [\n", encoding="utf-8")
    with pytest.raises(UsageError, match="not valid YAML"):
        load_mapping(mapping)


def test_unreadable_sources_raise_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="not found"):
        import_export(tmp_path / "nergens", tmp_path / "out")
    (tmp_path / "leeg").mkdir()
    with pytest.raises(InputFileError, match="no tables found"):
        import_export(tmp_path / "leeg", tmp_path / "out")
    folder = Path(shutil.copytree(GOOD, tmp_path / "export"))
    (folder / "zaken.csv").write_bytes(b"identificatie\n\x81\x8d\n")  # bytes undefined in Windows-1252 too
    with pytest.raises(InputFileError, match="zaken.csv"):
        import_export(folder, tmp_path / "out")


# --------------------------------------------------------------------------- atomic writes


def test_invalid_import_writes_nothing_and_keeps_the_old_snapshot(tmp_path: Path) -> None:
    out, _ = import_export(GOOD, tmp_path / "snapshot", today=TODAY)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = Path(shutil.copytree(GOOD, tmp_path / "bad"))
    (bad / "zaken.csv").write_text((bad / "zaken.csv").read_text().replace("2026-03-02,2026-03-02", "2026-03-02,x"))
    with pytest.raises(ValidationError):
        import_export(bad, out, today=TODAY)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    with pytest.raises(ValidationError):
        import_export(bad, tmp_path / "new", today=TODAY)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad", "snapshot"]  # no new or temporary folders


# --------------------------------------------------------------------------- exports


def test_excel_row_limit_names_the_table(tmp_path: Path) -> None:
    big = contract.STATUSSEN.empty().reindex(range(EXCEL_MAX_ROWS + 1))
    snap = Snapshot({**{n: t.empty() for n, t in contract.TABLES.items()}, "statussen": big}, {})
    with pytest.raises(UsageError, match="table statussen has 1,048,576 rows.*--format csv"):
        export_snapshot(snap, tmp_path / "x.xlsx", "xlsx")
    assert list(tmp_path.iterdir()) == []


def test_export_refuses_to_replace_a_folder_that_is_no_export(tmp_path: Path) -> None:
    snapshot, _ = import_export(GOOD, tmp_path / "snapshot", today=TODAY)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "brief.txt").write_text("belangrijk")
    with pytest.raises(OutputError, match="holds files the kit did not write"):
        export_snapshot(snapshot, tmp_path / "docs")
    assert (tmp_path / "docs" / "brief.txt").read_text() == "belangrijk"
    first = export_snapshot(snapshot, tmp_path / "export")
    assert export_snapshot(snapshot, first) == first  # an earlier export is replaced
    meta = json.loads((first / "meta.json").read_text(encoding="utf-8"))
    assert meta["gemeente"] == "onbekende gemeente"


# --------------------------------------------------------------------------- command line


def test_cli_import_error_names_file_table_column_row_value(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    bad = Path(shutil.copytree(GOOD, tmp_path / "bad"))
    (bad / "statussen.csv").write_text(
        (bad / "statussen.csv").read_text().replace("2026-03-05T08:05:00", "5 maart"), encoding="utf-8")
    code = main(["import", str(bad), "--out", str(tmp_path / "snapshot")])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert (f"{bad / 'statussen.csv'}, table statussen, column datum_status_gezet: values are not a valid date "
            "and time (2026-12-31 14:05) (1 row; row 5); e.g. '5 maart'") in err
    assert not (tmp_path / "snapshot").exists()


def test_cli_validate_and_export(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    snapshot, _ = import_export(GOOD, tmp_path / "snapshot", today=TODAY)
    assert main(["validate", str(snapshot)]) == 0
    assert f"{snapshot}: valid" in capsys.readouterr().out
    assert main(["export", str(snapshot), "--out", str(tmp_path / "export.xlsx")]) == 0
    assert "as xlsx" in capsys.readouterr().out
    assert main(["import", str(tmp_path / "export.xlsx"), "--out", str(tmp_path / "again")]) == 0
    assert_same_tables(load_snapshot(snapshot), load_snapshot(tmp_path / "again"))
    # Break the snapshot: validate exits 2 and names the Parquet file.
    zaken = load_snapshot(snapshot).zaken
    zaken.loc[1, "archiefstatus"] = "kwijt"
    zaken.to_parquet(snapshot / "zaken.parquet", index=False)
    capsys.readouterr()
    assert main(["validate", str(snapshot)]) == 2
    err = capsys.readouterr().err
    assert f"{snapshot / 'zaken.parquet'}, table zaken, column archiefstatus" in err and "row 2" in err
    assert "'kwijt'" in err and "Traceback" not in err


def test_cli_import_prints_warnings_and_succeeds(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    folder = Path(shutil.copytree(DUTCH, tmp_path / "export"))
    assert main(["import", str(folder), "--out", str(tmp_path / "s"), "--mapping", str(MAPPING)]) == 0
    captured = capsys.readouterr()
    assert "1 warning:" in captured.err and "'Aangemaakt door'" in captured.err
    assert f"Snapshot written to {tmp_path / 's'}" in captured.out


def test_cli_mapping_mistake_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("tables:\n  zaken:\n    columns:\n      Zaaknummer: nummer\n", encoding="utf-8")
    assert main(["import", str(DUTCH), "--out", str(tmp_path / "s"), "--mapping", str(mapping)]) == 2
    err = capsys.readouterr().err
    assert "'nummer' is not a column of zaken" in err and "Traceback" not in err


def test_cli_import_no_documents_declares_a_source_without_document_data(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    folder = Path(shutil.copytree(GOOD, tmp_path / "export"))
    (folder / "documenten.csv").unlink()
    assert main(["import", str(folder), "--out", str(tmp_path / "s")]) == 0
    err = capsys.readouterr().err
    assert "table documenten: the export has no documents" in err and "geen documentgegevens" in err
    assert main(["import", str(folder), "--out", str(tmp_path / "s2"), "--no-documents"]) == 0
    assert "table documenten" not in capsys.readouterr().err
    assert read_meta(tmp_path / "s2")["documenten_bron"] == "geen"
    assert main(["validate", str(tmp_path / "s2")]) == 0


# --------------------------------------------------------------------------- the day the data is complete up to


def test_an_export_then_import_keeps_every_meta_json_value_but_bron_and_aangemaakt_op(
        small_sample: Path, csv_round_trip: tuple[Path, Path, list[str]], tmp_path: Path) -> None:
    folder, out, notes = csv_round_trip
    before, after = load_snapshot(small_sample).meta, load_snapshot(out).meta
    assert set(after) == set(before)
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"bron", "aangemaakt_op"}, changed
    assert after["periode_tot"] == "2026-10-31"  # the sample's last day, not one guessed from the data
    assert notes == [f"Data complete up to 2026-10-31: periode_tot from {folder / 'meta.json'}."]
    # And once more through Excel.
    book = export_snapshot(out, tmp_path / "export.xlsx", "xlsx")
    again, _ = import_export(book, tmp_path / "again")
    assert {k for k in before if before[k] != load_snapshot(again).meta[k]} == {"bron", "aangemaakt_op"}


def _dated_copy(tmp_path: Path, moment: dt.datetime) -> Path:
    """A copy of the good export whose files were last written at ``moment``."""
    folder = Path(shutil.copytree(GOOD, tmp_path / "export"))
    for f in folder.iterdir():
        os.utime(f, (moment.timestamp(), moment.timestamp()))
    return folder


def test_without_meta_json_the_day_comes_from_tot_else_the_files_date_in_amsterdam(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    # 23:30 UTC on 15 October is 01:30 on 16 October in Amsterdam: the Dutch day counts.
    folder = _dated_copy(tmp_path, dt.datetime(2026, 10, 15, 23, 30, tzinfo=dt.timezone.utc))
    assert main(["import", str(folder), "--out", str(tmp_path / "a")]) == 0
    assert load_snapshot(tmp_path / "a").meta["periode_tot"] == "2026-10-16"
    assert "Data complete up to 2026-10-16: the date of the export files (Europe/Amsterdam)" in capsys.readouterr().out
    assert main(["import", str(folder), "--out", str(tmp_path / "b"), "--tot", "2026-09-30"]) == 0
    assert load_snapshot(tmp_path / "b").meta["periode_tot"] == "2026-09-30"
    assert "Data complete up to 2026-09-30: from --tot." in capsys.readouterr().out


def test_tot_must_be_a_past_day_and_agree_with_the_sources_meta_json(
        small_sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["import", str(GOOD), "--out", str(tmp_path / "a"), "--tot", "2999-01-01"]) == 2
    assert "--tot 2999-01-01 lies after today" in capsys.readouterr().err
    assert main(["import", str(GOOD), "--out", str(tmp_path / "a"), "--tot", "31-10-2026"]) == 2
    assert "is not a day (YYYY-MM-DD)" in capsys.readouterr().err
    folder = export_snapshot(small_sample, tmp_path / "export")
    assert main(["import", str(folder), "--out", str(tmp_path / "a"), "--tot", "2026-11-15"]) == 2
    err = capsys.readouterr().err
    assert "--tot 2026-11-15 contradicts" in err and "complete up to 2026-10-31" in err
    assert not (tmp_path / "a").exists()


def test_a_zaak_registered_after_the_complete_until_day_is_an_error_not_a_month(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(GOOD, tmp_path / "export"))
    text = (folder / "zaken.csv").read_text(encoding="utf-8")
    (folder / "zaken.csv").write_text(text.replace("2026-04-07,2026-04-07,2026-05-20", "2026-04-07,2026-04-07,2036-05-20"),
                                      encoding="utf-8")  # a mistyped einddatum, ten years ahead
    with pytest.raises(ValidationError) as info:
        import_export(folder, tmp_path / "snapshot", tot="2026-10-31")
    [p] = [p for p in info.value.errors if p.column == "einddatum"]
    assert p.describe() == (f"{folder / 'zaken.csv'}, table zaken, column einddatum: date lies after 2026-10-31 "
                            "(the day the data is complete up to, periode_tot) (1 row; row 5); e.g. '2036-05-20'")
    assert not (tmp_path / "snapshot").exists()


def test_null_dates_before_1900_become_empty_where_allowed_and_are_refused_where_required(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(GOOD, tmp_path / "export"))
    zaken = folder / "zaken.csv"
    zaken.write_text(zaken.read_text(encoding="utf-8").replace(",2036-04-01,", ",01-01-0001,"), encoding="utf-8")
    out, warnings = import_export(folder, tmp_path / "a", today=TODAY)
    assert load_snapshot(out).zaken["archiefactiedatum"].isna().all()
    [w] = [w for w in warnings if w.column == "archiefactiedatum"]
    assert w.count == 1 and "before 1900" in w.message and "read as empty" in w.message and w.values == ["01-01-0001"]
    zaken.write_text(zaken.read_text(encoding="utf-8").replace("Z-2026-001,ZT-MOR,Beheer Openbare Ruimte,mw01,2026-03-02",
                                                               "Z-2026-001,ZT-MOR,Beheer Openbare Ruimte,mw01,0001-01-01"),
                     encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        import_export(folder, tmp_path / "b", today=TODAY)
    [p] = [p for p in info.value.errors if p.column == "registratiedatum"]
    assert "before 1900" in p.message and p.rows == [2]


# --------------------------------------------------------------------------- characters


def _with_zaken_text(tmp_path: Path, data: bytes) -> Path:
    folder = Path(shutil.copytree(GOOD, tmp_path / "export"))
    (folder / "zaken.csv").write_bytes(data)
    return folder


def test_a_utf8_file_with_one_stray_windows_byte_is_refused_naming_line_and_bytes(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    text = (GOOD / "zaken.csv").read_text(encoding="utf-8").replace("Losse stoeptegel", "Stoeptegel Financiën")
    data = text.encode("utf-8").replace(b"Uitbouw", b"Uitbouw caf\xe9")  # one Windows-1252 'é' on line 5
    folder = _with_zaken_text(tmp_path, data)
    assert main(["import", str(folder), "--out", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err
    assert f"{folder / 'zaken.csv'}: mixes UTF-8 text with bytes that are not UTF-8: line 5 holds the byte(s) e9" in err
    assert "--encoding" in err and "Traceback" not in err and not (tmp_path / "s").exists()
    # Forced, the file is read as told.
    assert main(["import", str(folder), "--out", str(tmp_path / "s"), "--encoding", "cp1252", "--tot", "2026-11-01"]) == 0
    assert load_snapshot(tmp_path / "s").zaken["omschrijving"].iloc[3] == "Uitbouw café"


def test_windows_1252_is_read_only_without_utf8_and_a_forced_encoding_must_fit(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    text = (GOOD / "zaken.csv").read_text(encoding="utf-8").replace("Uitbouw", "Uitbouw café – €")
    folder = _with_zaken_text(tmp_path, text.encode("cp1252"))
    out, _ = import_export(folder, tmp_path / "a", today=TODAY)
    assert load_snapshot(out).zaken["omschrijving"].iloc[3] == "Uitbouw café – €"
    assert main(["import", str(folder), "--out", str(tmp_path / "b"), "--encoding", "utf-8"]) == 2
    err = capsys.readouterr().err
    assert f"{folder / 'zaken.csv'}: is not utf-8 text: line 5 holds the byte(s) e9 after " in err
    assert main(["import", str(folder), "--out", str(tmp_path / "b"), "--encoding", "klingon"]) == 2
    assert "is not an encoding" in capsys.readouterr().err


@pytest.mark.parametrize(("column", "value", "refused"), [
    ("identificatie", "Z-2026-001\x00", True), ("afdeling", "VTH\tBeleid", True), ("afdeling", "VTH\x1b[31m", True),
    ("omschrijving", "regel 1\x00regel 2", True), ("omschrijving", "regel 1\nregel 2\ttab", False),
])
def test_nul_and_control_characters_in_identifiers_are_refused(
        tmp_path: Path, column: str, value: str, refused: bool) -> None:
    folder = Path(shutil.copytree(GOOD, tmp_path / "export"))
    frame = pd.read_csv(folder / "zaken.csv", dtype="str", keep_default_na=False)
    frame.loc[0, column] = value
    if column == "identificatie":
        frame.loc[0, column] = value
    frame.to_csv(folder / "zaken.csv", index=False, lineterminator="\n")
    if not refused:
        out, _ = import_export(folder, tmp_path / "s", today=TODAY)
        assert load_snapshot(out).zaken[column].iloc[0] == value
        return
    with pytest.raises(ValidationError) as info:
        import_export(folder, tmp_path / "s", today=TODAY)
    [p] = [p for p in info.value.errors if p.column == column and "character" in p.message]
    assert p.rows == [2] and p.values == [value]


# --------------------------------------------------------------------------- CSV injection


FORMULAS = ["=HYPERLINK(\"http://x\",\"klik\")", "+31 6 1234", "-5 graden", "@SUM(A1)", "'=al gequote",
            "''+twee quotes", "'gewoon een quote", "'", "a=b", "x\t=y"]


def test_csv_export_neutralises_formulas_and_the_import_gives_them_back_exactly(tmp_path: Path) -> None:
    snapshot, _ = import_export(GOOD, tmp_path / "snapshot", today=TODAY)
    snap = load_snapshot(snapshot)
    zaken = pd.concat([snap.zaken] * 3, ignore_index=True).head(len(FORMULAS))
    zaken["identificatie"] = list(snap.zaken["identificatie"]) + [f"Z{i}" for i in range(4, len(FORMULAS))]
    zaken["omschrijving"] = pd.Series(FORMULAS, dtype="str")
    zaken["communicatiekanaal"] = pd.Series(["-balie", "=1+1", "@x", "+", "-", "=", "'-", "''@", "a", "b"],
                                            dtype="str")
    part = Snapshot({**snap.tables, "zaken": zaken}, snap.meta)
    folder = export_snapshot(part, tmp_path / "export")
    cells = pd.read_csv(folder / "zaken.csv", dtype="str", keep_default_na=False)
    # No cell a spreadsheet would run: each starts with a quote, or with nothing dangerous.
    for value in list(cells["omschrijving"]) + list(cells["communicatiekanaal"]):
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    assert cells["omschrijving"].tolist()[:6] == ["'=HYPERLINK(\"http://x\",\"klik\")", "'+31 6 1234", "'-5 graden",
                                                  "'@SUM(A1)", "''=al gequote", "'''+twee quotes"]
    out, _ = import_export(folder, tmp_path / "again")
    again = load_snapshot(out).zaken
    assert again["omschrijving"].tolist() == FORMULAS
    assert again["communicatiekanaal"].tolist() == zaken["communicatiekanaal"].tolist()


def test_excel_export_writes_formula_like_text_as_text(tmp_path: Path) -> None:
    import openpyxl

    snapshot, _ = import_export(GOOD, tmp_path / "snapshot", today=TODAY)
    snap = load_snapshot(snapshot)
    zaken = snap.zaken.copy()
    zaken["omschrijving"] = pd.Series(FORMULAS[:4], dtype="str")
    book = export_snapshot(Snapshot({**snap.tables, "zaken": zaken}, snap.meta), tmp_path / "e.xlsx", "xlsx")
    ws = openpyxl.load_workbook(book)["zaken"]
    col = [c.value for c in ws[1]].index("omschrijving")
    cells = [row[col] for row in ws.iter_rows(min_row=2)]
    assert [c.data_type for c in cells] == ["s"] * 4 and [c.value for c in cells] == FORMULAS[:4]
    out, _ = import_export(book, tmp_path / "again")
    assert load_snapshot(out).zaken["omschrijving"].tolist() == FORMULAS[:4]


# --------------------------------------------------------------------------- nothing destroyed


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_import_refuses_other_kinds_its_source_and_files_and_force_keeps_the_previous(
        small_sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    sample = Path(shutil.copytree(small_sample, tmp_path / "voorbeeld"))
    before = _files(sample)
    # The import over the sample: a different kind.
    assert main(["import", str(GOOD), "--out", str(sample)]) == 2
    err = capsys.readouterr().err
    assert "holds the sample municipality (zgw sample), not an imported snapshot" in err and "--force" in err
    assert _files(sample) == before
    # --out is the source, inside it, or holds it.
    export = Path(shutil.copytree(GOOD, tmp_path / "export"))
    for out, says in [(export, "is the source itself"), (export / "snap", "lies inside the source"),
                      (tmp_path, "lies inside --out")]:
        assert main(["import", str(export), "--out", str(out)]) == 2
        assert says in capsys.readouterr().err
    assert _files(export) == _files(GOOD)
    # A file where the folder should be.
    (tmp_path / "bestand").write_text("x")
    assert main(["import", str(GOOD), "--out", str(tmp_path / "bestand")]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    assert main(["import", str(GOOD), "--out", str(tmp_path / "bestand" / "snap")]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    # --force replaces on purpose and keeps the sample as voorbeeld.vorige, until the next good write.
    assert main(["import", str(GOOD), "--out", str(sample), "--force"]) == 0
    assert _files(tmp_path / "voorbeeld.vorige") == before
    assert load_snapshot(sample).meta["bron"] == f"import: {GOOD}"
    assert main(["import", str(GOOD), "--out", str(sample)]) == 0  # an import over an import
    assert not (tmp_path / "voorbeeld.vorige").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary folders left


def test_export_refuses_a_snapshot_and_sample_refuses_an_import(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    snapshot, _ = import_export(GOOD, tmp_path / "snapshot", today=TODAY)
    before = _files(snapshot)
    assert main(["export", str(snapshot), "--out", str(tmp_path / "other")]) == 0
    other, _ = import_export(GOOD, tmp_path / "other2", today=TODAY)
    assert main(["export", str(snapshot), "--out", str(other)]) == 2
    assert "holds an imported snapshot (zgw import), not an export" in capsys.readouterr().err
    assert main(["export", str(snapshot), "--out", str(snapshot)]) == 2
    assert "is the source itself" in capsys.readouterr().err
    assert main(["sample", "--out", str(snapshot), "--zaken", "100", "--months", "6"]) == 2
    assert "holds an imported snapshot (zgw import), not the sample municipality" in capsys.readouterr().err
    assert _files(snapshot) == before
    # An Excel file that is not an export is not replaced either.
    (tmp_path / "begroting.xlsx").write_bytes(b"not really a workbook")
    assert main(["export", str(snapshot), "--out", str(tmp_path / "begroting.xlsx")]) == 2
    assert "is not an export" in capsys.readouterr().err
    assert main(["export", str(snapshot), "--out", str(tmp_path / "begroting.xlsx"), "--force"]) == 0
    assert (tmp_path / "begroting.vorige.xlsx").read_bytes() == b"not really a workbook"


@pytest.mark.parametrize(("code", "says"), [(28, "no space left on the disk of"), (30, "read-only file system"),
                                            (13, "permission denied")])
def test_a_full_disk_or_read_only_out_gives_a_message_and_keeps_the_old_snapshot(
        tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch, code: int, says: str) -> None:
    snapshot, _ = import_export(GOOD, tmp_path / "snapshot", today=TODAY)
    before = _files(snapshot)

    def fail(self: pd.DataFrame, path: object, *args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(pd.DataFrame, "to_parquet", fail)
    assert main(["import", str(GOOD), "--out", str(snapshot)]) == 2
    err = capsys.readouterr().err
    assert says in err and "nothing was replaced" in err and "Traceback" not in err
    assert _files(snapshot) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["snapshot"]


def test_outputs_respect_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        snapshot, _ = import_export(GOOD, tmp_path / "snapshot", today=TODAY)
        book = export_snapshot(snapshot, tmp_path / "e.xlsx", "xlsx")
        folder = export_snapshot(snapshot, tmp_path / "e")
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in [snapshot, folder, book,
                                                                   *snapshot.iterdir(), *folder.iterdir()]}
        assert modes[snapshot.name] == modes[folder.name] == 0o755
        assert {m for n, m in modes.items() if n not in (snapshot.name, folder.name)} == {0o644}
        os.umask(0o027)
        again = export_snapshot(snapshot, folder)
        assert stat.S_IMODE(again.stat().st_mode) == 0o750 and stat.S_IMODE((again / "zaken.csv").stat().st_mode) == 0o640
    finally:
        os.umask(old)


# --------------------------------------------------------------------------- meta.json and long values


@pytest.mark.parametrize(("text", "says"), [("[1, 2]", "is not a JSON object with keys (it holds a list)"),
                                            ('{"periode_tot": "31-10-2026"}', "periode_tot is not a day"),
                                            ('{"periode_tot": "0001-01-01"}', "periode_tot lies before 1900")])
def test_meta_json_that_is_no_object_or_has_a_bad_date_exits_2(
        tmp_path: Path, capsys: pytest.CaptureFixture, text: str, says: str) -> None:
    snapshot, _ = import_export(GOOD, tmp_path / "snapshot", today=TODAY)
    meta = json.loads((snapshot / "meta.json").read_text(encoding="utf-8"))
    bad = json.loads(text)
    (snapshot / "meta.json").write_text(json.dumps(bad if isinstance(bad, list) else {**meta, **bad}),
                                        encoding="utf-8")
    assert main(["validate", str(snapshot)]) == 2
    err = capsys.readouterr().err
    assert f"{snapshot / 'meta.json'}: {says}" in err and "Traceback" not in err
    # As the meta.json of an export being imported.
    export = Path(shutil.copytree(GOOD, tmp_path / "export"))
    shutil.copy(snapshot / "meta.json", export / "meta.json")
    assert main(["import", str(export), "--out", str(tmp_path / "new")]) == 2
    assert f"{export / 'meta.json'}: {says}" in capsys.readouterr().err


def test_a_ten_megabyte_field_makes_a_short_message(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    folder = Path(shutil.copytree(GOOD, tmp_path / "export"))
    frame = pd.read_csv(folder / "zaken.csv", dtype="str", keep_default_na=False)
    frame.loc[0, "omschrijving"] = "A" * 10_000_000
    frame.to_csv(folder / "zaken.csv", index=False)
    assert main(["import", str(folder), "--out", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err
    assert "text is longer than 80 characters" in err and "(10,000,000 characters)" in err
    assert len(err) < 1000


def test_fetch_refuses_an_imported_snapshot_before_reading_any_api(
        tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    snapshot, _ = import_export(GOOD, tmp_path / "snapshot", today=TODAY)
    monkeypatch.setenv("ZGW_CLIENT_SECRET", "geheim")
    code = main(["fetch", "--zaken-url", "http://127.0.0.1:9/zaken/api/v1", "--catalogi-url",
                 "http://127.0.0.1:9/catalogi/api/v1", "--client-id", "x", "--out", str(snapshot)])
    err = capsys.readouterr().err
    assert code == 2 and "holds an imported snapshot (zgw import), not a snapshot fetched" in err
    assert "Traceback" not in err


# --------------------------------------------------------------------------- activiteiten (borging, issue 16)

VOORBEELD_ACTIVITEITEN = Path(__file__).parent.parent / "docs" / "activiteiten-voorbeeld.xlsx"


def _with_activiteiten(tmp_path: Path, book: Path) -> tuple[Path, Path]:
    folder = Path(shutil.copytree(GOOD, tmp_path / "export"))
    shutil.copy(book, folder / "Activiteiten project.xlsx")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("tables:\n  activiteiten:\n    file: Activiteiten project.xlsx\n    sheet: activiteiten\n",
                       encoding="utf-8")
    return folder, mapping


def test_the_example_activiteiten_workbook_imports_beside_a_csv_export(tmp_path: Path) -> None:
    folder, mapping = _with_activiteiten(tmp_path, VOORBEELD_ACTIVITEITEN)
    out, _ = import_export(folder, tmp_path / "snap", mapping, today=TODAY)
    act = load_snapshot(out).activiteiten
    assert len(act) == 9 and list(act.columns) == contract.TABLES["activiteiten"].column_names
    assert set(act["soort"]) == set(contract.ACTIVITEIT_SOORT)
    assert act["datum"].min() == pd.Timestamp("2026-01-13")
    spreekuur = act[act["soort"] == "inloopspreekuur"]
    assert spreekuur["vraag"].notna().all() and len(spreekuur) == 3
    assert act.loc[act["soort"] == "training", "deelnemers"].tolist() == [9, 7]
    # Without activiteiten the table is simply empty: it is optional.
    plain, _ = import_export(GOOD, tmp_path / "plain", today=TODAY)
    assert len(load_snapshot(plain).activiteiten) == 0


def test_an_unknown_kind_of_activity_is_refused_with_file_row_and_value(tmp_path: Path, capsys) -> None:
    import openpyxl

    book = tmp_path / "eigen.xlsx"
    shutil.copy(VOORBEELD_ACTIVITEITEN, book)
    wb = openpyxl.load_workbook(book)
    wb["activiteiten"]["B3"] = "Workshop"  # the buddy row, spreadsheet row 3
    wb["activiteiten"]["B4"] = "Keyuser overleg"  # case and a space: recognised as keyuser_overleg
    wb.save(book)
    folder, mapping = _with_activiteiten(tmp_path, book)
    code = main(["import", str(folder), "--out", str(tmp_path / "snap"), "--mapping", str(mapping)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "activiteiten" in err and "soort" in err and "Workshop" in err and "inloopspreekuur" in err
    assert "row 3" in err and "Keyuser overleg" not in err
    assert not (tmp_path / "snap").exists()
