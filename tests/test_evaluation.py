"""The evaluation's figures on data where the answer is known, and on the sample municipality.

The fixture municipality (built in memory, a few thousand zaken) has go-live on
1 March 2025 and evaluation on 1 November 2025, and plants: a zaaktype whose
lead time halves after go-live, one that does not change, one with too few
zaken, a department that registers only 30% of its work until August 2025, a
small department, a staff-only department, and a survey with small
departments.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import openpyxl
import pandas as pd
import pytest

from zgwlib.evaluatie import bootstrap
from zgwlib.data import contract
from zgwlib.evaluatie import analysis as ev_mod
from zgwlib.maandrapportage import figures as metrics
from zgwlib.maandrapportage import signals
from zgwlib.evaluatie import survey
from zgwlib.evaluatie import display as weergave
from zgwlib.evaluatie import excel
from zgwlib.evaluatie import findings
from zgwlib.evaluatie import teksten
from zgwlib import style
from zgwlib.core import xlsx
from zgwlib.core.errors import UsageError
from zgwlib.evaluatie.analysis import (
    ACHTER, GEADOPTEERD, GEEN_VERSCHIL, GEEN_ZAKEN, OVERIGE, SNELLER, TE_WEINIG, WEINIG_VOLUME, Instellingen,
)
from zgwlib.data.snapshot import Snapshot
from zgwlib.data.sources import load_snapshot

INVOERING = pd.Timestamp("2025-03-01")
START, EINDE = pd.Timestamp("2024-11-01"), pd.Timestamp("2025-10-31")
HALVEERT, GELIJK, WEINIG, ACHTERSTAND = "ZT-HAL", "ZT-GEL", "ZT-WEI", "ZT-ACH"
#: A zaaktype name that would be a formula in Excel and markup in HTML.
GEVAARLIJK = '=HYPERLINK("http://x") <b>vet</b>'
#: The lagging department registers 30% of its work until this month (six months after go-live).
ACHTER_SINDS = pd.Timestamp("2025-09-01")


def _zaken(rng: np.random.Generator) -> pd.DataFrame:
    """Zaken registered on each day, lead times from a lognormal around each zaaktype's median."""
    dagen = pd.bdate_range(START, EINDE)
    # zaaktype: (afdeling, zaken per working day, median lead time before, after go-live)
    soorten = {
        HALVEERT: ("Vergunningen", 2.0, 40, 20),
        GELIJK: ("Vergunningen", 2.0, 15, 15),
        WEINIG: ("Klein", 0.2, 30, 30),
        ACHTERSTAND: ("Achterstand", 1.5, 20, 20),
    }
    parts = []
    for zt, (afd, per_dag, voor, na) in soorten.items():
        lam = np.full(len(dagen), per_dag)
        if zt == ACHTERSTAND:
            lam[(dagen >= INVOERING) & (dagen < ACHTER_SINDS)] *= 0.3
        n = rng.poisson(lam)
        reg = np.repeat(dagen.to_numpy(), n)
        mediaan = np.where(reg >= INVOERING.to_datetime64(), na, voor)
        dlt = np.maximum(np.rint(mediaan * np.exp(0.35 * rng.standard_normal(len(reg)))), 1).astype("int64")
        parts.append(pd.DataFrame({"zaaktype": zt, "afdeling": afd, "registratiedatum": reg,
                                   "doorlooptijd": dlt}))
    z = pd.concat(parts, ignore_index=True).sort_values("registratiedatum", kind="stable").reset_index(drop=True)
    z["identificatie"] = [f"ZAAK-{i:06d}" for i in range(len(z))]
    z["startdatum"] = z["registratiedatum"]
    eind = z["startdatum"] + pd.to_timedelta(z["doorlooptijd"], unit="D")
    z["einddatum"] = eind.where(eind <= EINDE)
    termijn = z["zaaktype"].map({HALVEERT: 56, GELIJK: 28, WEINIG: 42, ACHTERSTAND: 28})
    z["uiterlijke_einddatum_afdoening"] = z["startdatum"] + pd.to_timedelta(termijn, unit="D")
    z["einddatum_gepland"] = z["uiterlijke_einddatum_afdoening"]
    z["behandelaar"] = z["afdeling"].map({"Vergunningen": "MDW-01", "Klein": "MDW-03", "Achterstand": "MDW-04"})
    z["resultaat"] = np.where(z["einddatum"].notna(), "Afgehandeld", None)
    z["archiefnominatie"] = "vernietigen"
    z["archiefstatus"] = "nog_te_archiveren"
    z["archiefactiedatum"] = pd.NaT
    z["vertrouwelijkheidaanduiding"] = "intern"
    z["communicatiekanaal"] = "e-formulier"
    z["omschrijving"] = "aanvraag"
    return z


def _enquete() -> pd.DataFrame:
    """Staff survey: scores rise by one point for Vergunningen, stay equal elsewhere; two small departments."""
    rows = []
    aantallen = {"Vergunningen": (8, 7), "Achterstand": (6, 6), "Klein": (3, 4), "Financiën": (2, 2)}
    for afd, (n0, n1) in aantallen.items():
        for meting, n, extra in (("nulmeting", n0, 0), ("evaluatie", n1, 1 if afd == "Vergunningen" else 0)):
            for r in range(n):
                for q, vraag in enumerate(("Ik vind dossiers snel", "Ik vertrouw het digitale dossier")):
                    score = min(5, 2 + (r + q) % 3 + extra)
                    datum = dt.date(2025, 2, 10) if meting == "nulmeting" else dt.date(2025, 11, 3)
                    rows.append((f"{afd[:3]}-{meting[:3]}-{r}", afd, meting, datum, vraag, score))
    e = pd.DataFrame(rows, columns=["respondent", "afdeling", "meting", "datum", "vraag", "score"])
    e["datum"] = pd.to_datetime(e["datum"])
    return e


def _snapshot(seed: int = 7) -> Snapshot:
    rng = np.random.default_rng(seed)
    z = _zaken(rng)
    st = pd.concat([
        pd.DataFrame({"zaak": z["identificatie"], "statustype": "Geregistreerd", "volgnummer": 1,
                      "datum_status_gezet": z["registratiedatum"] + pd.Timedelta(hours=9), "is_eindstatus": False}),
        pd.DataFrame({"zaak": z["identificatie"], "statustype": "In behandeling", "volgnummer": 2,
                      "datum_status_gezet": z["registratiedatum"] + pd.Timedelta(hours=10), "is_eindstatus": False}),
        pd.DataFrame({"zaak": z.loc[z["einddatum"].notna(), "identificatie"], "statustype": "Afgehandeld",
                      "volgnummer": 3, "datum_status_gezet": z["einddatum"].dropna() + pd.Timedelta(hours=11),
                      "is_eindstatus": True}),
    ], ignore_index=True)
    st["gezet_door"] = st["zaak"].map(z.set_index("identificatie")["behandelaar"])
    docs = pd.DataFrame({"identificatie": [f"DOC-{i:06d}" for i in range(len(z))], "zaak": z["identificatie"],
                         "informatieobjecttype": "Aanvraag", "creatiedatum": z["registratiedatum"],
                         "status": "definitief"})
    zt = pd.DataFrame({
        "identificatie": [HALVEERT, GELIJK, WEINIG, ACHTERSTAND],
        "omschrijving": ["Vergunning die halveert", GEVAARLIJK, "Zeldzame aanvraag", "Aanvraag achterstand"],
        "afdeling": ["Vergunningen", "Vergunningen", "Klein", "Achterstand"],
        "doorlooptijd_dagen": [56, 28, 42, 28], "servicenorm_dagen": [None] * 4,
        "verlenging_mogelijk": [False] * 4, "verlengingstermijn_dagen": [None] * 4,
    })
    mw = pd.DataFrame({
        "identificatie": ["MDW-01", "MDW-02", "MDW-03", "MDW-04", "MDW-05"],
        "naam": ["A", "B", "C", "D", "E"],
        "afdeling": ["Vergunningen", "Vergunningen", "Klein", "Achterstand", "Financiën"],
        "team": ["T1", "T1", "T2", "T3", "T4"],
        "actief_sinds": pd.to_datetime(["2025-03-01", None, "2025-03-01", "2025-03-01", None]),
    })
    tables = {
        "zaken": contract.conform("zaken", z), "statussen": contract.conform("statussen", st),
        "documenten": contract.conform("documenten", docs), "zaaktypen": contract.conform("zaaktypen", zt),
        "medewerkers": contract.conform("medewerkers", mw), "enquete": contract.conform("enquete", _enquete()),
    }
    meta = {"gemeente": "Testgemeente", "periode_van": START.date().isoformat(),
            "periode_tot": EINDE.date().isoformat(), "invoeringsdatum": INVOERING.date().isoformat()}
    return Snapshot(tables, meta)


@pytest.fixture(scope="module")
def snap() -> Snapshot:
    return _snapshot()


@pytest.fixture(scope="module")
def ev(snap: Snapshot) -> ev_mod.Evaluatie:
    return ev_mod.evaluate(snap)


# --------------------------------------------------------------------------- periods


def test_periods_default_to_eight_months_and_equal_windows() -> None:
    p = ev_mod.determine_perioden({"invoeringsdatum": "2025-03-01", "periode_van": "2024-11-01",
                                "periode_tot": "2026-10-31"})
    assert p.evaluatiedatum == pd.Timestamp("2025-11-01")
    assert (p.voor_van, p.voor_tot) == (pd.Timestamp("2024-11-01"), pd.Timestamp("2025-02-28"))
    assert (p.na_van, p.na_tot) == (pd.Timestamp("2025-07-01"), pd.Timestamp("2025-10-31"))
    assert p.maanden == [f"2025-{m:02d}" for m in range(3, 11)]
    assert p.aanloop == pd.Timedelta(0) and p.opmerkingen == ()
    # Parameters win over meta; an evaluation past the data's end is cut off there, with a note.
    q = ev_mod.determine_perioden({"invoeringsdatum": "2025-03-01", "periode_tot": "2025-09-30"}, "2025-04-01",
                               None, 2)
    assert q.invoeringsdatum == pd.Timestamp("2025-04-01") and q.peildatum == pd.Timestamp("2025-09-30")
    assert q.na_van == pd.Timestamp("2025-08-01") and q.aanloop is None
    assert "30 september 2025" in q.opmerkingen[0]


@pytest.mark.parametrize("meta, kwargs, fragment", [
    ({}, {}, "invoeringsdatum"),
    ({"invoeringsdatum": "2025-03-01"}, {"evaluatiedatum": "2025-02-01"}, "after the invoeringsdatum"),
    ({"invoeringsdatum": "maart"}, {}, "not a date"),
    ({"invoeringsdatum": "2025-03-01"}, {"maanden": 0}, "at least 1"),
    ({"invoeringsdatum": "2025-03-01", "periode_tot": "2025-01-31"}, {}, "before the invoeringsdatum"),
])
def test_periods_refuse_impossible_dates(meta: dict, kwargs: dict, fragment: str) -> None:
    with pytest.raises(UsageError, match=fragment):
        ev_mod.determine_perioden(meta, **kwargs)


# --------------------------------------------------------------------------- bootstrap


@pytest.mark.parametrize("soort", ["mediaan", "p90", "gemiddelde"])
def test_resample_statistic_from_counts_equals_numpy_on_the_expanded_resample(soort: str) -> None:
    x = np.rint(np.random.default_rng(1).lognormal(3, 0.6, 57))
    got = bootstrap._herhaald(x, soort, 40, np.random.default_rng(5))
    v, c = np.unique(x, return_counts=True)
    counts = np.random.default_rng(5).multinomial(len(x), c / len(x), size=40)
    want = [bootstrap.statistiek(np.repeat(v, k), soort) for k in counts]
    np.testing.assert_allclose(got, want)


def test_planted_halving_gives_an_interval_below_zero() -> None:
    rng = np.random.default_rng(3)
    voor = np.rint(40 * np.exp(0.35 * rng.standard_normal(60)))
    na = np.rint(20 * np.exp(0.35 * rng.standard_normal(60)))
    v = bootstrap.bootstrap_verschil(voor, na, rng=11)
    assert v.richting == -1 and v.laag < v.verschil < v.hoog < 0
    assert v.verschil == np.median(na) - np.median(voor)
    assert -25 < v.verschil < -15


def test_no_change_is_not_called_significant_in_at_least_18_of_20_seeds() -> None:
    hits = 0
    for seed in range(20):
        rng = np.random.default_rng(100 + seed)
        voor, na = (np.rint(30 * np.exp(0.4 * rng.standard_normal(40))) for _ in range(2))
        hits += bootstrap.bootstrap_verschil(voor, na, rng=seed).richting != 0
    assert hits <= 2


def test_bootstrap_is_reproducible_and_handles_empty_samples() -> None:
    a, b = np.arange(30.0), np.arange(5.0, 35.0)
    assert bootstrap.bootstrap_verschil(a, b, "p90", rng=4) == bootstrap.bootstrap_verschil(a, b, "p90", rng=4)
    leeg = bootstrap.bootstrap_verschil(a, np.array([np.nan]))
    assert np.isnan(leeg.laag) and leeg.richting == 0 and leeg.voor == 14.5
    with pytest.raises(UsageError):
        bootstrap.bootstrap_verschil(a, b, "modus")


# --------------------------------------------------------------------------- before and after


def test_before_after_detects_the_halving_and_not_the_stable_zaaktype(ev: ev_mod.Evaluatie) -> None:
    vn = ev.voor_na.set_index("zaaktype")
    hal = vn.loc[HALVEERT]
    assert hal["oordeel"] == SNELLER and hal["getest"]
    assert hal["mediaan_hoog"] < 0 and hal["verandering_hoog"] < 0
    assert -0.6 < hal["verandering"] < -0.4  # halved, give or take chance
    assert hal["mediaan_voor"] == pytest.approx(40, abs=4) and hal["mediaan_na"] == pytest.approx(20, abs=3)
    assert vn.loc[GELIJK, "oordeel"] == GEEN_VERSCHIL
    assert vn.loc[GELIJK, "mediaan_laag"] <= 0 <= vn.loc[GELIJK, "mediaan_hoog"]
    # The interval in % is the interval in days over the median before.
    assert hal["verandering_laag"] == pytest.approx(hal["mediaan_laag"] / hal["mediaan_voor"])


def test_too_few_zaken_are_listed_with_their_counts_not_tested(ev: ev_mod.Evaluatie) -> None:
    vn = ev.voor_na.set_index("zaaktype")
    wei = vn.loc[WEINIG]
    assert not wei["getest"] and wei["oordeel"] == TE_WEINIG
    assert np.isnan(wei["mediaan_laag"]) and np.isnan(wei["termijn_laag"])
    assert wei["n_voor"] < ev.instellingen.min_zaken and "minstens 15" in wei["reden"]
    # Counted by hand: closed in the period, started no earlier than the period (the data starts with it).
    zaken = _snapshot().zaken
    sel = (zaken["zaaktype"] == WEINIG) & zaken["einddatum"].between(START, INVOERING - pd.Timedelta(days=1)) & \
        (zaken["startdatum"] >= START)
    assert wei["n_voor"] == sel.sum()
    html_ = weergave.tabel_te_weinig(ev.voor_na)
    assert "Zeldzame aanvraag" in html_ and "Vergunning die halveert" not in html_
    # Tested ones first, the strongest improvement on top.
    assert list(ev.voor_na["getest"]) == sorted(ev.voor_na["getest"], reverse=True)
    assert ev.voor_na["zaaktype"].iloc[0] == HALVEERT


def test_only_like_with_like_when_the_data_starts_with_the_before_period(snap: Snapshot) -> None:
    p = ev_mod.determine_perioden(snap.meta)
    vn = ev_mod.voor_en_na(metrics.prepare(snap), p).set_index("zaaktype")
    z = snap.zaken
    na = (z["zaaktype"] == GELIJK) & z["einddatum"].between(p.na_van, p.na_tot)
    # Zaken started before the na period are left out, as the vóór period cannot hold such zaken.
    assert vn.loc[GELIJK, "n_na"] == (na & (z["startdatum"] >= p.na_van)).sum() < na.sum()


# --------------------------------------------------------------------------- adoption


def test_adoption_flags_the_lagging_department_since_it_caught_up(ev: ev_mod.Evaluatie) -> None:
    a = ev.adoptie.per_afdeling.set_index("afdeling")
    assert a.loc["Achterstand", "oordeel"] == ACHTER
    assert a.loc["Achterstand", "geadopteerd_sinds"] == "2025-09"
    assert a.loc["Achterstand", "maanden_na_invoering"] == 6
    assert "pas sinds september 2025" in a.loc["Achterstand", "toelichting"]
    assert a.loc["Vergunningen", "oordeel"] == GEADOPTEERD
    assert a.loc["Vergunningen", "geadopteerd_sinds"] == "2025-03"
    assert a.loc["Klein", "oordeel"] == WEINIG_VOLUME
    assert a.loc["Financiën", "oordeel"] == GEEN_ZAKEN
    assert list(ev.adoptie.achterblijvers()["afdeling"]) == ["Achterstand"]
    assert a.index[-1] == "organisatie"
    # Staff and zaaktypes: Vergunningen has two staff of whom one is ever active, and two zaaktypes in use.
    assert (a.loc["Vergunningen", "medewerkers"], a.loc["Vergunningen", "actieve_gebruikers"]) == (2, 1)
    assert (a.loc["Vergunningen", "zaaktypen_live"], a.loc["Vergunningen", "zaaktypen_totaal"]) == (2, 2)


def test_a_consulting_department_is_labelled_not_judged_as_lagging(snap: Snapshot) -> None:
    """Marked in raadplegende_afdelingen: Achterstand (which lags) and Financiën (staff, no zaken) get "raadpleegt
    vooral" with the figures' own reason kept; Vergunningen, adopted, keeps its verdict; nobody lags any more, so the
    table marks no row and the findings name no lagging department."""
    inst = Instellingen(raadplegende_afdelingen=("Achterstand", "Financiën", "Vergunningen"))
    e = ev_mod.evaluate(snap, instellingen=inst)
    a = e.adoptie.per_afdeling.set_index("afdeling")
    assert a.loc["Achterstand", "oordeel"] == a.loc["Financiën", "oordeel"] == ev_mod.RAADPLEEGT
    assert a.loc["Achterstand", "toelichting"] == (
        "raadpleegt vooral; het gebruik is niet te zien in de gegevens (registreert pas sinds september 2025 al het "
        "werk als zaak, 6 maanden na de invoering)")
    assert a.loc["Financiën", "toelichting"].endswith("(geen zaken geregistreerd in de laatste maanden)")
    assert a.loc["Vergunningen", "oordeel"] == GEADOPTEERD and a.loc["Klein", "oordeel"] == WEINIG_VOLUME
    assert e.adoptie.achterblijvers().empty
    tabel = weergave.tabel_adoptie(e.adoptie)
    assert "box-shadow" not in tabel and ev_mod.RAADPLEEGT in tabel  # no row marked as lagging
    assert "box-shadow" in weergave.tabel_adoptie(ev_mod.evaluate(snap).adoptie)  # without the setting: marked
    assert not any("Achterstand" in regel for regel in findings.bevindingen(e)["Achterblijvers en verslechteringen"])
    assert e.kerncijfers()["Afdelingen die achterblijven"] == "0"


def test_share_of_work_is_registered_zaken_over_the_steady_state(ev: ev_mod.Evaluatie, snap: Snapshot) -> None:
    z = snap.zaken
    eigen = z[z["afdeling"] == "Vergunningen"]
    per_maand = eigen.groupby(eigen["registratiedatum"].dt.to_period("M")).size()
    assert len(per_maand) == 12
    normaal = float(per_maand[-3:].median())  # August, September, October 2025
    voor = float(per_maand[:4].median())
    rij = ev.adoptie.per_afdeling.set_index("afdeling").loc["Vergunningen"]
    assert (rij["normaal_per_maand"], rij["voor_per_maand"]) == (normaal, voor)
    assert rij["t_o_v_voor"] == pytest.approx(normaal / voor)
    pm = ev.adoptie.per_maand
    rij = pm[(pm["afdeling"] == "Vergunningen") & (pm["maand"] == "2025-06")].iloc[0]
    assert rij["normaal_per_maand"] == normaal
    assert rij["aandeel_werk"] == pytest.approx(per_maand[pd.Period("2025-06", "M")] / normaal)
    # Before go-live there is no share (the months only set the normal volume).
    assert pm[(pm["afdeling"] == "Vergunningen") & ~pm["na_invoering"]]["aandeel_werk"].isna().all()


def test_registering_afterwards_keeps_a_department_from_adopted(snap: Snapshot) -> None:
    """Same volumes, but a quarter of Vergunningen's zaken closed on their registration day, no intermediate status."""
    z = snap.zaken
    eigen = (z["afdeling"] == "Vergunningen").to_numpy() & z["einddatum"].notna().to_numpy()
    achteraf = z.loc[eigen, "identificatie"].iloc[::4]
    tables = dict(snap.tables)
    zaken = z.copy()
    sel = zaken["identificatie"].isin(achteraf)
    zaken.loc[sel, "registratiedatum"] = zaken.loc[sel, "einddatum"]
    tables["zaken"] = zaken
    st = snap.statussen
    tables["statussen"] = st[~(st["zaak"].isin(achteraf) & (st["volgnummer"] == 2))].reset_index(drop=True)
    p = ev_mod.determine_perioden(snap.meta)
    a = ev_mod.adoptie(metrics.prepare(Snapshot(tables, snap.meta)), p).per_afdeling.set_index("afdeling")
    assert a.loc["Vergunningen", "oordeel"] == ACHTER
    assert a.loc["Vergunningen", "achteraf"] == pytest.approx(0.25, abs=0.03)
    assert "achteraf" in a.loc["Vergunningen", "toelichting"]
    assert a.loc["Achterstand", "achteraf"] == 0


# --------------------------------------------------------------------------- signals


def test_signal_development_is_the_monthly_reports_signal_table(ev: ev_mod.Evaluatie, snap: Snapshot) -> None:
    v = ev.signalen
    assert sorted(v["maand"].unique()) == ev.perioden.maanden
    juni = signals.signalen(metrics.maand(metrics.prepare(snap), "2025-06"), "organisatie")
    got = v[v["maand"] == "2025-06"].reset_index(drop=True)
    pd.testing.assert_frame_equal(got[["code", "aantal", "noemer"]], juni[["code", "aantal", "noemer"]])


def test_persistent_signals_did_not_halve() -> None:
    maanden = [f"2025-{m:02d}" for m in range(3, 9)]
    rows = []
    for i, m in enumerate(maanden):
        rows.append((m, "blijft", "Blijft", 10, 100, "zaken"))
        rows.append((m, "daalt", "Daalt", 20 if i < 3 else 5, 100, "zaken"))
        rows.append((m, "klein", "Klein", 1, 100, "zaken"))
    v = pd.DataFrame(rows, columns=["maand", "code", "titel", "aantal", "noemer", "noemer_tekst"])
    v["aandeel"] = v["aantal"] / v["noemer"]
    h = ev_mod.hardnekkige_signalen(v).set_index("code")
    assert h.loc["blijft", "hardnekkig"] and h.loc["blijft", "laatst"] == 0.10
    assert not h.loc["daalt", "hardnekkig"] and h.loc["daalt", "eerst"] == 0.20
    assert not h.loc["klein", "hardnekkig"]  # under 5%


# --------------------------------------------------------------------------- survey


def test_survey_merges_departments_under_five_respondents(ev: ev_mod.Evaluatie) -> None:
    g = ev.enquete.groepen
    assert g["Vergunningen"] == "Vergunningen" and g["Achterstand"] == "Achterstand"
    assert g["Klein"] == OVERIGE and g["Financiën"] == OVERIGE
    v = ev.enquete.verdeling
    assert set(v["groep"]) == {"organisatie", "Vergunningen", "Achterstand", OVERIGE}
    # No group shown with fewer than five respondents in a round: Klein 3+2 and 4+2 together.
    assert v["respondenten"].min() >= 5
    overig = v[(v["groep"] == OVERIGE)].groupby("meting")["respondenten"].max()
    assert dict(overig) == {"evaluatie": 6, "nulmeting": 5}
    scores = v[[f"score_{i}" for i in range(1, 6)]].sum(axis=1)
    np.testing.assert_allclose(scores, 1.0)


def test_survey_merges_one_more_department_when_the_rest_stays_too_small() -> None:
    e = pd.DataFrame([(f"{a}{m}{i}", a, m, "v", 3) for a, n in (("A", 9), ("B", 6), ("C", 2))
                      for m in ("nulmeting", "evaluatie") for i in range(n)],
                     columns=["respondent", "afdeling", "meting", "vraag", "score"])
    assert survey.enquete_groepen(e) == {"A": "A", "B": OVERIGE, "C": OVERIGE}
    assert survey.enquete_groepen(e, min_respondenten=2) == {"A": "A", "B": "B", "C": "C"}


def test_survey_shift_is_positive_where_planted(ev: ev_mod.Evaluatie) -> None:
    s = ev.enquete.verschuiving.set_index(["groep", "vraag"])
    verg = s.loc["Vergunningen"]
    assert (verg["oordeel"] == "positiever").all() and (verg["laag"] > 0).all()
    e = _enquete()
    e = e[e["afdeling"] == "Vergunningen"].groupby(["vraag", "meting"])["score"].mean().unstack()
    assert verg["verschil"].to_dict() == pytest.approx((e["evaluatie"] - e["nulmeting"]).to_dict())
    assert (s.loc["Achterstand", "verschil"] == 0).all()
    assert (s.loc["Achterstand", "oordeel"] == GEEN_VERSCHIL).all()
    # A department merged for privacy is shown as the organisation.
    assert dataclasses.replace(ev, afdeling="Klein").enquete_groep == "organisatie"
    assert dataclasses.replace(ev, afdeling="Achterstand").enquete_groep == "Achterstand"


# --------------------------------------------------------------------------- findings, tables and Excel


def test_draft_findings_name_the_improvement_and_the_lagging_department(ev: ev_mod.Evaluatie) -> None:
    b = findings.bevindingen(ev)
    assert "<strong>Vergunning die halveert</strong> is aantoonbaar korter" in b["Sterkste verbeteringen"][0]
    assert b["Achterblijvers en verslechteringen"][0].startswith("<strong>Achterstand</strong> blijft achter")
    assert any("Ik vind dossiers snel" in z or "vertrouw" in z for z in b["Medewerkers"])
    plain = findings.bevindingen_tekst(ev)
    assert "**" not in plain and "<strong>" not in plain and "Vergunning die halveert" in plain
    page = findings.bevindingen_html(ev)
    assert "<li>De doorlooptijd van <strong>Vergunning die halveert</strong> is aantoonbaar korter" in page
    assert "**" not in page


def test_tables_escape_names_from_the_data(ev: ev_mod.Evaluatie) -> None:
    html_ = weergave.tabel_voor_na(ev.voor_na)
    assert "<b>vet</b>" not in html_ and "&lt;b&gt;vet&lt;/b&gt;" in html_
    assert "Vergunning die halveert" in html_ and SNELLER in html_
    assert "Achterstand" in weergave.tabel_adoptie(ev.adoptie)


def test_dot_and_interval_chart_shows_each_tested_change_with_its_interval(ev: ev_mod.Evaluatie) -> None:
    # A dollar in a name must stay text (matplotlib would read "$...$" as mathematics).
    vn = ev.voor_na.assign(omschrijving=ev.voor_na["omschrijving"].str.replace("Vergunning", "Vergunning $5"))
    ax = weergave.draw_voor_na(vn, "doorlooptijd")
    try:
        labels = [t.get_text() for t in ax.get_yticklabels()]
        dots = ax.collections[1].get_offsets()[:, 0]
        segments = [tuple(s[:, 0]) for s in ax.collections[0].get_segments()]
        drawn = dict(zip(labels, zip(dots, segments, strict=True), strict=True))
        getest = vn[vn["getest"] & vn["verandering"].notna()]
        assert len(drawn) == len(getest) >= 2
        for _, r in getest.iterrows():
            x, (lo, hi) = drawn[style.grafiektekst(r["omschrijving"], 42)]
            assert x == pytest.approx(100 * r["verandering"])
            assert (lo, hi) == pytest.approx((100 * r["verandering_laag"], 100 * r["verandering_hoog"]))
        x, (lo, hi) = drawn[r"Vergunning \$5 die halveert"]
        assert hi < 0 and -60 < x < -40  # the planted halving: the whole interval left of zero
        _, (lo, hi) = drawn[vn.set_index("zaaktype").at[GELIJK, "omschrijving"]]
        assert lo < 0 < hi  # no change: the interval crosses zero
    finally:
        plt.close(ax.figure)


def test_excel_export_has_the_expected_sheets_and_keeps_text_as_text(ev: ev_mod.Evaluatie, tmp_path: Path) -> None:
    out = excel.export_excel(ev, tmp_path / "bijlage.xlsx")
    assert out == tmp_path / "bijlage.xlsx"
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Toelichting", "Adoptie", "Adoptie per maand", "Voor en na", "Te weinig zaken",
                             "Signalen", "Enquête verschuiving", "Enquête verdeling", "Bevindingen (concept)"]
    voor_na = wb["Voor en na"]
    kop = [c.value for c in voor_na[1]]
    rijen = {r[0]: dict(zip(kop, r, strict=True)) for r in voor_na.iter_rows(min_row=2, values_only=True)}
    assert rijen[HALVEERT]["oordeel"] == SNELLER
    assert rijen[HALVEERT]["mediaan_voor"] == ev.voor_na.set_index("zaaktype").loc[HALVEERT, "mediaan_voor"]
    cel = next(c for c in voor_na["B"] if c.value == GEVAARLIJK)
    assert cel.data_type == "s"  # a name starting with "=" is not a formula
    assert [r[0] for r in wb["Te weinig zaken"].iter_rows(min_row=2, values_only=True)] == [WEINIG]
    assert len(list(wb["Bevindingen (concept)"].iter_rows(min_row=2))) >= 4
    assert not [p for p in tmp_path.iterdir() if p.name != "bijlage.xlsx"]


def test_excel_export_is_atomic(ev: ev_mod.Evaluatie, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "bijlage.xlsx"
    target.write_bytes(b"de vorige versie")

    def kapot(out: object, frame: object, procent: object) -> None:
        out.write(b"<worksheet>half")  # type: ignore[attr-defined]
        raise OSError("schijf vol")

    monkeypatch.setattr(xlsx, "_write_sheet", kapot)
    with pytest.raises(OSError, match="schijf vol"):
        excel.export_excel(ev, target)
    assert target.read_bytes() == b"de vorige versie"
    assert [p.name for p in tmp_path.iterdir()] == ["bijlage.xlsx"]
    with pytest.raises(UsageError, match=".xlsx"):
        excel.export_excel(ev, tmp_path / "bijlage.csv")


def test_excel_default_goes_to_outputs_never_into_notebooks(
    ev: ev_mod.Evaluatie, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    (project / "notebooks" / "kopie").mkdir(parents=True)
    naam = f"evaluatie-organisatie-{ev.perioden.evaluatiedatum.date().isoformat()}.xlsx"
    # A kernel runs in its notebook's folder (JupyterLab, nbval, zgw run): the file goes to outputs/ beside it.
    for werkmap in (project / "notebooks", project / "notebooks" / "kopie"):
        monkeypatch.chdir(werkmap)
        assert excel.export_excel(ev) == (project / "outputs" / naam).resolve()
    assert not list((project / "notebooks").rglob("*.xlsx"))
    # papermill from the project root: outputs/ there too.
    monkeypatch.chdir(project)
    assert excel.standaard_excelpad(ev) == project.resolve() / "outputs" / naam
    # A folder for excel_uit (one setting for every department of a zgw run) gets the default file name.
    assert excel.export_excel(ev, tmp_path / "bijlagen") == tmp_path / "bijlagen" / naam
    assert excel.export_excel(ev, str(project)) == project / naam


def test_unknown_department_is_refused(snap: Snapshot) -> None:
    with pytest.raises(UsageError, match="not in the data"):
        ev_mod.evaluate(snap, "Bestaat niet")


def test_department_evaluation_keeps_to_its_own_zaken(snap: Snapshot) -> None:
    e = ev_mod.evaluate(snap, "Achterstand", instellingen=Instellingen(trekkingen=200))
    assert set(e.voor_na["zaaktype"]) == {ACHTERSTAND}
    assert e.kerncijfers()["Adoptie"] == ACHTER
    assert "documenten_buiten_zaak" not in set(e.signalen["code"])  # documents have no department


# --------------------------------------------------------------------------- the sample municipality


@pytest.fixture(scope="module")
def sample(small_sample: Path) -> tuple[Snapshot, dict, metrics.Basis]:
    snap = ev_mod.load(small_sample)
    return snap, snap.meta["sample"]["geplant"], metrics.prepare(snap)


def test_sample_halving_zaaktypes_come_out_faster(sample: tuple[Snapshot, dict, metrics.Basis]) -> None:
    snap, geplant, basis = sample
    assert geplant["halvering_zaaktypen"]
    # The planted halving is complete in the last months of the data, so evaluate there. The small sample
    # has about 16 closed permits per four months, hence a lower minimum than the default.
    eind = pd.Timestamp(snap.meta["periode_tot"]) + pd.Timedelta(days=1)
    inst = Instellingen(min_zaken=10, trekkingen=1000)
    vn = ev_mod.voor_en_na(basis, ev_mod.determine_perioden(snap.meta, evaluatiedatum=eind), instellingen=inst)
    vn = vn.set_index("zaaktype")
    for zt in geplant["halvering_zaaktypen"]:
        assert vn.loc[zt, "oordeel"] == SNELLER, vn.loc[zt]
        assert vn.loc[zt, "verandering_hoog"] < 0


def test_sample_lagging_department_is_flagged_at_the_default_evaluation(sample: tuple[Snapshot, dict, metrics.Basis]) -> None:
    snap, geplant, basis = sample
    p = ev_mod.determine_perioden(snap.meta)
    assert p.evaluatiedatum == pd.Timestamp(snap.meta["invoeringsdatum"]) + pd.DateOffset(months=8)
    achter = ev_mod.adoptie(basis, p).achterblijvers()
    assert geplant["achterblijvende_afdeling"] in set(achter["afdeling"])
    rij = achter.set_index("afdeling").loc[geplant["achterblijvende_afdeling"]]
    eigen = pd.Timestamp(snap.meta["invoering_per_afdeling"][geplant["achterblijvende_afdeling"]])
    assert pd.isna(rij["geadopteerd_sinds"]) or pd.Period(rij["geadopteerd_sinds"], "M") >= eigen.to_period("M") - 1
    # Departments that went live with the organisation and have enough zaken are not flagged.
    op_tijd = {a for a, d in snap.meta["invoering_per_afdeling"].items() if d == snap.meta["invoeringsdatum"]}
    assert not op_tijd & set(achter["afdeling"])
    # The survey's small departments are merged.
    enq = survey.enquete(snap.enquete, trekkingen=200)
    assert {a for a, g in enq.groepen.items() if g == OVERIGE} >= {"Communicatie", "HRM"}
    assert enq.verdeling["respondenten"].min() >= 5


def test_sample_loads_without_unused_columns(small_sample: Path) -> None:
    snap = ev_mod.load(small_sample)
    full = load_snapshot(small_sample, ["statussen"])
    assert set(snap.statussen.columns) < set(full.statussen.columns)


# --------------------------------------------------------------------------- the evaluator's texts per department


def test_the_evaluators_texts_come_per_department_over_those_for_all(tmp_path: Path) -> None:
    f = tmp_path / "evaluatie.teksten.yaml"
    f.write_text("alle:\n  aanpak: Interviews met <b>tien</b> teamleiders.\n  doelen: Voor iedereen.\n"
                 "Werk en Inkomen:\n  doelen: |\n    Eerste alinea.\n\n    Tweede alinea.\n  vervolg: ''\n",
                 encoding="utf-8")
    wi = teksten.load_teksten(f, "Werk en Inkomen")
    assert wi == {"aanpak": "Interviews met <b>tien</b> teamleiders.", "doelen": "Eerste alinea.\n\nTweede alinea."}
    assert teksten.load_teksten(f, "Financiën")["doelen"] == "Voor iedereen."
    assert teksten.load_teksten(None, "Financiën") == {}
    # Shown as escaped paragraphs; a section without text says it was not filled in, and nothing else.
    assert teksten.tekst_html(wi, "doelen") == "<p>Eerste alinea.</p><p>Tweede alinea.</p>"
    assert teksten.tekst_html(wi, "aanpak") == "<p>Interviews met &lt;b&gt;tien&lt;/b&gt; teamleiders.</p>"
    leeg = teksten.tekst_html(wi, "vervolg")
    assert "Dit onderdeel is niet ingevuld." in leeg and "Vul hier in" not in leeg
    f.write_text("alle:\n  conclusie: iets\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"evaluatie\.teksten\.yaml: 'alle' has an unknown section 'conclusie'"):
        teksten.load_teksten(f, "organisatie")
    f.write_text("organisatie:\n  doelen: [een, twee]\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"'organisatie', section 'doelen' must be text"):
        teksten.load_teksten(f, "organisatie")
    with pytest.raises(UsageError, match="no such parameters file"):
        teksten.load_teksten(tmp_path / "weg.yaml", "organisatie")
