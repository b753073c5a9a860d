"""The borging report: hand-computed effects (difference-in-differences), the sample's planted effects, empty and
hostile activiteiten, and the notebook under papermill.

The hand-made municipality ``Proefdorp``: department Alfa with teams T1 and T2 (four staff each, every one active
every month), go-live 1 January 2025, data up to 31 December 2025. Each team closes 40 zaken every month. A zaak
is on time (``binnen_termijn``) when it closes on or before its ``uiterlijke_einddatum_afdoening``; every zaak has
documents and an intermediate status. T1 gets a training on 10 June 2025 (month *M* = June), so with
``venster_maanden=4`` *before* is February-May and *after* is July-October.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from zgwlib.borging import display as view
from zgwlib.borging import figures
from zgwlib.core.terms import CACHE_MAP_ENV, SUMMARY_MIME
from zgwlib.data import contract
from zgwlib.data.snapshot import Snapshot
from zgwlib.data.sources import load_snapshot
from zgwlib.evaluatie.bootstrap import GEEN_VERSCHIL
from notebook_helpers import (assert_committed_clean, dutch_number, outputs, published_notebook, run_papermill,
                              shown_table)

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "borging.ipynb"
EVIL = '[x](https://evil) <script>alert("borging")</script>'
MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")


# --------------------------------------------------------------------------- the estimate on plain arrays


def _shares(on: int, n: int) -> np.ndarray:
    return np.r_[np.ones(on), np.zeros(n - on)]


def test_a_team_that_improves_while_its_comparison_does_not_has_a_clear_positive_effect() -> None:
    # Team: 50% -> 90% on time; comparison: 50% -> 50%. Effect = (0.9 - 0.5) - (0.5 - 0.5) = 0.4.
    d = figures.verschil_in_verschillen(_shares(100, 200), _shares(180, 200), _shares(400, 800), _shares(400, 800),
                                        rng=1)
    assert (d.voor, d.na, d.vergelijking_voor, d.vergelijking_na) == (0.5, 0.9, 0.5, 0.5)
    assert d.effect == pytest.approx(0.4)
    assert 0.25 < d.laag < 0.4 < d.hoog < 0.55 and d.richting == 1


def test_when_both_improve_equally_the_estimate_is_zero_and_its_interval_covers_zero() -> None:
    # Both 50% -> 90%: effect (0.9 - 0.5) - (0.9 - 0.5) = 0.
    d = figures.verschil_in_verschillen(_shares(100, 200), _shares(180, 200), _shares(400, 800), _shares(720, 800),
                                        rng=2)
    assert d.effect == pytest.approx(0.0, abs=1e-12)
    assert d.laag < 0 < d.hoog and d.richting == 0


def test_an_empty_group_gives_no_interval() -> None:
    d = figures.verschil_in_verschillen([], [1.0], [0.0], [1.0])
    assert math.isnan(d.voor) and math.isnan(d.laag) and d.richting == 0


# --------------------------------------------------------------------------- the hand-made municipality


def _proefdorp(t1_na: float, t2_na: float, activiteiten: list[tuple] | None = None) -> Snapshot:
    """Two teams, 40 closed zaken a month each; 50% on time before June, ``t1_na``/``t2_na`` from July."""
    zaken, statussen, documenten = [], [], []
    medewerkers = [(f"M{t}{k}", f"Naam {t}{k}", "Alfa", f"T{t}", "2025-01-01") for t in (1, 2) for k in range(4)]
    nr = 0
    for maand in range(1, 13):
        for t, na in ((1, t1_na), (2, t2_na)):
            share = 0.5 if maand <= 6 else na
            for i in range(40):
                nr += 1
                reg = dt.date(2025, maand, 1 + (i % 20))
                op_tijd = i < round(share * 40)
                eind = reg + dt.timedelta(days=3)
                uiterlijk = eind if op_tijd else eind - dt.timedelta(days=1)
                beh = f"M{t}{i % 4}"
                zid = f"Z{nr:05d}"
                zaken.append((zid, "ZT-A", "Alfa", beh, reg, reg, eind, uiterlijk, uiterlijk, "Toegekend"))
                statussen += [(zid, 1, f"{reg} 09:00", False, beh), (zid, 2, f"{reg} 10:00", False, beh),
                              (zid, 3, f"{eind} 09:00", True, beh)]
                documenten.append((f"D{nr:05d}", zid, reg))
    z = pd.DataFrame(zaken, columns=["identificatie", "zaaktype", "afdeling", "behandelaar", "registratiedatum",
                                     "startdatum", "einddatum", "einddatum_gepland", "uiterlijke_einddatum_afdoening",
                                     "resultaat"])
    for col in ("registratiedatum", "startdatum", "einddatum", "einddatum_gepland", "uiterlijke_einddatum_afdoening"):
        z[col] = pd.to_datetime(z[col])
    z["archiefnominatie"], z["archiefstatus"], z["archiefactiedatum"] = "vernietigen", "nog_te_archiveren", pd.NaT
    z["vertrouwelijkheidaanduiding"], z["communicatiekanaal"], z["omschrijving"] = "openbaar", "balie", "Zaak"
    st = pd.DataFrame(statussen, columns=["zaak", "volgnummer", "datum_status_gezet", "is_eindstatus", "gezet_door"])
    st["datum_status_gezet"] = pd.to_datetime(st["datum_status_gezet"])
    st["statustype"] = st["volgnummer"].map({1: "Geregistreerd", 2: "In behandeling", 3: "Afgehandeld"})
    docs = pd.DataFrame(documenten, columns=["identificatie", "zaak", "creatiedatum"])
    docs["creatiedatum"] = pd.to_datetime(docs["creatiedatum"])
    docs["informatieobjecttype"], docs["status"] = "Brief", "definitief"
    mw = pd.DataFrame(medewerkers, columns=["identificatie", "naam", "afdeling", "team", "actief_sinds"])
    mw["actief_sinds"] = pd.to_datetime(mw["actief_sinds"])
    zt = pd.DataFrame({"identificatie": ["ZT-A"], "omschrijving": ["Aanvraag"], "afdeling": ["Alfa"],
                       "doorlooptijd_dagen": [3], "servicenorm_dagen": [None], "verlenging_mogelijk": [False],
                       "verlengingstermijn_dagen": [None]})
    rows = activiteiten if activiteiten is not None else [("2025-06-10", "training", "Alfa", "T1", 4, "Training", None)]
    act = pd.DataFrame(rows, columns=["datum", "soort", "afdeling", "team", "deelnemers", "onderwerp", "vraag"])
    act["datum"] = pd.to_datetime(act["datum"])
    tables = {
        "zaken": contract.conform("zaken", z), "statussen": contract.conform("statussen", st),
        "documenten": contract.conform("documenten", docs), "zaaktypen": contract.conform("zaaktypen", zt),
        "medewerkers": contract.conform("medewerkers", mw),
        "activiteiten": contract.conform("activiteiten", act),
        "informatieobjecttypen": contract.TABLES["informatieobjecttypen"].empty(),
    }
    meta = {"gemeente": "Proefdorp", "periode_tot": "2025-12-31", "invoeringsdatum": "2025-01-01"}
    return Snapshot(tables, meta)


INST = figures.Instellingen(venster_maanden=4, trekkingen=1000, min_waarden=10)


def _effect(snap: Snapshot, indicator: str = "binnen_termijn") -> pd.Series:
    eff = figures.effect(figures.prepare(snap), "2025-12", INST)
    return eff.set_index(["team", "indicator"]).loc[("T1", indicator)]


def test_the_trained_team_that_improves_alone_shows_the_hand_computed_effect() -> None:
    # T1 50% -> 90% on time, T2 50% -> 50%: effect 0.4; 160 zaken in each group (4 months x 40).
    r = _effect(_proefdorp(0.9, 0.5))
    assert (r["voor"], r["na"], r["vergelijking_voor"], r["vergelijking_na"]) == (0.5, 0.9, 0.5, 0.5)
    assert r["effect"] == pytest.approx(0.4) and r["laag"] > 0.2 and r["oordeel"] == "beter"
    assert (r["n_voor"], r["n_na"], r["n_vergelijking_voor"], r["n_vergelijking_na"]) == (160, 160, 160, 160)
    assert r["maanden_na"] == 4 and r["vergelijkingsteams"] == 1
    # Everyone was active every month and nothing else changed: no effect there.
    for code in ("actief", "achteraf", "zonder_documenten"):
        other = _effect(_proefdorp(0.9, 0.5), code)
        assert other["effect"] == 0 and other["oordeel"] == GEEN_VERSCHIL, code


def test_when_the_comparison_team_improves_equally_the_effect_is_zero() -> None:
    r = _effect(_proefdorp(0.9, 0.9))
    assert r["effect"] == pytest.approx(0.0, abs=1e-12)
    assert r["laag"] < 0 < r["hoog"] and r["oordeel"] == GEEN_VERSCHIL


def test_a_training_too_recent_for_a_month_after_is_not_measured_and_too_few_zaken_is_said() -> None:
    late = _proefdorp(0.9, 0.5, [("2025-12-02", "buddy", "Alfa", "T1", 2, "Buddy", None)])
    assert figures.effect(figures.prepare(late), "2025-12", INST).empty
    few = figures.effect(figures.prepare(_proefdorp(0.9, 0.5)), "2025-12",
                         figures.Instellingen(venster_maanden=4, min_waarden=161))
    assert (few["oordeel"] == figures.TE_WEINIG).all() and few["laag"].isna().all()


def test_an_action_without_a_team_counts_for_every_team_of_its_department() -> None:
    g = figures.prepare(_proefdorp(0.9, 0.5, [("2025-06-10", "training", "Alfa", None, 8, "Voor iedereen", None)]))
    assert figures.eerste_acties(g)["team"].tolist() == ["T1", "T2"]
    assert figures.teams_overzicht(g, "2025-12")["geen_actie"].sum() == 0


def test_empty_activiteiten_give_empty_figures_and_no_error() -> None:
    g = figures.prepare(_proefdorp(0.9, 0.5, []))
    assert not figures.heeft_activiteiten(g)
    assert figures.effect(g, "2025-12").empty and figures.vraag_onderwerpen(g.activiteiten, "2025-12").empty
    assert figures.kalender(g.activiteiten, "2025-12")[list(figures.SOORT_LABEL)].to_numpy().sum() == 0
    assert figures.teams_overzicht(g, "2025-12")["geen_actie"].all()
    assert figures.acties_in_maand(g.activiteiten, "2025-12").empty


def test_free_text_of_activiteiten_is_shown_as_text_never_as_markup() -> None:
    rows = [("2025-12-04", "inloopspreekuur", "Alfa", "T1", 3, EVIL, EVIL),
            ("2025-12-04", "inloopspreekuur", "Alfa", "T2", 3, "Spreekuur", EVIL),
            ("2025-06-10", "training", "Alfa", EVIL, 4, EVIL, None)]
    g = figures.prepare(_proefdorp(0.9, 0.5, rows))
    pieces = [
        view.acties_html(figures.acties_in_maand(g.activiteiten, "2025-12")),
        view.onderwerpen_html(figures.vraag_onderwerpen(g.activiteiten, "2025-12")),
        view.vragen_html(figures.meest_gestelde_vragen(g.activiteiten, "2025-12")),
        view.teams_html(figures.teams_overzicht(g, "2025-12")),
    ]
    for piece in pieces:
        assert "<script" not in piece and "<a " not in piece and "href" not in piece
    assert html.escape(EVIL) in pieces[0] and html.escape(EVIL) in pieces[2]
    assert figures.meest_gestelde_vragen(g.activiteiten, "2025-12").iloc[0].tolist() == [EVIL, 2, "Overige vragen"]


def test_questions_are_grouped_into_faq_topics_most_asked_first() -> None:
    vragen = ["Hoe koppel ik een e-mail aan een zaak?", "Hoe koppel ik een  e-mail aan een zaak?",
              "Waar sla ik een scan op?", "Welk resultaat kies ik?", "Hoe werkt de koffieautomaat?"]
    rows = [("2025-12-04", "inloopspreekuur", "Alfa", None, 5, "Spreekuur", v) for v in vragen]
    th = figures.vraag_onderwerpen(figures.prepare(_proefdorp(0.9, 0.5, rows)).activiteiten, "2025-12")
    assert th["thema"].tolist() == ["Documenten en e-mail", "Resultaat en afsluiten", "Overige vragen"]
    assert th["vragen"].tolist() == [3, 1, 1]
    assert th["voorbeeld"].iloc[0] == "Hoe koppel ik een e-mail aan een zaak?"  # spaces do not make a new question


def test_the_next_key_user_meeting_follows_the_cadence_from_the_last_recorded_one() -> None:
    rows = [("2025-10-14", "keyuser_overleg", "Alfa", None, 6, "Overleg", None)]
    g = figures.prepare(_proefdorp(0.9, 0.5, rows))
    # 14 October + 6 weeks = 25 November: in the month of the run for October, not for November.
    assert figures.volgend_overleg(g, "2025-10") == pd.Timestamp("2025-11-25")
    assert figures.volgend_overleg(g, "2025-11") is None
    # + 12 weeks = 6 January 2026: the run for December writes the agenda.
    assert figures.volgend_overleg(g, "2025-12") == pd.Timestamp("2026-01-06")
    # Every ten weeks instead: 23 December, then 3 March; nothing in January.
    assert figures.volgend_overleg(g, "2025-12", figures.Instellingen(keyuser_interval_weken=10)) is None
    agenda = figures.make_agenda_summary(g, "2025-12")
    assert agenda["datum"] == "2026-01-06" and [i["titel"] for i in agenda["items"]][0] == "Zaaktypen zonder zaken"


# --------------------------------------------------------------------------- the sample


@pytest.fixture(scope="module")
def sample(small_sample: Path) -> figures.Gegevens:
    return figures.load(small_sample)


def test_the_samples_planted_effects_are_found_with_the_right_sign(sample: figures.Gegevens) -> None:
    geplant = sample.basis.meta["sample"]["geplant"]["borging"]
    eff = figures.effect(sample, "2026-10").set_index(["team", "indicator"])
    for e in geplant["eerste_actie"]:
        if e["effect"]:
            r = eff.loc[(e["team"], e["indicator"])]
            assert r["effect"] > 0.05 and r["laag"] > 0 and r["oordeel"] == "beter", e
    # Teams without any action are listed as such, and none of them is in the effect table.
    overzicht = figures.teams_overzicht(sample, "2026-10")
    zonder = {f"{a} / {t}" for a, t in zip(overzicht.loc[overzicht["geen_actie"], "afdeling"],
                                           overzicht.loc[overzicht["geen_actie"], "team"], strict=True)}
    assert zonder == set(geplant["teams_zonder_actie"])
    assert not zonder & {f"{a} / {t}" for a, t in eff.reset_index()[["afdeling", "team"]].itertuples(index=False)}


def test_the_samples_key_user_agenda_lists_the_planted_catalogue_findings(sample: figures.Gegevens) -> None:
    geplant = sample.basis.meta["sample"]["geplant"]
    agenda = figures.make_agenda_summary(sample, "2026-10")
    assert agenda is not None and agenda["datum"].startswith("2026-11")
    items = {i["titel"]: i for i in agenda["items"]}
    docs = items["Documenttypen die (bijna) niet worden gebruikt"]
    assert {r[0] for r in docs["rijen"] if r[1] == "nooit gebruikt"} == set(geplant["documenttypen_nooit_gebruikt"])
    skip = items["Statussen die vaak worden overgeslagen"]["rijen"]
    assert [r[:2] for r in skip] == [[geplant["overgeslagen_stap"]["zaaktype"], geplant["overgeslagen_stap"]["statustype"]]]
    assert figures.make_agenda_summary(sample, "2026-09")["datum"] == "2026-10-12"  # the recorded one
    assert figures.make_agenda_summary(sample, "2026-08") is None  # 31 August, then 12 October: none in September


# --------------------------------------------------------------------------- the notebook


def test_notebook_is_committed_clean_with_its_parameters() -> None:
    defaults = assert_committed_clean(NOTEBOOK)
    assert defaults == {"afdeling": '"organisatie"', "periode": "None", "data": '"voorbeeld"', "config": "None"}
    assert nbformat.read(NOTEBOOK, as_version=4).metadata["zgw"] == {"publish": True, "titel": "Borging"}



@pytest.mark.slow
def test_the_notebook_on_the_sample_shows_effects_topics_and_the_agenda(published_sample: Path) -> None:
    # The organisation's notebook as the suite's one full zgw run executed it (same data and parameters).
    nb = published_notebook(published_sample, "borging")
    text = "\n".join(outputs(nb, "text/html") + outputs(nb, "text/markdown"))
    assert "aantoonbaar beter op binnen de wettelijke termijn" in text
    assert "Lees dit voorzichtig" in text and "Documenten en e-mail" in text
    assert "Agenda key-user-overleg" in text and "Ontvangen" in text
    summary = outputs(nb, "application/vnd.zgw.summary+json")[-1]
    assert summary["keyuser_overleg"]["datum"].startswith("2026-11")
    assert summary["kerncijfers"]["Teams met aantoonbaar effect"] == 3
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.get("name") == "stderr"]


@pytest.mark.slow
def test_the_published_activities_effects_and_agenda_equal_a_plain_pandas_recount(published_sample: Path,
                                                                                   small_sample: Path) -> None:
    # The organisation's notebook of the full zgw run (October 2026, default settings), its figures counted again
    # with plain pandas from the sample's files, not through zgwlib (docs/metrics.md, Borging).
    nb = published_notebook(published_sample, "borging")
    meta = load_snapshot(small_sample, []).meta
    rapport = pd.Period("2026-10", "M")
    act = pd.read_parquet(small_sample / "activiteiten.parquet")
    act["maand"] = act["datum"].dt.to_period("M")

    # Activities per month: rows per soort, a drop-in once per day; vragen = drop-in rows with a question.
    namen = {"Inloopspreekuur": "inloopspreekuur", "Training": "training", "Buddy": "buddy",
             "Key-user-overleg": "keyuser_overleg", "Intranet": "intranet", "Overig": "overig"}
    rijen = shown_table(nb, "Maand", "Inloopspreekuur", "Vragen op het spreekuur")
    maanden = pd.period_range(rapport - (len(rijen) - 1), rapport, freq="M")
    assert [r["Maand"] for r in rijen] == [f"{MAANDEN[p.month - 1]} {p.year}" for p in maanden]
    for rij, maand in zip(rijen, maanden, strict=True):
        a = act[act["maand"] == maand]
        spreekuur = a[a["soort"] == "inloopspreekuur"]
        verwacht = {k: int((a["soort"] == s).sum()) for k, s in namen.items()}
        verwacht["Inloopspreekuur"] = spreekuur["datum"].dt.normalize().nunique()
        verwacht["Vragen op het spreekuur"] = int(spreekuur["vraag"].notna().sum())
        assert {k: int(dutch_number(rij[k])) for k in verwacht} == verwacht, rij
    summary = outputs(nb, "application/vnd.zgw.summary+json")[-1]
    oktober = act[act["maand"] == rapport]
    assert summary["kerncijfers"]["Activiteiten oktober 2026"] == int(
        (oktober["soort"] != "inloopspreekuur").sum()
        + oktober.loc[oktober["soort"] == "inloopspreekuur", "datum"].dt.normalize().nunique())

    # The effect on binnen de wettelijke termijn, per trained team: a zaak's team is its behandelaar's team when
    # the behandelaar works in the zaak's afdeling; zaken by month of einddatum, months before the afdeling's
    # go-live left out. First action in month M: vóór M-6..M-1, na M+1..M+6 (not past the report month).
    # Comparison: every other team that handles zaken without a training or buddy up to the end of na, pooled.
    zaken = pd.read_parquet(small_sample / "zaken.parquet")
    staf = pd.read_parquet(small_sample / "medewerkers.parquet").set_index("identificatie")
    eigen = zaken["behandelaar"].map(staf["afdeling"]) == zaken["afdeling"]
    zaken = zaken.assign(team=zaken["behandelaar"].map(staf["team"]).where(eigen),
                         maand=zaken["einddatum"].dt.to_period("M"))
    live = {a: pd.Period(d, "M") for a, d in meta["invoering_per_afdeling"].items()}
    zaken = zaken[zaken["maand"] >= zaken["afdeling"].map(live)]
    zaken = zaken[zaken["uiterlijke_einddatum_afdoening"].notna()]  # without it: neither on time nor late
    zaken["op_tijd"] = 100.0 * (zaken["einddatum"] <= zaken["uiterlijke_einddatum_afdoening"])
    acties = act[act["soort"].isin(["training", "buddy"])]
    teams = zaken.dropna(subset=["team"]).groupby(["afdeling", "team"]).size().index

    def acties_van(afdeling: str, team: str) -> pd.DataFrame:  # a row without team counts for every team
        return acties[(acties["afdeling"] == afdeling) & (acties["team"].isna() | (acties["team"] == team))]

    gemeten = [r for r in shown_table(nb, "Team", "Indicator", "Team voor → na")
               if r["Indicator"] == "Binnen de wettelijke termijn"]
    assert len(gemeten) >= 3
    for rij in gemeten:
        team, afdeling = re.fullmatch(r"(.*) \((.*)\)", rij["Team"]).groups()
        eerste = acties_van(afdeling, team).sort_values("datum").iloc[0]
        assert rij["Eerste actie"] == f"{eerste['soort']} {eerste['datum'].day} {MAANDEN[eerste['datum'].month - 1]} " \
                                      f"{eerste['datum'].year}", rij
        m = eerste["datum"].to_period("M")
        na_eind = min(m + 6, rapport)
        vergelijking = [t for t in teams if t != (afdeling, team)
                        and not (acties_van(*t)["datum"] <= na_eind.end_time).any()]
        groepen = {"Team": zaken[(zaken["afdeling"] == afdeling) & (zaken["team"] == team)],
                   "Vergelijking": zaken[pd.MultiIndex.from_frame(zaken[["afdeling", "team"]]).isin(vergelijking)]}
        verschil = []
        for naam, z in groepen.items():
            voor = z.loc[(z["maand"] >= m - 6) & (z["maand"] <= m - 1), "op_tijd"].mean()
            na = z.loc[(z["maand"] >= m + 1) & (z["maand"] <= na_eind), "op_tijd"].mean()
            shown = [dutch_number(x) for x in rij[f"{naam} voor → na"].split(" → ")]
            assert abs(shown[0] - voor) <= 0.5 and abs(shown[1] - na) <= 0.5, (rij, voor, na)  # whole percents
            verschil.append(na - voor)
        assert abs(dutch_number(rij["Effect"]) - (verschil[0] - verschil[1])) <= 0.05, (rij, verschil)

    # Agenda: zaaktypen closed in the last 6 months (May to October 2026) of which more than 5% had no document,
    # or more than 5% no resultaat (each share on its own, as the exploration's "meestal zonder" is).
    docs = pd.read_parquet(small_sample / "documenten.parquet", columns=["zaak"])
    dicht = pd.read_parquet(small_sample / "zaken.parquet")
    dicht = dicht[dicht["einddatum"].between(pd.Timestamp("2026-05-01"), pd.Timestamp("2026-10-31"))]
    per = dicht.assign(zonder_doc=~dicht["identificatie"].isin(docs["zaak"]),
                       zonder_res=dicht["resultaat"].isna()).groupby("zaaktype")
    tabel = pd.DataFrame({"n": per.size(), "doc": 100 * per["zonder_doc"].mean(),
                          "res": 100 * per["zonder_res"].mean()})
    vaak = tabel[(tabel["doc"] > 5) | (tabel["res"] > 5)]
    agenda = shown_table(nb, "Zaaktype", "Afgesloten", "Zonder documenten", "Zonder resultaat")
    assert sorted(r["Zaaktype"] for r in agenda) == sorted(vaak.index) and len(vaak) > 0
    for rij in agenda:
        t = vaak.loc[rij["Zaaktype"]]
        assert dutch_number(rij["Afgesloten"]) == t["n"], rij
        assert abs(dutch_number(rij["Zonder documenten"]) - t["doc"]) <= 0.05, rij  # shown with one decimal
        assert abs(dutch_number(rij["Zonder resultaat"]) - t["res"]) <= 0.05, rij


@pytest.mark.slow
def test_without_activiteiten_the_notebook_says_what_to_record_and_runs(small_sample: Path, tmp_path: Path) -> None:
    import shutil

    data = Path(shutil.copytree(small_sample, tmp_path / "zonder"))
    contract.TABLES["activiteiten"].empty().to_parquet(data / "activiteiten.parquet", index=False)
    nb = run_papermill(NOTEBOOK, data, tmp_path / "borging.ipynb", afdeling="Beheer Openbare Ruimte")
    text = "\n".join(outputs(nb, "text/html") + outputs(nb, "text/markdown"))
    assert "Er zijn nog geen activiteiten vastgelegd" in text and "Wat vastleggen, en hoe" in text
    assert "docs/activiteiten-voorbeeld.xlsx" in text and "nog geen effect te meten" in text
    assert outputs(nb, "application/vnd.zgw.summary+json")[-1]["kerncijfers"] == {"Activiteiten": "nog niets vastgelegd"}
    assert load_snapshot(data, ["activiteiten"]).activiteiten.empty


@pytest.mark.slow
def test_on_a_source_without_documents_the_notebook_runs_and_says_geen_documentgegevens(
        sample_without_documents: Path, published_sample: Path, tmp_path: Path) -> None:
    # Documents kept in another system. Before: the effect stopped the notebook (the unknown per-zaak fact "has
    # documents" cannot be read as True or False), and the agenda listed every document type of the catalogue as
    # never used and every zaaktype as 100% closed without documents.
    nb = run_papermill(NOTEBOOK, sample_without_documents, tmp_path / "geen.ipynb")
    text = "\n".join(outputs(nb, "text/html") + outputs(nb, "text/markdown"))
    zin = "Deze gegevens bevatten geen documentgegevens: cijfers over documenten ontbreken."
    assert f"{zin} Het effect op ‘afgesloten zonder documenten’ is daarom niet te meten." in text
    assert "Per team met een training of buddy: drie cijfers over het gebruik" in text
    assert "Afgesloten zonder documenten" not in text and "nooit gebruikt" not in text
    eff = shown_table(nb, "Team", "Indicator", "Oordeel")
    assert {r["Indicator"] for r in eff} == {"Actieve medewerkers", "Achteraf geregistreerd",
                                             "Binnen de wettelijke termijn"}
    summary = outputs(nb, SUMMARY_MIME)[-1]
    items = {i["titel"]: i for i in summary["keyuser_overleg"]["items"]}
    docs = items["Documenttypen die (bijna) niet worden gebruikt"]
    assert (docs["cijfer"], docs["rijen"]) == ("geen documentgegevens", None) and docs["toelichting"].startswith(zin)
    onv = items["Zaaktypen die vaak zonder resultaat worden afgesloten"]
    assert "Zonder documenten" not in onv["kolommen"] and zin in onv["toelichting"]
    # With documents the same agenda and effect table have them (the suite's full zgw run, same month).
    met = published_notebook(published_sample, "borging")
    met_items = {i["titel"]: i for i in outputs(met, SUMMARY_MIME)[-1]["keyuser_overleg"]["items"]}
    assert any(r[1] == "nooit gebruikt" for r in met_items["Documenttypen die (bijna) niet worden gebruikt"]["rijen"])
    assert "Afgesloten zonder documenten" in {r["Indicator"] for r in shown_table(met, "Team", "Indicator", "Oordeel")}
    # Everything that needs no documents is the same: the other agenda items, the index summary's figures.
    for titel in ("Zaaktypen zonder zaken", "Statussen die vaak worden overgeslagen"):
        assert items[titel] == met_items[titel]
    assert summary["kerncijfers"] == outputs(met, SUMMARY_MIME)[-1]["kerncijfers"]
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.get("name") == "stderr"]


def test_a_team_has_the_same_effect_in_its_departments_report_as_in_the_organisations_with_or_without_the_cache(
        small_sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    g = figures.load(small_sample)
    org = figures.effect(g, "2026-10")
    afd = org["afdeling"].iloc[0]
    own = figures.effect(g, "2026-10", afdeling=afd)
    assert 0 < len(own) < len(org)
    pd.testing.assert_frame_equal(own, org[org["afdeling"] == afd].reset_index(drop=True))
    # Under zgw run the organisation's table is computed by the first kernel and read by the others.
    monkeypatch.setenv(CACHE_MAP_ENV, str(tmp_path))
    cached = figures.load(small_sample)
    first, second = (figures.effect(cached, "2026-10", afdeling=afd) for _ in range(2))
    assert len(list(tmp_path.glob("borging-effect-*.parquet"))) == 1
    pd.testing.assert_frame_equal(first, own)
    pd.testing.assert_frame_equal(second, own)
