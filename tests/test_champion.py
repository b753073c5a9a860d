"""The champion of the month (zgwlib.maandrapportage.champion): hand-computed scores, exclusions, ties, teams, and the sample."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import maandfixtures
from zgwlib.maandrapportage import champion
from zgwlib.maandrapportage import figures as metrics
from zgwlib.data.sources import load_snapshot
from zgwlib.core import periods
from zgwlib.core import terms

M = "2026-10"


def _tabel(rows: list[tuple]) -> pd.DataFrame:
    """A maandcijfers-like table from (afdeling, gesloten, medewerkers, binnen_termijn, volgens_werkwijze,
    aandeel_actief) rows."""
    t = pd.DataFrame(rows, columns=["afdeling", "gesloten", "medewerkers", *champion.ONDERDELEN])
    t.insert(1, "maand", M)
    other = t.assign(maand="2026-09", gesloten=100, binnen_termijn=1.0, volgens_werkwijze=1.0, aandeel_actief=1.0)
    return pd.concat([t, other], ignore_index=True)  # another month that must not count


def test_score_is_the_mean_of_three_percentages_and_a_small_department_can_win() -> None:
    scores = champion.kampioen_scores(_tabel([
        ("organisatie", 1067, 56, 0.9, 0.8, 0.7),  # never ranked
        ("Groot", 1000, 50, 0.9, 0.8, 0.7),  # (90 + 80 + 70) / 3 = 80
        ("Klein", 12, 3, 1.0, 0.9, 1.0),  # (100 + 90 + 100) / 3 = 96.67: wins with 12 zaken
        ("Zonder termijn", 15, 4, np.nan, 0.8, 0.9),  # no zaak had a legal term: (80 + 90) / 2 = 85
        ("Gelijk", 40, 8, 0.8, 0.8, 0.8),  # 80, ties with Groot
        ("Te klein", 9, 2, 1.0, 1.0, 1.0),  # fewer than 10 closed zaken
        ("Zonder staf", 20, 0, 1.0, 1.0, np.nan),  # no staff in the data
    ]), M).set_index("naam")
    assert list(scores.index) == ["Klein", "Zonder termijn", "Gelijk", "Groot", "Te klein", "Zonder staf"]
    assert scores.at["Klein", "score"] == pytest.approx(290 / 3)
    assert scores.at["Zonder termijn", "score"] == pytest.approx(85)
    assert scores.at["Groot", "score"] == pytest.approx(80) and scores.at["Gelijk", "score"] == pytest.approx(80)
    assert scores["rang"].tolist()[:4] == [1, 2, 3, 3]  # equal scores share a place
    assert scores.at["Te klein", "uitgesloten"] == "te weinig afgesloten zaken (9, minimaal 10)"
    assert scores.at["Zonder staf", "uitgesloten"] == "geen medewerkers in de gegevens"
    assert scores.loc[["Te klein", "Zonder staf"], "score"].isna().all()
    assert scores.loc[["Te klein", "Zonder staf"], "rang"].isna().all()
    assert champion.kampioen(scores.reset_index()) == ["Klein"]


def test_exact_tie_gives_two_champions_and_nobody_competing_gives_none() -> None:
    tie = champion.kampioen_scores(_tabel([("A", 10, 2, 0.5, 1.0, 1.0), ("B", 30, 5, 1.0, 0.5, 1.0)]), M)
    assert champion.kampioen(tie) == ["A", "B"]
    none = champion.kampioen_scores(_tabel([("A", 3, 2, 1.0, 1.0, 1.0)]), M)
    assert champion.kampioen(none) == [] and none["uitgesloten"].iloc[0].startswith("te weinig")
    inst = metrics.Instellingen(min_gesloten_kampioen=3)
    lager = champion.kampioen_scores(_tabel([("A", 3, 2, 1.0, 1.0, 1.0)]), M, inst)
    assert champion.kampioen(lager) == ["A"]


def test_teams_of_one_department_from_the_tiny_municipality() -> None:
    maand = metrics.maand(maandfixtures.basis(), "2024-02", metrics.Instellingen(min_gesloten_kampioen=1))
    scores = champion.kampioen_scores(maand.teams, "2024-02", maand.instellingen, afdeling="Alfa").set_index("naam")
    assert sorted(scores.index) == ["T1", "T2"]
    # T1: Z2 closed on time and by the way of working, 1 of its 2 staff active: (100 + 100 + 50) / 3.
    # T2: Z4 (no legal date, no resultaat) and Z9: on time 1/1, way of working 1/2, 1 of 1 active.
    assert scores.at["T1", "score"] == pytest.approx(250 / 3) and scores.at["T2", "score"] == pytest.approx(250 / 3)
    assert champion.kampioen(scores.reset_index()) == ["T1", "T2"]
    # Departments: Alfa closed 4 zaken; Beta none, Gamma none: they are listed with the reason, not ranked.
    afd = champion.kampioen_scores(maand.tabel, "2024-02", maand.instellingen).set_index("naam")
    assert champion.kampioen(afd.reset_index()) == ["Alfa"]
    assert afd.at["Alfa", "score"] == pytest.approx(100 * (1.0 + 0.5 + 2 / 3) / 3)
    assert afd.at["Beta", "uitgesloten"] == "te weinig afgesloten zaken (0, minimaal 1)"


def test_staff_without_team_never_compete() -> None:
    t = _tabel([("Alfa", 20, 3, 1.0, 1.0, 1.0)])
    teams = pd.concat([t.assign(team="T1"), t.assign(team=terms.GEEN_TEAM)], ignore_index=True)
    scores = champion.kampioen_scores(teams, M, afdeling="Alfa")
    assert champion.kampioen(scores) == ["T1"]
    assert scores.set_index("naam").at[terms.GEEN_TEAM, "uitgesloten"] == "medewerkers zonder team"


def test_explanation_names_the_parts_and_the_minimum() -> None:
    tekst = champion.uitleg(metrics.Instellingen(min_gesloten_kampioen=12))
    assert "‘binnen de wettelijke termijn’" in tekst and "‘volgens de werkwijze afgesloten’" in tekst
    assert "‘actieve medewerkers’" in tekst and "minder dan 12 zaken" in tekst and "kleine afdeling" in tekst


def test_sample_lagging_department_is_last_while_it_lags(small_sample: Path) -> None:
    b = metrics.load(small_sample)
    meta = load_snapshot(small_sample, []).meta
    lagging = meta["sample"]["geplant"]["achterblijvende_afdeling"]
    before = periods.periode_tekst(periods.periode_index(meta["invoering_per_afdeling"][lagging][:7]) - 1)
    # Its last month before its own go-live: the fewest active staff and the most afterwards registrations,
    # so at the bottom of the ranking (with a minimum the small sample's departments reach).
    inst = metrics.Instellingen(min_gesloten_kampioen=5)
    scores = champion.kampioen_scores(metrics.maandcijfers(b, before), before, inst)
    ranked = scores[scores["uitgesloten"] == ""]
    assert len(ranked) >= 5 and ranked["naam"].iloc[-1] == lagging
    assert ranked["rang"].iloc[-1] == len(ranked)


def test_after_a_tie_the_next_place_is_skipped_one_two_two_four() -> None:
    # docs/metrics.md, Kampioen van de maand: "equal scores (to six decimals) share a place, the next place is
    # skipped (1, 2, 2, 4)". The tie sits in the middle, so dense ranking (1, 2, 2, 3) cannot pass for it.
    scores = champion.kampioen_scores(_tabel([
        ("Eerste", 20, 4, 0.9, 0.9, 0.9),  # 90
        ("Tweede a", 20, 4, 0.8, 0.8, 0.8),  # 80, in floating point 80.00000000000001
        ("Tweede b", 20, 4, 0.7, 0.8, 0.9),  # (70 + 80 + 90) / 3 = 80: equal to six decimals, so the same place
        ("Vierde", 20, 4, 0.7, 0.7, 0.7),  # 70
        ("Vijfde", 20, 4, 0.6, 0.6, 0.6),  # 60
    ]), M)
    assert dict(zip(scores["naam"], scores["rang"].tolist())) == {
        "Eerste": 1, "Tweede a": 2, "Tweede b": 2, "Vierde": 4, "Vijfde": 5}
    assert scores["naam"].tolist() == ["Eerste", "Tweede a", "Tweede b", "Vierde", "Vijfde"]  # best first
    assert scores["rang"].tolist() == [1, 2, 2, 4, 5]
    assert champion.kampioen(scores) == ["Eerste"]


def test_two_champions_on_a_tie_leave_place_two_empty() -> None:
    scores = champion.kampioen_scores(_tabel([
        ("B", 12, 2, 1.0, 0.5, 1.0),  # (100 + 50 + 100) / 3 = 83.33
        ("A", 30, 5, 0.5, 1.0, 1.0),  # 83.33: ties with B, listed first by name
        ("C", 10, 1, 0.5, 0.5, 0.5),  # 50: third, there is no second place
    ]), M)
    assert list(zip(scores["naam"], scores["rang"].tolist())) == [("A", 1), ("B", 1), ("C", 3)]
    assert champion.kampioen(scores) == ["A", "B"]


def test_equal_scores_are_listed_by_name_ignoring_case_and_the_table_has_exactly_its_columns() -> None:
    # Equal scores: alphabetical as a reader expects ("alfa" before "Beta"), not capitals first.
    scores = champion.kampioen_scores(_tabel([("Beta", 20, 4, 0.8, 0.8, 0.8), ("alfa", 20, 4, 0.8, 0.8, 0.8),
                                              ("Te klein", 9, 2, 1.0, 1.0, 1.0)]), M)
    assert scores["naam"].tolist() == ["alfa", "Beta", "Te klein"]
    assert list(scores.columns) == ["naam", "gesloten", "medewerkers", *champion.ONDERDELEN, "score",
                                    "uitgesloten", "rang"]
    assert list(scores.index) == [0, 1, 2] and str(scores["rang"].dtype) == "Int64"


def test_scores_equal_to_six_decimals_share_a_place_and_a_difference_in_the_sixth_does_not() -> None:
    # docs/metrics.md: equal scores (to six decimals) share a place. 80.0000001 and 80.0000004 round to 80.000000;
    # 80.000001 and 80.000004 do not.
    gelijk = champion.kampioen_scores(_tabel([("A", 20, 4, 0.800000001, 0.800000001, 0.800000001),
                                              ("B", 20, 4, 0.800000004, 0.800000004, 0.800000004)]), M)
    assert gelijk["rang"].tolist() == [1, 1] and sorted(champion.kampioen(gelijk)) == ["A", "B"]
    verschil = champion.kampioen_scores(_tabel([("A", 20, 4, 0.80000001, 0.80000001, 0.80000001),
                                                ("B", 20, 4, 0.80000004, 0.80000004, 0.80000004)]), M)
    assert list(zip(verschil["naam"], verschil["rang"].tolist())) == [("B", 1), ("A", 2)]


def test_the_explanation_reads_in_full_with_and_without_document_data() -> None:
    basis = ("De kampioensscore is het gemiddelde van drie percentages van deze maand: ‘binnen de wettelijke "
             "termijn’, ‘volgens de werkwijze afgesloten’, ‘actieve medewerkers’. Het zijn allemaal percentages, geen "
             "aantallen, zodat een kleine afdeling even goed kan winnen als een grote. Ontbreekt een percentage "
             "(bijvoorbeeld omdat geen enkele zaak een wettelijke termijn had), dan telt het gemiddelde van de andere. "
             "Wie minder dan 10 zaken afsloot of geen medewerkers heeft, doet deze maand niet mee.")
    assert champion.uitleg() == basis
    assert champion.uitleg(documentgegevens=False) == basis + (
        " Deze gegevens bevatten geen documentgegevens, dus ‘volgens de werkwijze afgesloten’ is onbekend en telt "
        "niet mee: de score is het gemiddelde van de andere twee.")
