"""The opschoonactie figures on small hand-made registrations with answers worked out by hand, and on the sample."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from zgwlib.data import opschoning
from zgwlib.opschoonactie import figures as cleanup
from zgwlib.opschoonactie import display as cleanup_display
from zgwlib.data import contract
from zgwlib.core.errors import UsageError
from zgwlib.data.snapshot import Snapshot
from zgwlib.data.sources import load_snapshot

M, D = cleanup.METERS, cleanup.DOSSIERS
TS = pd.Timestamp


def registraties(rows: list[tuple[str, str, str, str, float]]) -> pd.DataFrame:
    """Opschoning rows from (afdeling, datum, actie, eenheid, hoeveelheid)."""
    frame = pd.DataFrame(rows, columns=["afdeling", "datum", "actie", "eenheid", "hoeveelheid"])
    frame["datum"] = pd.to_datetime(frame["datum"])
    frame["locatie"] = None
    frame["omschrijving"] = None
    return contract.conform("opschoning", frame)


def doelen(rows: list[tuple[str, float | None, int | None, str | None]]) -> pd.DataFrame:
    """Opschoning_doelen rows from (afdeling, strekkende_meters, dossiers, streefdatum)."""
    frame = pd.DataFrame(rows, columns=["afdeling", "strekkende_meters", "dossiers", "streefdatum"])
    frame["streefdatum"] = pd.to_datetime(frame["streefdatum"])
    frame["dossiers"] = frame["dossiers"].astype("Int64")
    return contract.conform("opschoning_doelen", frame)


def dagelijks(afd: str, begin: str, dagen: int, per_dag: float, actie: str = "vernietigd") -> list[tuple]:
    """``per_dag`` metres every calendar day for ``dagen`` days from ``begin``."""
    return [(afd, str((TS(begin) + pd.Timedelta(days=i)).date()), actie, M, per_dag) for i in range(dagen)]


# Four departments, peildatum 30 June 2025:
# A: 100 m (doel) and 1000 dossiers, 10 m digitised 10 May, 20 m destroyed 10 June (+200 dossiers) -> 30% done.
# B: 50 m (doel), 60 m destroyed 20 May: 10 m over-reported, done.
# C: no target row, 5 m transferred: no verdict.
# D: 30 m (doel), nothing registered yet.
# A's registration of 15 July lies after the peildatum and must not count.
REG = registraties([
    ("A", "2025-05-05", "inventarisatie", M, 100.0),
    ("A", "2025-05-10", "gedigitaliseerd", M, 10.0),
    ("A", "2025-06-10", "vernietigd", M, 20.0),
    ("A", "2025-06-10", "vernietigd", D, 200.0),
    ("A", "2025-07-15", "vernietigd", M, 50.0),
    ("B", "2025-05-20", "vernietigd", M, 60.0),
    ("C", "2025-06-01", "overgebracht", M, 5.0),
])
DOEL = doelen([
    ("A", 100.0, 1000, "2025-12-31"),
    ("B", 50.0, None, "2025-09-30"),
    ("D", 30.0, None, "2026-03-01"),
])
TOT = TS("2025-06-30")


def rij(frame: pd.DataFrame, afdeling: str, eenheid: str | None = None) -> pd.Series:
    sel = frame["afdeling"] == afdeling
    if eenheid is not None:
        sel &= frame["eenheid"] == eenheid
    assert sel.sum() == 1, (afdeling, eenheid)
    return frame[sel].iloc[0]


# --------------------------------------------------------------------------- parameters and peildatum


def test_peildatum_default_is_last_complete_month() -> None:
    assert cleanup.peildatum(None, {"periode_tot": "2026-10-31"}) == TS("2026-10-31")
    assert cleanup.peildatum(None, {"periode_tot": "2026-11-12"}) == TS("2026-10-31")
    assert cleanup.peildatum("", {"periode_tot": "2026-03-01"}) == TS("2026-02-28")


def test_peildatum_month_or_day() -> None:
    assert cleanup.peildatum("2025-02") == TS("2025-02-28")
    assert cleanup.peildatum("2025-06-15") == TS("2025-06-15")
    with pytest.raises(UsageError, match="not a month"):
        cleanup.peildatum("juni")
    with pytest.raises(UsageError, match="periode_tot"):
        cleanup.peildatum(None, {})


def test_startvoorraad_from_target_else_inventory() -> None:
    reg = registraties([("E", "2025-05-01", "inventarisatie", M, 12.5), ("E", "2025-05-02", "inventarisatie", M, 7.5),
                        ("E", "2025-05-02", "inventarisatie", D, 40.0), ("F", "2025-05-01", "inventarisatie", M, 9.0)])
    doel = doelen([("F", 30.0, None, "2025-12-31")])
    s = cleanup.startvoorraad(reg, doel, TOT)
    assert s.at["E", M] == 20.0 and s.at["E", "bron_strekkende_meters"] == "inventarisatie"
    assert s.at["E", D] == 40.0
    # A target wins over the inventory registrations.
    assert s.at["F", M] == 30.0 and s.at["F", "bron_strekkende_meters"] == "doel"
    assert math.isnan(s.at["F", D]) and pd.isna(s.at["F", "bron_dossiers"])


def test_voortgang_by_action_and_unit() -> None:
    v = cleanup.voortgang(REG, DOEL, TOT)
    a = rij(v, "A", M)
    assert (a["startvoorraad"], a["gedigitaliseerd"], a["vernietigd"], a["gedaan"], a["te_doen"]) == (
        100.0, 10.0, 20.0, 30.0, 70.0)
    assert a["aandeel_gedaan"] == pytest.approx(0.3)
    ad = rij(v, "A", D)
    assert (ad["gedaan"], ad["te_doen"], ad["aandeel_gedaan"]) == (200.0, 800.0, pytest.approx(0.2))
    # Nothing for B in dossiers: no target and nothing processed in that unit.
    assert not ((v["afdeling"] == "B") & (v["eenheid"] == D)).any()


def test_partial_month_counts_up_to_the_day() -> None:
    v = cleanup.voortgang(REG, DOEL, TS("2025-06-09"))
    assert rij(v, "A", M)["gedaan"] == 10.0  # the 20 m of 10 June is not in yet
    assert rij(cleanup.voortgang(REG, DOEL, TS("2025-06-10")), "A", M)["gedaan"] == 30.0
    # Without a peildatum everything counts, also July.
    assert rij(cleanup.voortgang(REG, DOEL), "A", M)["gedaan"] == 80.0


def test_over_reporting_is_kept_not_clipped() -> None:
    v = cleanup.voortgang(REG, DOEL, TOT)
    b = rij(v, "B", M)
    assert (b["gedaan"], b["te_doen"], b["overmeld"]) == (60.0, 0.0, 10.0)
    assert b["aandeel_gedaan"] == pytest.approx(1.2)
    assert list(opschoning.overmeldingen(REG, DOEL, TOT)["afdeling"]) == ["B"]
    p = rij(cleanup.prognose(REG, DOEL, TOT), "B")
    assert p["oordeel"] == cleanup.KLAAR
    assert "10 m méér verwerkt dan geïnventariseerd" in p["toelichting"]


def test_department_without_target() -> None:
    v = cleanup.voortgang(REG, DOEL, TOT)
    c = rij(v, "C", M)
    assert c["gedaan"] == 5.0 and math.isnan(c["startvoorraad"]) and math.isnan(c["aandeel_gedaan"])
    p = rij(cleanup.prognose(REG, DOEL, TOT), "C")
    assert p["oordeel"] == cleanup.GEEN_DOEL and pd.isna(p["verwachte_einddatum"])
    # A starting amount without a target date: still no verdict, but a forecast.
    reg = registraties(dagelijks("G", "2025-06-01", 30, 1.0))
    p = rij(cleanup.prognose(reg, doelen([("G", 60.0, None, None)]), TOT), "G")
    assert p["oordeel"] == cleanup.GEEN_DOEL
    assert p["verwachte_einddatum"] == TOT + pd.Timedelta(days=30)
    assert "geen streefdatum" in p["toelichting"]


def test_no_registrations_yet() -> None:
    p = rij(cleanup.prognose(REG, DOEL, TOT), "D")
    assert p["oordeel"] == cleanup.NIET_GESTART
    assert (p["gedaan"], p["te_doen"], p["tempo_per_week"]) == (0.0, 30.0, 0.0)
    assert pd.isna(p["eerste_verwerkt"]) and pd.isna(p["verwachte_einddatum"])
    # Past its target date with nothing done it is behind, not "not started".
    p = rij(cleanup.prognose(REG, DOEL, TS("2026-03-02")), "D")
    assert p["oordeel"] == cleanup.ACHTER and "verstreken" in p["toelichting"]
    # No cleanup data at all: empty results, no error.
    leeg_reg, leeg_doel = contract.OPSCHONING.empty(), contract.OPSCHONING_DOELEN.empty()
    assert cleanup.voortgang(leeg_reg, leeg_doel, TOT).empty
    assert cleanup.prognose(leeg_reg, leeg_doel, TOT).empty
    assert cleanup.burnup(leeg_reg, leeg_doel, TOT).empty
    t = cleanup.totalen(cleanup.voortgang(leeg_reg, leeg_doel, TOT))
    assert t.loc[M, "gedaan"] == 0.0 and math.isnan(t.loc[M, "startvoorraad"])


# --------------------------------------------------------------------------- forecast and verdict


def test_forecast_on_a_known_linear_pace() -> None:
    # 1 m a day from 1 April to 30 June (91 days); start 200 m -> 109 m left at 1 m/day.
    reg = registraties(dagelijks("L", "2025-04-01", 91, 1.0))
    op_tijd = cleanup.prognose(reg, doelen([("L", 200.0, None, "2025-10-31")]), TOT)
    r = rij(op_tijd, "L")
    assert r["tempo_per_week"] == pytest.approx(7.0)
    assert r["verwachte_einddatum"] == TOT + pd.Timedelta(days=109) == TS("2025-10-17")
    assert r["vertraging_dagen"] == -14
    assert r["oordeel"] == cleanup.OP_SCHEMA
    # The same pace against an earlier target: 17 days late.
    r = rij(cleanup.prognose(reg, doelen([("L", 200.0, None, "2025-09-30")]), TOT), "L")
    assert r["oordeel"] == cleanup.ACHTER and r["vertraging_dagen"] == 17
    assert "17 dagen na de streefdatum" in r["toelichting"]
    # A target already passed: behind, with the forecast in the explanation.
    r = rij(cleanup.prognose(reg, doelen([("L", 200.0, None, "2025-06-15")]), TOT), "L")
    assert r["oordeel"] == cleanup.ACHTER and r["vertraging_dagen"] == 124
    assert r["toelichting"] == ("De streefdatum 15 juni 2025 is verstreken en er is nog 109 m te doen. "
                                "Bij het huidige tempo (7 m per week) is het klaar op 17 oktober 2025.")


def test_the_forecast_end_date_rounds_a_part_day_up_never_down() -> None:
    # docs/metrics.md: verwachte einddatum = peildatum + ceil(te_doen / tempo) days. 1 m a day from 1 April to
    # 30 June (91 m, 1 m/day); start 200.2 m -> 109.2 m left = 109.2 days -> 110 days (rounding would give 109,
    # and so would truncating): 18 October 2025.
    reg = registraties(dagelijks("R", "2025-04-01", 91, 1.0))
    r = rij(cleanup.prognose(reg, doelen([("R", 200.2, None, "2025-10-18")]), TOT), "R")
    assert r["te_doen"] == pytest.approx(109.2)
    assert r["verwachte_einddatum"] == TS("2025-10-18") == TOT + pd.Timedelta(days=110)
    # Ready on the target day itself is on schedule (expected <= target), with no delay.
    assert r["vertraging_dagen"] == 0 and r["oordeel"] == cleanup.OP_SCHEMA
    assert "klaar op 18 oktober 2025, vóór de streefdatum 18 oktober 2025" in r["toelichting"]
    # 109.7 days also becomes 110, and a whole 109 days stays 109: no day added to an exact forecast.
    assert rij(cleanup.prognose(reg, doelen([("R", 200.7, None, "2025-12-31")]), TOT),
               "R")["verwachte_einddatum"] == TS("2025-10-18")
    assert rij(cleanup.prognose(reg, doelen([("R", 200.0, None, "2025-12-31")]), TOT),
               "R")["verwachte_einddatum"] == TS("2025-10-17")
    # One day later than the target: behind by exactly one day.
    r = rij(cleanup.prognose(reg, doelen([("R", 200.2, None, "2025-10-17")]), TOT), "R")
    assert r["oordeel"] == cleanup.ACHTER and r["vertraging_dagen"] == 1
    assert "klaar op 18 oktober 2025, 1 dag na de streefdatum 17 oktober 2025." in r["toelichting"]


def test_pace_uses_the_recent_window_only() -> None:
    # 2 m a day in April, then 0.5 m a day from 5 May to 30 June: the 8-week window sees only the slow part.
    reg = registraties(dagelijks("S", "2025-04-01", 30, 2.0) + dagelijks("S", "2025-05-05", 57, 0.5))
    r = rij(cleanup.prognose(reg, doelen([("S", 200.0, None, "2025-12-31")]), TOT), "S")
    assert r["gedaan"] == pytest.approx(60 + 28.5)
    assert r["tempo_per_week"] == pytest.approx(3.5)  # 56 days x 0.5 m / 56 days, per week
    # 111.5 m at 0.5 m/day = 223 days -> 8 February 2026: behind.
    assert r["verwachte_einddatum"] == TOT + pd.Timedelta(days=223)
    assert r["oordeel"] == cleanup.ACHTER
    kort = cleanup.Instellingen(tempo_venster_dagen=7)
    assert rij(cleanup.prognose(reg, doelen([("S", 200.0, None, "2025-12-31")]), TOT, kort),
               "S")["tempo_per_week"] == pytest.approx(3.5)


def test_pace_of_a_fresh_start_is_spread_over_the_minimum_window() -> None:
    # Started 5 days before the peildatum: 14 m in 5 days counts as 14 m over 14 days (1 m/day), not 2.8 m/day.
    reg = registraties(dagelijks("N", "2025-06-26", 5, 2.8))
    r = rij(cleanup.prognose(reg, doelen([("N", 100.0, None, "2025-12-31")]), TOT), "N")
    assert r["tempo_per_week"] == pytest.approx(7.0)
    assert r["verwachte_einddatum"] == TOT + pd.Timedelta(days=86)


def test_no_recent_pace_is_behind() -> None:
    reg = registraties([("P", "2025-03-01", "vernietigd", M, 10.0)])
    r = rij(cleanup.prognose(reg, doelen([("P", 50.0, None, "2025-12-31")]), TOT), "P")
    assert r["oordeel"] == cleanup.ACHTER and pd.isna(r["verwachte_einddatum"])
    assert "laatste 8 weken is niets verwerkt" in r["toelichting"]


def test_dossiers_are_the_unit_when_metres_are_unknown() -> None:
    reg = registraties([("Q", "2025-06-01", "gedigitaliseerd", D, 30.0)])
    r = rij(cleanup.prognose(reg, doelen([("Q", None, 60, "2025-12-31")]), TOT), "Q")
    assert r["eenheid"] == D and r["te_doen"] == 30.0
    assert r["tempo_per_week"] == pytest.approx(7.0)  # 30 dossiers over the 30 days since 1 June


def test_attention_list_order() -> None:
    reg = registraties(
        dagelijks("L1", "2025-04-01", 91, 1.0)  # 17 days late (target 30 September)
        + dagelijks("L2", "2025-04-01", 91, 1.0)  # 47 days late (target 31 August)
        + [("Z", "2025-03-01", "vernietigd", M, 1.0)]  # no pace at all
    )
    reg = pd.concat([reg, REG], ignore_index=True)
    doel = pd.concat([DOEL, doelen([("L1", 200.0, None, "2025-09-30"), ("L2", 200.0, None, "2025-08-31"),
                                    ("Z", 50.0, None, "2025-12-31")])], ignore_index=True)
    prog = cleanup.prognose(reg, doel, TOT)
    att = cleanup.aandacht(prog, cleanup.voortgang(reg, doel, TOT))
    # Behind without a forecast first, then the largest delay; then not started, over-reporting, no target.
    assert list(att["afdeling"]) == ["Z", "L2", "L1", "D", "B", "C"]
    assert list(att["oordeel"]) == ["achter", "achter", "achter", "niet gestart", "klaar", "geen doel"]
    assert "Meer verwerkt dan geïnventariseerd" in att.iloc[4]["reden"]
    assert len(cleanup.aandacht(prog, cleanup.voortgang(reg, doel, TOT), maximum=2)) == 2


def test_amounts_read_in_whole_dossiers_and_metres_with_one_decimal_only_when_needed() -> None:
    assert cleanup.hoeveel(12.5, M) == "12,5 m" and cleanup.hoeveel(12.0, M) == "12 m"
    # 12.04 m is 12,0 to one decimal: shown whole. 1234.56 m keeps its one decimal, Dutch thousands.
    assert cleanup.hoeveel(12.04, M) == "12 m" and cleanup.hoeveel(1234.56, M) == "1.234,6 m"
    assert cleanup.hoeveel(7.4, D) == "7 dossiers" and cleanup.hoeveel(1234.0, D) == "1.234 dossiers"


def test_each_verdict_explains_itself_in_one_full_dutch_sentence() -> None:
    p = cleanup.prognose(REG, DOEL, TOT).set_index("afdeling")["toelichting"]
    # A: 30 of 100 m done, 30 m in the 52 days since its first processing (10 May): 30/52 m a day, ~4 m a week;
    # 70 m left takes ceil(70 * 52 / 30) = 122 days: 30 October.
    assert p["A"] == ("Bij het huidige tempo (4 m per week) is het klaar op 30 oktober 2025, vóór de streefdatum "
                      "31 december 2025.")
    assert p["B"] == ("Alles is verwerkt. Er is 10 m méér verwerkt dan geïnventariseerd: controleer de registratie "
                      "of de startvoorraad.")
    assert p["C"] == "Er is geen startvoorraad vastgelegd, dus voortgang en prognose zijn niet te bepalen."
    assert p["D"] == "Er is nog niets geregistreerd; 30 m moet vóór 1 maart 2026 verwerkt zijn."
    # D past its target with nothing ever processed: no pace to mention.
    assert cleanup.prognose(REG, DOEL, TS("2026-03-02")).set_index("afdeling").at["D", "toelichting"] == (
        "De streefdatum 1 maart 2026 is verstreken en er is nog 30 m te doen.")


def test_a_department_done_to_the_metre_is_done_without_a_surplus() -> None:
    reg = registraties([("K", "2025-06-01", "vernietigd", M, 40.0)])
    r = rij(cleanup.prognose(reg, doelen([("K", 40.0, None, "2025-12-31")]), TOT), "K")
    assert (r["oordeel"], r["toelichting"], r["overmeld"], r["te_doen"]) == (cleanup.KLAAR, "Alles is verwerkt.", 0.0,
                                                                            0.0)
    # Nothing left, so no expected end date, even with a pace.
    assert r["tempo_per_week"] > 0 and pd.isna(r["verwachte_einddatum"]) and math.isnan(r["vertraging_dagen"])


def test_without_a_target_date_the_forecast_is_told_when_there_is_a_pace() -> None:
    # G: 60 m, 1 m a day from 1 June (30 days): 30 m left, 30 days at 1 m a day -> 30 July.
    reg = registraties(dagelijks("G", "2025-06-01", 30, 1.0))
    assert rij(cleanup.prognose(reg, doelen([("G", 60.0, None, None)]), TOT), "G")["toelichting"] == (
        "Er is geen streefdatum vastgelegd; nog 30 m te doen. Bij het huidige tempo is het klaar op 30 juli 2025.")
    # H: nothing processed yet, so nothing to forecast.
    h = rij(cleanup.prognose(REG, doelen([("H", 60.0, None, None)]), TOT), "H")
    assert h["toelichting"] == "Er is geen streefdatum vastgelegd; nog 60 m te doen."


def test_no_recent_pace_is_told_with_the_window_in_weeks() -> None:
    # P processed 10 m on 1 March, nothing in the 8 weeks (56 days) before 30 June; 40 m left.
    reg = registraties([("P", "2025-03-01", "vernietigd", M, 10.0)])
    assert rij(cleanup.prognose(reg, doelen([("P", 50.0, None, "2025-12-31")]), TOT), "P")["toelichting"] == (
        "In de laatste 8 weken is niets verwerkt; nog 40 m te doen vóór 31 december 2025.")
    assert rij(cleanup.prognose(reg, doelen([("P", 50.0, None, "2025-06-01")]), TOT), "P")["toelichting"] == (
        "De streefdatum 1 juni 2025 is verstreken en er is nog 40 m te doen. In de laatste 8 weken is niets "
        "verwerkt.")
    vier = cleanup.Instellingen(tempo_venster_dagen=28)
    assert rij(cleanup.prognose(reg, doelen([("P", 50.0, None, "2025-12-31")]), TOT, vier), "P")[
        "toelichting"].startswith("In de laatste 4 weken is niets verwerkt;")


def test_a_target_date_on_the_peildatum_itself_has_not_passed_yet() -> None:
    # 1 m a day from 1 April to 30 June (91 m of 92 m): 1 m left, done 1 July, one day after a target of 30 June.
    reg = registraties(dagelijks("T", "2025-04-01", 91, 1.0))
    r = rij(cleanup.prognose(reg, doelen([("T", 92.0, None, "2025-06-30")]), TOT), "T")
    assert (r["oordeel"], r["vertraging_dagen"]) == (cleanup.ACHTER, 1)
    assert r["toelichting"] == ("Bij het huidige tempo (7 m per week) is het pas klaar op 1 juli 2025, 1 dag na de "
                                "streefdatum 30 juni 2025.")


def test_the_forecast_table_keeps_start_done_and_surplus_per_department() -> None:
    p = cleanup.prognose(REG, DOEL, TOT)
    assert list(p.columns) == ["afdeling", "eenheid", "startvoorraad", "gedaan", "te_doen", "overmeld",
                               "aandeel_gedaan", "streefdatum", "eerste_verwerkt", "tempo_per_week",
                               "verwachte_einddatum", "vertraging_dagen", "oordeel", "toelichting"]
    p = p.set_index("afdeling")
    # A: 30 of 100 m by 30 June (its 50 m of 15 July come later); B: 60 of 50 m, 10 m surplus; C: no start.
    assert (p.at["A", "startvoorraad"], p.at["A", "gedaan"], p.at["A", "te_doen"]) == (100.0, 30.0, 70.0)
    assert (p.at["B", "startvoorraad"], p.at["B", "gedaan"], p.at["B", "overmeld"]) == (50.0, 60.0, 10.0)
    assert math.isnan(p.at["C", "startvoorraad"]) and p.at["C", "overmeld"] == 0.0 and math.isnan(p.at["C", "te_doen"])
    assert p.at["A", "vertraging_dagen"] == -62  # 30 October, 62 days before 31 December
    assert (p.at["A", "streefdatum"], p.at["A", "eerste_verwerkt"]) == (TS("2025-12-31"), TS("2025-05-10"))
    assert p.at["A", "aandeel_gedaan"] == pytest.approx(0.3) and math.isnan(p.at["C", "aandeel_gedaan"])
    # A start of 0 m is done at once; its share done is unknown, not a division by zero.
    nul = rij(cleanup.prognose(REG.iloc[0:0], doelen([("N", 0.0, None, "2025-12-31")]), TOT), "N")
    assert nul["oordeel"] == cleanup.KLAAR and math.isnan(nul["aandeel_gedaan"])
    # The delay is a float column (NaN when unknown) also when every delay is known.
    l_reg = registraties(dagelijks("L", "2025-04-01", 91, 1.0))
    assert cleanup.prognose(l_reg, doelen([("L", 200.0, None, "2025-10-31")]), TOT)["vertraging_dagen"].dtype == "float64"


def test_inventory_only_is_registered_but_not_started_and_later_inventory_does_not_count_yet() -> None:
    # E counted 100 m on 1 May and 20 m more on 10 July (after the peildatum): start 100 m, nothing processed.
    reg = registraties([("E", "2025-05-01", "inventarisatie", M, 100.0),
                        ("E", "2025-07-10", "inventarisatie", M, 20.0)])
    r = rij(cleanup.prognose(reg, doelen([("E", None, None, "2025-12-31")]), TOT), "E")
    assert (r["startvoorraad"], r["gedaan"], r["oordeel"]) == (100.0, 0.0, cleanup.NIET_GESTART)
    assert r["toelichting"] == "Er is nog niets verwerkt; 100 m moet vóór 31 december 2025 verwerkt zijn."
    # F counted its 20 m only on 10 July: on 30 June it has no start yet.
    reg = registraties([("F", "2025-07-10", "inventarisatie", M, 20.0)])
    f = rij(cleanup.prognose(reg, doelen([("F", None, None, "2025-12-31")]), TOT), "F")
    assert math.isnan(f["startvoorraad"]) and f["oordeel"] == cleanup.GEEN_DOEL


def test_a_target_with_only_a_date_has_no_start_and_so_no_verdict() -> None:
    r = rij(cleanup.prognose(REG.iloc[0:0], doelen([("J", None, None, "2025-12-31")]), TOT), "J")
    assert (r["eenheid"], r["oordeel"], r["gedaan"]) == (M, cleanup.GEEN_DOEL, 0.0)
    assert math.isnan(r["startvoorraad"]) and math.isnan(r["aandeel_gedaan"])
    assert r["toelichting"] == "Er is geen startvoorraad vastgelegd, dus voortgang en prognose zijn niet te bepalen."


# --------------------------------------------------------------------------- organisation, milestone, burn-up


def test_organisation_totals_and_shares() -> None:
    t = cleanup.totalen(cleanup.voortgang(REG, DOEL, TOT))
    m = t.loc[M]
    # Start 100 + 50 + 30 (C has none); everything processed counts as cleared (10 + 20 + 60 + 5).
    assert (m["startvoorraad"], m["gedaan"], m["overmeld"]) == (180.0, 95.0, 10.0)
    # B's surplus does not offset A's and D's backlog: 70 + 0 + 30 left.
    assert m["te_doen"] == 100.0
    assert m["aandeel_gedaan"] == pytest.approx(1 - 100 / 180)
    assert m["aandeel_gedigitaliseerd"] == pytest.approx(10 / 95)
    assert m["aandeel_vernietigd"] == pytest.approx(80 / 95)
    assert m["aandeel_overgebracht"] == pytest.approx(5 / 95)
    assert sum(m[f"aandeel_{a}"] for a in cleanup.VERWERKT) == pytest.approx(1.0)
    assert t.loc[D, "aandeel_vernietigd"] == 1.0


def test_papierloos_milestone() -> None:
    reg = registraties([("A", "2025-05-10", "vernietigd", M, 60.0), ("A", "2025-06-03", "gedigitaliseerd", M, 40.0),
                        ("B", "2025-05-20", "vernietigd", M, 60.0), ("B", "2025-05-02", "inventarisatie", M, 999.0)])
    pl = cleanup.papierloos(reg, doelen([("A", 100.0, None, None), ("B", 50.0, None, None)]), TOT)
    assert list(zip(pl["afdeling"], pl["datum"], strict=True)) == [("B", TS("2025-05-20")), ("A", TS("2025-06-03"))]
    assert cleanup.papierloos(reg, doelen([("A", 100.0, None, None)]), TS("2025-06-02"))["afdeling"].tolist() == []


def test_burnup_series() -> None:
    bu = cleanup.burnup(REG, DOEL, TOT, "A")
    # Starts on A's first registration (Monday 5 May), then week ends (Sundays), the last clipped to 30 June.
    assert bu["datum"].iloc[0] == TS("2025-05-05") and bu["datum"].iloc[1] == TS("2025-05-11")
    assert bu["datum"].iloc[-1] == TOT
    wk = bu.set_index("datum")
    assert wk.loc[TS("2025-06-08"), "gedaan"] == 10.0
    assert (wk.loc[TS("2025-06-15"), "gedaan"], wk.loc[TS("2025-06-15"), "vernietigd"]) == (30.0, 20.0)
    assert (bu["startvoorraad"] == 100.0).all()
    # Target line: 0 on 5 May, 100 on 31 December (240 days) -> 56/240 * 100 on 30 June.
    assert wk.loc[TOT, "plan"] == pytest.approx(100 * 56 / 240)
    dos = cleanup.burnup(REG, DOEL, TOT, "A", D)
    assert dos["gedaan"].iloc[-1] == 200.0 and dos["startvoorraad"].iloc[-1] == 1000.0
    # Organisation: the departments with a starting amount in metres (A, B, D), C left out; plan = sum of theirs.
    org = cleanup.burnup(REG, DOEL, TOT).set_index("datum")
    assert org.loc[TOT, "gedaan"] == 90.0 and org.loc[TOT, "startvoorraad"] == 180.0
    plan_b = 50 * 41 / 133  # 20 May -> 30 September
    plan_d = 30 * 56 / 300  # D has no registration: from the organisation's first (5 May) -> 1 March 2026
    assert org.loc[TOT, "plan"] == pytest.approx(100 * 56 / 240 + plan_b + plan_d)
    with pytest.raises(UsageError):
        cleanup.burnup(REG, DOEL, TOT, "A", "kilo")


# --------------------------------------------------------------------------- link to the zaaksysteem


def test_documents_outside_zaken_per_month_and_before_after() -> None:
    zaken = contract.ZAKEN.empty()
    zaken = contract.conform("zaken", pd.DataFrame({
        c: pd.Series([None] * 4, dtype=dt) for c, dt in contract.ZAKEN.dtypes.items()
    }).assign(identificatie=["Z1", "Z2", "Z3", "Z4"], afdeling=["A", "A", "B", "A"],
              einddatum=pd.to_datetime(["2025-01-15", "2025-01-20", "2025-01-25", "2025-05-10"])))
    docs = contract.conform("documenten", pd.DataFrame({
        "identificatie": [f"D{i}" for i in range(6)],
        "zaak": ["Z1", None, None, "Z4", None, "Z4"],
        "informatieobjecttype": ["Brief"] * 6,
        "creatiedatum": pd.to_datetime(["2025-01-02", "2025-01-03", "2025-01-31", "2025-05-01", "2025-05-02",
                                        "2025-07-01"]),
        "status": [None] * 6,
    }))
    pm = cleanup.documenten_per_maand(docs, zaken, TS("2025-06-30"), "A")
    assert list(pm.index.astype(str)) == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    jan, mei = pm.loc[pd.Period("2025-01")], pm.loc[pd.Period("2025-05")]
    assert (jan["documenten"], jan["buiten_zaak"]) == (3, 2)
    assert jan["aandeel_buiten_zaak"] == pytest.approx(2 / 3)
    # A closed Z1 (a document) and Z2 (none) in January; B's Z3 does not count for A.
    assert (jan["gesloten"], jan["zonder_documenten"]) == (2, 1)
    assert (mei["documenten"], mei["buiten_zaak"], mei["gesloten"], mei["zonder_documenten"]) == (2, 1, 1, 0)
    assert math.isnan(pm.loc[pd.Period("2025-03"), "aandeel_buiten_zaak"])
    # Cleanup from 10 March to papierloos on 10 April; 2 months each side; June is the last complete month.
    vn = cleanup.voor_en_na(pm, TS("2025-03-10"), TS("2025-04-10"), TS("2025-06-30"), maanden=2)
    assert (vn.loc["voor", "van"], vn.loc["voor", "tot"]) == (pd.Period("2025-01"), pd.Period("2025-02"))
    assert vn.loc["voor", "aandeel_buiten_zaak"] == pytest.approx(2 / 3)
    assert vn.loc["voor", "aandeel_zonder_documenten"] == pytest.approx(1 / 2)
    assert (vn.loc["na", "van"], vn.loc["na", "tot"], vn.loc["na", "maanden"]) == (
        pd.Period("2025-05"), pd.Period("2025-06"), 2)
    assert vn.loc["na", "aandeel_buiten_zaak"] == pytest.approx(1 / 2)
    # Not finished yet: the last complete months since the start instead of "after".
    nu = cleanup.voor_en_na(pm, TS("2025-03-10"), None, TS("2025-06-30"), 2)
    assert list(nu.index) == ["voor", "nu"]
    assert (nu.loc["nu", "van"], nu.loc["nu", "tot"]) == (pd.Period("2025-05"), pd.Period("2025-06"))
    assert nu.loc["nu", "aandeel_zonder_documenten"] == 0.0
    # ... never the month the cleanup started in; and a partial last month is not an "after" month.
    kort = cleanup.voor_en_na(pm, TS("2025-05-10"), None, TS("2025-06-30"), 3)
    assert (kort.loc["nu", "van"], kort.loc["nu", "maanden"]) == (pd.Period("2025-06"), 1)
    assert cleanup.voor_en_na(pm, TS("2025-03-10"), TS("2025-05-20"), TS("2025-06-15"), 2).index.tolist() == ["voor"]


# --------------------------------------------------------------------------- the report bundle and charts


def _snap(reg: pd.DataFrame, doel: pd.DataFrame, periode_tot: str) -> Snapshot:
    tables = {n: t.empty() for n, t in contract.TABLES.items()}
    tables.update(opschoning=reg, opschoning_doelen=doel)
    return Snapshot(tables, {"periode_tot": periode_tot})


def test_report_for_organisation_department_and_unknown() -> None:
    snap = _snap(REG, DOEL, "2025-07-20")  # last complete month: June
    org = cleanup.make_report(snap)
    assert org.peildatum == TOT and org.melding() is None
    k = org.kerncijfers()
    assert k["Afdelingen klaar"] == "1 van 3" and k["Strekkende meter opgeruimd"] == "95"
    assert k["Meer verwerkt dan geïnventariseerd"] == "10,0 m"
    a = cleanup.make_report(snap, "A")
    assert a.rij is not None and a.rij["oordeel"] == cleanup.OP_SCHEMA
    assert a.totalen.loc[M, "gedaan"] == 30.0 and a.eenheden() == [M, D]
    assert list(a.registraties["datum"]) == sorted(a.registraties["datum"], reverse=True)
    assert a.registraties["datum"].max() <= TOT  # July is after the peildatum
    c = cleanup.make_report(snap, "C")
    assert c.kerncijfers()["Oordeel"] == "geen doel" and list(c.aandacht["afdeling"]) == ["C"]
    onbekend = cleanup.make_report(snap, "Financien")
    assert not onbekend.heeft_gegevens and "geen opschoonactie vastgelegd" in onbekend.melding()
    leeg = cleanup.make_report(_snap(contract.OPSCHONING.empty(), contract.OPSCHONING_DOELEN.empty(), "2025-06-30"))
    assert leeg.melding() is not None and leeg.burnup().empty


def test_charts_draw_over_reporting_visibly() -> None:
    snap = _snap(REG, DOEL, "2025-06-30")
    org = cleanup.make_report(snap)
    ax = cleanup_display.draw_afdelingen(org.voortgang, org.prognose)
    widths = {round(p.get_x() + p.get_width(), 6) for p in ax.patches}
    assert 60.0 in widths  # B's bar reaches 60 m, beyond its 50 m start
    assert "B (klaar)" in [t.get_text() for t in ax.get_yticklabels()]
    plt.close(ax.figure)
    b = cleanup.make_report(snap, "B")
    ax = cleanup_display.draw_burnup(b.burnup(), b.rij)
    assert ax.get_ylim()[1] >= 60.0
    plt.close(ax.figure)


def test_tables_escape_free_text_and_keep_over_reporting() -> None:
    reg = REG.copy()
    reg.loc[1, "omschrijving"] = '<script>alert("x")</script> kast'
    reg.loc[1, "locatie"] = "<b>Archief</b>"
    a = cleanup.make_report(_snap(reg, DOEL, "2025-06-30"), "A")
    html_regs = cleanup_display.tabel_registraties(a.registraties)
    assert "<script" not in html_regs and "<b>" not in html_regs
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; kast" in html_regs and "&lt;b&gt;Archief" in html_regs
    assert "10 mei 2025" in html_regs and "gedigitaliseerd" in html_regs
    org = cleanup.make_report(_snap(reg, DOEL, "2025-06-30"))
    voortgang = cleanup_display.tabel_voortgang(org.voortgang)
    b_row = next(r for r in voortgang.split("<tr") if "<td>B</td>" in r)
    assert "<td>120%</td>" in b_row and "<td>10,0</td>" in b_row  # 10 m more than inventoried, shown as is
    assert "<td>1.000</td>" in voortgang  # A's dossiers: no decimals
    acties = cleanup_display.tabel_acties(org.totalen)
    assert "<td>84%</td>" in acties  # destroyed: 80 of 95 m


# --------------------------------------------------------------------------- the sample municipality


@pytest.fixture(scope="module")
def sample(small_sample: Path) -> tuple[cleanup.Opschoonrapport, dict]:
    snap = load_snapshot(small_sample)
    return cleanup.make_report(snap), snap.meta["sample"]["geplant"]


def test_sample_finds_the_planted_departments(sample: tuple[cleanup.Opschoonrapport, dict]) -> None:
    rapport, geplant = sample
    prog = rapport.prognose
    achter, overmeld = geplant["opschoning_achter"], geplant["opschoning_overmeld"]
    assert rij(prog, achter)["oordeel"] == cleanup.ACHTER
    assert set(rapport.voortgang.loc[rapport.voortgang["overmeld"] > 0, "afdeling"]) == {overmeld}
    # The attention list names the department behind first and flags the over-reporting one.
    assert rapport.aandacht.iloc[0]["afdeling"] == achter
    full = cleanup.aandacht(prog, rapport.voortgang)
    assert "Meer verwerkt dan geïnventariseerd" in rij(full, overmeld)["reden"]
    # At the end of the data every other department with a target has finished; exactly one has no target.
    assert set(prog.loc[prog["oordeel"] == cleanup.ACHTER, "afdeling"]) == {achter}
    assert (prog["oordeel"] == cleanup.GEEN_DOEL).sum() == 1
    assert set(rapport.papierloos["afdeling"]) == set(prog.loc[prog["oordeel"] == cleanup.KLAAR, "afdeling"])


def test_sample_department_behind_is_first_mid_cleanup(small_sample: Path, sample: tuple) -> None:
    _, geplant = sample
    snap = load_snapshot(small_sample, ["opschoning", "opschoning_doelen", "zaken", "documenten"])
    mid = cleanup.make_report(snap, periode="2025-09")
    assert mid.peildatum == TS("2025-09-30")
    assert rij(mid.prognose, geplant["opschoning_achter"])["oordeel"] == cleanup.ACHTER
    assert mid.aandacht.iloc[0]["afdeling"] == geplant["opschoning_achter"]
    # The organisation's burn-up never falls and ends at what the departments with a start have processed.
    bu = mid.burnup()
    assert bu["gedaan"].is_monotonic_increasing
    assert bu["gedaan"].iloc[-1] == pytest.approx(
        mid.voortgang.loc[(mid.voortgang["eenheid"] == M) & mid.voortgang["startvoorraad"].notna(), "gedaan"].sum())


# --------------------------------------------------------------------------- a project leader's Excel sheet

#: How a project leader writes the actions and units in the registration sheet.
ACTIE_NL = {"inventarisatie": "Inventarisatie", "gedigitaliseerd": "Gescand", "vernietigd": "Vernietigd",
            "overgebracht": "Naar RHC", "gearchiveerd": "Gearchiveerd"}
EENHEID_NL = {M: "meter", D: "dossiers"}

MAPPING = """\
gemeente: Gemeente Voorbeeld
tables:
  opschoning:
    sheet: Registratie opschoning
    header_row: 3                # a title and an empty line above the headers
    columns:
      Afdeling: afdeling
      Datum: datum
      Actie: actie
      Eenheid: eenheid
      Hoeveelheid: hoeveelheid
      Locatie: locatie
      Opmerking: omschrijving
    values:
      actie:
        Gescand: gedigitaliseerd
        Naar RHC: overgebracht   # the others (Vernietigd, ...) match the contract ignoring case
      eenheid:
        meter: strekkende_meters
  opschoning_doelen:
    sheet: Doelen
    columns:
      Afdeling: afdeling
      Strekkende meters: strekkende_meters
      Aantal dossiers: dossiers
      Streefdatum: streefdatum
"""


def test_cleanup_sheet_from_excel_imports_with_the_zaaksysteem_tables(small_sample: Path, tmp_path: Path) -> None:
    import openpyxl

    from zgwlib.data.imports import export_snapshot, import_export

    snap = load_snapshot(small_sample)
    # The zaaksysteem's tables: a slice of the sample (200 zaken with their statussen and documents) keeps the
    # workbook small; the cleanup figures do not depend on them.
    zaken = snap.zaken.sort_values("identificatie").head(200)
    deel = {**snap.tables, "zaken": zaken,
            "statussen": snap.statussen[snap.statussen["zaak"].isin(zaken["identificatie"])],
            "documenten": snap.documenten[snap.documenten["zaak"].isin(zaken["identificatie"])],
            "opschoning": contract.OPSCHONING.empty(), "opschoning_doelen": contract.OPSCHONING_DOELEN.empty()}
    book = export_snapshot(Snapshot(deel, {"gemeente": "Gemeente Voorbeeld"}), tmp_path / "export.xlsx", "xlsx")

    wb = openpyxl.load_workbook(book)
    for name in ("opschoning", "opschoning_doelen", "meta"):
        del wb[name]
    ws = wb.create_sheet("Registratie opschoning")
    ws.append(["Opschoonactie gemeente Voorbeeld: registratie per afdeling"])
    ws.append([])
    ws.append(["Afdeling", "Datum", "Actie", "Eenheid", "Hoeveelheid", "Locatie", "Opmerking"])
    for r in snap.opschoning.itertuples(index=False):
        ws.append([r.afdeling, r.datum.to_pydatetime(), ACTIE_NL[r.actie], EENHEID_NL[r.eenheid], r.hoeveelheid,
                   r.locatie if pd.notna(r.locatie) else None, r.omschrijving if pd.notna(r.omschrijving) else None])
    ws = wb.create_sheet("Doelen")
    ws.append(["Afdeling", "Strekkende meters", "Aantal dossiers", "Streefdatum"])
    for r in snap.opschoning_doelen.itertuples(index=False):
        ws.append([r.afdeling, r.strekkende_meters, int(r.dossiers), r.streefdatum.to_pydatetime()])
    wb.save(book)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")

    out, warnings = import_export(book, tmp_path / "snapshot", mapping)
    imported = load_snapshot(out)
    assert len(imported.opschoning) == len(snap.opschoning)
    # Validation warns about the over-reporting department; it does not hide or refuse the rows.
    overmeld = snap.meta["sample"]["geplant"]["opschoning_overmeld"]
    assert any(w.table == "opschoning" and overmeld in w.describe() for w in warnings)

    periode = snap.meta["periode_tot"][:7]
    verwacht = cleanup.make_report(snap, periode=periode)
    kregen = cleanup.make_report(imported, periode=periode)
    pd.testing.assert_frame_equal(kregen.voortgang, verwacht.voortgang)
    pd.testing.assert_frame_equal(kregen.prognose, verwacht.prognose)
    pd.testing.assert_frame_equal(kregen.totalen, verwacht.totalen)
    assert rij(kregen.prognose, snap.meta["sample"]["geplant"]["opschoning_achter"])["oordeel"] == cleanup.ACHTER
