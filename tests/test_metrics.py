"""Monthly-report figures (zgwlib.maandrapportage.figures) on a tiny hand-computed municipality and on the sample.

The tiny municipality is described in ``maandfixtures.py``; every expected value
below is worked out by hand from its table (report month February 2024, a leap year).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from maandfixtures import basis as klein_basis
from zgwlib.maandrapportage import figures as metrics
from zgwlib.core.errors import UsageError
from zgwlib.data.sources import load_snapshot
from zgwlib.core import periods
from zgwlib.core import terms
from zgwlib.maandrapportage import facts

FEB = "2024-02"


@pytest.fixture(scope="module")
def klein() -> metrics.Basis:
    return klein_basis()


@pytest.fixture(scope="module")
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
