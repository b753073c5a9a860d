"""A source without document data (documents kept in another system, ``meta.json`` ``"documenten_bron": "geen"``).

Every figure that needs documents is unknown (NaN or absent, never 0) and no
report signals zaken as closed without documents; every other figure is exactly
what it is with documents. The tiny municipality of ``maandfixtures.py`` without
its documents, report month February 2024 (the expected values are those of
tests/test_metrics.py and tests/test_signals.py, worked out by hand there).
"""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import maandfixtures
from zgwlib import style
from zgwlib.archief import figures as archive
from zgwlib.borging import display as borging_view
from zgwlib.borging import figures as borging
from zgwlib.core import terms
from zgwlib.data import contract
from zgwlib.data.snapshot import Snapshot
from zgwlib.evaluatie import analysis
from zgwlib.opschoonactie import figures as cleanup
from zgwlib.publish import intranet
from zgwlib.verkenning import catalogue, teams
from zgwlib.maandrapportage import champion, milestones, signals
from zgwlib.maandrapportage import display as view
from zgwlib.maandrapportage import figures as metrics

FEB = "2024-02"
ZIN = "Deze gegevens bevatten geen documentgegevens: cijfers over documenten ontbreken."


def _snapshot() -> Snapshot:
    tables, meta = maandfixtures.zonder_documenten()
    return Snapshot(tables, meta)


@pytest.fixture
def basis() -> metrics.Basis:
    return metrics.prepare(_snapshot())


@pytest.fixture
def feb(basis: metrics.Basis) -> metrics.Maand:
    return metrics.maand(basis, FEB, metrics.Instellingen(min_aantal_tip=1, min_gesloten_kampioen=1))


def test_the_meta_decides_whether_there_is_document_data() -> None:
    assert terms.has_document_data({}) and terms.has_document_data({"documenten_bron": "Documenten API"})
    assert not terms.has_document_data({"documenten_bron": "geen"})
    assert style.make_document_note({}) is None
    assert style.make_document_note({"documenten_bron": "geen"}) == ZIN
    assert style.make_document_note({"documenten_bron": "geen"}, "Dus niets.") == f"{ZIN} Dus niets."
    assert metrics.prepare(_snapshot()).documentgegevens is False
    assert maandfixtures.basis().documentgegevens is True


def test_document_figures_are_unknown_and_the_others_unchanged(feb: metrics.Maand) -> None:
    alfa = metrics.eenheid(feb.tabel, "Alfa").set_index("maand").loc[FEB]
    # Unknown, not 0%: without document data nobody knows whether Z2, Z4, Z9 had documents.
    assert np.isnan(alfa["met_documenten"]) and np.isnan(alfa["volgens_werkwijze"])
    # Everything else as with documents (tests/test_metrics.py).
    assert (alfa["ontvangen"], alfa["gesloten"], alfa["open_einde_maand"]) == (4, 4, 2)
    assert alfa["met_behandelaar"] == pytest.approx(3 / 4) and alfa["met_resultaat"] == pytest.approx(3 / 4)
    assert (alfa["achteraf"], alfa["achteraf_aantal"]) == (pytest.approx(1 / 4), 1)
    assert alfa["aandeel_actief"] == pytest.approx(2 / 3)
    # In every month, department, team and zaaktype.
    for tabel in (feb.tabel, feb.teams, metrics.per_zaaktype(feb), metrics.per_zaaktype(feb, "Alfa")):
        assert tabel["met_documenten"].isna().all() and tabel["volgens_werkwijze"].isna().all()
    kern = metrics.kerncijfers(feb.tabel, "Alfa", FEB).set_index("code")
    assert kern.at["met_documenten", "tekst"] == "–" and kern.at["met_documenten", "oordeel_maand"] is None
    assert kern.at["met_behandelaar", "tekst"] == "75%"
    assert metrics.vergelijking(feb.tabel, FEB)["met_documenten"].isna().all()


def test_no_zaak_is_signalled_for_missing_documents_and_no_tip_asks_for_them(feb: metrics.Maand) -> None:
    alfa = signals.signalen(feb, "Alfa").set_index("code")
    assert "gesloten_zonder_documenten" not in alfa.index
    assert (alfa.at["achteraf_geregistreerd", "aantal"], alfa.at["achteraf_geregistreerd", "noemer"]) == (1, 4)
    assert (alfa.at["zonder_behandelaar", "aantal"], alfa.at["zonder_behandelaar", "noemer"]) == (1, 6)
    org = signals.signalen(feb, terms.ORGANISATIE).set_index("code")
    assert not set(signals.DOCUMENTSIGNALEN) & set(org.index)
    assert (org.at["medewerkers_niet_actief", "aantal"], org.at["medewerkers_niet_actief", "noemer"]) == (1, 3)
    # The tips of tests/test_signals.py without the one about documents.
    tips = signals.tips(feb, "Alfa")
    assert list(zip(tips["code"], tips["zaaktype"], tips["belang"])) == [
        ("achteraf_geregistreerd", "ZT-A", 3), ("open_over_termijn", "ZT-A", 3), ("zonder_behandelaar", "ZT-A", 2),
        ("medewerkers_niet_actief", "", 2), ("gesloten_zonder_resultaat", "ZT-B", 1),
        ("geen_statuswijziging", "ZT-A", 1),
    ]
    assert not any("document" in t for t in signals.tips(feb, terms.ORGANISATIE)["tekst"])
    flags = signals.zaak_flags(feb.basis)
    assert flags["gesloten_zonder_documenten"].isna().all()
    assert flags["achteraf_geregistreerd"].sum() == 1  # Z3


def test_the_champion_score_leaves_out_the_way_of_working(feb: metrics.Maand) -> None:
    afd = champion.kampioen_scores(feb.tabel, FEB, feb.instellingen).set_index("naam")
    # Alfa: within the legal term 100%, 2 of 3 staff active; the way of working is unknown.
    assert np.isnan(afd.at["Alfa", "volgens_werkwijze"])
    assert afd.at["Alfa", "score"] == pytest.approx(100 * (1.0 + 2 / 3) / 2)
    teams = champion.kampioen_scores(feb.teams, FEB, feb.instellingen, afdeling="Alfa").set_index("naam")
    assert teams.at["T1", "score"] == pytest.approx(75) and teams.at["T2", "score"] == pytest.approx(100)
    tekst = champion.uitleg(feb.instellingen, documentgegevens=False)
    assert "geen documentgegevens" in tekst and "gemiddelde van de andere twee" in tekst
    assert "geen documentgegevens" not in champion.uitleg(feb.instellingen)


def test_no_zaak_is_called_completely_archived_without_document_data() -> None:
    def gearchiveerd(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        z = tables["zaken"].copy()
        z.loc[z["identificatie"] == "Z2", "archiefstatus"] = "gearchiveerd"  # closed 1 Feb, resultaat, D2
        return {**tables, "zaken": z}

    met = metrics.prepare(Snapshot(gearchiveerd(maandfixtures.tabellen()), {"periode_tot": "2024-03-31"}))
    assert milestones.mijlpalen(met, FEB).query("soort == 'archief'")["identificatie"].tolist() == ["Z2"]
    tables, meta = maandfixtures.zonder_documenten()
    zonder = metrics.prepare(Snapshot(gearchiveerd(tables), meta))
    assert not (milestones.mijlpalen(zonder, FEB)["soort"] == "archief").any()


def test_tiles_say_geen_documentgegevens_instead_of_a_percentage(feb: metrics.Maand) -> None:
    kern = metrics.kerncijfers(feb.tabel, "Alfa", FEB)
    html = view.tegels_html(kern, FEB, documentgegevens=False)
    tegel = html.split("Afgesloten met documenten")[1].split("Afgesloten met behandelaar")[0]
    assert "geen documentgegevens" in tegel and "%" not in tegel and "–" in tegel
    assert "geen documentgegevens" not in view.tegels_html(kern, FEB)
    # The per-zaaktype table: "–" under "Met documenten" and "Volgens werkwijze" in every row, not 0%.
    html = view.zaaktype_tabel_html(metrics.per_zaaktype(feb, "Alfa"))
    koppen = re.findall(r"<th[^>]*>([^<]*)</th>", html)
    rijen = [re.findall(r"<td[^>]*>([^<]*)</td>", r) for r in html.split("<tr>")[2:]]
    assert len(rijen) == 2
    for rij in rijen:
        cel = dict(zip(koppen, rij, strict=True))
        assert (cel["Met documenten"], cel["Volgens werkwijze"]) == ("–", "–")


def test_charts_leave_out_the_unknown_document_figures(feb: metrics.Maand) -> None:
    fig = view.trendgrafieken(feb.trend("Alfa"), documentgegevens=False)
    werkwijze = fig.axes[3]
    assert werkwijze.get_title(loc="left") == "Werkwijze (geen documentgegevens)"
    assert [t.get_text() for t in werkwijze.get_legend().get_texts()] == ["Actieve medewerkers"]
    plt.close(fig)
    fig = view.heatmap(metrics.vergelijking(feb.tabel, FEB), documentgegevens=False)
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels == ["Binnen de servicenorm", "Binnen de wettelijke termijn", "Doorlooptijd (mediaan)",
                      "Actieve medewerkers", "Achteraf geregistreerd", "Digitaal binnengekomen"]
    plt.close(fig)


# --------------------------------------------------------------------------- the other reports


def test_cleanup_report_has_no_document_shares_but_counts_the_closed_zaken() -> None:
    tables, meta = maandfixtures.zonder_documenten()
    per = cleanup.documenten_per_maand(tables["documenten"], tables["zaken"], pd.Timestamp("2024-03-31"),
                                       documentgegevens=False)
    # Closed: Z8 in February 2023; Z2, Z3, Z4, Z9 in February 2024; Z1 in March 2024.
    assert per["gesloten"].loc[[pd.Period("2023-02"), pd.Period("2024-02"), pd.Period("2024-03")]].tolist() == [1, 4, 1]
    for col in ("documenten", "buiten_zaak", "aandeel_buiten_zaak", "zonder_documenten", "aandeel_zonder_documenten"):
        assert per[col].isna().all(), col
    vn = cleanup.voor_en_na(per, pd.Timestamp("2024-02-10"), pd.Timestamp("2024-02-20"), pd.Timestamp("2024-03-31"))
    assert list(vn.index) == ["voor", "na"]
    assert vn["aandeel_zonder_documenten"].isna().all() and vn["aandeel_buiten_zaak"].isna().all()
    # With documents the same zaken give real shares: Z3 of February 2024 had none.
    met = cleanup.documenten_per_maand(maandfixtures.tabellen()["documenten"], tables["zaken"],
                                       pd.Timestamp("2024-03-31"))
    assert met.at[pd.Period("2024-02"), "aandeel_zonder_documenten"] == pytest.approx(1 / 4)
    leeg = {n: t.empty() for n, t in contract.TABLES.items() if n not in tables}
    rapport = cleanup.make_report(Snapshot({**tables, **leeg}, meta), terms.ORGANISATIE, "2024-03")
    assert rapport.documentgegevens is False and rapport.documenten["aandeel_zonder_documenten"].isna().all()


def test_exploration_leaves_the_document_figures_unknown() -> None:
    tables, _ = maandfixtures.zonder_documenten()
    z, st, docs, mw = tables["zaken"], tables["statussen"], tables["documenten"], tables["medewerkers"]
    flags = teams.zonder_documenten(z, docs, documentgegevens=False)
    assert flags[z["einddatum"].notna()].isna().all() and not flags[z["einddatum"].isna()].any()
    team = teams.adoptie_per_team(z, st, docs, mw, documentgegevens=False).set_index(["afdeling", "team"])
    assert team["zonder_documenten"].isna().all() and team["aandeel_zonder_documenten"].isna().all()
    # The other figures as with documents: T1 closed Z2 and Z8 (MDW-1), Z8 not registered afterwards.
    met = teams.adoptie_per_team(z, st, maandfixtures.tabellen()["documenten"], mw).set_index(["afdeling", "team"])
    overig = [c for c in team.columns if "documenten" not in c]
    pd.testing.assert_frame_equal(team[overig], met[overig])
    assert met.at[("Alfa", "T1"), "zonder_documenten"] == 0  # with documents it is a real 0
    persoon = teams.adoptie_per_medewerker(z, st, docs, mw, toon_namen=True, documentgegevens=False)
    assert persoon["zonder_documenten"].isna().all()

    peil = pd.Timestamp("2024-03-31")
    onvolledig = catalogue.zaaktypen_onvolledig(z, docs, tables["zaaktypen"], documentgegevens=False)
    onvolledig = onvolledig.set_index("identificatie")
    assert onvolledig["aandeel_zonder_documenten"].isna().all() and not onvolledig["meestal_zonder_documenten"].any()
    # ZT-B: Z4 closed without resultaat, the only closed zaak of its type.
    assert onvolledig.at["ZT-B", "aandeel_zonder_resultaat"] == 1.0 and onvolledig.at["ZT-B", "meestal_zonder_resultaat"]
    assert catalogue.documenttypen(docs, peil, documentgegevens=False) is None
    cat = pd.DataFrame({"omschrijving": ["Brief"], "vertrouwelijkheidaanduiding": ["openbaar"],
                        "begin_geldigheid": [pd.Timestamp("2020-01-01")], "einde_geldigheid": [pd.NaT]})
    # Not "Brief was never used": without document data that cannot be known.
    assert catalogue.documenttypen_nooit_gebruikt(docs, cat, peil, documentgegevens=False) is None
    assert len(catalogue.documenttypen_nooit_gebruikt(docs, cat, peil)) == 1


def test_the_evaluation_follows_no_document_signal(basis: metrics.Basis) -> None:
    perioden = analysis.determine_perioden({"periode_tot": "2024-03-31"}, "2024-01-01", "2024-04-01", 2)
    verloop = analysis.signaalverloop(basis, perioden, "Alfa")
    assert set(verloop["maand"]) == {"2024-01", "2024-02", "2024-03"}
    assert not set(signals.DOCUMENTSIGNALEN) & set(verloop["code"])
    feb = verloop[(verloop["maand"] == FEB) & (verloop["code"] == "achteraf_geregistreerd")].iloc[0]
    assert (feb["aantal"], feb["noemer"]) == (1, 4)


def _archief(tables: dict[str, pd.DataFrame], meta: dict, eisen: pd.DataFrame) -> archive.Archief:
    return archive.Archief(tables["zaken"], tables["documenten"], tables["zaaktypen"], eisen, meta)


def test_the_archive_leaves_the_completeness_of_dossiers_unknown_instead_of_calling_every_one_incomplete() -> None:
    # ZT-A requires an incoming Brief; ZT-B requires nothing. Closed on 29 February 2024: Z2, Z3, Z8, Z9 (ZT-A) and
    # Z4 (ZT-B); of those only Z3 has no document.
    eisen = contract.conform("zaaktype_informatieobjecttypen", pd.DataFrame({
        "zaaktype": ["ZT-A"], "informatieobjecttype": ["Brief"], "richting": ["inkomend"], "volgnummer": [1],
        "statustype": [None]}))
    peil = "2024-02-29"
    met = _archief(maandfixtures.tabellen(), {"periode_tot": "2024-03-31"}, eisen)
    v = archive.volledigheid(met, peil).set_index("zaaktype")
    assert v.loc["ZT-A", ["gesloten", "onvolledig", "ontbreekt"]].tolist() == [4, 1, "Brief (1)"]
    assert v.loc["ZT-B", ["gesloten", "onvolledig"]].tolist() == [1, 0]
    tables, meta = maandfixtures.zonder_documenten()
    zonder = _archief(tables, meta, eisen)
    assert not zonder.documentgegevens and met.documentgegevens
    # Unknown, not "4 of 4 incomplete": without document data nobody knows what Z2, Z8, Z9 hold.
    assert archive.ontbrekend(zonder, peil) is None and archive.volledigheid(zonder, peil) is None
    # Nor, without the table of required types, "every closed zaak has no document".
    geen_eisen = eisen.iloc[:0]
    assert archive.volledigheid(_archief(maandfixtures.tabellen(), {}, geen_eisen), peil).set_index(
        "zaaktype")["onvolledig"].to_dict() == {"ZT-A": 1, "ZT-B": 0}
    assert archive.volledigheid(_archief(tables, meta, geen_eisen), peil) is None
    # Every other archive figure exactly as with documents.
    for per in ("afdeling", "zaaktype"):
        pd.testing.assert_frame_equal(archive.per_stand(zonder, peil, per=per), archive.per_stand(met, peil, per=per))
        pd.testing.assert_frame_equal(archive.achterstand(zonder, peil, per=per),
                                      archive.achterstand(met, peil, per=per))


def _borging(tables: dict[str, pd.DataFrame], meta: dict) -> borging.Gegevens:
    """The tiny municipality for the borging report: team T1 (Alfa) had a training on 10 January 2024, and the
    catalogue of document types holds Brief (every document is one) and Besluit."""
    act = pd.DataFrame({"datum": [pd.Timestamp("2024-01-10")], "soort": ["training"], "afdeling": ["Alfa"],
                        "team": ["T1"], "deelnemers": [2], "onderwerp": ["Training"], "vraag": [None]})
    cat = pd.DataFrame({"omschrijving": ["Besluit", "Brief"], "vertrouwelijkheidaanduiding": ["openbaar"] * 2,
                        "begin_geldigheid": [pd.Timestamp("2020-01-01")] * 2, "einde_geldigheid": [pd.NaT] * 2})
    extra = {"activiteiten": contract.conform("activiteiten", act),
             "informatieobjecttypen": contract.conform("informatieobjecttypen", cat)}
    return borging.prepare(Snapshot({**tables, **extra}, meta))


def test_borging_measures_the_effect_of_a_training_without_the_unknown_documents_indicator() -> None:
    met = _borging(maandfixtures.tabellen(), {"periode_tot": "2024-03-31"})
    zonder = _borging(*maandfixtures.zonder_documenten())
    assert list(borging.indicatoren(met)) == list(borging.INDICATOREN)
    assert list(borging.indicatoren(zonder)) == ["actief", "achteraf", "binnen_termijn"]
    # T1's training in January: before is up to December 2023, after February and March 2024.
    met_eff = borging.effect(met, "2024-03")
    assert set(met_eff["indicator"]) == set(borging.INDICATOREN) and set(met_eff["team"]) == {"T1"}
    # Without document data "afgesloten zonder documenten" is unknown: left out, not every zaak without documents
    # (it failed before: the unknown per-zaak fact cannot be read as True or False). The other three are the same.
    eff = borging.effect(zonder, "2024-03")
    pd.testing.assert_frame_equal(eff, met_eff[met_eff["indicator"] != "zonder_documenten"].reset_index(drop=True))


def test_the_key_user_agenda_says_the_document_findings_are_unknown_instead_of_never_used_or_100_percent() -> None:
    # Over September 2023 - February 2024. With documents: Besluit of the catalogue was never used (Brief five
    # times); of the closed zaken ZT-A's Z3 (of Z2, Z3, Z9) had no document, ZT-B's Z4 (its only one) no resultaat.
    met = {i["titel"]: i for i in borging.keyuser_agenda(_borging(maandfixtures.tabellen(),
                                                                 {"periode_tot": "2024-03-31"}), FEB)}
    docs = met["Documenttypen die (bijna) niet worden gebruikt"]
    assert (docs["cijfer"], docs["rijen"]) == ("1", [["Besluit", "nooit gebruikt", "0", "nooit"]])
    onv = met["Zaaktypen die vaak zonder documenten of resultaat worden afgesloten"]
    assert onv["kolommen"] == ["Zaaktype", "Omschrijving", "Afgesloten", "Zonder documenten", "Zonder resultaat"]
    assert onv["rijen"] == [["ZT-B", "Melding", "1", "0,0%", "100,0%"],
                            ["ZT-A", "Aanvraag <vergunning>", "3", "33,3%", "0,0%"]]
    # Without document data: not "Besluit and Brief never used" nor "100% without documents" for every zaaktype,
    # but the sentence of every report, and only what is known: the resultaat.
    items = borging.keyuser_agenda(_borging(*maandfixtures.zonder_documenten()), FEB)
    zonder = {i["titel"]: i for i in items}
    assert list(zonder) == [list(met)[0], "Documenttypen die (bijna) niet worden gebruikt",
                            "Zaaktypen die vaak zonder resultaat worden afgesloten", list(met)[3]]
    docs = zonder["Documenttypen die (bijna) niet worden gebruikt"]
    assert (docs["cijfer"], docs["rijen"]) == ("geen documentgegevens", None)  # None: unknown, not "none found"
    assert docs["toelichting"] == f"{ZIN} Welke documenttypen (bijna) niet worden gebruikt, is daarom niet te zien."
    onv = zonder["Zaaktypen die vaak zonder resultaat worden afgesloten"]
    assert onv["kolommen"] == ["Zaaktype", "Omschrijving", "Afgesloten", "Zonder resultaat"]
    assert (onv["cijfer"], onv["rijen"]) == ("1", [["ZT-B", "Melding", "1", "100,0%"]])
    assert onv["toelichting"].endswith(f"{ZIN} Of ze vaak zonder documenten worden afgesloten, is daarom niet te zien.")
    assert "%" not in docs["cijfer"] + docs["toelichting"] and "documenten had" not in onv["toelichting"]
    # The notebook's agenda and the published keyuser-overleg.html say the same, never "Niets gevonden" for it.
    for page in (borging_view.agenda_html(items), intranet.render_agenda_html(
            {"datum": "2024-03-11", "periode": FEB, "gemeente": "Testdorp", "items": items})):
        punt = page.split("2. Documenttypen die (bijna) niet worden gebruikt (geen documentgegevens)")[1]
        punt = punt.split("3. Zaaktypen die vaak zonder resultaat")[0]
        assert ZIN in punt and "Niets gevonden" not in punt and "<table" not in punt
