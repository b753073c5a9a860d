"""The cache of figures every department shares (zgwlib.core.cache): computed once, never stale, never half read."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from zgwlib.core import cache
from zgwlib.core.terms import CACHE_MAP_ENV
from zgwlib.data.sources import resolve
from zgwlib.evaluatie import analysis
from zgwlib.maandrapportage import figures


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample, so the tests may change it."""
    folder = tmp_path_factory.mktemp("snap") / "voorbeeld"
    shutil.copytree(resolve("voorbeeld"), folder)
    return folder


class Counter:
    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame, self.calls = frame, 0

    def __call__(self) -> pd.DataFrame:
        self.calls += 1
        return self.frame.copy()


FRAME = pd.DataFrame({"afdeling": pd.Series(["Ruimte", "HRM"], dtype="str"), "ontvangen": [3, 4],
                      "aandeel": [0.5, float("nan")]})


def test_a_table_is_computed_once_and_then_read_back_equal(snapshot: Path, tmp_path: Path) -> None:
    compute = Counter(FRAME)
    first = cache.cached_frame("t", snapshot, ("2026-10",), compute, folder=tmp_path)
    second = cache.cached_frame("t", snapshot, ("2026-10",), compute, folder=tmp_path)
    assert compute.calls == 1
    pd.testing.assert_frame_equal(first, FRAME)
    pd.testing.assert_frame_equal(second, FRAME)


def test_other_settings_or_another_month_are_computed_anew(snapshot: Path, tmp_path: Path) -> None:
    compute = Counter(FRAME)
    cache.cached_frame("t", snapshot, (figures.Instellingen(),), compute, folder=tmp_path)
    cache.cached_frame("t", snapshot, (figures.Instellingen(trend_maanden=6),), compute, folder=tmp_path)
    cache.cached_frame("t", snapshot, (figures.Instellingen(), "2026-09"), compute, folder=tmp_path)
    assert compute.calls == 3
    assert len(list(tmp_path.glob("t-*.parquet"))) == 3


def test_changed_data_is_computed_anew(snapshot: Path, tmp_path: Path) -> None:
    compute = Counter(FRAME)
    cache.cached_frame("t", snapshot, (), compute, folder=tmp_path)
    meta = json.loads((snapshot / "meta.json").read_text(encoding="utf-8"))
    meta["gemeente"] = "Gemeente Anders"
    (snapshot / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    cache.cached_frame("t", snapshot, (), compute, folder=tmp_path)
    zaken = snapshot / "zaken.parquet"
    os.utime(zaken, ns=(zaken.stat().st_atime_ns, zaken.stat().st_mtime_ns + 1_000_000_000))
    cache.cached_frame("t", snapshot, (), compute, folder=tmp_path)
    assert compute.calls == 3


@pytest.mark.parametrize("damage", [b"", b"PAR1 half written", b"not parquet at all"])
def test_a_corrupt_or_partial_entry_is_ignored_and_rebuilt(snapshot: Path, tmp_path: Path, damage: bytes) -> None:
    compute = Counter(FRAME)
    path = cache.entry_path(tmp_path, "t", snapshot, "k")
    path.write_bytes(damage)
    got = cache.cached_frame("t", snapshot, ("k",), compute, folder=tmp_path)
    assert compute.calls == 1
    pd.testing.assert_frame_equal(got, FRAME)
    pd.testing.assert_frame_equal(pd.read_parquet(path), FRAME)  # replaced by a good entry
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left behind


def test_without_a_cache_folder_every_call_computes(snapshot: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CACHE_MAP_ENV, raising=False)
    compute = Counter(FRAME)
    cache.cached_frame("t", snapshot, (), compute)
    cache.cached_frame("t", snapshot, (), compute)
    assert compute.calls == 2


def test_the_month_tables_are_the_same_with_and_without_the_cache(
        snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CACHE_MAP_ENV, raising=False)
    zonder = figures.maand(figures.load(snapshot), "2026-10")
    monkeypatch.setenv(CACHE_MAP_ENV, str(tmp_path))
    eerst = figures.maand(figures.load(snapshot), "2026-10")  # computes and stores
    daarna = figures.maand(figures.load(snapshot), "2026-10")  # reads
    assert len(list(tmp_path.glob("maandcijfers-*.parquet"))) == 2
    for m in (eerst, daarna):
        pd.testing.assert_frame_equal(m.tabel, zonder.tabel)
        pd.testing.assert_frame_equal(m.teams, zonder.teams)
    assert zonder.tabel.loc[zonder.tabel["afdeling"] == "organisatie", "ontvangen"].sum() > 0


def test_tables_prepared_from_frames_in_memory_never_use_the_cache(
        snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A caller may have filtered the tables before prepare(): the folder's fingerprint would not describe them.
    from zgwlib.data.sources import load_snapshot

    monkeypatch.setenv(CACHE_MAP_ENV, str(tmp_path))
    figures.maand(figures.prepare(load_snapshot(snapshot)), "2026-10")
    assert list(tmp_path.iterdir()) == []


def test_every_kernel_after_the_first_reads_the_row_numbers_and_gets_the_same_basis(
        snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Matching 7.7 million statuses to 2 million zaken costs every kernel seconds on a large snapshot: once per run.
    plain = figures.load(snapshot)
    monkeypatch.setenv(CACHE_MAP_ENV, str(tmp_path))
    first = figures.load(snapshot)
    written = sorted(p.name.split("-")[1] for p in tmp_path.glob("rijnummers-*.parquet"))
    assert written == ["documenten", "statussen", "zaken"]
    stamps = {p: p.stat().st_mtime_ns for p in tmp_path.glob("rijnummers-*.parquet")}
    second = figures.load(snapshot)
    assert {p: p.stat().st_mtime_ns for p in tmp_path.glob("rijnummers-*.parquet")} == stamps  # read, not rewritten
    for basis in (first, second):
        pd.testing.assert_frame_equal(basis.zaken, plain.zaken)
        pd.testing.assert_frame_equal(basis.medewerkers, plain.medewerkers)
        assert (basis.status_zaak == plain.status_zaak).all() and (basis.status_mw == plain.status_mw).all()
    # Tables changed in memory never use the cache: prepare without the folder computes.
    changed = figures.prepare(figures.load_snapshot(snapshot, list(figures.KOLOMMEN)))
    assert changed.bron is None


def test_tables_changed_in_memory_get_their_own_row_numbers_not_the_cached_ones(
        snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An evaluator's adapted notebook may change the tables after reading them: the cached numbers no longer fit.
    monkeypatch.setenv(CACHE_MAP_ENV, str(tmp_path))
    figures.load(snapshot)  # fills the cache from the files
    snap = figures.load_snapshot(snapshot, list(figures.KOLOMMEN))
    st = snap.tables["statussen"]
    snap.tables["statussen"] = st.iloc[::-1].reset_index(drop=True)  # same length, other order
    z = snap.tables["zaken"]
    snap.tables["zaken"] = z.assign(behandelaar=z["behandelaar"].shift(1))
    basis = figures.prepare(snap)  # no folder given: the tables may differ from its files
    monkeypatch.delenv(CACHE_MAP_ENV)
    fresh = figures.prepare(snap)
    assert (basis.status_zaak == fresh.status_zaak).all() and (basis.status_mw == fresh.status_mw).all()
    pd.testing.assert_frame_equal(basis.zaken, fresh.zaken)
    assert not (basis.status_zaak == figures.load(snapshot).status_zaak).all()  # the change did matter


def test_every_departments_evaluation_reads_the_adoption_the_first_computed_and_shows_the_same(
        snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The adoption table covers every department: on 2,000,000 zaken it took each evaluation kernel over a second.
    monkeypatch.delenv(CACHE_MAP_ENV, raising=False)
    plain = analysis.evaluate(snapshot, "Werk en Inkomen", evaluatiedatum="2026-10-31")
    monkeypatch.setenv(CACHE_MAP_ENV, str(tmp_path))
    first = analysis.evaluate(snapshot, "Werk en Inkomen", evaluatiedatum="2026-10-31")
    entries = sorted(tmp_path.glob("evaluatie-adoptie-*.parquet"))
    assert [p.name.split("-")[2] for p in entries] == ["per_afdeling", "per_maand"]
    stamps = [p.stat().st_mtime_ns for p in entries]
    other = analysis.evaluate(snapshot, "Financiën", evaluatiedatum="2026-10-31")
    assert [p.stat().st_mtime_ns for p in entries] == stamps  # read, not computed again
    for ev in (first, other):
        pd.testing.assert_frame_equal(ev.adoptie.per_maand, plain.adoptie.per_maand)
        pd.testing.assert_frame_equal(ev.adoptie.per_afdeling, plain.adoptie.per_afdeling)
    pd.testing.assert_frame_equal(first.voor_na, plain.voor_na)
    assert first.adoptie_rij()["oordeel"] == plain.adoptie_rij()["oordeel"]
    # Another evaluation date is another table.
    analysis.evaluate(snapshot, "Financiën", evaluatiedatum="2026-09-30")
    assert len(list(tmp_path.glob("evaluatie-adoptie-*.parquet"))) == 4


def test_an_evaluation_of_a_loaded_snapshot_never_uses_the_cache(
        snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An evaluator may change the tables before evaluating them: the folder's entries would not describe them.
    monkeypatch.setenv(CACHE_MAP_ENV, str(tmp_path))
    analysis.evaluate(analysis.load(snapshot), "Werk en Inkomen", evaluatiedatum="2026-10-31")
    assert list(tmp_path.iterdir()) == []
