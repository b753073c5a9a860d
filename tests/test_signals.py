"""Signals and tips (zgwlib.maandrapportage.signals) on a tiny hand-computed municipality and on the sample's planted behaviours.

The tiny municipality is described in ``maandfixtures.py`` (report month February 2024).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import maandfixtures
from zgwlib.core import lookup
from zgwlib.maandrapportage import figures as metrics
from zgwlib.maandrapportage import signals
from zgwlib.data.snapshot import Snapshot
from zgwlib.data.sources import load_snapshot
from zgwlib.core import periods
from zgwlib.core import terms
from zgwlib.maandrapportage import facts

FEB = "2024-02"
PEIL = pd.Timestamp("2024-02-29")


@pytest.fixture
def klein() -> metrics.Basis:
    return maandfixtures.basis()


@pytest.fixture
def feb(klein: metrics.Basis) -> metrics.Maand:
    return metrics.maand(klein, FEB, metrics.Instellingen(min_aantal_tip=1))


def _ids(basis: metrics.Basis, flags: np.ndarray) -> list[str]:
    return sorted(basis.zaken.loc[flags, "identificatie"])


# --------------------------------------------------------------------------- lookups


@pytest.mark.parametrize("groot", [False, True])
def test_positions_of_identificaties_in_runs_and_with_gaps(monkeypatch: pytest.MonkeyPatch, groot: bool) -> None:
    if groot:  # the run-by-run lookup of large pools, on small data
        monkeypatch.setattr(lookup, "_GROTE_POOL", 0)
    pool = pd.Series(["Z1", "Z2", "Z3"], dtype="str")
    runs = pd.Series(["Z1", "Z1", "Z2", "Z3", "Z3", "Z3"], dtype="str")  # every zaak in its own order
    gaps = pd.Series(["Z3", "Z3", None, "Z9", "Z1", "Z3", None], dtype="str")
    got = lookup.posities(pool, runs, gaps, pd.Series([], dtype="str"), pd.Series([None, None], dtype="str"))
    assert got[0].tolist() == [0, 0, 1, 2, 2, 2]
    assert got[1].tolist() == [2, 2, -1, -1, 0, 2, -1]
    assert got[2].tolist() == [] and got[3].tolist() == [-1, -1]
    assert lookup.index_in(pd.Series(["b", "x"], dtype="str"), ["a", "b"]).tolist() == [1, -1]
    # Which zaken any status (or document) points at: Z1 and Z3, not Z2; a missing or unknown value points nowhere.
    assert lookup.pointed_at(pool, gaps).tolist() == [True, False, True]


# --------------------------------------------------------------------------- per-zaak definitions


def test_per_zaak_definitions(klein: metrics.Basis) -> None:
    t = maandfixtures.tabellen()
    zaken, statussen, docs = t["zaken"], t["statussen"], t["documenten"]
    tussen = facts.heeft_tussenstatus(zaken, statussen)
    assert _ids(klein, tussen) == ["Z2", "Z4", "Z5", "Z8", "Z9"]  # Z3 has only its first and final status
    assert _ids(klein, facts.heeft_documenten(zaken, docs)) == ["Z1", "Z2", "Z4", "Z8", "Z9"]
    # Z9 was also closed the day it was registered, but with an intermediate status: not afterwards.
    assert _ids(klein, facts.achteraf_geregistreerd(zaken, tussen)) == ["Z3"]
    assert _ids(klein, facts.open_op(zaken, PEIL)) == ["Z1", "Z5", "Z6"]
    assert _ids(klein, facts.open_over_termijn(zaken, PEIL)) == ["Z5"]
    # The legal date itself is still within the term: Z7 (uiterlijk 15 March) is not overdue on 15 March, Z6 is.
    assert _ids(klein, facts.open_over_termijn(zaken, "2024-03-15")) == ["Z5", "Z6"]
    dagen = pd.Series(facts.dagen_sinds_laatste_status(zaken, statussen, PEIL), index=zaken["identificatie"])
    # Z5's last status was set on 15 January (45 days before 29 February), Z1's on 28 February, Z6's that day;
    # Z7 was registered later.
    assert (dagen["Z5"], dagen["Z1"], dagen["Z6"]) == (45, 1, 0) and np.isnan(dagen["Z7"])
    alleen = facts.open_op(zaken, PEIL)
    beperkt = facts.dagen_sinds_laatste_status(zaken, statussen, PEIL, alleen=alleen)
    np.testing.assert_array_equal(beperkt[alleen], dagen.to_numpy()[alleen])
    assert np.isnan(beperkt[~alleen]).all()
    nooit = facts.nooit_actief(t["medewerkers"], zaken, statussen)
    assert t["medewerkers"].loc[nooit, "identificatie"].tolist() == ["MDW-3"]


def _met_status_van_z5(gezet: str) -> metrics.Basis:
    """The tiny municipality with one more (intermediate) status of Z5, set at ``gezet`` by MDW-1."""
    return maandfixtures.basis(statussen=maandfixtures.STATUSSEN + [("Z5", 3, gezet, False, "MDW-1")])


def _dagen(basis: metrics.Basis) -> dict[str, float]:
    return dict(zip(basis.zaken["identificatie"],
                    facts.dagen_sinds_laatste_status(basis.zaken, basis.statussen, PEIL), strict=True))


def test_a_status_set_on_the_peildatum_itself_counts_even_late_that_evening() -> None:
    # docs/metrics.md, Lang geen statuswijziging: the last status set *on or before* the peildatum. Z5 (registered
    # 1 December 2023, last status 15 January) gets a status at 23:30 on the peildatum 29 February: 0 days since,
    # not 45, so no signal. (Z6's status that day cannot show this: it was also registered that day.)
    op_de_dag = _met_status_van_z5("2024-02-29 23:30")
    assert _dagen(op_de_dag)["Z5"] == 0
    flags = signals.zaak_flags(op_de_dag, PEIL)
    assert not flags["geen_statuswijziging"].any()
    # With a threshold of 0 days a status set that day is still fine (the signal is *more than* the threshold);
    # of the zaken open on 29 February (Z1, Z5, Z6) only Z1, last status 28 February, is 1 day without one.
    nul = signals.zaak_flags(op_de_dag, PEIL, dagen_zonder_statuswijziging=0)
    assert nul.loc[nul["geen_statuswijziging"], "identificatie"].tolist() == ["Z1"]
    # A status at midnight the day after does not count yet: still 45 days since 15 January, signalled.
    erna = _met_status_van_z5("2024-03-01 00:00")
    assert _dagen(erna)["Z5"] == 45
    flags = signals.zaak_flags(erna, PEIL)
    assert flags.loc[flags["geen_statuswijziging"], "identificatie"].tolist() == ["Z5"]


def test_zaak_flags_at_a_peildatum(klein: metrics.Basis) -> None:
    flags = signals.zaak_flags(klein, PEIL).set_index("identificatie")
    assert list(flags.columns) == ["afdeling", "zaaktype", *signals.ZAAK_SIGNALEN]
    hits = {c: sorted(flags.index[flags[c]]) for c in signals.ZAAK_SIGNALEN}
    assert hits == {
        "achteraf_geregistreerd": ["Z3"],
        "gesloten_zonder_documenten": ["Z3"],
        "zonder_behandelaar": ["Z3", "Z7"],  # open or closed, whenever
        "gesloten_zonder_resultaat": ["Z4"],
        "open_over_termijn": ["Z5"],
        "geen_statuswijziging": ["Z5"],  # 45 days > 30
    }
    later = signals.zaak_flags(klein, PEIL, dagen_zonder_statuswijziging=45).set_index("identificatie")
    assert not later["geen_statuswijziging"].any()  # more than 45 days, not 45


# --------------------------------------------------------------------------- the month's signal table


def _tabel(maand: metrics.Maand, afdeling: str, **kw: bool) -> pd.DataFrame:
    return signals.signalen(maand, afdeling, **kw).set_index("code")


def test_signal_table_of_a_department(feb: metrics.Maand) -> None:
    s = _tabel(feb, "Alfa")
    # Closed in February: Z2, Z3, Z4, Z9; open at its end: Z1, Z5.
    want = {
        "achteraf_geregistreerd": (1, 4, ["Z3"]),
        "gesloten_zonder_documenten": (1, 4, ["Z3"]),
        "zonder_behandelaar": (1, 6, ["Z3"]),
        "gesloten_zonder_resultaat": (1, 4, ["Z4"]),
        "open_over_termijn": (1, 2, ["Z5"]),
        "geen_statuswijziging": (1, 2, ["Z5"]),
        "medewerkers_niet_actief": (1, 3, []),  # MDW-3; no identificaties without toon_namen
    }
    assert list(s.index) == list(want)  # documents outside a zaak have no department
    for code, (aantal, noemer, vb) in want.items():
        assert (s.at[code, "aantal"], s.at[code, "noemer"], s.at[code, "voorbeelden"]) == (aantal, noemer, vb), code
    assert s.at["gesloten_zonder_documenten", "aandeel"] == 0.25
    assert s.at["medewerkers_niet_actief", "nooit_actief"] == 1
    assert s.at["zonder_behandelaar", "noemer_tekst"] == "afgesloten en open zaken"
    assert _tabel(feb, "Alfa", toon_namen=True).at["medewerkers_niet_actief", "voorbeelden"] == ["MDW-3"]


def test_signal_table_of_the_organisation_and_of_a_department_without_staff(feb: metrics.Maand) -> None:
    org = _tabel(feb, terms.ORGANISATIE)
    # D10 is the one of February's four new documents (D1, D4, D9, D10) without a zaak.
    assert (org.at["documenten_buiten_zaak", "aantal"], org.at["documenten_buiten_zaak", "noemer"]) == (1, 4)
    assert org.at["documenten_buiten_zaak", "voorbeelden"] == ["D10"]
    # Staff of departments with zaken in February (Alfa, Beta): Gamma's MDW-9, inactive too, is not counted.
    assert (org.at["medewerkers_niet_actief", "aantal"], org.at["medewerkers_niet_actief", "noemer"]) == (1, 3)
    assert org.at["medewerkers_niet_actief", "noemer_tekst"] == "medewerkers van afdelingen met zaken"
    assert org.at["open_over_termijn", "noemer"] == 3  # Z1, Z5, Z6
    beta = _tabel(feb, "Beta")
    assert (beta.at["zonder_behandelaar", "aantal"], beta.at["zonder_behandelaar", "noemer"]) == (0, 1)
    assert (beta.at["medewerkers_niet_actief", "noemer"], beta.at["medewerkers_niet_actief", "nooit_actief"]) == (0, 0)
    assert np.isnan(beta.at["medewerkers_niet_actief", "aandeel"])
    assert np.isnan(beta.at["achteraf_geregistreerd", "aandeel"])


def test_example_zaken_carry_zaaktype_name_and_only_on_request_the_raw_omschrijving(feb: metrics.Maand) -> None:
    assert "omschrijving" not in signals.voorbeeldzaken(feb, "Alfa", signals.signalen(feb, "Alfa"))
    vb = signals.voorbeeldzaken(feb, "Alfa", signals.signalen(feb, "Alfa"), toon_omschrijving=True)
    assert vb["identificatie"].tolist() == ["Z3", "Z3", "Z3", "Z4", "Z5", "Z5"]
    assert vb["signaal"].tolist()[0] == "Achteraf geregistreerd"
    assert vb.set_index("identificatie").loc["Z4", "zaaktype"] == "Melding"
    assert vb["omschrijving"].iloc[0] == "<b>Z3</b> omschrijving"  # escaping is the report's job


def test_tips_most_important_first_with_counts_and_zaaktype(feb: metrics.Maand) -> None:
    tips = signals.tips(feb, "Alfa")
    # Importance = weight x count: achteraf and overdue (3) first, then weight 2 in table order, then weight 1.
    assert list(zip(tips["code"], tips["zaaktype"], tips["belang"])) == [
        ("achteraf_geregistreerd", "ZT-A", 3), ("open_over_termijn", "ZT-A", 3),
        ("gesloten_zonder_documenten", "ZT-A", 2), ("zonder_behandelaar", "ZT-A", 2),
        ("medewerkers_niet_actief", "", 2), ("gesloten_zonder_resultaat", "ZT-B", 1),
        ("geen_statuswijziging", "ZT-A", 1),
    ]
    assert tips["tekst"].iloc[0] == ("1 zaak Aanvraag <vergunning> werd achteraf geregistreerd: registreer de zaak "
                                     "bij ontvangst, dan loopt de termijnbewaking vanaf de eerste dag.")
    assert tips.set_index("code").at["medewerkers_niet_actief", "tekst"].startswith(
        "1 van de 3 medewerkers gebruikte het zaaksysteem in februari 2024 niet")
    assert "meer dan 30 dagen" in tips["tekst"].iloc[-1]
    kort = metrics.maand(feb.basis, FEB, metrics.Instellingen(min_aantal_tip=1, max_tips=2))
    assert signals.tips(kort, "Alfa")["code"].tolist() == ["achteraf_geregistreerd", "open_over_termijn"]
    streng = metrics.maand(feb.basis, FEB, metrics.Instellingen(min_aantal_tip=2))
    leeg = signals.tips(streng, "Alfa")
    assert leeg.empty and list(leeg.columns) == ["code", "zaaktype", "aantal", "belang", "tekst"]


def test_month_without_zaken_has_zero_signals_and_no_tips(klein: metrics.Basis) -> None:
    juni = metrics.maand(klein, "2023-06", metrics.Instellingen(min_aantal_tip=1))
    s = _tabel(juni, terms.ORGANISATIE)
    assert s.loc[list(signals.ZAAK_SIGNALEN), "aantal"].eq(0).all()
    assert s.loc[list(signals.ZAAK_SIGNALEN), "aandeel"].isna().all()
    assert s.at["medewerkers_niet_actief", "noemer"] == 0  # no department had zaken
    assert signals.tips(juni, terms.ORGANISATIE).empty


# --------------------------------------------------------------------------- the sample's planted behaviours


@pytest.fixture(scope="module")
def sample(small_sample: Path) -> tuple[metrics.Basis, dict, list[metrics.Maand]]:
    b = metrics.load(small_sample)
    geplant = load_snapshot(small_sample, []).meta["sample"]["geplant"]
    eerste, laatste = int(b.zaken["m_reg"].min()), periods.periode_index("2026-10")
    maanden = [metrics.maand(b, periods.periode_tekst(m)) for m in range(eerste, laatste + 1)]
    return b, geplant, maanden


def test_sample_zaak_flags_reproduce_every_planted_count(sample: tuple[metrics.Basis, dict, list]) -> None:
    b, geplant, _ = sample
    totals = signals.zaak_flags(b)[list(signals.ZAAK_SIGNALEN)].sum()
    for code in ("achteraf_geregistreerd", "gesloten_zonder_documenten", "zonder_behandelaar",
                 "gesloten_zonder_resultaat", "open_over_termijn"):
        assert totals[code] == geplant[code], code
    mw = signals.medewerker_flags(b)
    assert mw.loc[mw["nooit_actief"], "identificatie"].tolist() == geplant["nooit_actief"]


def test_sample_monthly_signals_add_up_to_the_planted_counts(sample: tuple[metrics.Basis, dict, list]) -> None:
    b, geplant, maanden = sample
    tabellen = {m.periode: _tabel(m, terms.ORGANISATIE) for m in maanden}
    for code in ("achteraf_geregistreerd", "gesloten_zonder_documenten", "gesloten_zonder_resultaat",
                 "documenten_buiten_zaak"):
        assert sum(int(t.at[code, "aantal"]) for t in tabellen.values()) == geplant[code], code
    # Overdue at the end of the data: the last month's table.
    laatste = maanden[-1]
    assert laatste.periode == "2026-10" and tabellen["2026-10"].at["open_over_termijn", "aantal"] == \
        geplant["open_over_termijn"]
    assert metrics.per_zaaktype(laatste)["open_over_termijn"].sum() == geplant["open_over_termijn"]
    # Without behandelaar: every closed zaak once (in its month of closing), and the zaken still open at the end.
    gesloten = sum(int((m.zaken["gesloten_in_maand"] & m.zaken["zonder_behandelaar"]).sum()) for m in maanden)
    nog_open = int((laatste.zaken["open_einde_maand"] & laatste.zaken["zonder_behandelaar"]).sum())
    assert gesloten + nog_open == geplant["zonder_behandelaar"]
    # Staff who never used the system: each department's table counts its own.
    per_afdeling = sum(int(_tabel(laatste, a).at["medewerkers_niet_actief", "nooit_actief"]) for a in b.afdelingen)
    assert per_afdeling == len(geplant["nooit_actief"])


def test_sample_tips_rank_by_importance_and_quote_the_counts(sample: tuple[metrics.Basis, dict, list]) -> None:
    b, _, maanden = sample
    laatste = maanden[-1]
    names = b.zaaktypen.set_index("identificatie")["omschrijving"]
    for afdeling in (terms.ORGANISATIE, "Beheer Openbare Ruimte"):
        tips = signals.tips(laatste, afdeling)
        assert 3 <= len(tips) <= laatste.instellingen.max_tips
        assert tips["belang"].is_monotonic_decreasing
        assert (tips["aantal"] >= laatste.instellingen.min_aantal_tip).all()
        f = laatste.selectie(afdeling)
        for t in tips.itertuples(index=False):
            if t.code == "niet_digitaal":  # the service tip: its own weight and count (tests/test_service.py)
                assert t.belang == signals.GEWICHT_NIET_DIGITAAL * t.aantal
                continue
            assert t.belang == signals.SIGNALEN[t.code].gewicht * t.aantal
            if t.zaaktype:  # a zaak tip: the count of that zaaktype's flagged zaken, with its name in the text
                assert int((f[t.code] & (f["zaaktype"] == t.zaaktype)).sum()) == t.aantal
                assert t.tekst.startswith(f"{t.aantal} zaken {names[t.zaaktype]} ")


def test_sample_lagging_department_stands_out_in_the_signals_before_its_go_live(
        small_sample: Path, sample: tuple[metrics.Basis, dict, list]) -> None:
    b, geplant, maanden = sample
    meta = load_snapshot(small_sample, []).meta
    lagging = geplant["achterblijvende_afdeling"]
    van, tot = meta["invoeringsdatum"][:7], meta["invoering_per_afdeling"][lagging][:7]
    tussen = [m for m in maanden if van <= m.periode < tot]
    assert len(tussen) == 6

    def pooled(afdeling: str) -> tuple[int, int]:
        t = [_tabel(m, afdeling).loc["achteraf_geregistreerd"] for m in tussen]
        return sum(int(r["aantal"]) for r in t), sum(int(r["noemer"]) for r in t)

    counts = {a: pooled(a) for a in b.afdelingen}
    shares = {a: n / d for a, (n, d) in counts.items() if d > 0}
    assert len(shares) >= 7 and max(shares, key=shares.__getitem__) == lagging
    # The organisation's table of those months holds exactly the departments' counts.
    assert sum(n for n, _ in counts.values()) == pooled(terms.ORGANISATIE)[0]


# --------------------------------------------------------------------------- the tips' exact sentences
# A changed word in a tip is a change the reader sees: each sentence is asserted in full, in the singular on the
# tiny municipality and in the plural on the same municipality with everything twice.


def test_every_tip_of_a_department_reads_in_full_in_the_singular(feb: metrics.Maand) -> None:
    # Alfa in February (test_tips_most_important_first_with_counts_and_zaaktype gives the order): one zaak behind
    # each zaak signal, one of Alfa's three staff (MDW-3) inactive.
    tekst = dict(zip(signals.tips(feb, "Alfa")["code"], signals.tips(feb, "Alfa")["tekst"], strict=True))
    aanvraag = "1 zaak Aanvraag <vergunning>"
    assert tekst == {
        "achteraf_geregistreerd": f"{aanvraag} werd achteraf geregistreerd: registreer de zaak bij ontvangst, dan "
                                  "loopt de termijnbewaking vanaf de eerste dag.",
        "open_over_termijn": f"{aanvraag} staat nog open na de wettelijke termijn: bespreek ze in het teamoverleg en "
                             "handel ze met voorrang af.",
        "gesloten_zonder_documenten": f"{aanvraag} is afgesloten zonder documenten: sla aanvraag, besluit en brieven "
                                      "op in de zaak voordat u die afsluit.",
        "zonder_behandelaar": f"{aanvraag} heeft geen behandelaar: wijs elke zaak bij registratie toe, zodat "
                              "duidelijk is wie hem oppakt.",
        "medewerkers_niet_actief": "1 van de 3 medewerkers gebruikte het zaaksysteem in februari 2024 niet: bied een "
                                   "korte training in een kleine groep aan, of koppel hem of haar aan een key-user "
                                   "als buddy.",
        "gesloten_zonder_resultaat": "1 zaak Melding is afgesloten zonder resultaat: leg bij het afsluiten altijd "
                                     "het resultaat vast (bijvoorbeeld toegekend of afgewezen).",
        "geen_statuswijziging": f"{aanvraag} heeft al meer dan 30 dagen geen nieuwe status: zet de status bij elke "
                                "stap, dan ziet iedereen waar de zaak staat.",
    }


def test_the_organisation_s_tips_name_staff_of_departments_with_zaken_and_documents_outside_a_zaak(
        feb: metrics.Maand) -> None:
    tips = signals.tips(feb, terms.ORGANISATIE).set_index("code")
    # Staff of Alfa and Beta (the departments with zaken in February): MDW-1, MDW-2, MDW-3, of whom MDW-3 inactive.
    assert tips.at["medewerkers_niet_actief", "tekst"] == (
        "1 van de 3 medewerkers van afdelingen met zaken gebruikte het zaaksysteem in februari 2024 niet: bied een "
        "korte training in een kleine groep aan, of koppel hem of haar aan een key-user als buddy.")
    # D10 is February's one document without a zaak.
    assert tips.at["documenten_buiten_zaak", "tekst"] == (
        "1 document werd in februari 2024 buiten een zaak aangemaakt: koppel elk document aan de zaak waar het bij "
        "hoort.")
    assert (tips.at["documenten_buiten_zaak", "zaaktype"], tips.at["documenten_buiten_zaak", "belang"]) == ("", 1)


def _twee_van_elk() -> metrics.Basis:
    """The tiny municipality with every zaak, status and document twice (``Z1`` and ``Z1b``, ``D10`` and ``D10b``)
    and one more member of Alfa's team T1 who never used the system (MDW-4): every signal counts two."""
    def b(ident: str | None) -> str | None:
        return None if ident is None else ident + "b"

    zaken = maandfixtures.ZAKEN + [(b(z[0]), *z[1:]) for z in maandfixtures.ZAKEN]
    statussen = maandfixtures.STATUSSEN + [(b(s[0]), *s[1:]) for s in maandfixtures.STATUSSEN]
    documenten = maandfixtures.DOCUMENTEN + [(b(d[0]), b(d[1]), d[2]) for d in maandfixtures.DOCUMENTEN]
    medewerkers = maandfixtures.MEDEWERKERS + [("MDW-4", "Eva Mulder", "Alfa", "T1", None)]
    return maandfixtures.basis(zaken=zaken, statussen=statussen, documenten=documenten, medewerkers=medewerkers)


def test_every_tip_reads_in_the_plural_for_two_and_weighs_twice() -> None:
    # min_aantal_tip 2: two zaken are just enough for a tip.
    maand = metrics.maand(_twee_van_elk(), FEB, metrics.Instellingen(min_aantal_tip=2, max_tips=10))
    tips = signals.tips(maand, "Alfa")
    # Importance = weight x 2: achteraf and overdue 3 x 2, then weight 2 x 2 (documents, behandelaar, staff),
    # then weight 1 x 2.
    assert list(zip(tips["code"], tips["zaaktype"], tips["aantal"], tips["belang"])) == [
        ("achteraf_geregistreerd", "ZT-A", 2, 6), ("open_over_termijn", "ZT-A", 2, 6),
        ("gesloten_zonder_documenten", "ZT-A", 2, 4), ("zonder_behandelaar", "ZT-A", 2, 4),
        ("medewerkers_niet_actief", "", 2, 4), ("gesloten_zonder_resultaat", "ZT-B", 2, 2),
        ("geen_statuswijziging", "ZT-A", 2, 2),
    ]
    aanvraag = "2 zaken Aanvraag <vergunning>"
    assert tips["tekst"].tolist() == [
        f"{aanvraag} werden achteraf geregistreerd: registreer de zaak bij ontvangst, dan loopt de termijnbewaking "
        "vanaf de eerste dag.",
        f"{aanvraag} staan nog open na de wettelijke termijn: bespreek ze in het teamoverleg en handel ze met "
        "voorrang af.",
        f"{aanvraag} zijn afgesloten zonder documenten: sla aanvraag, besluit en brieven op in de zaak voordat u die "
        "afsluit.",
        f"{aanvraag} hebben geen behandelaar: wijs elke zaak bij registratie toe, zodat duidelijk is wie hem oppakt.",
        # MDW-3 and MDW-4 of Alfa's four.
        "2 van de 4 medewerkers gebruikten het zaaksysteem in februari 2024 niet: bied een korte training in een "
        "kleine groep aan, of koppel hen aan een key-user als buddy.",
        "2 zaken Melding zijn afgesloten zonder resultaat: leg bij het afsluiten altijd het resultaat vast "
        "(bijvoorbeeld toegekend of afgewezen).",
        f"{aanvraag} hebben al meer dan 30 dagen geen nieuwe status: zet de status bij elke stap, dan ziet iedereen "
        "waar de zaak staat.",
    ]
    org = signals.tips(maand, terms.ORGANISATIE).set_index("code")
    assert org.at["documenten_buiten_zaak", "tekst"] == (  # D10 and D10b
        "2 documenten werden in februari 2024 buiten een zaak aangemaakt: koppel elk document aan de zaak waar het "
        "bij hoort.")
    assert org.at["documenten_buiten_zaak", "belang"] == 2
    assert org.at["medewerkers_niet_actief", "tekst"].startswith(
        "2 van de 4 medewerkers van afdelingen met zaken gebruikten het zaaksysteem in februari 2024 niet")
    # One zaak fewer than the minimum: no tip at all.
    assert signals.tips(metrics.maand(_twee_van_elk(), FEB, metrics.Instellingen(min_aantal_tip=3)), "Alfa").empty


def test_equal_tips_of_one_signal_are_listed_by_zaaktype() -> None:
    # March 2024, organisation: open at 31 March are Z5 (ZT-A, last status 15 January: 76 days), Z6 (ZT-B, last
    # status 29 February: 31 days) and Z7 (ZT-B, 1 March: 30 days, not more than 30). So "lang geen statuswijziging"
    # counts one zaak of ZT-A and one of ZT-B: equal importance, ZT-A first.
    maart = metrics.maand(maandfixtures.basis(), "2024-03", metrics.Instellingen(min_aantal_tip=1, max_tips=20))
    tips = signals.tips(maart, terms.ORGANISATIE)
    stil = tips[tips["code"] == "geen_statuswijziging"]
    assert stil["zaaktype"].tolist() == ["ZT-A", "ZT-B"]
    assert stil["tekst"].tolist()[1].startswith("1 zaak Melding heeft al meer dan 30 dagen")


def test_a_zaak_of_a_zaaktype_missing_from_the_catalogue_is_named_by_its_code() -> None:
    # Z3 (afterwards, no behandelaar, no documents) gets zaaktype ZT-X, which the zaaktypen table does not have.
    zaken = [(*z[:1], "ZT-X", *z[2:]) if z[0] == "Z3" else z for z in maandfixtures.ZAKEN]
    maand = metrics.maand(maandfixtures.basis(zaken=zaken), FEB, metrics.Instellingen(min_aantal_tip=1))
    tips = signals.tips(maand, "Alfa").set_index(["code", "zaaktype"])
    assert tips.at[("achteraf_geregistreerd", "ZT-X"), "tekst"].startswith("1 zaak ZT-X werd achteraf geregistreerd:")
    vb = signals.voorbeeldzaken(maand, "Alfa", signals.signalen(maand, "Alfa"))
    assert vb.loc[vb["identificatie"] == "Z3", "zaaktype"].unique().tolist() == ["ZT-X"]


def test_example_zaken_leave_out_documents_and_staff_and_hide_a_confidential_description(feb: metrics.Maand) -> None:
    # The organisation's table also has D10 (a document) and, with names, MDW-3 as examples: neither is a zaak.
    tabel = signals.signalen(feb, terms.ORGANISATIE, toon_namen=True)
    vb = signals.voorbeeldzaken(feb, terms.ORGANISATIE, tabel, toon_omschrijving=True)
    assert vb["identificatie"].tolist() == ["Z3", "Z3", "Z3", "Z4", "Z5", "Z5"]
    assert vb["signaal"].tolist() == ["Achteraf geregistreerd", "Afgesloten zonder documenten", "Zonder behandelaar",
                                      "Afgesloten zonder resultaat", "Open na de wettelijke termijn",
                                      "Lang geen statuswijziging"]
    # A zaak marked vertrouwelijk never shows its description, not even on request.
    t = maandfixtures.tabellen()
    t["zaken"]["vertrouwelijkheidaanduiding"] = np.where(t["zaken"]["identificatie"] == "Z4", "vertrouwelijk",
                                                         "openbaar")
    geheim = metrics.maand(metrics.prepare(Snapshot(t, {"periode_tot": "2024-03-31"})), FEB,
                           metrics.Instellingen(min_aantal_tip=1))
    vb = signals.voorbeeldzaken(geheim, "Alfa", signals.signalen(geheim, "Alfa"), toon_omschrijving=True)
    oms = dict(zip(vb["identificatie"], vb["omschrijving"]))
    assert oms == {"Z3": "<b>Z3</b> omschrijving", "Z4": "(vertrouwelijk: niet getoond)",
                   "Z5": "<b>Z5</b> omschrijving"}


def test_a_non_digital_zaaktype_tip_ranks_with_the_signals_by_its_count() -> None:
    # Alfa's three ZT-A zaken received in February (Z1, Z3, Z9) came in by post: "is er een e-formulier?" for 3
    # zaken, weight 1, importance 3, equal to achteraf and overdue (3 x 1) and listed after them (the service tip
    # comes after every signal). Beta's one zaak (Z6) came in digitally: Beta gets no such tip.
    t = maandfixtures.tabellen()
    t["zaken"]["communicatiekanaal"] = pd.Series(np.where(t["zaken"]["identificatie"].isin(["Z1", "Z3", "Z9"]),
                                                          "post", "e-formulier"), dtype="str")
    maand = metrics.maand(metrics.prepare(Snapshot(t, {"periode_tot": "2024-03-31"})), FEB,
                          metrics.Instellingen(min_aantal_tip=1))
    tips = signals.tips(maand, "Alfa")
    assert list(zip(tips["code"], tips["zaaktype"], tips["aantal"], tips["belang"]))[:3] == [
        ("achteraf_geregistreerd", "ZT-A", 1, 3), ("open_over_termijn", "ZT-A", 1, 3), ("niet_digitaal", "ZT-A", 3, 3)]
    assert "niet_digitaal" not in signals.tips(maand, "Beta")["code"].tolist()


def test_staff_flags_list_every_member_with_team_and_whether_they_never_used_the_system(klein: metrics.Basis) -> None:
    # MDW-3 never set a status nor handled a zaak; MDW-9 set one in January 2024. Prepared or from the snapshot.
    want = [("MDW-1", "Alfa", "T1", False), ("MDW-2", "Alfa", "T2", False), ("MDW-3", "Alfa", "T1", True),
            ("MDW-9", "Gamma", "T9", False)]
    snap = Snapshot(maandfixtures.tabellen(), {"periode_tot": "2024-03-31"})
    for bron in (klein, snap):
        mw = signals.medewerker_flags(bron)
        assert list(mw.columns) == ["identificatie", "afdeling", "team", "nooit_actief"]
        assert list(mw.index) == [0, 1, 2, 3]
        assert [tuple(r) for r in mw.itertuples(index=False)] == want


def test_zaak_flags_from_a_snapshot_and_without_document_data_unknown_not_false() -> None:
    snap = Snapshot(maandfixtures.tabellen(), {"periode_tot": "2024-03-31"})
    flags = signals.zaak_flags(snap, PEIL).set_index("identificatie")
    assert sorted(flags.index[flags["geen_statuswijziging"]]) == ["Z5"]
    tabellen, meta = maandfixtures.zonder_documenten()
    zonder = signals.zaak_flags(Snapshot(tabellen, meta), PEIL)
    assert zonder["gesloten_zonder_documenten"].dtype == "boolean"
    assert zonder["gesloten_zonder_documenten"].isna().all()


def test_the_examples_are_the_most_recently_registered_zaken_and_as_many_as_asked() -> None:
    # 31 March 2024: open past their legal term are Z5 (registered 1 December 2023), Z6 (29 February) and Z7
    # (1 March): the newest first.
    basis = maandfixtures.basis()
    for k, want in ((2, ["Z7", "Z6"]), (1, ["Z7"]), (0, [])):
        maart = metrics.maand(basis, "2024-03", metrics.Instellingen(voorbeelden=k))
        tabel = signals.signalen(maart, terms.ORGANISATIE).set_index("code")
        assert tabel.at["open_over_termijn", "aantal"] == 3
        assert tabel.at["open_over_termijn", "voorbeelden"] == want, k


def test_the_signal_table_has_its_columns_in_order_and_every_base_its_own_words(feb: metrics.Maand) -> None:
    org = signals.signalen(feb, terms.ORGANISATIE)
    assert list(org.columns) == ["code", "titel", "aantal", "noemer", "noemer_tekst", "voorbeelden", "nooit_actief",
                                 "aandeel", "label"]
    assert org["nooit_actief"].dtype == "Int64"
    rij = org.set_index("code")
    assert rij.at["achteraf_geregistreerd", "titel"] == ("Achteraf geregistreerd (zelfde dag geregistreerd en "
                                                         "afgesloten, geen tussenstatus)")
    # Only the staff row of the organisation says whose staff it counts; the others keep their own base.
    assert rij["noemer_tekst"].tolist() == ["afgesloten zaken", "afgesloten zaken", "afgesloten en open zaken",
                                            "afgesloten zaken", "open zaken", "open zaken", "documenten",
                                            "medewerkers van afdelingen met zaken"]
    # Beta: none of its one zaak (Z6, open) lacks a behandelaar: a share of 0 of 1, not unknown.
    assert signals.signalen(feb, "Beta").set_index("code").at["zonder_behandelaar", "aandeel"] == 0.0
    # June 2023 had no documents at all: 0 of 0, no share.
    juni = _tabel(metrics.maand(feb.basis, "2023-06"), terms.ORGANISATIE)
    assert juni.at["documenten_buiten_zaak", "noemer"] == 0 and np.isnan(juni.at["documenten_buiten_zaak", "aandeel"])
