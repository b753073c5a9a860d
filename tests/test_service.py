"""Dienstverlening (zgwlib.maandrapportage.service): the digital share, unknown channels, the tip, the milestone.

The tiny municipality of ``maandfixtures.py`` (report month February 2024) with
channels of its own, chosen to test the mapping:

=====  ====  =====  ==========  ==============  ==========================
zaak   afd.  type   received    channel         kind (default settings)
=====  ====  =====  ==========  ==============  ==========================
Z1     Alfa  ZT-A   2024-02-28  "E-formulier "  digital (case and space)
Z3     Alfa  ZT-A   2024-02-29  post            not digital
Z9     Alfa  ZT-A   2024-02-15  (empty)         zonder kanaal
Z4     Alfa  ZT-B   2024-02-10  Balie           not digital (case)
Z6     Beta  ZT-B   2024-02-29  WhatsApp        onbekend (in neither list)
Z2     Alfa  ZT-A   2024-01-31  post            not digital
Z5     Alfa  ZT-A   2023-12-01  e-formulier     digital
Z8     Alfa  ZT-A   2023-02-15  post            not digital
Z7     Beta  ZT-B   2024-03-01  e-formulier     digital
=====  ====  =====  ==========  ==============  ==========================

So in February: organisation 1 digital of 3 known (1/3), 1 unknown, 1 empty;
Alfa 1 of 3 (1/3) and 1 empty; Beta no known channel (no share) and 1 unknown.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import maandfixtures
from zgwlib.core import terms
from zgwlib.core.errors import UsageError
from zgwlib.core.settings import load_settings
from zgwlib.data.snapshot import Snapshot
from zgwlib.data.sources import load_snapshot
from zgwlib.maandrapportage import facts, milestones, service, signals
from zgwlib.maandrapportage import figures as metrics

FEB = "2024-02"
KANALEN = {"Z1": "E-formulier ", "Z2": "post", "Z3": "post", "Z4": "Balie", "Z5": "e-formulier", "Z6": "WhatsApp",
           "Z7": "e-formulier", "Z8": "post", "Z9": None}


def _basis() -> metrics.Basis:
    t = maandfixtures.tabellen()
    z = t["zaken"]
    z["communicatiekanaal"] = pd.Series([KANALEN[i] for i in z["identificatie"]], dtype="str")
    return metrics.prepare(Snapshot(t, {"gemeente": "Testdorp", "periode_tot": "2024-03-31"}))


@pytest.fixture
def klein() -> metrics.Basis:
    return _basis()


def _maand(basis: metrics.Basis, **instellingen: object) -> metrics.Maand:
    return metrics.maand(basis, FEB, metrics.Instellingen(min_aantal_tip=1, **instellingen))  # type: ignore[arg-type]


def test_a_channel_is_digital_by_the_settings_lists_ignoring_case_and_spaces() -> None:
    kanalen = pd.Series(["E-formulier ", "post", "Balie", "WhatsApp", None, "app"], dtype="str")
    got = facts.kanaal_soort(kanalen, ("e-formulier", "app"), ("post", "balie"))
    assert got.tolist() == [facts.DIGITAAL, facts.NIET_DIGITAAL, facts.NIET_DIGITAAL, facts.KANAAL_ONBEKEND,
                            facts.ZONDER_KANAAL, facts.DIGITAAL]


def test_the_digital_share_is_of_received_zaken_with_a_known_channel(klein: metrics.Basis) -> None:
    m = _maand(klein)
    rij = {a: metrics.eenheid(m.tabel, a).set_index("maand").loc[FEB] for a in (terms.ORGANISATIE, "Alfa", "Beta")}
    org, alfa, beta = rij[terms.ORGANISATIE], rij["Alfa"], rij["Beta"]
    assert (org["digitaal"], org["kanaal_bekend"], org["kanaal_onbekend"], org["zonder_kanaal"]) == (1, 3, 1, 1)
    assert org["aandeel_digitaal"] == pytest.approx(1 / 3)
    assert (alfa["digitaal"], alfa["kanaal_bekend"], alfa["kanaal_onbekend"], alfa["zonder_kanaal"]) == (1, 3, 0, 1)
    assert alfa["aandeel_digitaal"] == pytest.approx(1 / 3)
    # Beta's only zaak had an unknown channel: no share, not 0%.
    assert (beta["kanaal_bekend"], beta["kanaal_onbekend"]) == (0, 1) and np.isnan(beta["aandeel_digitaal"])
    jan = metrics.eenheid(m.tabel, terms.ORGANISATIE).set_index("maand").loc["2024-01"]
    assert (jan["digitaal"], jan["kanaal_bekend"], jan["aandeel_digitaal"]) == (0, 1, 0.0)


def test_a_municipality_can_count_its_own_channel_name_as_digital(klein: metrics.Basis) -> None:
    m = _maand(klein, digitale_kanalen=("e-formulier", "WhatsApp"))
    beta = metrics.eenheid(m.tabel, "Beta").set_index("maand").loc[FEB]
    assert (beta["digitaal"], beta["kanaal_bekend"], beta["kanaal_onbekend"], beta["aandeel_digitaal"]) == (1, 1, 0, 1.0)
    assert service.kanaal_opmerking(m, "Beta") is None


def test_unknown_and_empty_channels_are_counted_and_named_not_guessed(klein: metrics.Basis) -> None:
    m = _maand(klein)
    onb = service.onbekende_kanalen(m)
    assert list(zip(onb["kanaal"], onb["aantal"])) == [("WhatsApp", 1), (None, 1)]
    tekst = service.kanaal_opmerking(m)
    assert tekst is not None
    assert tekst.startswith("1 zaak kwam binnen via een kanaal dat niet in de instellingen staat: ‘WhatsApp’ (1); "
                            "bij 1 zaak is geen kanaal vastgelegd.")
    assert "tellen niet mee in het aandeel digitaal" in tekst
    alfa = service.onbekende_kanalen(m, "Alfa")
    assert list(zip(alfa["kanaal"], alfa["aantal"])) == [(None, 1)]


def test_per_zaaktype_the_least_digital_first_with_the_main_other_channel(klein: metrics.Basis) -> None:
    t = service.per_zaaktype(_maand(klein))
    assert t["zaaktype"].tolist() == ["ZT-B", "ZT-A"]
    b, a = t.iloc[0], t.iloc[1]
    assert (b["ontvangen"], b["digitaal"], b["niet_digitaal"], b["kanaal_onbekend"], b["zonder_kanaal"]) == (2, 0, 1, 1, 0)
    assert (b["aandeel_digitaal"], b["grootste_niet_digitaal"], b["aandeel_grootste"]) == (0.0, "Balie", 1.0)
    assert (a["ontvangen"], a["digitaal"], a["niet_digitaal"], a["zonder_kanaal"]) == (3, 1, 1, 1)
    assert (a["aandeel_digitaal"], a["grootste_niet_digitaal"], a["aandeel_grootste"]) == (0.5, "post", 0.5)


def test_a_zaaktype_that_came_in_mostly_on_paper_gets_the_e_formulier_tip(klein: metrics.Basis) -> None:
    m = _maand(klein, tip_niet_digitaal=0.6, max_tips=50)  # ZT-B: 1 of 1 known not digital; ZT-A: 1 of 2, below 60%
    t = service.tips(m)
    assert t["zaaktype"].tolist() == ["ZT-B"]
    assert t["tekst"].iloc[0] == ("Melding: 1 van de 1 zaken kwamen in februari 2024 niet digitaal binnen (100%), "
                                  "de meeste aan de balie (100%): is er een e-formulier, en wijzen website en brieven "
                                  "ernaar?")
    alle = signals.tips(m, terms.ORGANISATIE)
    rij = alle[alle["code"] == "niet_digitaal"]
    assert rij[["zaaktype", "aantal", "belang"]].values.tolist() == [["ZT-B", 1, 1]]
    # At 50% ZT-A (1 of 2) gets it too; with min_aantal_tip 2 neither has enough zaken.
    assert service.tips(_maand(klein, tip_niet_digitaal=0.5))["zaaktype"].tolist() == ["ZT-A", "ZT-B"]
    assert service.tips(metrics.maand(klein, FEB, metrics.Instellingen(min_aantal_tip=2))).empty


def test_the_digital_milestone_is_the_first_month_that_crosses_the_share(klein: metrics.Basis) -> None:
    inst = metrics.Instellingen(mijlpaal_digitaal=0.5, mijlpaal_digitaal_min_zaken=1)
    # Counted months of Alfa and the organisation: 2023-02 0% (Z8 post), 2023-12 100% (Z5), 2024-01 0%, 2024-02 33%.
    got = service.eerste_maand_digitaal(klein, FEB, inst)
    assert list(zip(got["afdeling"], got["maand"], got["aandeel"], got["aantal"])) == [
        (terms.ORGANISATIE, "2023-12", 1.0, 1), ("Alfa", "2023-12", 1.0, 1)]
    # Not before it happened; and Beta's first counted month (March, Z7) was already digital: nothing crossed.
    assert service.eerste_maand_digitaal(klein, "2023-11", inst).empty
    assert service.eerste_maand_digitaal(klein, "2024-03", inst, "Beta").empty
    # A month needs enough zaken with a known channel.
    assert service.eerste_maand_digitaal(klein, FEB, metrics.Instellingen(mijlpaal_digitaal_min_zaken=2)).empty
    m = milestones.mijlpalen(klein, FEB, "Alfa", inst)
    d = m[m["soort"] == "digitaal"]
    assert d["tekst"].tolist() == ["Afdeling Alfa kreeg in december 2023 voor het eerst minstens 50% van de zaken "
                                   "digitaal binnen: 100% van 1 zaken met een bekend kanaal."]
    assert d["datum"].tolist() == [pd.Timestamp("2023-12-31")] and d["recent"].all()  # within 3 months of Feb


def test_a_department_that_consults_dossiers_is_labelled_not_signalled(klein: metrics.Basis) -> None:
    gewoon = _maand(klein)
    rij = signals.signalen(gewoon, "Gamma").set_index("code").loc["medewerkers_niet_actief"]
    assert (rij["aantal"], rij["noemer"], rij["label"]) == (1, 1, None)
    assert "medewerkers_niet_actief" in signals.tips(gewoon, "Gamma")["code"].tolist()

    m = _maand(klein, raadplegende_afdelingen=("Gamma", "Alfa"))
    rij = signals.signalen(m, "Gamma").set_index("code").loc["medewerkers_niet_actief"]
    assert rij["label"] == signals.RAADPLEEGT == "raadpleegt vooral; het gebruik is niet te zien in de gegevens"
    assert "medewerkers_niet_actief" not in signals.tips(m, "Gamma")["code"].tolist()
    assert "medewerkers_niet_actief" not in signals.tips(m, "Alfa")["code"].tolist()
    # The organisation counts staff of departments with zaken (Alfa, Beta) but not those that consult: Alfa's 3 go.
    org = signals.signalen(m, terms.ORGANISATIE).set_index("code").loc["medewerkers_niet_actief"]
    assert (org["aantal"], org["noemer"], org["label"]) == (0, 0, None)
    org = signals.signalen(gewoon, terms.ORGANISATIE).set_index("code").loc["medewerkers_niet_actief"]
    assert (org["aantal"], org["noemer"]) == (1, 3)


def test_the_sample_has_only_known_channels_and_departments_add_up(small_sample: Path) -> None:
    b = metrics.load(small_sample)
    m = metrics.maand(b, "2026-10")
    month = m.tabel[m.tabel["maand"] == "2026-10"].set_index("afdeling")
    assert month[["kanaal_onbekend", "zonder_kanaal"]].to_numpy().sum() == 0
    dept = month.drop(index=terms.ORGANISATIE)
    for col in ("digitaal", "kanaal_bekend"):
        assert dept[col].sum() == month.at[terms.ORGANISATIE, col]
    zaken = load_snapshot(small_sample, ["zaken"]).zaken
    recv = zaken[zaken["registratiedatum"].dt.strftime("%Y-%m") == "2026-10"]
    assert month.at[terms.ORGANISATIE, "digitaal"] == int((recv["communicatiekanaal"] == "e-formulier").sum())
    assert month.at[terms.ORGANISATIE, "kanaal_bekend"] == len(recv)


def test_the_channel_lists_are_read_from_the_parameters_file_as_lists(tmp_path: Path) -> None:
    cfg = tmp_path / "maandrapportage.yaml"
    cfg.write_text("digitale_kanalen: [e-formulier, WhatsApp]\nraadplegende_afdelingen: Klantcontactcentrum\n",
                   encoding="utf-8")
    inst = load_settings(metrics.Instellingen, cfg)
    assert inst.digitale_kanalen == ("e-formulier", "WhatsApp")
    assert inst.raadplegende_afdelingen == ("Klantcontactcentrum",) and inst.raadpleegt("Klantcontactcentrum")
    cfg.write_text("digitale_kanalen: 3\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"setting digitale_kanalen must be a list of names"):
        load_settings(metrics.Instellingen, cfg)
