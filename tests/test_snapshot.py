"""Snapshot writing is atomic and reading fails with clear messages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from zgwlib.data import contract, snapshot
from zgwlib.core.errors import OutputError, SnapshotError
from zgwlib.data.snapshot import build_meta, read_meta, read_snapshot, write_snapshot
from zgwlib.data.sources import load_snapshot, resolve


def _tables() -> dict[str, pd.DataFrame]:
    zaken = pd.DataFrame(
        {
            "identificatie": ["Z1", "Z2"],
            "zaaktype": ["ZT-A", "ZT-A"],
            "afdeling": ["Publiekszaken", "Publiekszaken"],
            "behandelaar": ["M1", None],
            "registratiedatum": pd.to_datetime(["2024-02-28", "2024-02-29"]),
            "startdatum": pd.to_datetime(["2024-02-28", "2024-02-29"]),
            "einddatum": pd.to_datetime(["2024-03-04", None]),
            "einddatum_gepland": pd.to_datetime(["2024-03-10", "2024-03-11"]),
            "uiterlijke_einddatum_afdoening": pd.to_datetime(["2024-04-10", "2024-04-11"]),
            "resultaat": ["Toegekend", None],
            "archiefnominatie": ["vernietigen", None],
            "archiefstatus": ["nog_te_archiveren", "nog_te_archiveren"],
            "archiefactiedatum": pd.to_datetime([None, None]),
            "vertrouwelijkheidaanduiding": ["openbaar", "intern"],
            "communicatiekanaal": ["balie", "e-formulier"],
            "omschrijving": ["<b>test</b>", None],
        }
    )
    zaaktypen = pd.DataFrame(
        {
            "identificatie": ["ZT-A"],
            "omschrijving": ["Aanvraag A"],
            "afdeling": ["Publiekszaken"],
            "doorlooptijd_dagen": [56],
            "servicenorm_dagen": [None],
            "verlenging_mogelijk": [False],
            "verlengingstermijn_dagen": [None],
        }
    )
    medewerkers = pd.DataFrame(
        {"identificatie": ["M1"], "naam": ["A. Jansen"], "afdeling": ["Publiekszaken"], "team": ["Balie"],
         "actief_sinds": pd.to_datetime(["2024-01-15"])}
    )
    return {
        "zaken": zaken,
        "zaaktypen": zaaktypen,
        "medewerkers": medewerkers,
        "statussen": contract.TABLES["statussen"].empty(),
        "documenten": contract.TABLES["documenten"].empty(),
    }


def test_round_trip_keeps_values_and_contract_dtypes(tmp_path: Path) -> None:
    tables = _tables()
    out = write_snapshot(tables, tmp_path / "snap", build_meta(tables, "Gemeente Test", "test"))
    snap = load_snapshot(out)
    assert snap.gemeente == "Gemeente Test"
    for name, spec in contract.TABLES.items():
        assert list(snap[name].columns) == spec.column_names
        assert {c: str(t) for c, t in snap[name].dtypes.items()} == spec.dtypes, name
    assert snap.zaken["einddatum"].isna().tolist() == [False, True]
    assert snap.zaken.loc[1, "registratiedatum"] == pd.Timestamp("2024-02-29")
    assert len(snap.opschoning) == 0  # optional tables are written empty
    meta = read_meta(out)
    assert meta["aantallen"]["zaken"] == 2
    assert (meta["periode_van"], meta["periode_tot"]) == ("2024-02-28", "2024-03-04")


def test_failed_write_keeps_the_previous_snapshot(tmp_path: Path) -> None:
    tables = _tables()
    out = write_snapshot(tables, tmp_path / "snap", build_meta(tables, "Eerste", "test"))
    broken = dict(tables)
    broken["zaken"] = tables["zaken"].drop(columns=["afdeling"])  # conform() fails half-way
    with pytest.raises(KeyError):
        write_snapshot(broken, out, build_meta(tables, "Tweede", "test"))
    assert load_snapshot(out).gemeente == "Eerste"
    assert [p.name for p in tmp_path.iterdir()] == ["snap"], "temporary directory left behind"


def test_refuses_to_replace_a_directory_that_is_not_a_snapshot(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "precious.txt").write_text("keep me")
    tables = _tables()
    with pytest.raises(OutputError, match="holds files the kit did not write"):
        write_snapshot(tables, tmp_path / "docs", build_meta(tables, "X", "test"))
    with pytest.raises(OutputError, match="also with --force"):
        write_snapshot(tables, tmp_path / "docs", build_meta(tables, "X", "test"), force=True)
    assert (tmp_path / "docs" / "precious.txt").read_text() == "keep me"


def test_missing_snapshot_and_wrong_version_are_explained(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError, match="no meta.json"):
        load_snapshot(tmp_path)
    (tmp_path / "meta.json").write_text(json.dumps({"contract_versie": "0.3"}))
    with pytest.raises(SnapshotError, match="contract version 0.3"):
        load_snapshot(tmp_path)


def test_missing_required_table_is_named(tmp_path: Path) -> None:
    tables = _tables()
    out = write_snapshot(tables, tmp_path / "snap", build_meta(tables, "X", "test"))
    (out / "statussen.parquet").unlink()
    with pytest.raises(SnapshotError, match="table statussen is missing"):
        load_snapshot(out)


def test_package_level_functions_build_validate_and_load(tmp_path: Path) -> None:
    import zgwlib

    path = zgwlib.build_sample(tmp_path / "s", zaken=500, months=8)
    problems = zgwlib.validate_snapshot(path)
    assert [p for p in problems if p.severity == "error"] == []
    snap = zgwlib.load_snapshot(path)
    assert len(snap.zaken) == 500 and snap.meta["gemeente"] == "Gemeente Voorbeeld"


def test_atomic_file_keeps_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    from zgwlib.core.files import atomic_file, write_text_atomic

    target = tmp_path / "rapport.html"
    write_text_atomic(target, "goed")
    with pytest.raises(RuntimeError), atomic_file(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "goed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport.html"]  # no temporary file left
    write_text_atomic(target, "nieuw")
    assert target.read_text(encoding="utf-8") == "nieuw"


def test_a_snapshot_without_the_optional_zaken_columns_reads_them_as_empty_and_validates(tmp_path: Path) -> None:
    """A contract 1.1 snapshot (before extension and suspension were added) still reads and validates."""
    from zgwlib.data.validate import validate_snapshot

    out = write_snapshot(_tables(), tmp_path / "snap", build_meta(_tables(), "Gemeente X", "test"))
    old = pd.read_parquet(out / "zaken.parquet").drop(columns=contract.ZAKEN.optional_columns)
    old.to_parquet(out / "zaken.parquet", index=False)
    snap = load_snapshot(out)
    assert list(snap.zaken.columns) == contract.ZAKEN.column_names
    assert snap.zaken[contract.ZAKEN.optional_columns].isna().all().all()
    assert str(snap.zaken["opschorting_indicatie"].dtype) == "boolean"
    only = load_snapshot(out, ["zaken"], columns={"zaken": ["identificatie", "verlenging_duur_dagen"]})
    assert only.zaken["verlenging_duur_dagen"].isna().all() and len(only.zaken) == 2
    assert not [p for p in validate_snapshot(out) if p.column in contract.ZAKEN.optional_columns]


def test_meta_json_that_is_not_an_object_or_has_a_bad_date_is_refused_on_load(tmp_path: Path) -> None:
    tables = _tables()
    out = write_snapshot(tables, tmp_path / "snap", build_meta(tables, "X", "test"))
    (out / "meta.json").write_text('"contract 1.1"', encoding="utf-8")
    with pytest.raises(SnapshotError, match=r"meta.json: is not a JSON object with keys \(it holds a text\)"):
        load_snapshot(out)
    meta = build_meta(tables, "X", "test", periode_tot="2024-02-30")
    (out / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(SnapshotError, match="periode_tot is not a day .YYYY-MM-DD.: '2024-02-30'"):
        read_meta(out)


def test_force_keeps_the_replaced_snapshot_as_vorige_until_the_next_good_write(tmp_path: Path) -> None:
    tables = _tables()
    out = write_snapshot(tables, tmp_path / "snap", build_meta(tables, "Eerste", "import: a"))
    with pytest.raises(OutputError, match="holds an imported snapshot"):
        write_snapshot(tables, out, build_meta(tables, "Tweede", "voorbeeld"))
    write_snapshot(tables, out, build_meta(tables, "Tweede", "voorbeeld"), force=True)
    assert load_snapshot(out).gemeente == "Tweede"
    assert load_snapshot(tmp_path / "snap.vorige").gemeente == "Eerste"  # one bad import can be undone
    write_snapshot(tables, out, build_meta(tables, "Derde", "voorbeeld"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["snap"]


def test_atomic_files_and_folders_get_the_permissions_of_the_umask(tmp_path: Path) -> None:
    import os
    import stat

    from zgwlib.core.files import make_temp_dir, write_text_atomic

    old = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "index.html", "<p>hallo</p>")
        assert stat.S_IMODE((tmp_path / "index.html").stat().st_mode) == 0o644  # tempfile alone gives 0600
        assert stat.S_IMODE(make_temp_dir(tmp_path / "x").stat().st_mode) == 0o755
        os.umask(0o077)
        write_text_atomic(tmp_path / "geheim.html", "x")
        assert stat.S_IMODE((tmp_path / "geheim.html").stat().st_mode) == 0o600
    finally:
        os.umask(old)


# --------------------------------------------------------------------------- tables read once (zgw run's fork server)


@pytest.fixture
def preloaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the sample whose tables this process has read once with :func:`snapshot.preload`."""
    folder = tmp_path / "voorbeeld"
    shutil.copytree(resolve("voorbeeld"), folder)
    monkeypatch.setattr(snapshot, "_PRELOADED", {})
    snapshot.preload(folder)
    return folder


def test_tables_taken_from_the_preload_are_the_frames_the_files_give(
        preloaded: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kolommen = {"zaken": ["einddatum", "identificatie", "afdeling"], "documenten": ["zaak", "creatiedatum"]}
    shared_all, shared_some = read_snapshot(preloaded), read_snapshot(preloaded, list(kolommen), columns=kolommen)
    assert len(snapshot._PRELOADED) == len(list(preloaded.glob("*.parquet")))
    monkeypatch.setattr(snapshot, "_PRELOADED", {})
    for shared, fresh in ((shared_all, read_snapshot(preloaded)),
                          (shared_some, read_snapshot(preloaded, list(kolommen), columns=kolommen))):
        assert list(shared.tables) == list(fresh.tables)
        for name in fresh.tables:
            pd.testing.assert_frame_equal(shared.tables[name], fresh.tables[name])
    assert list(shared_some["zaken"].columns) == kolommen["zaken"]  # in the order asked for


def test_changing_a_table_taken_from_the_preload_changes_neither_the_preload_nor_the_next_read(
        preloaded: Path) -> None:
    first = read_snapshot(preloaded, ["zaken"])["zaken"]
    before = first["afdeling"].copy()
    first.loc[:, "afdeling"] = "Veranderd"
    first["nieuw"] = 1
    again = read_snapshot(preloaded, ["zaken"])["zaken"]
    pd.testing.assert_series_equal(again["afdeling"], before)
    assert "nieuw" not in again.columns
    assert "nieuw" not in snapshot._PRELOADED[(preloaded / "zaken.parquet").resolve()][1].columns


def test_a_file_changed_after_the_preload_is_read_from_disk(preloaded: Path) -> None:
    file = preloaded / "zaaktypen.parquet"
    zaaktypen = pd.read_parquet(file)
    zaaktypen.iloc[:3].to_parquet(file, index=False)  # another size: another table
    assert len(read_snapshot(preloaded, ["zaaktypen"])["zaaktypen"]) == 3 < len(zaaktypen)
