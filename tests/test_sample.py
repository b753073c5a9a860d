"""The sample municipality: contract, determinism, and every planted behaviour recomputed from its definition.

The counts in ``meta.json`` are the generator's own bookkeeping (numpy on its
internal arrays); here they are recomputed independently with pandas from the
written tables, following the definitions in docs/sample.md.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from zgwlib import cli
from zgwlib.data import contract
from zgwlib.data import sample
from zgwlib.core.errors import UsageError
from zgwlib.data.snapshot import Snapshot
from zgwlib.data.sources import load_snapshot
from zgwlib.data.validate import validate_snapshot


@pytest.fixture(scope="module")
def snap(small_sample: Path) -> Snapshot:
    return load_snapshot(small_sample)


@pytest.fixture(scope="module")
def geplant(snap: Snapshot) -> dict:
    return snap.meta["sample"]["geplant"]


def _closed(z: pd.DataFrame) -> pd.Series:
    return z["einddatum"].notna()


def _met_tussenstatus(snap: Snapshot) -> pd.Series:
    st = snap.statussen
    tussen = st["volgnummer"].ne(1) & ~st["is_eindstatus"]
    return snap.zaken["identificatie"].isin(st.loc[tussen, "zaak"])


# --------------------------------------------------------------------------- contract and determinism


def test_tables_follow_the_contract_and_validate(snap: Snapshot, small_sample: Path, geplant: dict) -> None:
    for name, spec in contract.TABLES.items():
        frame = snap[name]
        assert list(frame.columns) == spec.column_names, name
        assert {c: str(t) for c, t in frame.dtypes.items()} == spec.dtypes, name
        assert len(frame) > 0, name
        for col in spec.columns:
            s = frame[col.name]
            if not col.nullable:
                assert s.notna().all(), (name, col.name)
            if col.allowed:
                assert set(s.dropna()) <= set(col.allowed), (name, col.name)
            if col.unique:
                assert s.is_unique, (name, col.name)
            if col.kind == "date":
                assert (s.dropna() == s.dropna().dt.normalize()).all(), (name, col.name)
            if col.max_length:
                assert s.dropna().str.len().max() <= col.max_length, (name, col.name)
    # The validator agrees; its only finding is the planted over-reporting (a warning).
    problems = validate_snapshot(small_sample, today=dt.date(2100, 1, 1))
    assert [p for p in problems if p.severity == "error"] == []
    assert problems and all(geplant["opschoning_overmeld"] in p.message for p in problems)


def test_meta_describes_the_period_and_the_go_live(snap: Snapshot) -> None:
    meta = snap.meta
    assert meta["gemeente"] == "Gemeente Voorbeeld" and meta["bron"] == "voorbeeld"
    assert (meta["periode_van"], meta["periode_tot"]) == ("2024-11-01", "2026-10-31")
    assert meta["invoeringsdatum"] == "2025-03-01"
    assert meta["sample"] | {"geplant": None} == {"seed": sample.DEFAULT_SEED, "zaken": 6000, "start": "2024-11",
                                                  "months": 24, "geplant": None}
    z = snap.zaken
    assert len(z) == 6000
    assert z["registratiedatum"].min() >= pd.Timestamp("2024-11-01")
    assert max(z["registratiedatum"].max(), z["einddatum"].max()) <= pd.Timestamp("2026-10-31")
    assert (z["registratiedatum"].dt.day_of_week < 5).all()
    assert (z["startdatum"] <= z["registratiedatum"]).all() and (z["einddatum"].dropna() >= z["startdatum"][_closed(z)]).all()
    assert snap.statussen["datum_status_gezet"].max() < pd.Timestamp("2026-11-01")
    assert snap.documenten["creatiedatum"].max() <= pd.Timestamp("2026-10-31")
    per_afd = meta["invoering_per_afdeling"]
    assert set(per_afd) == set(snap.medewerkers["afdeling"]) and len(per_afd) == 14
    assert min(per_afd.values()) == meta["invoeringsdatum"]


def test_same_seed_same_tables_other_seed_other_tables(snap: Snapshot) -> None:
    again, meta = sample.generate(zaken=6000)
    for name in contract.TABLES:  # also a Parquet round trip: what was written reads back identical
        assert again[name].equals(snap[name]), name
    assert meta["sample"] == snap.meta["sample"]
    other, _ = sample.generate(zaken=6000, seed=sample.DEFAULT_SEED + 1)
    assert not other["zaken"].equals(snap.zaken)
    assert not other["medewerkers"]["naam"].equals(snap.medewerkers["naam"])


# --------------------------------------------------------------------------- the municipality


def test_departments_zaaktypes_and_staff(snap: Snapshot) -> None:
    zt, z, mw = snap.zaaktypen, snap.zaken, snap.medewerkers
    assert len(zt) == 16 and zt["identificatie"].str.fullmatch(r"ZT-[A-Z]{3}").all()
    assert zt.set_index("identificatie").loc["ZT-OVR", ["doorlooptijd_dagen", "verlengingstermijn_dagen"]].tolist() == [56, 42]
    assert z["identificatie"].str.fullmatch(r"ZAAK-20\d\d-\d{7}").all()
    assert z["zaaktype"].value_counts().index[0] == "ZT-MOR"  # meldingen dominate
    assert z["zaaktype"].value_counts(normalize=True)["ZT-MOR"] > 0.4
    assert set(z["afdeling"]) == set(zt["afdeling"])
    assert {"Financiën", "HRM", "Communicatie", "Informatiebeheer"} <= set(mw["afdeling"]) - set(z["afdeling"])
    assert 380 <= len(mw) <= 420 and mw["identificatie"].str.fullmatch(r"MDW-\d{4}").all()
    assert mw["naam"].str.contains(" ").all()
    teams = mw.groupby("afdeling")["team"].nunique()
    assert teams.max() == 4 and (teams[mw["afdeling"].value_counts() >= 30] >= 2).all()
    assert 0.03 <= mw["actief_sinds"].isna().mean() <= 0.08
    # Belastingen peaks in January (kwijtschelding after the tax assessment).
    bel = z[z["afdeling"] == "Belastingen"]
    per_maand = bel.groupby(bel["registratiedatum"].dt.month).size() / 2
    assert per_maand.idxmax() in (1, 2) and per_maand[1] > 1.5 * per_maand.mean()


def test_status_histories_and_documents_are_consistent(snap: Snapshot) -> None:
    z, st = snap.zaken.set_index("identificatie"), snap.statussen
    first = st[st["volgnummer"] == 1]
    assert first["zaak"].is_unique and len(first) == len(z)
    assert (first["datum_status_gezet"].dt.normalize().to_numpy() == z.loc[first["zaak"], "registratiedatum"].to_numpy()).all()
    eind = st[st["is_eindstatus"]]
    assert eind["zaak"].is_unique and set(eind["zaak"]) == set(z.index[z["einddatum"].notna()])
    assert (eind["datum_status_gezet"].dt.normalize().to_numpy() == z.loc[eind["zaak"], "einddatum"].to_numpy()).all()
    assert (eind["statustype"] == "Afgehandeld").all()
    # Within a zaak, volgnummers rise with time.
    s = st.sort_values(["zaak", "datum_status_gezet", "volgnummer"])
    same = s["zaak"].eq(s["zaak"].shift())
    assert (s["volgnummer"].diff()[same] > 0).all()
    advies = st.loc[st["statustype"] == "Advies ingewonnen", "zaak"]
    assert set(z.loc[advies, "zaaktype"]) == {"ZT-OVR", "ZT-OVU", "ZT-BZW"}
    docs = snap.documenten
    assert docs["identificatie"].str.fullmatch(r"DOC-\d{9}").all()
    linked = docs.dropna(subset=["zaak"])
    assert (linked["creatiedatum"].to_numpy() >= z.loc[linked["zaak"], "startdatum"].to_numpy()).all()
    # A complete permit dossier (Aanvraag and Besluit) is the rule, not everywhere.
    vergunning = z.index[(z["zaaktype"] == "ZT-OVR") & z["einddatum"].notna()]
    types = linked[linked["zaak"].isin(vergunning)].groupby("zaak")["informatieobjecttype"].agg(set)
    compleet = types.map(lambda t: {"Aanvraag", "Besluit"} <= t)
    assert 0.8 < compleet.mean() < 1.0


# --------------------------------------------------------------------------- planted behaviours, recomputed


def test_planted_counts_reproduce_from_their_definitions(snap: Snapshot, geplant: dict) -> None:
    z, st, docs, mw = snap.zaken, snap.statussen, snap.documenten, snap.medewerkers
    closed = _closed(z)
    tussen = _met_tussenstatus(snap)
    achteraf = closed & (z["einddatum"] == z["registratiedatum"]) & ~tussen
    assert geplant["achteraf_geregistreerd"] == achteraf.sum() > 0
    # Every closed zaak without an intermediate status is one of them: ordinary zaken never look like it.
    assert (achteraf == (closed & ~tussen)).all()
    zonder_docs = closed & ~z["identificatie"].isin(docs["zaak"].dropna())
    assert geplant["gesloten_zonder_documenten"] == zonder_docs.sum() > 0
    assert geplant["zonder_behandelaar"] == z["behandelaar"].isna().sum() > 0
    assert geplant["gesloten_zonder_resultaat"] == (closed & z["resultaat"].isna()).sum() > 0
    assert z.loc[~closed, "resultaat"].isna().all()
    assert geplant["documenten_buiten_zaak"] == docs["zaak"].isna().sum() > 0
    gezien = mw["identificatie"].isin(z["behandelaar"].dropna()) | mw["identificatie"].isin(st["gezet_door"].dropna())
    nooit = mw.loc[mw["actief_sinds"].isna() & ~gezien, "identificatie"]
    assert geplant["nooit_actief"] == nooit.tolist() and len(nooit) > 0
    assert not gezien[mw["actief_sinds"].isna()].any()  # nobody without actief_sinds works in the system
    einde = pd.Timestamp(snap.meta["periode_tot"])
    over = ~closed & (z["uiterlijke_einddatum_afdoening"] < einde)
    assert geplant["open_over_termijn"] == over.sum() > 0
    # Each planted signal stays a minority, as in a real municipality.
    for key in ("achteraf_geregistreerd", "gesloten_zonder_documenten", "zonder_behandelaar",
                "gesloten_zonder_resultaat", "open_over_termijn"):
        assert geplant[key] < 0.1 * len(z), key


def test_planted_late_extended_and_suspended_zaken_reproduce_from_their_definitions(snap: Snapshot,
                                                                                     geplant: dict) -> None:
    z = snap.zaken
    t = geplant["termijnbewaking"]
    einde = pd.Timestamp(snap.meta["periode_tot"])
    assert t["peildatum"] == snap.meta["periode_tot"] and t["horizon_dagen"] == 14
    open_ = _closed(z).__invert__()
    opgeschort = z["opschorting_indicatie"].fillna(False).to_numpy(dtype=bool)
    assert t["opgeschort"] == (open_ & opgeschort).sum() > 0
    assert not (_closed(z) & opgeschort).any()  # only open zaken are suspended, each with a reason
    assert z.loc[opgeschort, "opschorting_reden"].notna().all() and z.loc[~opgeschort, "opschorting_reden"].isna().all()
    assert z["opschorting_indicatie"].notna().all()  # known for every zaak, as Open Zaak answers
    dagen = (z["uiterlijke_einddatum_afdoening"] - einde).dt.days
    lijst = open_ & ~opgeschort
    assert t["te_laat"] == (lijst & (dagen < 0)).sum() > 0
    assert t["binnen_horizon"] == (lijst & (dagen >= 0) & (dagen <= 14)).sum() > 0
    assert t["te_laat_zonder_behandelaar"] == (lijst & (dagen < 0) & z["behandelaar"].isna()).sum()
    # Extended zaken: only zaaktypes that allow it, by the zaaktype's term, with a reason.
    verlengd = z["verlenging_duur_dagen"].notna()
    assert verlengd.sum() > 0 and z.loc[verlengd, "verlenging_reden"].notna().all()
    termijn = z["zaaktype"].map(snap.zaaktypen.set_index("identificatie")["verlengingstermijn_dagen"])
    assert (z.loc[verlengd, "verlenging_duur_dagen"] == termijn[verlengd]).all()
    wettelijk = z["zaaktype"].map(snap.zaaktypen.set_index("identificatie")["doorlooptijd_dagen"])
    # The sample's legal date already includes the extension (the ZGW practice; docs/metrics.md).
    totaal = (z["uiterlijke_einddatum_afdoening"] - z["startdatum"]).dt.days
    assert (totaal[verlengd] == (wettelijk + termijn)[verlengd]).all()
    assert (totaal[~verlengd] == wettelijk[~verlengd]).all()


def test_lagging_department_lags(snap: Snapshot, geplant: dict) -> None:
    afd = geplant["achterblijvende_afdeling"]
    per_afd = {a: pd.Timestamp(d) for a, d in snap.meta["invoering_per_afdeling"].items()}
    invoering = pd.Timestamp(snap.meta["invoeringsdatum"])
    eigen = per_afd[afd]
    assert eigen >= invoering + pd.DateOffset(months=5)
    # Exactly one department clearly lags; a few others are at most two months late.
    assert [a for a, d in per_afd.items() if d >= invoering + pd.DateOffset(months=5)] == [afd]
    z = snap.zaken
    mine = z[z["afdeling"] == afd]
    maand = mine.groupby(mine["registratiedatum"].dt.to_period("M")).size()
    voor = maand[(maand.index >= invoering.to_period("M")) & (maand.index < eigen.to_period("M"))]
    na = maand[maand.index >= eigen.to_period("M")]
    assert len(voor) >= 5 and voor.mean() < 0.5 * na.mean() and voor.max() < na.min()
    # Before its go-live much of its work was registered afterwards.
    achteraf = _closed(mine) & (mine["einddatum"] == mine["registratiedatum"]) & ~_met_tussenstatus(snap)[mine.index]
    in_voor = (mine["registratiedatum"] >= invoering) & (mine["registratiedatum"] < eigen)
    assert achteraf[in_voor].mean() > 0.2 > 5 * achteraf[mine["registratiedatum"] >= eigen].mean()


def _halvering(snap: Snapshot, zaaktype: str) -> tuple[float, float, int, int]:
    """Median doorlooptijd in the department's first three months after go-live and in the last three months."""
    z, zt = snap.zaken, snap.zaaktypen.set_index("identificatie")
    c = z[(z["zaaktype"] == zaaktype) & _closed(z)]
    dlt = (c["einddatum"] - c["startdatum"]).dt.days
    maand = c["einddatum"].dt.to_period("M")
    g = pd.Timestamp(snap.meta["invoering_per_afdeling"][zt.loc[zaaktype, "afdeling"]]).to_period("M")
    laatste = pd.Timestamp(snap.meta["periode_tot"]).to_period("M")
    begin, late = dlt[(maand >= g) & (maand < g + 3)], dlt[maand > laatste - 3]
    return begin.median(), late.median(), len(begin), len(late)


def test_halving_zaaktypes_really_halve_and_no_others_do(snap: Snapshot, geplant: dict) -> None:
    assert geplant["halvering_zaaktypen"] == ["ZT-OVR", "ZT-WMM"]
    for ident in snap.zaaktypen["identificatie"]:
        begin, late, nb, nl_ = _halvering(snap, ident)
        halved = min(nb, nl_) >= sample.HALVERING_MIN_ZAKEN and late <= 0.5 * begin
        assert halved == (ident in geplant["halvering_zaaktypen"]), (ident, begin, late, nb, nl_)


def test_bottleneck_and_skipped_step(snap: Snapshot, geplant: dict) -> None:
    z, st = snap.zaken, snap.statussen
    knel = geplant["knelpunt_status"]
    ids = z.loc[z["zaaktype"] == knel["zaaktype"], "identificatie"]
    s = st[st["zaak"].isin(ids)].sort_values(["zaak", "datum_status_gezet", "volgnummer"])
    wacht = (s.groupby("zaak")["datum_status_gezet"].shift(-1) - s["datum_status_gezet"]).dt.total_seconds() / 86400
    mediaan = wacht.groupby(s["statustype"]).median().dropna().sort_values(ascending=False)
    assert mediaan.index[0] == knel["statustype"] and mediaan.iloc[0] > 2 * mediaan.iloc[1]

    skip = geplant["overgeslagen_stap"]
    ids = z.loc[z["zaaktype"] == skip["zaaktype"], "identificatie"]
    s = st[st["zaak"].isin(ids)]
    vn = int(s.loc[s["statustype"] == skip["statustype"], "volgnummer"].iloc[0])
    voorbij = set(s.loc[s["volgnummer"] > vn, "zaak"])
    gehad = set(s.loc[s["statustype"] == skip["statustype"], "zaak"])
    tussen = set(s.loc[(s["volgnummer"] != 1) & ~s["is_eindstatus"], "zaak"])
    overgeslagen = voorbij - gehad
    assert skip["aantal"] == len(overgeslagen & tussen) > 0
    # A skip, not an optional status: most zaken that got past it had it.
    assert len(overgeslagen) < 0.3 * len(voorbij)
    # Elsewhere nobody skips a step, apart from zaken registered afterwards (no intermediate status at all).
    others = st[~st["zaak"].isin(ids)]
    met_tussen = set(others.loc[(others["volgnummer"] != 1) & ~others["is_eindstatus"], "zaak"])
    for vn in (2, 3):
        verder = set(others.loc[others["volgnummer"] > vn, "zaak"]) & met_tussen
        assert verder <= set(others.loc[others["volgnummer"] == vn, "zaak"]), vn


def test_script_omschrijving_and_archived_zaak(snap: Snapshot, geplant: dict) -> None:
    z = snap.zaken
    hit = z.loc[z["omschrijving"] == '<script>alert("zgw")</script> melding', "identificatie"]
    assert hit.tolist() == [geplant["html_omschrijving"]]
    assert z["omschrijving"].str.contains("<", regex=False).sum() == 1
    archief = z[z["archiefstatus"] == "gearchiveerd"]
    assert len(archief) > 0 and archief["resultaat"].notna().all() and archief["einddatum"].notna().all()
    assert archief["identificatie"].isin(snap.documenten["zaak"]).all()
    docs = snap.documenten
    assert set(docs.loc[docs["status"] == "gearchiveerd", "zaak"]) == set(archief["identificatie"])
    assert (z["archiefnominatie"].notna() == z["resultaat"].notna()).all()


def test_users_250_in_the_small_sample(snap: Snapshot, geplant: dict) -> None:
    mw = snap.medewerkers.dropna(subset=["actief_sinds"]).sort_values(["actief_sinds", "identificatie"])
    row = mw.iloc[249]
    assert geplant["gebruiker_250"] == {"identificatie": row["identificatie"],
                                        "actief_sinds": row["actief_sinds"].date().isoformat(),
                                        "afdeling": row["afdeling"]}
    assert "zaak_10000" not in geplant  # only 6,000 zaken


def test_cleanup_has_one_department_behind_one_over_reporting_one_without_target(snap: Snapshot, geplant: dict) -> None:
    reg, doel = snap.opschoning, snap.opschoning_doelen.set_index("afdeling")
    einde = pd.Timestamp(snap.meta["periode_tot"])
    verwerkt = reg[reg["actie"] != "inventarisatie"].groupby(["afdeling", "eenheid"])["hoeveelheid"].sum().unstack()
    inventaris = reg[reg["actie"] == "inventarisatie"].groupby(["afdeling", "eenheid"])["hoeveelheid"].sum().unstack()
    met_doel = doel.index
    # The inventory registrations add up to the targets' starting amounts.
    assert (inventaris.loc[met_doel, "strekkende_meters"] == doel["strekkende_meters"]).all()
    assert (inventaris.loc[met_doel, "dossiers"] == doel["dossiers"].astype(float)).all()
    gedaan = verwerkt.loc[met_doel, "strekkende_meters"] / doel["strekkende_meters"]
    achter, over = geplant["opschoning_achter"], geplant["opschoning_overmeld"]
    assert doel.loc[achter, "streefdatum"] < einde and gedaan[achter] < 0.8
    assert gedaan[over] > 1.05 and (verwerkt.loc[over, "dossiers"] > doel.loc[over, "dossiers"])
    assert set(gedaan.index[gedaan > 1]) == {over}
    assert set(gedaan.index[gedaan < 1]) == {achter}
    zonder = set(reg["afdeling"]) - set(met_doel)
    assert len(zonder) == 1 and zonder.isdisjoint(inventaris.index)
    # Cleanup starts about two months after each department's go-live.
    start = reg.groupby("afdeling")["datum"].min()
    golive = pd.Series(snap.meta["invoering_per_afdeling"]).map(pd.Timestamp)
    assert ((start - golive[start.index]).dt.days.between(55, 80)).all()


def test_survey_has_both_rounds_small_groups_and_improves(snap: Snapshot) -> None:
    e = snap.enquete
    assert set(e["meting"]) == {"nulmeting", "evaluatie"} and e["vraag"].nunique() == 5
    invoering = pd.Timestamp(snap.meta["invoeringsdatum"])
    assert (e.loc[e["meting"] == "nulmeting", "datum"] < invoering).all()
    evaluatie = e.loc[e["meting"] == "evaluatie", "datum"]
    assert evaluatie.min() >= invoering + pd.DateOffset(months=8)
    respondenten = e.groupby(["meting", "afdeling"])["respondent"].nunique()
    assert (respondenten < 5).any() and (respondenten >= 5).sum() > 10
    assert (e.groupby("respondent")["vraag"].nunique() == 5).all()
    gemiddeld = e.groupby(["vraag", "meting"])["score"].mean().unstack()
    assert (gemiddeld["evaluatie"] > gemiddeld["nulmeting"]).all()


def test_borging_activities_and_the_planted_effect_are_in_the_tables(snap: Snapshot, geplant: dict) -> None:
    act, z, mw = snap.activiteiten, snap.zaken, snap.medewerkers
    borging = geplant["borging"]
    assert set(act["soort"]) == set(contract.ACTIVITEIT_SOORT)
    spreekuur = act[act["soort"] == "inloopspreekuur"]
    assert spreekuur["vraag"].notna().all() and act.loc[act["soort"] != "inloopspreekuur", "vraag"].isna().all()
    assert (act["datum"] >= pd.Timestamp(snap.meta["invoeringsdatum"])).all()
    assert act["vraag"].eq(borging["markup_vraag"]).sum() == 1 and act["vraag"].str.contains("<", regex=False).sum() == 1
    # Key-user meetings six weeks apart; the next one falls in the month after the data.
    overleg = act.loc[act["soort"] == "keyuser_overleg", "datum"].sort_values()
    assert (overleg.diff().dropna().dt.days == 42).all()
    assert (overleg.max() + pd.Timedelta(days=42)).to_period("M") == pd.Period("2026-11")
    # Each team's first training or buddy, as recorded.
    tb = act[act["soort"].isin(["training", "buddy"])].sort_values("datum", kind="stable")
    eerste = tb.groupby(["afdeling", "team"], sort=False).head(1)
    assert [(r.afdeling, r.team, r.soort, r.datum.date().isoformat()) for r in eerste.itertuples()] == [
        (e["afdeling"], e["team"], e["soort"], e["datum"]) for e in borging["eerste_actie"]]
    assert [e["team"] for e in borging["eerste_actie"] if e["effect"]] == ["Wijkbeheer Noord", "Wmo", "Groen"]
    # The effect is real in the zaken: after the action, the team's zaken close on time far more often than before,
    # while a comparable team of the same department without any action does not change that much.
    team_van = mw.set_index("identificatie")["team"]
    zt = z.assign(team=z["behandelaar"].map(team_van), op_tijd=z["einddatum"] <= z["einddatum_gepland"])
    closed = zt[zt["einddatum"].notna() & ~zt["zaaktype"].isin(["ZT-OVR", "ZT-WMM"])]

    def op_tijd(team: str, van: pd.Timestamp, tot: pd.Timestamp) -> float:
        sel = closed[(closed["team"] == team) & (closed["startdatum"] >= van) & (closed["startdatum"] < tot)]
        return float(sel["op_tijd"].mean())

    for e in borging["eerste_actie"]:
        dag = pd.Timestamp(e["datum"])
        voor = op_tijd(e["team"], dag - pd.DateOffset(months=6), dag)
        na = op_tijd(e["team"], dag, dag + pd.DateOffset(months=6))
        if e["effect"]:
            assert e["zaken_op_tijd_gemaakt"] > 10 and na - voor > 0.1, e
        else:
            assert e["zaken_op_tijd_gemaakt"] == 0 and abs(na - voor) < 0.1, e
    dag = pd.Timestamp(borging["eerste_actie"][0]["datum"])
    assert abs(op_tijd("Wijkbeheer Zuid", dag, dag + pd.DateOffset(months=6))
               - op_tijd("Wijkbeheer Zuid", dag - pd.DateOffset(months=6), dag)) < 0.1
    assert "Beheer Openbare Ruimte / Wijkbeheer Zuid" in borging["teams_zonder_actie"]
    assert not any(e["team"] in t for e in borging["eerste_actie"] for t in borging["teams_zonder_actie"])


# --------------------------------------------------------------------------- the default build and the CLI


@pytest.mark.slow
def test_default_build_via_cli_has_the_10000th_zaak_and_250th_user(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "voorbeeld"
    assert cli.main(["sample", "--out", str(out)]) == 0
    assert "Gemeente Voorbeeld: 60000 zaken" in capsys.readouterr().out
    snap = load_snapshot(out, ["zaken", "medewerkers"])
    geplant = snap.meta["sample"]["geplant"]
    assert len(snap.zaken) == 60_000 and snap.meta["sample"]["seed"] == sample.DEFAULT_SEED
    z = snap.zaken.sort_values(["registratiedatum", "identificatie"]).iloc[9_999]
    assert geplant["zaak_10000"] == {"identificatie": z["identificatie"],
                                     "registratiedatum": z["registratiedatum"].date().isoformat(),
                                     "afdeling": z["afdeling"]}
    mw = snap.medewerkers.dropna(subset=["actief_sinds"]).sort_values(["actief_sinds", "identificatie"]).iloc[249]
    assert geplant["gebruiker_250"]["identificatie"] == mw["identificatie"]
    for dag in (geplant["zaak_10000"]["registratiedatum"], geplant["gebruiker_250"]["actief_sinds"]):
        assert snap.meta["periode_van"] <= dag <= snap.meta["periode_tot"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--zaken", "5"], "zaken must be between 100"),
        (["--months", "200"], "months must be between 6 and 120"),
        (["--start", "2024-13"], "start must be a month written YYYY-MM"),
        (["--seed", "-1"], "seed must be 0 or more"),
    ],
)
def test_cli_rejects_bad_arguments_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture, args: list[str], message: str
) -> None:
    out = tmp_path / "x"
    assert cli.main(["sample", "--out", str(out), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not out.exists()


def test_function_rejects_wrong_types() -> None:
    with pytest.raises(UsageError, match="zaken must be a whole number"):
        sample.build_sample("unused", zaken="veel")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="months must be a whole number"):
        sample.generate(months=True)


def test_short_period_still_builds() -> None:
    tables, meta = sample.generate(zaken=300, months=6, start="2023-01", seed=5)
    assert len(tables["zaken"]) == 300 and meta["periode_tot"] == "2023-06-30"
    assert meta["invoeringsdatum"] == "2023-02-01"
    assert tables["zaken"]["registratiedatum"].between(pd.Timestamp("2023-01-01"), pd.Timestamp("2023-06-30")).all()
    assert np.isin(tables["statussen"]["zaak"].unique(), tables["zaken"]["identificatie"]).all()
