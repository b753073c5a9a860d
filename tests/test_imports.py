"""Imports of exports (CSV, Excel, Parquet, mapping files), exports for round trips, and the CLI around them."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from zgwlib.data import contract
from zgwlib.cli import main
from zgwlib.core.errors import InputFileError, UsageError, ValidationError
from zgwlib.data.imports import EXCEL_MAX_ROWS, export_snapshot, import_export, load_mapping
from zgwlib.data.snapshot import Snapshot
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


def test_sample_csv_round_trip_is_identical(small_sample: Path, tmp_path: Path) -> None:
    folder = export_snapshot(small_sample, tmp_path / "export")
    assert sorted(p.name for p in folder.iterdir()) == sorted([f"{t}.csv" for t in contract.TABLES] + ["meta.json"])
    out, _ = import_export(folder, tmp_path / "snapshot")
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
    with pytest.raises(UsageError, match="not an earlier export"):
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
