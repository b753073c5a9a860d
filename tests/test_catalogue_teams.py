"""Catalogue use and adoption per team on tiny hand-made tables, and their planted counts in the sample."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from zgwlib.verkenning import catalogue
from zgwlib.data import contract
from zgwlib.verkenning import teams
from zgwlib.core.errors import UsageError
from zgwlib.data.sources import load_snapshot
from zgwlib.data.validate import validate

MAART = (pd.Timestamp("2025-03-01"), pd.Timestamp("2025-03-31"))


@pytest.fixture(scope="module")
def t() -> dict[str, pd.DataFrame]:
    """VTH has teams A (M1, M2) and B (M3, M4 never active); Juridische Zaken one person without a team.

    Z1: closed the day it was registered with only a first and final status, no documents (afterwards).
    Z2: an ordinary closed zaak. Z3: closed the same day but with an intermediate status (not afterwards).
    Z4: open, nobody assigned. Z5: Juridische Zaken, January, closed without documents.
    Z6: VTH, registered in February, closed in March by M5 of Juridische Zaken (another afdeling).
    """
    d = pd.to_datetime
    zaken = pd.DataFrame(
        {
            "identificatie": ["Z1", "Z2", "Z3", "Z4", "Z5", "Z6"],
            "zaaktype": ["ZT-A", "ZT-A", "ZT-A", "ZT-A", "ZT-B", "ZT-A"],
            "afdeling": ["VTH"] * 4 + ["Juridische Zaken", "VTH"],
            "behandelaar": ["M1", "M1", "M3", None, "M5", "M5"],
            "registratiedatum": d(["2025-03-03", "2025-03-04", "2025-03-05", "2025-03-06", "2025-01-10", "2025-02-20"]),
            "startdatum": d(["2025-03-03", "2025-03-04", "2025-03-05", "2025-03-06", "2025-01-10", "2025-02-20"]),
            "einddatum": d(["2025-03-03", "2025-03-20", "2025-03-05", None, "2025-01-30", "2025-03-10"]),
            "resultaat": [None, "Verleend", None, None, "Ongegrond", None],
        }
    )
    zaken = zaken.reindex(columns=contract.ZAKEN.column_names)
    zaken["archiefstatus"] = "nog_te_archiveren"
    zaken = contract.conform("zaken", zaken)
    s = [
        ("Z1", "Geregistreerd", 1, "2025-03-03 09:00", False, "M1"),
        ("Z1", "Afgehandeld", 4, "2025-03-03 09:05", True, "M1"),
        ("Z2", "Geregistreerd", 1, "2025-03-04 09:00", False, "M1"),
        ("Z2", "Ontvangen", 2, "2025-03-05 09:00", False, "M2"),
        ("Z2", "In behandeling", 3, "2025-03-06 09:00", False, "M1"),
        ("Z2", "Afgehandeld", 4, "2025-03-20 09:00", True, "M1"),
        ("Z3", "Geregistreerd", 1, "2025-03-05 09:00", False, "M3"),
        ("Z3", "Ontvangen", 2, "2025-03-05 10:00", False, "M3"),
        ("Z3", "Afgehandeld", 4, "2025-03-05 11:00", True, "M3"),
        ("Z4", "Geregistreerd", 1, "2025-03-06 09:00", False, None),
        ("Z5", "Geregistreerd", 1, "2025-01-10 09:00", False, "M5"),
        ("Z5", "In behandeling", 3, "2025-01-11 09:00", False, "M5"),
        ("Z5", "Afgehandeld", 4, "2025-01-30 09:00", True, "M5"),
        ("Z6", "Geregistreerd", 1, "2025-02-20 09:00", False, "M5"),
        ("Z6", "In behandeling", 3, "2025-02-21 09:00", False, "M5"),
        ("Z6", "Afgehandeld", 4, "2025-02-28 09:00", True, "M5"),
    ]
    statussen = pd.DataFrame(s, columns=["zaak", "statustype", "volgnummer", "datum_status_gezet", "is_eindstatus",
                                         "gezet_door"])
    statussen["datum_status_gezet"] = d(statussen["datum_status_gezet"])
    documenten = pd.DataFrame(
        {
            "identificatie": ["D1", "D2", "D3", "D4", "D5"],
            "zaak": ["Z2", "Z3", None, "Z2", "Z6"],
            "informatieobjecttype": ["Aanvraag", "Besluit", "Brief", "Besluit", "Aanvraag"],
            "creatiedatum": d(["2025-03-05", "2025-03-06", "2024-12-01", "2025-03-19", "2025-02-20"]),
            "status": ["definitief"] * 5,
        }
    )
    medewerkers = pd.DataFrame(
        {
            "identificatie": ["M1", "M2", "M3", "M4", "M5"],
            "naam": ["A. de Vries", "B. Jansen", "C. Bakker", "D. Visser", "E. Smit"],
            "afdeling": ["VTH", "VTH", "VTH", "VTH", "Juridische Zaken"],
            "team": ["Team A", "Team A", "Team B", "Team B", None],
            "actief_sinds": d(["2025-03-01", "2025-03-01", "2025-03-01", None, "2025-01-01"]),
        }
    )
    zaaktypen = pd.DataFrame(
        {
            "identificatie": ["ZT-A", "ZT-B", "ZT-C"],
            "omschrijving": ["Omgevingsvergunning", "Bezwaar", "Ontheffing"],
            "afdeling": ["VTH", "Juridische Zaken", "VTH"],
            "doorlooptijd_dagen": [56, 42, 56],
            "servicenorm_dagen": [None, None, None],
            "verlenging_mogelijk": [True, True, False],
            "verlengingstermijn_dagen": [42, 42, None],
        }
    )
    return {
        "zaken": zaken,
        "statussen": contract.conform("statussen", statussen),
        "documenten": contract.conform("documenten", documenten),
        "medewerkers": contract.conform("medewerkers", medewerkers),
        "zaaktypen": contract.conform("zaaktypen", zaaktypen),
    }


def test_flags_afterwards_and_without_documents(t: dict[str, pd.DataFrame]) -> None:
    assert teams.achteraf_geregistreerd(t["zaken"], t["statussen"]).tolist() == [True] + [False] * 5
    assert teams.zonder_documenten(t["zaken"], t["documenten"]).tolist() == [True, False, False, False, True, False]


def test_adoptie_per_team_in_a_period(t: dict[str, pd.DataFrame]) -> None:
    a = teams.adoptie_per_team(t["zaken"], t["statussen"], t["documenten"], t["medewerkers"], *MAART)
    a = a.set_index(["afdeling", "team"])
    ta = a.loc[("VTH", "Team A")]
    # M1 handled zaken, M2 only set a status: both active.
    assert (ta["medewerkers"], ta["actief"], ta["zaken"], ta["gesloten"]) == (2, 2, 2, 2)
    assert (ta["achteraf_geregistreerd"], ta["aandeel_achteraf"]) == (1, 0.5)
    assert (ta["zonder_documenten"], ta["aandeel_zonder_documenten"]) == (1, 0.5)
    tb = a.loc[("VTH", "Team B")]
    assert (tb["medewerkers"], tb["actief"], tb["aandeel_actief"], tb["achteraf_geregistreerd"]) == (2, 1, 0.5, 0)
    nobody = a.loc[("VTH", teams.GEEN_BEHANDELAAR)]
    assert (nobody["medewerkers"], nobody["zaken"], nobody["gesloten"]) == (0, 1, 0)
    assert np.isnan(nobody["aandeel_achteraf"]) and np.isnan(nobody["aandeel_actief"])
    jz = a.loc[("Juridische Zaken", teams.GEEN_TEAM)]
    # Z5 lies in January; M5 is active in March only because Z6 (of VTH) was closed then with M5 as behandelaar.
    assert (jz["medewerkers"], jz["actief"], jz["zaken"], jz["gesloten"]) == (1, 1, 0, 0)
    other = a.loc[("VTH", teams.ANDERE_AFDELING)]  # Z6: registered in February, closed in March
    assert (other["medewerkers"], other["zaken"], other["gesloten"], other["zonder_documenten"]) == (0, 0, 1, 0)
    assert "naam" not in a.columns and not a.astype(str).apply(lambda c: c.str.contains("Vries")).any().any()


def test_adoptie_per_team_whole_data_and_afdeling_filter(t: dict[str, pd.DataFrame]) -> None:
    a = teams.adoptie_per_team(t["zaken"], t["statussen"], t["documenten"], t["medewerkers"],
                               afdelingen=["Juridische Zaken"])
    assert a[["team", "medewerkers", "actief", "zaken", "zonder_documenten"]].values.tolist() == [
        [teams.GEEN_TEAM, 1, 1, 1, 1]
    ]
    feb = teams.adoptie_per_team(t["zaken"], t["statussen"], t["documenten"], t["medewerkers"],
                                 pd.Timestamp("2025-02-01"), pd.Timestamp("2025-02-28")).set_index(["afdeling", "team"])
    assert feb.loc[("VTH", teams.ANDERE_AFDELING), ["zaken", "gesloten"]].tolist() == [1, 0]
    assert feb.loc[("VTH", "Team A"), "actief"] == 0


def test_names_only_with_toon_namen(t: dict[str, pd.DataFrame]) -> None:
    args = (t["zaken"], t["statussen"], t["documenten"], t["medewerkers"], *MAART)
    with pytest.raises(UsageError, match="toon_namen"):
        teams.adoptie_per_medewerker(*args)
    with pytest.raises(UsageError):
        teams.adoptie_per_medewerker(*args, toon_namen="ja")  # type: ignore[arg-type]
    p = teams.adoptie_per_medewerker(*args, afdelingen=["VTH"], toon_namen=True).set_index("identificatie")
    assert p.loc["M4", "naam"] == "D. Visser" and not p.loc["M4", "actief"] and p.loc["M4", "zaken"] == 0
    assert p.loc["M1", "achteraf_geregistreerd"] == 1 and p.loc["M1", "laatste_activiteit"] == pd.Timestamp("2025-03-20")
    assert "M5" not in p.index


def test_venster_and_laatste_dag(t: dict[str, pd.DataFrame]) -> None:
    assert catalogue.venster("2026-10-31", 6) == (pd.Timestamp("2026-05-01"), pd.Timestamp("2026-10-31"))
    assert catalogue.laatste_dag(t["zaken"]) == pd.Timestamp("2025-03-20")
    assert catalogue.laatste_dag(t["zaken"], {"periode_tot": "2025-03-31"}) == pd.Timestamp("2025-03-31")
    assert catalogue.laatste_dag(t["zaken"], {"periode_tot": None}) == pd.Timestamp("2025-03-20")
    with pytest.raises(UsageError):
        catalogue.venster("2026-10-31", 0)


def test_zaaktypen_zonder_zaken(t: dict[str, pd.DataFrame]) -> None:
    out = catalogue.zaaktypen_zonder_zaken(t["zaken"], t["zaaktypen"], "2025-03-31", maanden=2)
    assert out["identificatie"].tolist() == ["ZT-C", "ZT-B"]  # never used first
    assert out["zaken_totaal"].tolist() == [0, 1]
    assert out["laatste_registratie"].iloc[1] == pd.Timestamp("2025-01-10")
    assert catalogue.zaaktypen_zonder_zaken(t["zaken"], t["zaaktypen"], "2025-03-31", 3)["identificatie"].tolist() == [
        "ZT-C"
    ]


def test_documenttypen_in_use_and_unused(t: dict[str, pd.DataFrame]) -> None:
    out = catalogue.documenttypen(t["documenten"], "2025-03-31", maanden=2).set_index("informatieobjecttype")
    assert out.index.tolist() == ["Brief", "Aanvraag", "Besluit"]  # the unused one first, then most used (ties by name)
    assert out["in_gebruik"].tolist() == [False, True, True]
    assert out.loc["Aanvraag", ["documenten", "recent", "zaken"]].tolist() == [2, 2, 2]
    assert out.loc["Brief", ["documenten", "recent", "zaken", "buiten_zaak"]].tolist() == [1, 0, 0, 1]
    assert out.loc["Besluit", ["documenten", "recent", "zaken"]].tolist() == [2, 2, 2]


def _catalogus(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=contract.INFORMATIEOBJECTTYPEN.column_names)
    for col in ("begin_geldigheid", "einde_geldigheid"):
        frame[col] = pd.to_datetime(frame[col])
    return contract.conform("informatieobjecttypen", frame)


def test_documenttypen_nooit_gebruikt(t: dict[str, pd.DataFrame]) -> None:
    """Used: Aanvraag, Besluit (March) and Brief (December). Never: Machtiging; Fax ended, Zienswijze starts later.

    Verslag is only used after the peildatum, so on 31 March it was never used yet.
    """
    cat = _catalogus([
        ("Aanvraag", "zaakvertrouwelijk", "2024-01-01", None),
        ("Besluit", "zaakvertrouwelijk", "2024-01-01", None),
        ("Brief", "intern", "2024-01-01", None),
        ("Machtiging", "vertrouwelijk", "2024-01-01", None),
        ("Fax", None, "2020-01-01", "2024-12-31"),  # ended before the peildatum: nothing to clean up
        ("Zienswijze", None, "2025-04-01", None),  # not valid yet on the peildatum
        ("Verslag", None, "2025-01-01", "2025-03-31"),  # valid up to and including the peildatum
    ])
    docs = pd.concat([t["documenten"], contract.conform("documenten", pd.DataFrame({
        "identificatie": ["D6"], "zaak": [None], "informatieobjecttype": ["Verslag"],
        "creatiedatum": pd.to_datetime(["2025-04-02"]), "status": ["definitief"]}))], ignore_index=True)
    out = catalogue.documenttypen_nooit_gebruikt(docs, cat, "2025-03-31")
    assert out["omschrijving"].tolist() == ["Machtiging", "Verslag"]
    assert out.columns.tolist() == ["omschrijving", "vertrouwelijkheidaanduiding", "begin_geldigheid",
                                    "einde_geldigheid"]
    vert = out["vertrouwelijkheidaanduiding"]
    assert vert.iloc[0] == "vertrouwelijk" and pd.isna(vert.iloc[1])
    assert out.loc[1, "einde_geldigheid"] == pd.Timestamp("2025-03-31")
    # A month later Verslag has been used and ended; Zienswijze is valid and unused.
    assert catalogue.documenttypen_nooit_gebruikt(docs, cat, "2025-04-30")["omschrijving"].tolist() == [
        "Machtiging", "Zienswijze"]
    assert catalogue.heeft_catalogus(cat) and not catalogue.heeft_catalogus(contract.INFORMATIEOBJECTTYPEN.empty())
    assert not catalogue.heeft_catalogus(None)
    assert catalogue.documenttypen_nooit_gebruikt(docs, contract.INFORMATIEOBJECTTYPEN.empty(), "2025-03-31").empty


def test_a_document_type_missing_from_the_catalogue_is_only_a_warning(t: dict[str, pd.DataFrame]) -> None:
    base = dict(t)
    # Without a catalogue nothing is checked; with one, the unknown Brief is one warning, not an error.
    assert [p for p in validate(base) if p.table == "documenten"] == []
    cat = _catalogus([("Aanvraag", None, "2024-01-01", None), ("Besluit", None, "2024-01-01", None)])
    found = [p for p in validate({**base, "informatieobjecttypen": cat}) if p.table == "documenten"]
    assert len(found) == 1
    p = found[0]
    assert (p.severity, p.column, p.count, p.values, p.rows) == ("warning", "informatieobjecttype", 1, ["Brief"], [3])
    assert "not in table informatieobjecttypen" in p.message


def test_zaaktypen_onvolledig(t: dict[str, pd.DataFrame]) -> None:
    out = catalogue.zaaktypen_onvolledig(t["zaken"], t["documenten"], t["zaaktypen"]).set_index("identificatie")
    a, b = out.loc["ZT-A"], out.loc["ZT-B"]
    assert (a["gesloten"], a["zonder_documenten"], a["zonder_resultaat"]) == (4, 1, 3)
    assert bool(a["meestal_zonder_resultaat"]) and not bool(a["meestal_zonder_documenten"])
    assert bool(b["meestal_zonder_documenten"]) and not bool(b["meestal_zonder_resultaat"])
    assert "ZT-C" not in out.index
    recent = catalogue.zaaktypen_onvolledig(t["zaken"], t["documenten"], t["zaaktypen"], "2025-03-31", 1)
    assert recent["identificatie"].tolist() == ["ZT-A"]


@pytest.mark.slow
def test_planted_counts_come_back_per_team(small_sample: Path) -> None:
    snap = load_snapshot(small_sample, ["zaken", "statussen", "documenten", "medewerkers"])
    geplant = snap.meta["sample"]["geplant"]
    a = teams.adoptie_per_team(snap.zaken, snap.statussen, snap.documenten, snap.medewerkers)
    assert a["achteraf_geregistreerd"].sum() == geplant["achteraf_geregistreerd"]
    assert a["zonder_documenten"].sum() == geplant["gesloten_zonder_documenten"]
    assert a["zaken"].sum() == len(snap.zaken)
    assert a.loc[a["team"] == teams.GEEN_BEHANDELAAR, "zaken"].sum() == geplant["zonder_behandelaar"]
    p = teams.adoptie_per_medewerker(snap.zaken, snap.statussen, snap.documenten, snap.medewerkers, toon_namen=True)
    inactive = set(p.loc[~p["actief"], "identificatie"])
    assert set(geplant["nooit_actief"]) <= inactive
    assert a["medewerkers"].sum() == len(snap.medewerkers)


@pytest.mark.slow
def test_planted_never_used_document_types_are_found_exactly(small_sample: Path) -> None:
    snap = load_snapshot(small_sample, ["zaken", "documenten", "informatieobjecttypen"])
    geplant = snap.meta["sample"]["geplant"]
    peil = catalogue.laatste_dag(snap.zaken, snap.meta)
    nooit = catalogue.documenttypen_nooit_gebruikt(snap.documenten, snap.informatieobjecttypen, peil)
    assert nooit["omschrijving"].tolist() == geplant["documenttypen_nooit_gebruikt"]
    assert geplant["documenttypen_nooit_gebruikt"] == ["Machtiging", "Proces-verbaal", "Zienswijze"]
    beeindigd = geplant["documenttype_beeindigd"]
    assert beeindigd in set(snap.informatieobjecttypen["omschrijving"])
    assert beeindigd not in set(snap.documenten["informatieobjecttype"]) and beeindigd not in set(nooit["omschrijving"])
    # Every type the documents use is in the catalogue, and in use at some time.
    used = catalogue.documenttypen(snap.documenten, peil)
    assert set(used["informatieobjecttype"]) <= set(snap.informatieobjecttypen["omschrijving"])
