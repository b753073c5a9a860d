"""Process discovery on small hand-made event logs whose answers are known, and on the sample."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from zgwlib.data import contract
from zgwlib.verkenning import process
from zgwlib.verkenning import display as process_display
from zgwlib.core.errors import UsageError
from zgwlib.data.sources import load_snapshot

VOLG = {"Geregistreerd": 1, "Ontvangen": 2, "In behandeling": 3, "Advies ingewonnen": 4, "Afgehandeld": 5}
T0 = pd.Timestamp("2025-03-03 09:00")


def statussen(paden: dict[str, list[tuple[str, float]]]) -> pd.DataFrame:
    """Statussen from {zaak: [(statustype, days after T0), ...]}, rows deliberately shuffled."""
    rows = [
        {
            "zaak": zaak,
            "statustype": st,
            "volgnummer": VOLG[st],
            "datum_status_gezet": T0 + pd.Timedelta(days=d),
            "is_eindstatus": st == "Afgehandeld",
            "gezet_door": None,
        }
        for zaak, pad in paden.items()
        for st, d in pad
    ]
    frame = pd.DataFrame(rows).sample(frac=1.0, random_state=7)
    return contract.conform("statussen", frame)


NORMAAL = [("Geregistreerd", 0), ("Ontvangen", 1), ("In behandeling", 3), ("Afgehandeld", 13)]
#: Eight zaken: four normal ones (the bottleneck is 10 days in behandeling), one skipping Ontvangen, one going back,
#: one still open in Ontvangen, and one registered afterwards (only first and final status, same day).
PADEN = {
    "Z1": NORMAAL,
    "Z2": NORMAAL,
    "Z3": NORMAAL,
    "Z4": NORMAAL,
    "Z5": [("Geregistreerd", 0), ("In behandeling", 2), ("Afgehandeld", 12)],
    "Z6": [("Geregistreerd", 0), ("Ontvangen", 1), ("In behandeling", 3), ("Ontvangen", 5),
           ("In behandeling", 6), ("Afgehandeld", 16)],
    "Z7": [("Geregistreerd", 0), ("Ontvangen", 1)],
    "Z8": [("Geregistreerd", 0), ("Afgehandeld", 0)],
}


@pytest.fixture(scope="module")
def log() -> process.EventLog:
    return process.event_log(statussen(PADEN))


def test_event_log_orders_each_zaak_by_time_and_measures_waits(log: process.EventLog) -> None:
    assert log.aantal_zaken == 8
    assert log.statustypen["statustype"].tolist() == ["Geregistreerd", "Ontvangen", "In behandeling", "Afgehandeld"]
    # 5 of the 7 zaken that got past Ontvangen had it.
    assert log.statustypen["aandeel_gehad"].iloc[1] == pytest.approx(5 / 7)
    assert not log.statustypen["optioneel"].any()
    assert {c: str(t) for c, t in log.events.dtypes.items() if c in ("zaak", "volgnummer", "is_eindstatus")} == {
        "zaak": "str", "volgnummer": "Int64", "is_eindstatus": "boolean"
    }
    z6 = log.events[log.events["zaak"] == "Z6"]
    assert z6["statustype"].astype(str).tolist() == [s for s, _ in PADEN["Z6"]]
    assert z6["stap"].tolist() == list(range(6))
    assert z6["wachttijd_dagen"].tolist()[:-1] == [1, 2, 2, 1, 10]
    assert np.isnan(z6["wachttijd_dagen"].iloc[-1])


def test_same_moment_keeps_volgnummer_order() -> None:
    log = process.event_log(statussen({"Z8": [("Afgehandeld", 0), ("Geregistreerd", 0)]}))
    assert log.events["statustype"].astype(str).tolist() == ["Geregistreerd", "Afgehandeld"]


def test_overgangen_are_the_directly_follows_graph(log: process.EventLog) -> None:
    ov = process.overgangen(log).set_index(["van", "naar"])
    expected = {
        ("Geregistreerd", "Ontvangen"): (6, process.VOORUIT),  # Z1-4, Z6, Z7
        ("Ontvangen", "In behandeling"): (6, process.VOORUIT),  # Z1-4, Z6 twice
        ("In behandeling", "Afgehandeld"): (6, process.VOORUIT),  # Z1-4, Z5, Z6
        ("Geregistreerd", "In behandeling"): (1, process.SPRONG),  # Z5
        ("Geregistreerd", "Afgehandeld"): (1, process.SPRONG),  # Z8
        ("In behandeling", "Ontvangen"): (1, process.TERUG),  # Z6
    }
    assert {k: (int(v.aantal), v.soort) for k, v in ov.iterrows()} == expected
    assert ov.loc[("Ontvangen", "In behandeling"), "zaken"] == 5
    assert ov.loc[("In behandeling", "Afgehandeld"), "mediane_wachttijd_dagen"] == 10.0
    # Z6 waited 2 days in Ontvangen the first time and 1 day the second; the four normal zaken 2 days.
    assert ov.loc[("Ontvangen", "In behandeling"), "mediane_wachttijd_dagen"] == 2.0


def test_wachttijden_and_the_planted_bottleneck(log: process.EventLog) -> None:
    w = process.wachttijden(log).set_index("statustype")
    assert w.loc["In behandeling", "mediaan_dagen"] == 10.0
    assert w.loc["Ontvangen", "zaken"] == 6
    assert w.loc["Ontvangen", "nu_in_status"] == 1  # Z7 is still waiting there
    assert w.loc["Afgehandeld", "aantal"] == 0
    kn = process.knelpunt(w.reset_index(), log.aantal_zaken)
    assert kn is not None and kn["statustype"] == "In behandeling"
    assert kn["factor"] == pytest.approx(10.0 / 2.0)


def test_bottleneck_ignores_a_rare_detour() -> None:
    paden = {f"Z{i}": NORMAAL for i in range(40)}
    # One zaak waits 100 days in a status nobody else passes through.
    paden["X"] = [("Geregistreerd", 0), ("Ontvangen", 100), ("In behandeling", 101), ("Afgehandeld", 102)]
    paden.update({f"Y{i}": [("Geregistreerd", 0), ("In behandeling", 1), ("Afgehandeld", 11)] for i in range(3)})
    log = process.event_log(statussen(paden))
    w = process.wachttijden(log)
    assert process.knelpunt(w, log.aantal_zaken)["statustype"] == "In behandeling"
    # With a lower bar the slow Geregistreerd of one zaak still does not win: its median is 1 day.
    assert process.knelpunt(w, log.aantal_zaken, min_aandeel=0.0)["statustype"] == "In behandeling"


def test_varianten_share_and_lead_time(log: process.EventLog) -> None:
    v = process.varianten(log)
    assert v["aantal"].sum() == 8
    top = v.iloc[0]
    assert top["variant"] == "Geregistreerd → Ontvangen → In behandeling → Afgehandeld"
    assert top["aantal"] == 4 and top["aandeel"] == 0.5 and bool(top["afgerond"])
    assert top["mediane_doorlooptijd_dagen"] == 13.0
    assert v["cumulatief_aandeel"].iloc[-1] == pytest.approx(1.0)
    open_ = v[v["variant"] == "Geregistreerd → Ontvangen"].iloc[0]
    assert not bool(open_["afgerond"]) and open_["aandeel"] == 1 / 8
    assert set(v["stappen"]) == {4, 3, 6, 2}


def test_varianten_use_zaak_doorlooptijd_when_zaken_are_given(log: process.EventLog) -> None:
    ids = list(PADEN)
    zaken = pd.DataFrame(
        {
            "identificatie": ids,
            "startdatum": pd.to_datetime(["2025-03-01"] * 8),
            "einddatum": pd.to_datetime(["2025-03-21"] * 6 + [None] + ["2025-03-01"]),
        }
    )
    v = process.varianten(log, zaken).set_index("variant")
    assert v.loc["Geregistreerd → Ontvangen → In behandeling → Afgehandeld", "mediane_doorlooptijd_dagen"] == 20.0
    assert v.loc["Geregistreerd → Afgehandeld", "mediane_doorlooptijd_dagen"] == 0.0
    assert np.isnan(v.loc["Geregistreerd → Ontvangen", "mediane_doorlooptijd_dagen"])


def test_the_planted_skipped_step(log: process.EventLog) -> None:
    sk = process.overgeslagen_stappen(log).set_index("statustype")
    assert sk.loc["Ontvangen", "overgeslagen"] == 2  # Z5 and Z8
    assert sk.loc["Ontvangen", "zonder_tussenstatus"] == 1  # Z8
    # Seven zaken got past Ontvangen (all but the open Z7 still in it... Z7 did not get past it).
    assert sk.loc["Ontvangen", "aandeel"] == pytest.approx(2 / 7)
    assert sk.loc["In behandeling", "overgeslagen"] == 1  # Z8 only: Z7 is open and has not got past it
    assert "Geregistreerd" not in sk.index and "Afgehandeld" not in sk.index
    assert list(process.zaken_met_overgeslagen_stap(log, "Ontvangen")) == ["Z5", "Z8"]
    with pytest.raises(UsageError, match="Advies"):
        process.zaken_met_overgeslagen_stap(log, "Advies")


def test_an_optional_status_is_not_a_skipped_step() -> None:
    advies = [("Geregistreerd", 0), ("Ontvangen", 1), ("In behandeling", 2), ("Advies ingewonnen", 5),
              ("Afgehandeld", 9)]
    paden = {f"N{i}": NORMAAL for i in range(7)} | {"A1": advies, "A2": advies}
    paden["S"] = [("Geregistreerd", 0), ("In behandeling", 1), ("Advies ingewonnen", 2), ("Afgehandeld", 3)]
    log = process.event_log(statussen(paden))
    typen = log.statustypen.set_index("statustype")
    assert bool(typen.loc["Advies ingewonnen", "optioneel"]) and typen.loc["Advies ingewonnen", "aandeel_gehad"] == 0.3
    sk = process.overgeslagen_stappen(log)
    assert sk[["statustype", "overgeslagen"]].values.tolist() == [["Ontvangen", 1]]
    soort = process.overgangen(log).set_index(["van", "naar"])["soort"]
    assert soort[("In behandeling", "Afgehandeld")] == process.VOORUIT  # past the optional advice
    assert soort[("Geregistreerd", "In behandeling")] == process.SPRONG
    assert soort[("In behandeling", "Advies ingewonnen")] == process.VOORUIT
    assert process.wachttijden(log).set_index("statustype").loc["Advies ingewonnen", "optioneel"]


def test_going_back(log: process.EventLog) -> None:
    back, n = process.terugstappen(log)
    assert n == 1
    assert back[["van", "naar", "aantal"]].values.tolist() == [["In behandeling", "Ontvangen", 1]]


def test_repeating_a_status_counts_as_going_back() -> None:
    log = process.event_log(statussen({"Z": [("Geregistreerd", 0), ("Ontvangen", 1), ("Ontvangen", 2),
                                             ("Afgehandeld", 3)]}))
    back, n = process.terugstappen(log)
    assert n == 1 and back["van"].tolist() == ["Ontvangen"] and back["naar"].tolist() == ["Ontvangen"]


def test_very_long_paths_still_group_into_variants() -> None:
    # 40 steps back and forth do not fit the integer key; the row-sorting route must give the same answer.
    heen_en_weer = [("Geregistreerd", 0)] + [
        (("Ontvangen", "In behandeling")[i % 2], 1 + i) for i in range(40)
    ] + [("Afgehandeld", 50)]
    log = process.event_log(statussen({"L1": heen_en_weer, "L2": heen_en_weer, "K": NORMAAL}))
    v = process.varianten(log)
    assert v["aantal"].tolist() == [2, 1] and v["stappen"].tolist() == [42, 4]
    assert v["variant"].iloc[0].count("Ontvangen → In behandeling") == 20
    assert process.terugstappen(log)[1] == 2


def test_empty_log_gives_empty_tables() -> None:
    log = process.event_log(contract.STATUSSEN.empty())
    assert log.aantal_zaken == 0
    assert process.varianten(log).empty and process.overgeslagen_stappen(log).empty
    assert process.overgangen(log).empty


def _zaaktypen() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "identificatie": ["ZT-BZW", "ZT-MOR"],
            "omschrijving": ["Bezwaarschrift behandelen", "Melding openbare ruimte behandelen"],
            "afdeling": ["Juridische Zaken", "Beheer Openbare Ruimte"],
            "doorlooptijd_dagen": [42, 14],
            "servicenorm_dagen": [None, 5],
            "verlenging_mogelijk": [True, False],
            "verlengingstermijn_dagen": [42, None],
        }
    )


def _zaken() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "identificatie": ["B1", "B2", "M1", "M2", "M3"],
            "zaaktype": ["ZT-BZW", "ZT-BZW", "ZT-MOR", "ZT-MOR", "ZT-MOR"],
            "afdeling": ["Juridische Zaken"] * 2 + ["Beheer Openbare Ruimte"] * 3,
            "registratiedatum": pd.to_datetime(["2025-01-10", "2025-02-10", "2025-01-31", "2025-02-01", "2025-03-01"]),
            "startdatum": pd.to_datetime(["2025-01-10", "2025-02-10", "2025-01-31", "2025-02-01", "2025-03-01"]),
            "einddatum": pd.to_datetime(["2025-03-10", None, "2025-02-03", "2025-02-20", "2025-03-04"]),
            "einddatum_gepland": pd.to_datetime([None, None, "2025-02-05", "2025-02-06", "2025-03-06"]),
            "uiterlijke_einddatum_afdoening": pd.to_datetime(
                ["2025-02-21", "2025-03-24", "2025-02-14", "2025-02-15", "2025-03-15"]
            ),
        }
    )


def test_kies_zaaktype_by_code_name_or_size() -> None:
    zt, zaken = _zaaktypen(), _zaken()
    assert process.choose_zaaktype(zt, zaken)["identificatie"] == "ZT-MOR"  # the largest
    assert process.choose_zaaktype(zt, zaken, "zt-bzw")["identificatie"] == "ZT-BZW"
    assert process.choose_zaaktype(zt, zaken, " Bezwaarschrift behandelen ")["identificatie"] == "ZT-BZW"
    with pytest.raises(UsageError, match="unknown zaaktype 'Paspoort'.*ZT-BZW"):
        process.choose_zaaktype(zt, zaken, "Paspoort")


def test_selecteer_filters_afdeling_and_period() -> None:
    zt, zaken = _zaaktypen(), _zaken()
    sel = process.select(zaken, zt, None, None, "2025-01-31", "2025-02")
    assert sel.zaaktype["identificatie"] == "ZT-MOR" and sel.zaken["identificatie"].tolist() == ["M1", "M2"]
    assert "tot en met 28 februari 2025" in sel.beschrijving()
    # A tie (one zaak each in February) goes to the first identificatie, whatever the row order.
    sel = process.select(zaken.iloc[::-1], zt, None, None, "2025-02", "2025-02")
    assert sel.zaaktype["identificatie"] == "ZT-BZW"
    sel = process.select(zaken, zt, None, "Juridische Zaken")
    assert sel.zaken["identificatie"].tolist() == ["B1", "B2"]
    with pytest.raises(UsageError, match="afdeling 'Sport'"):
        process.select(zaken, zt, afdeling="Sport")
    with pytest.raises(UsageError, match="no zaken"):
        process.select(zaken, zt, "ZT-BZW", "Beheer Openbare Ruimte")
    with pytest.raises(UsageError, match="periode_van"):
        process.select(zaken, zt, periode_van="maart")
    with pytest.raises(UsageError, match="after"):
        process.periode("2025-04", "2025-03")
    assert process.periode("2024-02", "2024-02") == (pd.Timestamp("2024-02-01"), pd.Timestamp("2024-02-29"))


def test_doorlooptijd_per_maand_with_term_and_norm() -> None:
    pm = process.doorlooptijd_per_maand(_zaken()[lambda z: z["zaaktype"] == "ZT-MOR"])
    jan, feb, mrt = (pm.loc[pd.Period(m, "M")] for m in ("2025-01", "2025-02", "2025-03"))
    assert (jan["zaken"], jan["afgesloten"], jan["open"], jan["mediaan"]) == (1, 1, 0, 3.0)
    assert feb["mediaan"] == 19.0 and feb["binnen_termijn"] == 0.0 and feb["binnen_servicenorm"] == 0.0
    assert mrt["binnen_servicenorm"] == 1.0
    bz = process.doorlooptijd_per_maand(_zaken()[lambda z: z["zaaktype"] == "ZT-BZW"])
    assert bz.loc[pd.Period("2025-02", "M"), "open"] == 1
    assert bz["binnen_termijn"].iloc[0] == 0.0  # 59 days against a deadline of 42
    assert np.isnan(bz["binnen_servicenorm"].iloc[0])  # no service norm date at all


def test_charts_draw_boxes_arrows_and_norm_lines(log: process.EventLog) -> None:
    import matplotlib.pyplot as plt

    zaken = _zaken()
    analyse = process.Procesanalyse(
        log, process.overgangen(log), process.wachttijden(log), None, process.varianten(log),
        process.overgeslagen_stappen(log), *process.terugstappen(log),
    )
    analyse.knelpunt = process.knelpunt(analyse.wachttijden, log.aantal_zaken)
    ax = process_display.draw_processchema(analyse)
    texts = [t.get_text() for t in ax.texts]
    assert "In behandeling" in texts and any("6×" in t for t in texts)
    assert len(ax.patches) == 4 + 6  # boxes + arrows
    plt.close(ax.figure)
    ax = process_display.draw_doorlooptijd(process.doorlooptijd_per_maand(zaken), _zaaktypen().iloc[0])
    assert {t.get_text() for t in ax.get_legend().get_texts()} == {
        "wettelijke termijn (42 d)", "met verlenging (84 d)"
    }
    plt.close(ax.figure)


@pytest.mark.slow
def test_planted_bottleneck_and_skipped_step_are_found_in_the_sample(small_sample: Path) -> None:
    snap = load_snapshot(small_sample, ["zaken", "statussen", "zaaktypen"])
    geplant = snap.meta["sample"]["geplant"]
    knel, skip = geplant["knelpunt_status"], geplant["overgeslagen_stap"]

    sel = process.select(snap.zaken, snap.zaaktypen, knel["zaaktype"])
    analyse = process.analyse(snap.statussen, sel.zaken)
    assert analyse.knelpunt is not None and analyse.knelpunt["statustype"] == knel["statustype"], json.dumps(geplant)

    sel = process.select(snap.zaken, snap.zaaktypen, skip["zaaktype"])
    sk = process.overgeslagen_stappen(process.event_log(snap.statussen, sel.zaken)).set_index("statustype")
    # Zaken registered afterwards skip every intermediate status; the planted skip is the rest.
    row = sk.loc[skip["statustype"]]
    assert row["overgeslagen"] - row["zonder_tussenstatus"] == skip["aantal"]


def test_isin_matches_pandas_and_never_matches_missing() -> None:
    values = pd.Series(["a", None, "c", "d"], dtype="str")
    pool = pd.Series(["c", None, "a"], dtype="str")
    assert process.isin(values, pool).tolist() == [True, False, True, False]
    assert process.isin(values, []).tolist() == [False] * 4
    assert process.isin(pd.Series(["x", None], dtype=object), ["x"]).tolist() == [True, False]
    assert process.isin(pd.Series([None, None], dtype=object), ["x"]).tolist() == [False, False]
    assert process.isin(pd.Index(["b", "a"], dtype="str"), {"a"}).tolist() == [False, True]
