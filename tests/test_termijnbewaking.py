"""Termijnbewaking: hand-computed zaken around a peildatum, the dwangsom amounts, the weekly trend and the sample.

Peildatum Wednesday 25 November 2026 (week 48), horizon 14 days unless a test says otherwise. Every expected value
below is worked out by hand from the definitions in docs/metrics.md (section Termijnbewaking).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from zgwlib.core import periods
from zgwlib.core.errors import UsageError
from zgwlib.core.settings import load_settings
from zgwlib.data import contract
from zgwlib.data.sources import load_snapshot
from zgwlib.termijnbewaking import figures as tb

PEIL = pd.Timestamp("2026-11-25")
D = pd.Timestamp


def _zaak(ident: str, uiterlijk: str | None, *, reg: str = "2026-10-01", eind: str | None = None,
          zaaktype: str = "ZT-A", afdeling: str = "Vergunningen", behandelaar: str | None = "M1",
          verlenging: int | None = None, opgeschort: bool = False) -> dict:
    return {
        "identificatie": ident, "zaaktype": zaaktype, "afdeling": afdeling, "behandelaar": behandelaar,
        "registratiedatum": D(reg), "startdatum": D(reg), "einddatum": D(eind) if eind else pd.NaT,
        "einddatum_gepland": D(uiterlijk) - pd.Timedelta(days=7) if uiterlijk else pd.NaT,
        "uiterlijke_einddatum_afdoening": D(uiterlijk) if uiterlijk else pd.NaT,
        "verlenging_reden": "Advies nodig" if verlenging else None, "verlenging_duur_dagen": verlenging,
        "opschorting_indicatie": opgeschort, "opschorting_reden": "Wacht op aanvulling" if opgeschort else None,
    }


ZAKEN = [
    _zaak("Z-VANDAAG", "2026-11-25"),
    _zaak("Z-MORGEN", "2026-11-26", behandelaar=None),
    _zaak("Z-HORIZON", "2026-12-09"),  # exactly 14 days
    _zaak("Z-NA-HORIZON", "2026-12-10"),  # 15 days: not on the list
    _zaak("Z-TE-LAAT", "2026-11-20", behandelaar="M2"),  # 5 days late
    _zaak("Z-VERLENGD", "2026-11-30", verlenging=42),  # the date already includes the 42 days
    _zaak("Z-OPGESCHORT", "2026-11-01", opgeschort=True),  # would be 24 days late: listed apart
    _zaak("Z-GESLOTEN-GISTEREN", "2026-11-10", eind="2026-11-24"),
    _zaak("Z-GESLOTEN-VANDAAG", "2026-11-10", eind="2026-11-25"),
    _zaak("Z-ZONDER-TERMIJN", None),
    _zaak("Z-LATER-GEREGISTREERD", "2026-11-30", reg="2026-11-26"),
    _zaak("Z-DWANGSOM", "2026-11-05", zaaktype="ZT-D"),  # 20 days late, dwangsom applies
    _zaak("Z-ANDERE-AFDELING", "2026-11-24", afdeling="Burgerzaken", behandelaar="M3"),  # 1 day late
]


def _snapshot(zaken: list[dict] = ZAKEN, periode_tot: str = "2026-11-25") -> SimpleNamespace:
    z = contract.conform("zaken", pd.DataFrame(zaken).assign(
        resultaat=None, archiefnominatie=None, archiefstatus="nog_te_archiveren", archiefactiedatum=pd.NaT,
        vertrouwelijkheidaanduiding=None, communicatiekanaal=None, omschrijving=None))
    mw = contract.conform("medewerkers", pd.DataFrame({
        "identificatie": ["M1", "M2", "M3"], "naam": ["Anna de Jong", "Bram Bakker", "Carla Smit"],
        "afdeling": ["Vergunningen", "Vergunningen", "Vergunningen"], "team": ["Team Noord", "Team Zuid", "Team Zuid"],
        "actief_sinds": pd.to_datetime(["2026-01-01"] * 3)}))
    zt = pd.DataFrame({"identificatie": ["ZT-A", "ZT-D"], "omschrijving": ["Melding", "Aanvraag vergunning"]})
    return SimpleNamespace(tables={"zaken": z, "medewerkers": mw, "zaaktypen": zt}, meta={"periode_tot": periode_tot})


INST = tb.Instellingen(dwangsom_zaaktypen=("ZT-D",), zaak_url="https://zaken.example.nl/zaak/{identificatie}")


@pytest.fixture(scope="module")
def basis() -> tb.Basis:
    return tb.prepare(_snapshot(), INST)


def _dagen(lijst: tb.Werklijst) -> dict[str, float]:
    return dict(zip(lijst.zaken["identificatie"], lijst.zaken["dagen_over"]))


# --------------------------------------------------------------------------- the list


def test_zaken_due_today_tomorrow_and_exactly_at_the_horizon_are_listed_and_one_day_past_it_is_not(basis):
    lijst = tb.werklijst(basis, PEIL, INST)
    dagen = _dagen(lijst)
    assert dagen["Z-VANDAAG"] == 0 and dagen["Z-MORGEN"] == 1 and dagen["Z-HORIZON"] == 14
    assert "Z-NA-HORIZON" not in dagen


def test_a_zaak_past_its_legal_term_has_negative_days_left_and_is_late(basis):
    lijst = tb.werklijst(basis, PEIL, INST)
    assert _dagen(lijst)["Z-TE-LAAT"] == -5
    assert sorted(lijst.te_laat["identificatie"]) == ["Z-ANDERE-AFDELING", "Z-DWANGSOM", "Z-TE-LAAT"]
    assert sorted(lijst.bijna["identificatie"]) == ["Z-HORIZON", "Z-MORGEN", "Z-VANDAAG", "Z-VERLENGD"]


def test_the_list_puts_the_most_late_first_and_the_nearest_deadline_next(basis):
    lijst = tb.werklijst(basis, PEIL, INST)
    assert lijst.zaken["identificatie"].tolist() == [
        "Z-DWANGSOM", "Z-TE-LAAT", "Z-ANDERE-AFDELING", "Z-VANDAAG", "Z-MORGEN", "Z-VERLENGD", "Z-HORIZON"]


def test_an_extended_zaak_keeps_its_recorded_date_unless_the_extension_must_be_added(basis):
    lijst = tb.werklijst(basis, PEIL, INST, toon_omschrijving=True)
    rij = lijst.zaken.set_index("identificatie").loc["Z-VERLENGD"]
    assert rij["dagen_over"] == 5 and rij["verlengd"] and rij["verlenging_reden"] == "Advies nodig"
    assert rij["wettelijke_datum"] == D("2026-11-30")
    optellen = tb.Instellingen(verlenging_optellen=True)
    other = tb.werklijst(tb.prepare(_snapshot(), optellen), PEIL, optellen)
    assert "Z-VERLENGD" not in set(other.zaken["identificatie"])  # 5 + 42 = 47 days left: past the horizon
    assert _dagen(other)["Z-TE-LAAT"] == -5  # a zaak without extension is not moved


def test_a_suspended_zaak_is_listed_apart_with_its_reason_and_never_as_late(basis):
    lijst = tb.werklijst(basis, PEIL, INST, toon_omschrijving=True)
    assert "Z-OPGESCHORT" not in set(lijst.zaken["identificatie"])
    assert lijst.opgeschort["identificatie"].tolist() == ["Z-OPGESCHORT"]
    assert lijst.opgeschort["opschorting_reden"].iloc[0] == "Wacht op aanvulling"
    assert lijst.opgeschort["dagen_over"].iloc[0] == -24 and lijst.opgeschort["dwangsom_risico"].iloc[0] == 0


def test_reasons_for_extension_and_suspension_are_given_only_on_request_and_never_for_a_confidential_zaak():
    zaken = [*ZAKEN, _zaak("Z-GEHEIM-VERLENGD", "2026-11-27", verlenging=10),
             _zaak("Z-GEHEIM-OPGESCHORT", "2026-11-02", opgeschort=True)]
    snap = _snapshot(zaken)
    snap.tables["zaken"]["vertrouwelijkheidaanduiding"] = ["vertrouwelijk" if "GEHEIM" in z["identificatie"]
                                                           else "zaakvertrouwelijk" for z in zaken]
    basis = tb.prepare(snap, INST)
    lijst = tb.werklijst(basis, PEIL, INST)
    assert lijst.zaken["verlenging_reden"].isna().all() and lijst.opgeschort["opschorting_reden"].isna().all()
    assert lijst.zaken.set_index("identificatie").loc["Z-GEHEIM-VERLENGD", "verlengd"]  # extended, without why
    gevraagd = tb.werklijst(basis, PEIL, INST, toon_omschrijving=True)
    verlengd = gevraagd.zaken.set_index("identificatie")["verlenging_reden"]
    opgeschort = gevraagd.opgeschort.set_index("identificatie")["opschorting_reden"]
    assert verlengd[["Z-VERLENGD", "Z-GEHEIM-VERLENGD"]].tolist() == ["Advies nodig", "(vertrouwelijk: niet getoond)"]
    assert opgeschort.to_dict() == {"Z-OPGESCHORT": "Wacht op aanvulling",
                                    "Z-GEHEIM-OPGESCHORT": "(vertrouwelijk: niet getoond)"}


def test_a_zaak_closed_the_day_before_or_on_the_peildatum_or_registered_after_it_is_not_open(basis):
    lijst = tb.werklijst(basis, PEIL, INST)
    listed = set(lijst.zaken["identificatie"]) | set(lijst.opgeschort["identificatie"])
    assert not listed & {"Z-GESLOTEN-GISTEREN", "Z-GESLOTEN-VANDAAG", "Z-LATER-GEREGISTREERD"}
    # Open on 25 November: the 13 zaken minus the two closed ones and the one registered on the 26th.
    assert lijst.open == 10


def test_a_zaak_without_a_legal_term_is_not_listed_but_counted_so_the_report_can_say_so(basis):
    lijst = tb.werklijst(basis, PEIL, INST)
    assert "Z-ZONDER-TERMIJN" not in set(lijst.zaken["identificatie"])
    assert lijst.zonder_termijn == 1


def test_a_department_sees_only_its_own_zaken_with_team_and_behandelaar(basis):
    lijst = tb.werklijst(basis, PEIL, INST, "Vergunningen")
    assert "Z-ANDERE-AFDELING" not in set(lijst.zaken["identificatie"]) and lijst.open == 9
    rij = lijst.zaken.set_index("identificatie")
    assert rij.loc["Z-TE-LAAT", "team"] == "Team Zuid" and rij.loc["Z-VANDAAG", "team"] == "Team Noord"
    assert not rij.loc["Z-MORGEN", "heeft_behandelaar"] and pd.isna(rij.loc["Z-MORGEN", "team"])
    # M3 works in Vergunningen, the zaak is of Burgerzaken: no team (as in the monthly report).
    other = tb.werklijst(basis, PEIL, INST, "Burgerzaken").zaken
    assert other["identificatie"].tolist() == ["Z-ANDERE-AFDELING"] and pd.isna(other["team"].iloc[0])
    assert tb.werklijst(basis, PEIL, INST, "Bestaat niet").zaken.empty


def test_each_zaak_links_into_the_zaaksysteem_only_when_a_zaak_url_is_set(basis):
    lijst = tb.werklijst(basis, PEIL, INST)
    assert lijst.zaken.set_index("identificatie").loc["Z-TE-LAAT", "link"] == "https://zaken.example.nl/zaak/Z-TE-LAAT"
    assert tb.make_zaak_url("https://x.nl/z/{identificatie}", "2026/1 a") == "https://x.nl/z/2026%2F1%20a"
    plain = tb.Instellingen()
    assert tb.werklijst(tb.prepare(_snapshot(), plain), PEIL, plain).zaken["link"].isna().all()


@pytest.mark.parametrize("url", ["javascript:alert(1)//{identificatie}", "https://x.nl/zaken/", "zaken/{identificatie}"])
def test_a_zaak_url_that_is_no_web_address_with_the_identificatie_is_refused(url, tmp_path):
    f = tmp_path / "termijnbewaking.yaml"
    f.write_text(f"zaak_url: '{url}'\n", encoding="utf-8")
    with pytest.raises(UsageError, match="zaak_url"):
        load_settings(tb.Instellingen, f)


def test_the_settings_file_takes_a_list_of_dwangsom_zaaktypen(tmp_path):
    f = tmp_path / "termijnbewaking.yaml"
    f.write_text("dwangsom_zaaktypen: [ZT-OVR, ZT-WMA]\nhorizon_dagen: 7\n", encoding="utf-8")
    inst = load_settings(tb.Instellingen, f)
    assert inst.dwangsom_zaaktypen == ("ZT-OVR", "ZT-WMA") and inst.horizon_dagen == 7
    f.write_text("dwangsom_zaaktypen: 12\n", encoding="utf-8")
    with pytest.raises(UsageError, match="dwangsom_zaaktypen must be a list of names"):
        load_settings(tb.Instellingen, f)


# --------------------------------------------------------------------------- the dwangsom


@pytest.mark.parametrize("dagen, bedrag", [(0, 0), (1, 23), (14, 322), (15, 357), (28, 812), (29, 857), (42, 1442),
                                           (60, 1442)])
def test_the_dwangsom_follows_awb_4_17(dagen, bedrag):
    # 23 euro a day for days 1-14, 35 for 15-28, 45 for 29-42, nothing after day 42.
    assert tb.dwangsom(dagen) == bedrag
    assert tb.DWANGSOM_MAX_BEDRAG == 1442


def test_the_dwangsom_risk_starts_two_weeks_after_the_earliest_notice_and_only_for_named_zaaktypen(basis):
    # Notice of default at the earliest on day 1 after the deadline; the dwangsom runs from two weeks later.
    assert tb.dwangsom_dagen([1, 14, 15, 20, 56, 100]).tolist() == [0, 0, 1, 6, 42, 42]
    rij = tb.werklijst(basis, PEIL, INST).zaken.set_index("identificatie")
    assert rij.loc["Z-DWANGSOM", "dwangsom_van_toepassing"] and rij.loc["Z-DWANGSOM", "dwangsom_dagen"] == 6
    assert rij.loc["Z-DWANGSOM", "dwangsom_risico"] == 6 * 23
    assert not rij.loc["Z-TE-LAAT", "dwangsom_van_toepassing"] and rij.loc["Z-TE-LAAT", "dwangsom_risico"] == 0


# --------------------------------------------------------------------------- summaries


def test_counts_per_zaaktype_and_team(basis):
    lijst = tb.werklijst(basis, PEIL, INST, "Vergunningen")
    per_zt = tb.telling(lijst, "zaaktype").set_index("zaaktype")
    assert per_zt.loc["ZT-A", ["te_laat", "bijna", "zonder_behandelaar"]].tolist() == [1, 4, 1]
    assert per_zt.loc["ZT-D", ["te_laat", "bijna", "dwangsom_risico"]].tolist() == [1, 0, 138]
    per_team = tb.telling(lijst, "team").set_index("team")
    assert per_team.loc["Team Noord", "bijna"] == 3 and per_team.loc["Team Zuid", "te_laat"] == 1
    assert per_team.loc["(geen team)", "zonder_behandelaar"] == 1


def test_the_weekly_trend_counts_open_zaken_past_their_term_at_each_weeks_end():
    # One zaak late from 10 November (deadline 9 November), closed 20 November; one late from 18 November and open;
    # one suspended (never counted); the peildatum Wednesday 25 November ends the last week.
    zaken = [_zaak("A", "2026-11-09", reg="2026-10-01", eind="2026-11-20"),
             _zaak("B", "2026-11-17", reg="2026-10-01"),
             _zaak("C", "2026-10-01", reg="2026-09-01", opgeschort=True)]
    b = tb.prepare(_snapshot(zaken), INST)
    t = tb.trend_frame(b, PEIL, 4)
    assert t["week_einde"].tolist() == [D("2026-11-08"), D("2026-11-15"), D("2026-11-22"), D("2026-11-25")]
    # 8 Nov: A not yet late. 15 Nov: A late. 22 Nov: A closed, B late. 25 Nov: B late.
    assert t["te_laat"].tolist() == [0, 1, 1, 1]


def test_a_zaaktype_with_late_zaken_in_three_of_the_last_four_weeks_keeps_coming_back():
    zaken = [_zaak("A1", "2026-11-01", eind="2026-11-20"),  # late at the ends of 8 and 15 November
             _zaak("A2", "2026-11-18", zaaktype="ZT-A"),  # late at 22 and 25 November
             _zaak("D1", "2026-11-23", zaaktype="ZT-D")]  # late only at 25 November
    b = tb.prepare(_snapshot(zaken), INST)
    terug = tb.terugkerend(b, PEIL, INST)
    assert terug["zaaktype"].tolist() == ["ZT-A"] and terug["weken"].tolist() == [4]
    assert terug["te_laat_nu"].tolist() == [1]


# --------------------------------------------------------------------------- peildatum and weeks


def test_the_peildatum_is_the_data_end_or_the_weeks_end_but_never_after_the_data(basis):
    assert tb.choose_peildatum(basis) == PEIL
    assert tb.choose_peildatum(basis, "2026-W47") == D("2026-11-22")
    assert tb.choose_peildatum(basis, "2026-W48") == PEIL  # the week ends on the 29th, the data on the 25th
    assert tb.choose_peildatum(basis, None, "2026-11-20") == D("2026-11-20")
    with pytest.raises(UsageError, match="after the last day of the data"):
        tb.choose_peildatum(basis, None, "2026-11-26")
    with pytest.raises(UsageError, match="ISO week"):
        tb.choose_peildatum(basis, "2026-11")


def test_iso_weeks_parse_validate_and_default_to_the_last_complete_week():
    assert periods.is_week("2026-W48") and periods.is_week("2026-W53") and not periods.is_week("2025-W53")
    assert not periods.is_week("2026-48") and not periods.is_week("2026-W00") and not periods.is_week("2026-10")
    assert periods.week_start("2026-W48") == D("2026-11-23") and periods.week_end("2026-W48") == D("2026-11-29")
    assert periods.week_of("2027-01-01") == "2026-W53" and periods.week_of("2024-12-30") == "2025-W01"
    assert periods.last_complete_week("2026-11-29") == "2026-W48"  # a Sunday completes its week
    assert periods.last_complete_week("2026-11-28") == "2026-W47"
    assert periods.last_complete_week(None, today=dt.date(2026, 11, 30)) == "2026-W48"  # a Monday morning
    assert periods.period_name("2026-W48") == "week 48 van 2026" and periods.period_name("2026-10") == "oktober 2026"
    assert periods.period_days("2026-W48") == "23 t/m 29 november 2026"
    assert periods.period_days("2026-W53") == "28 december 2026 t/m 3 januari 2027"
    idx = periods.week_index(np.array(["1970-01-04", "1970-01-05", "2026-11-29", "NaT"], dtype="datetime64[D]"))
    assert idx[:2].tolist() == [-1, 0] and periods.week_text(int(idx[2])) == "2026-W48" and idx[3] == periods.OPEN
    with pytest.raises(UsageError, match="2026-W48"):
        periods.check_week("2025-W53")


# --------------------------------------------------------------------------- the sample


def test_the_samples_planted_late_and_suspended_zaken_are_found_exactly(small_sample: Path):
    snap = load_snapshot(small_sample)
    geplant = snap.meta["sample"]["geplant"]["termijnbewaking"]
    inst = tb.Instellingen(horizon_dagen=geplant["horizon_dagen"])
    b = tb.prepare(snap, inst)
    lijst = tb.werklijst(b, geplant["peildatum"], inst)
    assert len(lijst.te_laat) == geplant["te_laat"] > 0
    assert len(lijst.bijna) == geplant["binnen_horizon"] > 0
    assert len(lijst.opgeschort) == geplant["opgeschort"] > 0
    assert (~lijst.te_laat["heeft_behandelaar"]).sum() == geplant["te_laat_zonder_behandelaar"]
    # Per department the lists add up to the organisation's.
    per_afd = [tb.werklijst(b, geplant["peildatum"], inst, a) for a in b.afdelingen]
    assert sum(len(x.te_laat) for x in per_afd) == geplant["te_laat"]
    # The trend's last week is the peildatum: the same late zaken as the list.
    assert tb.trend_frame(b, geplant["peildatum"], 13)["te_laat"].iloc[-1] == geplant["te_laat"]


def test_a_list_cut_at_the_maximum_says_how_many_zaken_are_not_shown() -> None:
    from zgwlib.termijnbewaking import display as view

    inst = tb.Instellingen(max_rijen_organisatie=200, max_rijen_afdeling=2000)
    assert inst.max_rijen("organisatie") == 200
    assert inst.max_rijen("Ruimte") == 2000
    tekst = view.meer_html(27_500, 200, True)
    assert "Nog 27.300 zaken" in tekst and "de eerste 200 van 27.500" in tekst and "per afdeling" in tekst
    assert view.meer_html(200, 200, True) == ""
