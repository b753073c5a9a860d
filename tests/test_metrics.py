"""Monthly-report figures (zgwlib.maandrapportage.figures) on a tiny hand-computed municipality and on the sample.

The tiny municipality is described in ``maandfixtures.py``; every expected value
below is worked out by hand from its table (report month February 2024, a leap year).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import maandfixtures
from maandfixtures import basis as klein_basis
from zgwlib.maandrapportage import figures as metrics
from zgwlib.core.errors import UsageError
from zgwlib.core.terms import CACHE_MAP_ENV
from zgwlib.data.snapshot import Snapshot, build_meta, write_snapshot
from zgwlib.data.sources import load_snapshot
from zgwlib.core import periods
from zgwlib.core import terms
from zgwlib.maandrapportage import facts

FEB = "2024-02"


@pytest.fixture
def klein() -> metrics.Basis:
    return klein_basis()


@pytest.fixture
def tabel(klein: metrics.Basis) -> pd.DataFrame:
    return metrics.maandcijfers(klein, FEB, maanden=13)


def _rij(tabel: pd.DataFrame, afdeling: str, maand: str, team: str | None = None) -> pd.Series:
    rows = metrics.eenheid(tabel, afdeling, team).set_index("maand")
    return rows.loc[maand]


# --------------------------------------------------------------------------- months and leap years


def test_month_index_and_month_end_in_a_leap_year() -> None:
    dates = pd.Series(["2024-02-01", "2024-02-29", "2024-03-01", "1969-12-31", None], dtype="datetime64[us]")
    idx = periods.maand_index(dates)
    assert [periods.periode_tekst(int(i)) for i in idx[:4]] == ["2024-02", "2024-02", "2024-03", "1969-12"]
    assert idx[4] == periods.OPEN
    assert periods.periode_index("2024-02") == (2024 - 1970) * 12 + 1
    assert periods.maand_einde("2024-02") == pd.Timestamp("2024-02-29")
    assert periods.maand_einde("2023-02") == pd.Timestamp("2023-02-28")
    assert periods.maand_einde("2024-12") == pd.Timestamp("2024-12-31")


def test_bad_periode_is_a_clear_usage_error() -> None:
    with pytest.raises(UsageError, match="expected a month as YYYY-MM"):
        periods.periode_index("februari")


def test_report_month_defaults_to_the_last_complete_month() -> None:
    assert periods.choose_periode({"periode_tot": "2026-10-31"}) == "2026-10"
    assert periods.choose_periode({"periode_tot": "2026-11-15"}) == "2026-10"
    assert periods.choose_periode({"periode_tot": "2026-11-15"}, "2025-3") == "2025-03"


def test_leap_day_lead_time_counts_calendar_days(klein: metrics.Basis) -> None:
    z = klein.zaken.set_index("identificatie")
    assert z.at["Z1", "doorlooptijd"] == 2  # 28 February to 1 March 2024 over the leap day
    assert z.at["Z4", "doorlooptijd"] == 15  # from startdatum (5 February), not registratiedatum
    assert np.isnan(z.at["Z5", "doorlooptijd"])  # open
    # The leap day belongs to February, 1 March to March.
    assert periods.periode_tekst(int(z.at["Z3", "m_reg"])) == "2024-02"
    assert periods.periode_tekst(int(z.at["Z7", "m_reg"])) == "2024-03"


# --------------------------------------------------------------------------- the figures, by hand


def test_department_figures_of_february_2024(tabel: pd.DataFrame) -> None:
    r = _rij(tabel, "Alfa", FEB)
    # Received Z1, Z3, Z4, Z9 (Z2 on 31 January is January's); closed Z2, Z3, Z4, Z9.
    assert (r["ontvangen"], r["gesloten"]) == (4, 4)
    # Open at the end of 29 February: Z1 (closed 1 March) and Z5; Z3 closed on the leap day itself.
    assert r["open_einde_maand"] == 2
    # Service norm: Z2 on its date (on time), Z3 one day late, Z9 on time; Z4 has no date and is left out.
    assert r["binnen_norm"] == pytest.approx(2 / 3)
    assert r["binnen_termijn"] == 1.0
    # Lead times 1, 0, 15, 0 days: median 0.5, p90 = 1 + 0.7 * 14.
    assert r["doorlooptijd_mediaan"] == pytest.approx(0.5)
    assert r["doorlooptijd_p90"] == pytest.approx(10.8)
    assert r["met_documenten"] == pytest.approx(3 / 4)  # Z3 has none
    assert r["met_behandelaar"] == pytest.approx(3 / 4)  # Z3 has none
    assert r["met_resultaat"] == pytest.approx(3 / 4)  # Z4 has none
    assert (r["achteraf"], r["achteraf_aantal"]) == (pytest.approx(1 / 4), 1)  # Z3, not Z9 (intermediate status)
    assert r["volgens_werkwijze"] == pytest.approx(2 / 4)  # Z2 and Z9
    # MDW-1 and MDW-2 handled zaken received or closed in February; MDW-3 never did anything.
    assert (r["actieve_gebruikers"], r["medewerkers"]) == (2, 3)
    assert r["aandeel_actief"] == pytest.approx(2 / 3)


def test_organisation_row_adds_up_the_departments(tabel: pd.DataFrame) -> None:
    org = _rij(tabel, "organisatie", FEB)
    assert (org["ontvangen"], org["gesloten"], org["open_einde_maand"]) == (5, 4, 3)  # + Z6 of Beta
    assert (org["actieve_gebruikers"], org["medewerkers"]) == (2, 4)
    assert org["aandeel_actief"] == 0.5
    assert org["doorlooptijd_mediaan"] == pytest.approx(0.5)


def test_department_without_staff_and_department_without_zaken(tabel: pd.DataFrame) -> None:
    beta = _rij(tabel, "Beta", FEB)
    assert (beta["ontvangen"], beta["gesloten"], beta["open_einde_maand"], beta["medewerkers"]) == (1, 0, 1, 0)
    assert np.isnan(beta["aandeel_actief"]) and np.isnan(beta["binnen_norm"]) and np.isnan(beta["doorlooptijd_p90"])
    gamma = _rij(tabel, "Gamma", FEB)  # staff only: still a row, with its staff
    assert (gamma["ontvangen"], gamma["gesloten"], gamma["open_einde_maand"]) == (0, 0, 0)
    assert (gamma["actieve_gebruikers"], gamma["medewerkers"], gamma["aandeel_actief"]) == (0, 1, 0.0)
    # MDW-9 set a status on Z5 in January: active then, in Gamma's row, not in Alfa's.
    assert _rij(tabel, "Gamma", "2024-01")["actieve_gebruikers"] == 1
    assert _rij(tabel, "Alfa", "2024-01")["actieve_gebruikers"] == 1  # MDW-1, behandelaar of Z2
    assert metrics.heeft_zaken(tabel, "Beta", FEB) and not metrics.heeft_zaken(tabel, "Gamma", FEB)


def test_months_without_zaken_have_zero_counts_and_no_rates(klein: metrics.Basis) -> None:
    tabel = metrics.maandcijfers(klein, FEB, maanden=20)
    juni = _rij(tabel, "Alfa", "2023-06")
    assert (juni["ontvangen"], juni["gesloten"], juni["open_einde_maand"]) == (0, 0, 0)
    assert juni[["binnen_norm", "binnen_termijn", "doorlooptijd_mediaan", "met_documenten"]].isna().all()
    assert not metrics.heeft_zaken(tabel, "Alfa", "2023-06")
    # Every department has every month of the window.
    assert tabel.groupby("afdeling").size().eq(20).all()
    assert set(tabel["afdeling"]) == {"organisatie", "Alfa", "Beta", "Gamma"}
    # Open at month end as an interval: Z5 (registered December 2023) is open at the end of every month after.
    assert [int(_rij(tabel, "Alfa", m)["open_einde_maand"]) for m in ("2023-11", "2023-12", "2024-01")] == [0, 1, 2]


def test_open_at_month_end_is_the_same_count_as_open_op(klein: metrics.Basis, tabel: pd.DataFrame) -> None:
    for m in sorted(set(tabel["maand"])):
        expected = int(facts.open_op(klein.zaken, periods.maand_einde(m)).sum())
        assert _rij(tabel, "organisatie", m)["open_einde_maand"] == expected, m


def test_team_figures(klein: metrics.Basis) -> None:
    teams = metrics.maandcijfers(klein, FEB, maanden=13, niveau="team")
    assert sorted(set(zip(teams["afdeling"], teams["team"]))) == [("Alfa", "T1"), ("Alfa", "T2"), ("Gamma", "T9")]
    t1, t2 = _rij(teams, "Alfa", FEB, "T1"), _rij(teams, "Alfa", FEB, "T2")
    # T1 (MDW-1, MDW-3): Z1 received, Z2 closed, Z1 and Z5 open. T2 (MDW-2): Z4 and Z9. Z6 of Beta has
    # a behandelaar from Alfa, so it belongs to no team; Z3 has no behandelaar.
    assert (t1["ontvangen"], t1["gesloten"], t1["open_einde_maand"], t1["actieve_gebruikers"], t1["medewerkers"]) == \
        (1, 1, 2, 1, 2)
    assert (t2["ontvangen"], t2["gesloten"], t2["open_einde_maand"], t2["actieve_gebruikers"], t2["medewerkers"]) == \
        (2, 2, 0, 1, 1)
    assert t2["volgens_werkwijze"] == 0.5 and t2["binnen_termijn"] == 1.0
    with pytest.raises(UsageError):
        metrics.maandcijfers(klein, FEB, niveau="zaaktype")


# --------------------------------------------------------------------------- tiles and comparisons


def test_tiles_compare_with_last_month_and_the_same_month_last_year(tabel: pd.DataFrame) -> None:
    kern = metrics.kerncijfers(tabel, "Alfa", FEB).set_index("code")
    assert list(kern.index) == list(metrics.KERNCIJFERS)
    o = kern.loc["ontvangen"]
    assert (o["waarde"], o["vorige_maand"], o["vorig_jaar"]) == (4, 1, 1)  # January: Z2; February 2023: Z8
    assert (o["tekst_maand"], o["oordeel_maand"]) == ("+3", None)  # a volume is neither better nor worse
    n = kern.loc["binnen_norm"]
    assert np.isnan(n["vorige_maand"]) and n["tekst_maand"] == "–" and n["oordeel_maand"] is None
    assert n["verschil_jaar"] == pytest.approx(2 / 3 - 1) and n["oordeel_jaar"] == "slechter"
    assert n["tekst"] == "67%" and n["tekst_jaar"] == "−33,3 procentpunt"
    d = kern.loc["doorlooptijd_mediaan"]
    assert (d["vorig_jaar"], d["verschil_jaar"], d["oordeel_jaar"]) == (5, -4.5, "beter")
    assert d["tekst_jaar"] == "−4,5 dagen"
    assert d["tekst"] == "1 dag"  # a tile shows whole days; 0,5 rounds up (docs/metrics.md)
    op = kern.loc["open_einde_maand"]
    assert (op["verschil_maand"], op["oordeel_maand"], op["tekst_maand"]) == (0, "gelijk", "±0")


def test_year_comparison_is_there_even_with_a_short_trend(klein: metrics.Basis) -> None:
    maand = metrics.maand(klein, FEB, metrics.Instellingen(trend_maanden=3))
    kern = metrics.kerncijfers(maand.tabel, "Alfa", FEB).set_index("code")
    assert kern.at["ontvangen", "vorig_jaar"] == 1
    assert maand.trend("Alfa")["maand"].tolist() == ["2023-12", "2024-01", "2024-02"]
    assert len(metrics.maand(klein, FEB).trend("Alfa")) == 13


def test_comparison_lists_departments_with_zaken_and_the_organisation_last(tabel: pd.DataFrame) -> None:
    v = metrics.vergelijking(tabel, FEB)
    assert v["afdeling"].tolist() == ["Alfa", "Beta", "organisatie"]
    assert list(v.columns) == ["afdeling", *metrics.VERGELIJKING]
    assert v.set_index("afdeling").at["Alfa", "volgens_werkwijze"] == 0.5


def test_figure_texts_are_dutch() -> None:
    f = metrics.FIGUREN
    assert f["binnen_norm"].tekst(0.875) == "88%" and f["binnen_norm"].verschil_tekst(-0.035) == "−3,5 procentpunt"
    assert f["doorlooptijd_p90"].tekst(1234.4) == "1.234 dagen"
    assert f["doorlooptijd_p90"].verschil_tekst(2) == "+2 dagen"
    assert f["doorlooptijd_mediaan"].tekst(1) == "1 dag" and f["doorlooptijd_mediaan"].verschil_tekst(-1) == "−1 dag"
    assert f["doorlooptijd_mediaan"].verschil_tekst(1.5) == "+1,5 dagen"
    assert f["doorlooptijd_mediaan"].tekst(None) == "–"
    assert f["ontvangen"].tekst(12345) == "12.345" and f["ontvangen"].verschil_tekst(np.nan) == "–"
    assert metrics.oordeel(f["doorlooptijd_mediaan"], 3) == "slechter"
    assert metrics.oordeel(f["met_resultaat"], 0.1) == "beter"


# --------------------------------------------------------------------------- per zaaktype


def test_per_zaaktype_of_a_department(klein: metrics.Basis) -> None:
    maand = metrics.maand(klein, FEB)
    zt = metrics.per_zaaktype(maand, "Alfa").set_index("zaaktype")
    assert list(zt.index) == ["ZT-A", "ZT-B"]  # the most received first
    a, b = zt.loc["ZT-A"], zt.loc["ZT-B"]
    assert a["omschrijving"] == "Aanvraag <vergunning>"  # raw: the report escapes it
    # ZT-A: received Z1, Z3, Z9; closed Z2, Z3, Z9 (1, 0, 0 days); open Z1, Z5, of which Z5 past its term.
    assert (a["ontvangen"], a["gesloten"], a["open_einde_maand"], a["open_over_termijn"]) == (3, 3, 2, 1)
    assert a["doorlooptijd_mediaan"] == 0
    assert (a["binnen_norm"], a["achteraf"]) == (pytest.approx(2 / 3), pytest.approx(1 / 3))
    assert (b["ontvangen"], b["gesloten"], b["doorlooptijd_mediaan"]) == (1, 1, 15) and np.isnan(b["binnen_norm"])
    org = metrics.per_zaaktype(maand).set_index("zaaktype")
    assert (org.at["ZT-B", "ontvangen"], org.at["ZT-B", "open_einde_maand"]) == (2, 1)  # + Z6 of Beta
    # The per-zaaktype figures are the department's figures split up.
    row = _rij(maand.tabel, "Alfa", FEB)
    assert zt["gesloten"].sum() == row["gesloten"] and zt["open_einde_maand"].sum() == row["open_einde_maand"]


def test_a_month_without_any_zaak_gives_empty_tables_not_errors(klein: metrics.Basis) -> None:
    maand = metrics.maand(klein, "2023-06")
    assert not metrics.heeft_zaken(maand.tabel, terms.ORGANISATIE, "2023-06")
    zt = metrics.per_zaaktype(maand)
    assert zt.empty and "doorlooptijd_p90" in zt.columns
    assert metrics.vergelijking(maand.tabel, "2023-06")["afdeling"].tolist() == []


def test_snapshots_without_staff_or_without_zaken_still_give_every_figure() -> None:
    zonder_staf = metrics.maand(klein_basis(medewerkers=[]), FEB)
    rows = zonder_staf.tabel[zonder_staf.tabel["maand"] == FEB].set_index("afdeling")
    assert rows.at["Alfa", "ontvangen"] == 4 and rows["medewerkers"].eq(0).all()
    assert rows["aandeel_actief"].isna().all() and zonder_staf.teams.empty
    zonder_zaken = metrics.maand(klein_basis(zaken=[], statussen=[], documenten=[]), FEB)
    org = _rij(zonder_zaken.tabel, terms.ORGANISATIE, FEB)
    assert (org["ontvangen"], org["open_einde_maand"], org["medewerkers"]) == (0, 0, 4)
    assert not metrics.heeft_zaken(zonder_zaken.tabel, terms.ORGANISATIE, FEB)


# --------------------------------------------------------------------------- the report's own sentences and tables

def test_load_reads_only_the_needed_columns_and_under_zgw_run_stores_each_month_table_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tabellen = maandfixtures.tabellen()
    folder = write_snapshot(tabellen, tmp_path / "klein",
                            build_meta(tabellen, "Testdorp", "test", periode_tot="2024-03-31"))
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setenv(CACHE_MAP_ENV, str(cache))
    b = metrics.load(folder)
    assert b.bron == folder
    # KOLOMMEN: archiefnominatie is a zaak column the monthly report never reads.
    assert "archiefnominatie" not in b.zaken and "omschrijving" in b.zaken
    eerst = metrics.maand(b, FEB)
    # The organisation-wide month tables (departments, teams) are computed once per run and then read back.
    assert len(list(cache.glob("maandcijfers-afdeling-*.parquet"))) == 1
    assert len(list(cache.glob("maandcijfers-team-*.parquet"))) == 1
    daarna = metrics.maand(metrics.load(folder), FEB)
    in_geheugen = metrics.maand(klein_basis(), FEB)
    for m in (eerst, daarna):
        pd.testing.assert_frame_equal(m.tabel, in_geheugen.tabel)
        pd.testing.assert_frame_equal(m.teams, in_geheugen.teams)
    assert _rij(daarna.tabel, "Alfa", FEB)["ontvangen"] == 4


def test_the_report_month_defaults_to_the_last_complete_month_of_the_data_or_of_meta(klein: metrics.Basis) -> None:
    assert metrics.maand(klein).periode == "2024-03"  # meta.json: periode_tot 31 March 2024
    # Without periode_tot the data's last day counts: 1 March 2024 (Z7 registered, Z1 closed), so February.
    zonder_meta = metrics.prepare(Snapshot(maandfixtures.tabellen(), {}))
    assert zonder_meta.peildatum == pd.Timestamp("2024-03-01")
    assert metrics.maand(zonder_meta).periode == FEB
    # A registration after the last closing day counts too: Z7 registered on 5 March.
    zaken = [(*z[:4], "2024-03-05", "2024-03-05", *z[6:]) if z[0] == "Z7" else z for z in maandfixtures.ZAKEN]
    assert metrics.prepare(Snapshot(maandfixtures.tabellen(zaken=zaken), {})).peildatum == pd.Timestamp("2024-03-05")


def test_the_month_tables_cover_the_trend_or_at_least_thirteen_months(klein: metrics.Basis) -> None:
    lang = metrics.maand(klein, FEB, metrics.Instellingen(trend_maanden=20))
    assert sorted(set(lang.tabel["maand"]))[0] == "2022-07" and lang.tabel["maand"].nunique() == 20
    assert lang.teams["maand"].nunique() == 20 and len(lang.trend("Alfa")) == 20
    kort = metrics.maand(klein, FEB, metrics.Instellingen(trend_maanden=3))
    # Still February 2023 to February 2024 (the same month last year), not one month more.
    assert sorted(set(kort.tabel["maand"])) == [periods.periode_tekst(periods.periode_index(FEB) - k)
                                                for k in range(12, -1, -1)]
    assert kort.teams["maand"].nunique() == 13
    trend = kort.trend("Alfa")
    assert list(trend.columns) == list(kort.tabel.columns) and list(trend.index) == [0, 1, 2]


def test_the_month_s_zaken_use_the_report_s_settings_and_more_than_the_days_without_a_status(
        klein: metrics.Basis) -> None:
    # Z5's last status was 45 days before 29 February: flagged with 44 days, not with 45 (more than, not equal).
    for dagen, stil in ((44, ["Z5"]), (45, [])):
        m = metrics.maand(klein, FEB, metrics.Instellingen(dagen_zonder_statuswijziging=dagen))
        assert m.zaken.loc[m.zaken["geen_statuswijziging"], "identificatie"].tolist() == stil
    # At 31 March with the default 30 days: Z5 (76 days) and Z6 (last status 29 February, 31 days); Z7's first
    # status was set on 1 March, exactly 30 days: not flagged.
    maart = metrics.maand(klein, "2024-03")
    assert sorted(maart.zaken.loc[maart.zaken["geen_statuswijziging"], "identificatie"]) == ["Z5", "Z6"]
    assert list(maart.zaken.columns) == [
        "identificatie", "zaaktype", "afdeling", "omschrijving", "vertrouwelijkheidaanduiding", "registratiedatum",
        "gesloten", "doorlooptijd", "binnen_norm", "binnen_termijn", "heeft_documenten", "heeft_behandelaar",
        "heeft_resultaat", "achteraf", "volgens_werkwijze", "communicatiekanaal", "ontvangen_in_maand",
        "gesloten_in_maand", "open_einde_maand", "achteraf_geregistreerd", "gesloten_zonder_documenten",
        "zonder_behandelaar", "gesloten_zonder_resultaat", "open_over_termijn", "geen_statuswijziging"]
    assert list(maart.zaken.index) == list(range(len(maart.zaken)))


def test_tiles_of_the_first_month_of_the_table_have_no_comparison(tabel: pd.DataFrame) -> None:
    # The table runs February 2023 to February 2024: January 2023 and February 2022 are outside it.
    kern = metrics.kerncijfers(tabel, "Alfa", "2023-02")
    assert list(kern.columns) == [
        "code", "label", "soort", "richting", "waarde", "vorige_maand", "vorig_jaar", "verschil_maand",
        "verschil_jaar", "oordeel_maand", "oordeel_jaar", "tekst", "tekst_maand", "tekst_jaar"]
    o = kern.set_index("code").loc["ontvangen"]
    assert (o["waarde"], o["soort"], o["richting"]) == (1, "aantal", 0)  # Z8
    assert np.isnan(o["vorige_maand"]) and np.isnan(o["vorig_jaar"]) and o["tekst_jaar"] == "–"
    assert kern.set_index("code").at["doorlooptijd_mediaan", "richting"] == -1


def test_a_unit_s_rows_are_its_own_by_month_even_when_another_department_has_a_team_of_that_name() -> None:
    t = pd.DataFrame({"afdeling": ["Alfa", "Beta", "Alfa"], "team": ["T1", "T1", "T1"],
                      "maand": ["2024-02", "2024-02", "2024-01"], "ontvangen": [4, 9, 1]})
    rows = metrics.eenheid(t, "Alfa", "T1")
    assert rows["ontvangen"].tolist() == [1, 4]
    assert list(rows.columns) == list(t.columns) and list(rows.index) == [0, 1]


def test_the_comparison_lists_departments_with_any_zaak_ignoring_case_and_the_organisation_last() -> None:
    # One zaak is enough to be compared (beta: one closed, Delta: one open); Gamma had none in February and Zeta
    # only in January.
    rows = [("organisatie", "2024-02", 2, 1, 1), ("beta", "2024-02", 0, 1, 0), ("Alfa", "2024-02", 2, 0, 0),
            ("Gamma", "2024-02", 0, 0, 0), ("Delta", "2024-02", 0, 0, 1), ("Zeta", "2024-01", 3, 0, 0)]
    t = pd.DataFrame(rows, columns=["afdeling", "maand", "ontvangen", "gesloten", "open_einde_maand"])
    for code in metrics.VERGELIJKING[1:]:
        t[code] = 0.5
    assert metrics.vergelijking(t, FEB)["afdeling"].tolist() == ["Alfa", "beta", "Delta", "organisatie"]


def test_departments_are_sorted_ignoring_case_with_staff_only_departments_included() -> None:
    zaken = [(z[0], z[1], "beta" if z[2] == "Beta" else z[2], *z[3:]) for z in maandfixtures.ZAKEN]
    b = klein_basis(zaken=zaken)
    assert b.afdelingen == ["Alfa", "beta", "Gamma"]  # Gamma only from medewerkers


def test_a_month_with_only_open_zaken_still_has_zaken_and_zaaktypes_with_more_open_first() -> None:
    # April 2024 (data to 30 April): nothing received or closed; open at its end Z5 (ZT-A, Alfa), Z6 and Z7 (ZT-B,
    # Beta), all past their legal term.
    april = metrics.maand(klein_basis(periode_tot="2024-04-30"), "2024-04")
    assert metrics.heeft_zaken(april.tabel, "Alfa", "2024-04")  # one open zaak is enough
    zt = metrics.per_zaaktype(april)
    assert list(zt.columns) == [
        "zaaktype", "omschrijving", "ontvangen", "gesloten", "doorlooptijd_mediaan", "doorlooptijd_p90",
        "binnen_norm", "binnen_termijn", "open_einde_maand", "open_over_termijn", "met_documenten", "achteraf",
        "volgens_werkwijze"]
    assert list(zip(zt["zaaktype"], zt["ontvangen"], zt["gesloten"], zt["open_einde_maand"], zt["open_over_termijn"])) \
        == [("ZT-B", 0, 0, 2, 2), ("ZT-A", 0, 0, 1, 1)]
    assert list(zt.index) == [0, 1] and zt["omschrijving"].dtype == "str"
    assert metrics.per_zaaktype(april, "Beta")["zaaktype"].tolist() == ["ZT-B"]


def test_a_zaaktype_missing_from_the_catalogue_is_shown_by_its_code() -> None:
    zaken = [(*z[:1], "ZT-X", *z[2:]) if z[0] == "Z4" else z for z in maandfixtures.ZAKEN]
    zt = metrics.per_zaaktype(metrics.maand(klein_basis(zaken=zaken), FEB), "Alfa")
    assert dict(zip(zt["zaaktype"], zt["omschrijving"])) == {"ZT-A": "Aanvraag <vergunning>", "ZT-X": "ZT-X"}


def test_active_staff_of_a_month_follow_the_staff_table(klein: metrics.Basis) -> None:
    # February 2024: MDW-1 and MDW-2 handled zaken; MDW-3 never did anything, MDW-9 only in January.
    actief = metrics.actief_in_maand(klein, FEB)
    assert actief.tolist() == [True, True, False, False] and actief.name == "actief"
    assert actief.index.equals(klein.medewerkers.index)


def test_day_figures_without_a_value_and_changes_under_one(klein: metrics.Basis) -> None:
    d = metrics.FIGUREN["doorlooptijd_mediaan"]
    assert d.tekst(np.nan) == "–" and d.tekst(2.6) == "3 dagen"
    assert d.verschil_tekst(0.5) == "+0,5 dagen" and d.verschil_tekst(-0.5) == "−0,5 dagen"
    assert metrics.FIGUREN["ontvangen"].verschil_tekst(0) == "±0"


def test_the_90th_percentile_interpolates_between_the_two_nearest_lead_times_per_department() -> None:
    # Alfa closes seven zaken in February 2024 after 1, 2, 3, 4, 5, 6 and 100 days; Beta one after 0 days.
    # p90 of seven: position 0.9 * 6 = 5.4, so 6 + 0.4 * (100 - 6) = 43.6 days (as numpy.percentile); median 4.
    eind = pd.Timestamp("2024-02-20")
    zaken = [(f"Q{d}", "ZT-A", "Alfa", "MDW-1", *(str((eind - pd.Timedelta(days=d)).date()),) * 2, str(eind.date()),
              None, None, "Toegekend") for d in (1, 2, 3, 4, 5, 6, 100)]
    zaken.append(("QB", "ZT-B", "Beta", None, "2024-02-20", "2024-02-20", "2024-02-20", None, None, "Toegekend"))
    tabel = metrics.maandcijfers(klein_basis(zaken=zaken, statussen=[], documenten=[]), FEB, maanden=1)
    alfa, beta = _rij(tabel, "Alfa", FEB), _rij(tabel, "Beta", FEB)
    assert alfa["doorlooptijd_p90"] == pytest.approx(43.6) == np.percentile([1, 2, 3, 4, 5, 6, 100], 90)
    assert alfa["doorlooptijd_mediaan"] == 4
    assert (beta["doorlooptijd_mediaan"], beta["doorlooptijd_p90"]) == (0, 0)


def test_a_short_window_still_counts_zaken_registered_before_it(klein: metrics.Basis) -> None:
    # Window January-February 2024: Z5 (registered December 2023) is open at the end of both months; Z2 (31 January,
    # closed 1 February) at the end of January only. MDW-1, behandelaar of Z2, was active in January.
    kort = metrics.maandcijfers(klein, FEB, maanden=2)
    assert [int(_rij(kort, "Alfa", m)["open_einde_maand"]) for m in ("2024-01", FEB)] == [2, 2]
    assert _rij(kort, "Alfa", "2024-01")["actieve_gebruikers"] == 1
    assert list(kort.index) == list(range(len(kort)))  # 4 units (the organisation first) x 2 months
    assert kort["afdeling"].tolist()[:2] == ["organisatie", "organisatie"] and len(kort) == 8


def test_a_bad_window_or_level_is_a_usage_error_that_says_what_is_allowed(klein: metrics.Basis) -> None:
    with pytest.raises(UsageError, match="maanden must be at least 1, not 0"):
        metrics.maandcijfers(klein, FEB, maanden=0)
    with pytest.raises(UsageError, match="niveau must be 'afdeling' or 'team', not 'zaaktype'"):
        metrics.maandcijfers(klein, FEB, niveau="zaaktype")


def test_teams_are_listed_by_department_then_team_ignoring_case() -> None:
    # MDW-5 joins Alfa in team "b3": before T1 and T2 when case is ignored.
    mw = maandfixtures.MEDEWERKERS + [("MDW-5", "Eva Mulder", "Alfa", "b3", None)]
    teams = metrics.maandcijfers(klein_basis(medewerkers=mw), FEB, maanden=1, niveau="team")
    assert list(zip(teams["afdeling"], teams["team"])) == [("Alfa", "b3"), ("Alfa", "T1"), ("Alfa", "T2"),
                                                          ("Gamma", "T9")]


# --------------------------------------------------------------------------- settings


# --------------------------------------------------------------------------- the sample


@pytest.fixture(scope="module")
def sample(small_sample: Path) -> tuple[metrics.Basis, pd.DataFrame]:
    b = metrics.load(small_sample)
    return b, load_snapshot(small_sample, ["zaken"]).tables["zaken"]


def test_sample_figures_match_a_plain_pandas_recount(sample: tuple[metrics.Basis, pd.DataFrame]) -> None:
    b, zaken = sample
    tabel = metrics.maandcijfers(b, "2026-10", maanden=24)
    per = tabel[tabel["afdeling"] != terms.ORGANISATIE]
    org = tabel[tabel["afdeling"] == terms.ORGANISATIE].set_index("maand")
    reg_m = zaken["registratiedatum"].dt.strftime("%Y-%m")
    eind_m = zaken["einddatum"].dt.strftime("%Y-%m")
    for m in ("2025-02", "2025-06", "2026-10"):
        dicht = zaken[eind_m == m]
        assert org.at[m, "ontvangen"] == (reg_m == m).sum()
        assert org.at[m, "gesloten"] == len(dicht)
        lead = (dicht["einddatum"] - dicht["startdatum"]).dt.days
        assert org.at[m, "doorlooptijd_mediaan"] == pytest.approx(lead.median())
        assert org.at[m, "doorlooptijd_p90"] == pytest.approx(lead.quantile(0.9))
        termijn = dicht.dropna(subset=["uiterlijke_einddatum_afdoening"])
        assert org.at[m, "binnen_termijn"] == pytest.approx(
            (termijn["einddatum"] <= termijn["uiterlijke_einddatum_afdoening"]).mean())
        assert org.at[m, "met_resultaat"] == pytest.approx(dicht["resultaat"].notna().mean())
        # The organisation is the sum of its departments.
        som = per[per["maand"] == m][["ontvangen", "gesloten", "open_einde_maand", "achteraf_aantal"]].sum()
        assert som.tolist() == org.loc[m, ["ontvangen", "gesloten", "open_einde_maand", "achteraf_aantal"]].tolist()
    # Per department and zaaktype, the medians agree with pandas' own group-by.
    m = "2026-10"
    dicht = zaken[eind_m == m].assign(d=lambda f: (f["einddatum"] - f["startdatum"]).dt.days)
    want = dicht.groupby("afdeling")["d"].median()
    got = per[per["maand"] == m].set_index("afdeling")["doorlooptijd_mediaan"].dropna()
    pd.testing.assert_series_equal(got.sort_index(), want.sort_index().astype("float64"), check_names=False,
                                   check_index_type=False)


def test_sample_planted_afterwards_registrations_add_up_over_all_months(
        small_sample: Path, sample: tuple[metrics.Basis, pd.DataFrame]) -> None:
    b, _ = sample
    geplant = load_snapshot(small_sample, []).meta["sample"]["geplant"]
    tabel = metrics.maandcijfers(b, "2026-10", maanden=24)
    org = tabel[tabel["afdeling"] == terms.ORGANISATIE]
    assert org["achteraf_aantal"].sum() == geplant["achteraf_geregistreerd"]
    # Zaken still open at the end of the data are exactly those the last month's open count has.
    assert org.set_index("maand").at["2026-10", "open_einde_maand"] == int(b.zaken["einddatum"].isna().sum())


def test_sample_lagging_department_registers_most_afterwards_before_its_go_live(
        small_sample: Path, sample: tuple[metrics.Basis, pd.DataFrame]) -> None:
    b, _ = sample
    meta = load_snapshot(small_sample, []).meta
    lagging = meta["sample"]["geplant"]["achterblijvende_afdeling"]
    van, tot = meta["invoeringsdatum"][:7], meta["invoering_per_afdeling"][lagging][:7]
    n = periods.periode_index(tot) - periods.periode_index(van)  # its months between the two go-lives
    tabel = metrics.maandcijfers(b, periods.periode_tekst(periods.periode_index(tot) - 1), maanden=n)
    per = tabel.groupby("afdeling")[["achteraf_aantal", "gesloten", "ontvangen"]].sum()
    org = per.loc[terms.ORGANISATIE]
    per = per.drop(terms.ORGANISATIE)
    aandeel = (per["achteraf_aantal"] / per["gesloten"]).dropna()
    assert aandeel.idxmax() == lagging
    rest = ((org["achteraf_aantal"] - per.at[lagging, "achteraf_aantal"])
            / (org["gesloten"] - per.at[lagging, "gesloten"]))
    assert aandeel[lagging] > 4 * rest
    # It registered only a small part of its work as zaken then: the fewest received against its last six months.
    later = metrics.maandcijfers(b, "2026-10", maanden=n).groupby("afdeling")["ontvangen"].sum()
    deel = (per["ontvangen"] / later.drop(terms.ORGANISATIE)).dropna()
    assert deel.idxmin() == lagging and deel[lagging] < 0.5 * deel.drop(lagging).min()
