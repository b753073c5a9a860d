"""Mijlpalen on small hand-computed snapshots, and the milestones planted in the sample."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from zgwlib.data import contract
from zgwlib.maandrapportage import figures as metrics
from zgwlib.maandrapportage import milestones
from zgwlib.data.sample import build_sample
from zgwlib.data.snapshot import Snapshot
from zgwlib.core import periods

ZAAKTYPEN = pd.DataFrame({
    "identificatie": ["ZT-A", "ZT-B"],
    "omschrijving": ["Aanvraag <b>vergunning</b>", "Melding"],
    "afdeling": ["Alfa", "Beta"],
    "doorlooptijd_dagen": [56, 14],
    "servicenorm_dagen": [42, None],
    "verlenging_mogelijk": [False, False],
    "verlengingstermijn_dagen": [None, None],
})


def _zaak(ident: str, zaaktype: str, afdeling: str, reg: str, eind: str | None = None, *, dagen: int | None = None,
          **extra: Any) -> dict[str, Any]:
    """One zaak; ``dagen`` sets startdatum = registratiedatum = einddatum - dagen."""
    if dagen is not None:
        assert eind is not None
        reg = str((pd.Timestamp(eind) - pd.Timedelta(days=dagen)).date())
    row = {
        "identificatie": ident, "zaaktype": zaaktype, "afdeling": afdeling, "behandelaar": None,
        "registratiedatum": reg, "startdatum": reg, "einddatum": eind, "einddatum_gepland": None,
        "uiterlijke_einddatum_afdoening": None, "resultaat": "Toegekend" if eind else None,
        "archiefnominatie": None, "archiefstatus": "nog_te_archiveren", "archiefactiedatum": None,
        "vertrouwelijkheidaanduiding": "openbaar", "communicatiekanaal": "balie", "omschrijving": "tekst",
    }
    row.update(extra)
    return row


def _snapshot(zaken: list[dict[str, Any]], medewerkers: list[tuple] | None = None,
              statussen: list[tuple] | None = None, documenten: list[tuple] | None = None,
              meta: dict[str, Any] | None = None) -> metrics.Basis:
    mw = pd.DataFrame(medewerkers or [("MDW-1", "Anna Jansen", "Alfa", "T1", "2025-01-01")],
                      columns=["identificatie", "naam", "afdeling", "team", "actief_sinds"])
    st = pd.DataFrame(statussen or [], columns=["zaak", "statustype", "volgnummer", "datum_status_gezet",
                                                 "is_eindstatus", "gezet_door"])
    if documenten is None:  # by default every closed zaak has one document
        documenten = [(f"DOC-{i}", z["identificatie"], z["registratiedatum"]) for i, z in enumerate(zaken)
                      if z["einddatum"]]
    docs = pd.DataFrame(documenten, columns=["identificatie", "zaak", "creatiedatum"])
    docs["informatieobjecttype"], docs["status"] = "Brief", "definitief"
    tables = {
        "zaken": contract.conform("zaken", pd.DataFrame(zaken)),
        "statussen": contract.conform("statussen", st),
        "documenten": contract.conform("documenten", docs),
        "zaaktypen": contract.conform("zaaktypen", ZAAKTYPEN),
        "medewerkers": contract.conform("medewerkers", mw),
    }
    meta = {"gemeente": "Testdorp", "periode_tot": "2028-12-31"} if meta is None else meta
    return metrics.prepare(Snapshot(tables, meta))


def _inst(**kw: Any) -> metrics.Instellingen:
    return metrics.Instellingen(**kw)


# --------------------------------------------------------------------------- the k-th item


def test_kth_item_orders_by_day_then_identificatie_and_skips_missing_dates() -> None:
    datums = pd.Series(["2025-01-02", "2025-01-01", "2025-01-01 15:00", None, "2025-01-02", "2025-01-01",
                        "2025-01-03"], dtype="datetime64[us]")
    ids = ["Z-5", "Z-3", "Z-1", "Z-0", "Z-4", "Z-2", "Z-6"]
    # Order: 01-01 Z-1, Z-2, Z-3; 01-02 Z-4, Z-5; 01-03 Z-6 (Z-0 has no date).
    out = milestones.kde(datums, ids, 2)
    assert out["nummer"].tolist() == [2, 4, 6]
    assert [ids[p] for p in out["positie"]] == ["Z-2", "Z-4", "Z-6"]
    assert out["datum"].dt.strftime("%Y-%m-%d").tolist() == ["2025-01-01", "2025-01-02", "2025-01-03"]
    cut = milestones.kde(datums, ids, 2, tot=pd.Timestamp("2025-01-02"))
    assert [ids[p] for p in cut["positie"]] == ["Z-2", "Z-4"]
    assert milestones.kde(datums, ids, 7).empty and list(milestones.kde(datums, ids, 7).columns) == [
        "nummer", "datum", "positie"]


# --------------------------------------------------------------------------- zaken and users


@pytest.fixture
def telbasis() -> metrics.Basis:
    zaken = [
        _zaak("Z-04", "ZT-A", "Alfa", "2025-01-10"),
        _zaak("Z-02", "ZT-A", "Alfa", "2025-01-10"),
        _zaak("Z-03", "ZT-B", "Beta", "2025-01-10"),
        _zaak("Z-01", "ZT-B", "Beta", "2025-01-09"),
        _zaak("Z-05", "ZT-A", "Alfa", "2025-02-01"),
        _zaak("Z-06", "ZT-A", "Alfa", "2028-02-29"),  # leap day, in the month it belongs to
        _zaak("Z-07", "ZT-B", "Beta", "2028-03-01"),
    ]
    medewerkers = [
        ("MDW-1", "Anna Jansen", "Alfa", "T1", "2025-01-01"),
        ("MDW-2", "Bram de Vries", "Alfa", "T1", None),  # no actief_sinds, but set a status: counts from then
        ("MDW-3", "Cor Smit", "Beta", "T2", "2025-02-01"),
        ("MDW-4", "Dirk Bos", "Beta", "T2", None),  # never active
        ("MDW-5", "Eva Mol", "Alfa", "T1", "2025-01-15"),
    ]
    statussen = [("Z-05", "Geregistreerd", 1, "2025-01-20 09:00", False, "MDW-2"),
                 ("Z-05", "In behandeling", 2, "2025-02-03 10:00", False, "MDW-2")]
    return _snapshot(zaken, medewerkers, statussen)


def test_every_nth_zaak_of_the_organisation_and_of_one_department(telbasis: metrics.Basis) -> None:
    # Organisation: Z-01 (01-09), Z-02, Z-03, Z-04 (01-10), Z-05, Z-06, Z-07.
    t = milestones.mijlpalen(telbasis, "2028-02", instellingen=_inst(stap_zaken=3, stap_gebruikers=99))
    z = t[t["soort"] == "zaken"]
    assert z["nummer"].tolist() == [3, 6]
    assert z["identificatie"].tolist() == ["Z-03", "Z-06"]
    assert z["afdeling"].tolist() == ["Beta", "Alfa"]
    assert z["maand"].tolist() == ["2025-01", "2028-02"]
    assert z["datum"].dt.strftime("%Y-%m-%d").tolist() == ["2025-01-10", "2028-02-29"]
    assert z["tekst"].iloc[0] == ("De 3e zaak: Z-03 (Melding, afdeling Beta), geregistreerd op 10 januari 2025.")
    # Alfa alone: Z-02, Z-04, Z-05, Z-06 -> its 2nd and 4th.
    a = milestones.mijlpalen(telbasis, "2028-02", "Alfa", _inst(stap_zaken=2, stap_gebruikers=99))
    a = a[a["soort"] == "zaken"]
    assert a["identificatie"].tolist() == ["Z-04", "Z-06"]
    assert a["tekst"].iloc[0].startswith("De 2e zaak van de afdeling: Z-04 (Aanvraag <b>vergunning</b>,")
    # A month earlier the leap-day zaak is not there yet.
    jan = milestones.mijlpalen(telbasis, "2028-01", instellingen=_inst(stap_zaken=3, stap_gebruikers=99))
    assert jan.loc[jan["soort"] == "zaken", "nummer"].tolist() == [3]


def test_every_nth_user_from_actief_sinds_or_the_first_status_set(telbasis: metrics.Basis) -> None:
    # First days: MDW-1 01-01, MDW-5 01-15, MDW-2 01-20 (first status), MDW-3 02-01; MDW-4 never.
    t = milestones.mijlpalen(telbasis, "2025-02", instellingen=_inst(stap_zaken=99, stap_gebruikers=2))
    g = t[t["soort"] == "gebruikers"]
    assert g["nummer"].tolist() == [2, 4]
    assert g["datum"].dt.strftime("%Y-%m-%d").tolist() == ["2025-01-15", "2025-02-01"]
    assert g["afdeling"].tolist() == ["Alfa", "Beta"]
    assert g["medewerker"].isna().all()
    assert g["tekst"].iloc[0] == "De 2e gebruiker van het zaaksysteem: afdeling Alfa, begonnen op 15 januari 2025."
    for naam in ("Eva", "Mol", "MDW-5", "Cor", "MDW-3"):
        assert not t["tekst"].str.contains(naam).any()
    # With toon_namen the person is named; in Alfa alone MDW-2 (from the status) is the 3rd.
    named = milestones.mijlpalen(telbasis, "2025-02", "Alfa", _inst(stap_zaken=99, stap_gebruikers=3),
                                 toon_namen=True)
    g = named[named["soort"] == "gebruikers"]
    assert g["medewerker"].tolist() == ["MDW-2"]
    assert g["tekst"].iloc[0] == ("De 3e gebruiker van het zaaksysteem van de afdeling: Bram de Vries (MDW-2), "
                                  "afdeling Alfa, begonnen op 20 januari 2025.")
    # Before MDW-2's first status only two people had started.
    early = milestones.mijlpalen(telbasis, "2025-01", instellingen=_inst(stap_zaken=99, stap_gebruikers=3))
    assert early.loc[early["soort"] == "gebruikers", "datum"].dt.strftime("%Y-%m-%d").tolist() == ["2025-01-20"]


def test_first_day_is_nat_for_someone_who_never_used_the_system(telbasis: metrics.Basis) -> None:
    dag = milestones.eerste_dag(telbasis).dt.strftime("%Y-%m-%d")
    assert [None if pd.isna(d) else d for d in dag] == ["2025-01-01", "2025-01-20", "2025-02-01", None, "2025-01-15"]


# --------------------------------------------------------------------------- halving


def _halvering_zaken() -> list[dict[str, Any]]:
    zaken = []
    # ZT-A, Alfa, go-live March 2025: start window March-May [40, 40, 10] -> median 40.
    # June 10, July 10: the window May-July would halve, but overlaps the start window; June-August does.
    for i, (eind, d) in enumerate([("2025-03-20", 40), ("2025-04-20", 40), ("2025-05-20", 10), ("2025-06-20", 10),
                                   ("2025-07-20", 10), ("2025-08-20", 30), ("2025-09-20", 30)]):
        zaken.append(_zaak(f"ZA-{i}", "ZT-A", "Alfa", "", eind, dagen=d))
    # ZT-B, Beta, go-live May 2025: start May-July [20, 20, 20]; August-October [12, 10, 10] -> median 10,
    # exactly half: halved in October, the first month whose window does not overlap.
    for i, (eind, d) in enumerate([("2025-05-12", 20), ("2025-06-12", 20), ("2025-07-12", 20), ("2025-08-12", 12),
                                   ("2025-09-12", 10), ("2025-10-12", 10), ("2025-11-12", 40)]):
        zaken.append(_zaak(f"ZB-{i}", "ZT-B", "Beta", "", eind, dagen=d))
    zaken.append(_zaak("ZB-open", "ZT-B", "Beta", "2025-06-01"))  # open: no lead time
    return zaken


GOLIVE = {"invoeringsdatum": "2025-03-01", "invoering_per_afdeling": {"Alfa": "2025-03-01", "Beta": "2025-05-01"}}


def test_halving_against_the_first_three_months_after_go_live() -> None:
    b = _snapshot(_halvering_zaken(), meta=dict(GOLIVE))
    t = milestones.mijlpalen(b, "2025-12", instellingen=_inst(halvering_min_zaken=3))
    h = t[t["soort"] == "halvering"].set_index("zaaktype")
    assert h.index.tolist() == ["ZT-A", "ZT-B"]
    assert h["maand"].tolist() == ["2025-08", "2025-10"]
    assert h["start_maand"].tolist() == ["2025-03", "2025-05"]
    assert h["start_mediaan"].tolist() == [40.0, 20.0]
    assert h["mediaan"].tolist() == [10.0, 10.0]
    assert h["afdeling"].tolist() == ["Alfa", "Beta"]
    assert h["datum"].dt.strftime("%Y-%m-%d").tolist() == ["2025-08-31", "2025-10-31"]
    assert h.at["ZT-B", "tekst"] == (
        "De doorlooptijd van Melding is gehalveerd: mediaan 10 dagen in augustus–oktober 2025, tegen 20 dagen in "
        "de eerste drie maanden na de invoering (mei–juli 2025).")
    # Not reached yet in September for ZT-B; in July nothing (no window after the start window yet).
    sep = milestones.mijlpalen(b, "2025-09", instellingen=_inst(halvering_min_zaken=3))
    assert sep.loc[sep["soort"] == "halvering", "zaaktype"].tolist() == ["ZT-A"]
    jul = milestones.mijlpalen(b, "2025-07", instellingen=_inst(halvering_min_zaken=3))
    assert (jul["soort"] != "halvering").all()
    # A stricter factor or more zaken per window: nothing halves.
    assert not (milestones.mijlpalen(b, "2025-12", instellingen=_inst(halvering_min_zaken=3, halvering_factor=0.2))
                ["soort"] == "halvering").any()
    assert not (milestones.mijlpalen(b, "2025-12", instellingen=_inst(halvering_min_zaken=4))["soort"]
                == "halvering").any()


def test_halving_of_one_department_uses_its_own_go_live() -> None:
    b = _snapshot(_halvering_zaken(), meta=dict(GOLIVE))
    t = milestones.mijlpalen(b, "2025-12", "Beta", _inst(halvering_min_zaken=3))
    h = t[t["soort"] == "halvering"]
    assert h["zaaktype"].tolist() == ["ZT-B"] and h["maand"].tolist() == ["2025-10"]


def test_halving_without_a_go_live_starts_at_the_zaaktypes_first_zaak() -> None:
    # No go-live in the data: ZT-A's first zaak was registered in February (40 days before 20 March), so its start
    # window is February-April with two closed zaken: too few. ZT-B's first zaak is from April (20 days before
    # 12 May): April-June [20, 20], too few as well; with two zaken enough both count.
    b = _snapshot(_halvering_zaken(), meta={"periode_tot": "2025-12-31"})
    t = milestones.mijlpalen(b, "2025-12", instellingen=_inst(halvering_min_zaken=3))
    assert not (t["soort"] == "halvering").any()
    t = milestones.mijlpalen(b, "2025-12", instellingen=_inst(halvering_min_zaken=2))
    h = t[t["soort"] == "halvering"].set_index("zaaktype")
    assert h["start_maand"].to_dict() == {"ZT-A": "2025-02", "ZT-B": "2025-04"}
    # ZT-A: start [40, 40] -> 40; May-July [10, 10, 10] is the first window after April. ZT-B: start [20, 20];
    # July-September [20, 12, 10] -> 12, August-October [12, 10, 10] -> 10.
    assert h["maand"].to_dict() == {"ZT-A": "2025-07", "ZT-B": "2025-10"}


# --------------------------------------------------------------------------- archive


def test_first_zaak_completely_archived_needs_documents_and_a_resultaat() -> None:
    zaken = [
        _zaak("Z-1", "ZT-A", "Alfa", "2025-01-02", "2025-02-01", archiefstatus="gearchiveerd"),  # no documents
        _zaak("Z-2", "ZT-A", "Alfa", "2025-01-02", "2025-02-02", archiefstatus="gearchiveerd", resultaat=None),
        _zaak("Z-4", "ZT-B", "Beta", "2025-01-02", "2025-03-05", archiefstatus="gearchiveerd"),
        _zaak("Z-3", "ZT-B", "Beta", "2025-01-02", "2025-03-05", archiefstatus="gearchiveerd"),
        _zaak("Z-5", "ZT-A", "Alfa", "2025-01-02", "2025-03-01", archiefstatus="overgedragen"),
        _zaak("Z-6", "ZT-A", "Alfa", "2025-01-02", "2025-04-01", archiefstatus="gearchiveerd"),
    ]
    docs = [(f"D-{z}", z, "2025-01-02") for z in ("Z-2", "Z-3", "Z-4", "Z-5", "Z-6")]
    b = _snapshot(zaken, documenten=docs)
    t = milestones.mijlpalen(b, "2025-04")
    a = t[t["soort"] == "archief"]
    assert a["identificatie"].tolist() == ["Z-3"]  # same day as Z-4: by identificatie
    assert a["tekst"].iloc[0] == (
        "De eerste zaak die volledig in het digitale archief staat (gearchiveerd, met documenten en resultaat): "
        "Z-3 (Melding, afdeling Beta), afgesloten op 5 maart 2025.")
    alfa = milestones.mijlpalen(b, "2025-04", "Alfa")
    assert alfa.loc[alfa["soort"] == "archief", "identificatie"].tolist() == ["Z-6"]
    assert not (milestones.mijlpalen(b, "2025-03", "Alfa")["soort"] == "archief").any()
    assert not (milestones.mijlpalen(b, "2025-02")["soort"] == "archief").any()


# --------------------------------------------------------------------------- recent, overview


def test_recent_window_and_the_overview_of_earlier_milestones() -> None:
    zaken = [_zaak(f"Z-{i:02d}", "ZT-A", "Alfa", f"2025-{1 + i // 2:02d}-10") for i in range(12)]
    # Two zaken a month, January to June: every 2nd zaak is reached in each month.
    b = _snapshot(zaken, meta={"periode_tot": "2025-12-31"})
    t = milestones.mijlpalen(b, "2025-06", instellingen=_inst(stap_zaken=2, stap_gebruikers=99,
                                                              mijlpalen_maanden=2))
    assert t["maand"].tolist() == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    assert t["recent"].tolist() == [False, False, False, False, True, True]
    recent, eerder = milestones.overzicht(t)
    assert recent["nummer"].tolist() == [12, 10]
    assert eerder["nummer"].tolist() == [8]  # only the latest earlier one of a count
    one = milestones.mijlpalen(b, "2025-06", instellingen=_inst(stap_zaken=2, stap_gebruikers=99,
                                                                mijlpalen_maanden=1))
    assert one["recent"].sum() == 1


def test_no_milestones_gives_an_empty_table_with_the_columns() -> None:
    b = _snapshot([_zaak("Z-1", "ZT-A", "Alfa", "2025-01-10")], meta={"periode_tot": "2025-12-31"})
    t = milestones.mijlpalen(b, "2025-06", "Beta")
    assert t.empty and list(t.columns) == list(milestones.KOLOMMEN)
    recent, eerder = milestones.overzicht(t)
    assert recent.empty and eerder.empty


# --------------------------------------------------------------------------- the sample


@pytest.fixture(scope="module")
def sample_12k(tmp_path_factory: pytest.TempPathFactory) -> metrics.Basis:
    return metrics.load(build_sample(tmp_path_factory.mktemp("sample12k") / "s", zaken=12_000))


def test_sample_planted_10000th_zaak_is_found(sample_12k: metrics.Basis) -> None:
    geplant = sample_12k.meta["sample"]["geplant"]["zaak_10000"]
    t = milestones.mijlpalen(sample_12k, "2026-10")
    z = t[t["soort"] == "zaken"]
    assert z["nummer"].tolist() == [10_000]
    row = z.iloc[0]
    assert (row["identificatie"], str(row["datum"].date()), row["afdeling"]) == (
        geplant["identificatie"], geplant["registratiedatum"], geplant["afdeling"])
    # Reported as recent in its own month, not three months later.
    maand = geplant["registratiedatum"][:7]
    assert milestones.mijlpalen(sample_12k, maand).query("soort == 'zaken'")["recent"].tolist() == [True]
    later = periods.periode_tekst(periods.periode_index(maand) + 3)
    assert milestones.mijlpalen(sample_12k, later).query("soort == 'zaken'")["recent"].tolist() == [False]


def test_sample_planted_halving_250th_user_and_first_archived_zaak(small_sample: Path) -> None:
    b = metrics.load(small_sample)
    geplant = b.meta["sample"]["geplant"]
    t = milestones.mijlpalen(b, "2026-10", toon_namen=True)
    assert sorted(t.loc[t["soort"] == "halvering", "zaaktype"]) == sorted(geplant["halvering_zaaktypen"])
    g = t[t["soort"] == "gebruikers"]
    assert g["nummer"].tolist() == [250]
    assert (g["medewerker"].iloc[0], str(g["datum"].iloc[0].date()), g["afdeling"].iloc[0]) == (
        geplant["gebruiker_250"]["identificatie"], geplant["gebruiker_250"]["actief_sinds"],
        geplant["gebruiker_250"]["afdeling"])
    assert not (t["soort"] == "zaken").any()  # 6,000 zaken: no 10,000th
    a = t[t["soort"] == "archief"].iloc[0]
    z = b.zaken.set_index("identificatie")
    archived = z[(z["archiefstatus"] == "gearchiveerd") & z["heeft_documenten"] & z["resultaat"].notna()]
    assert a["identificatie"] in archived.index
    assert a["datum"] == archived["einddatum"].min()
    # Per department: each planted zaaktype in its own department's report, none in another.
    owner = b.zaaktypen.set_index("identificatie")["afdeling"]
    for zt in geplant["halvering_zaaktypen"]:
        mine = milestones.mijlpalen(b, "2026-10", owner[zt])
        assert zt in mine.loc[mine["soort"] == "halvering", "zaaktype"].tolist()
    bor = milestones.mijlpalen(b, "2026-10", "Beheer Openbare Ruimte")
    assert not (bor["soort"] == "halvering").any()
