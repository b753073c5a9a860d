"""The archive report's figures (zgwlib.archief.figures) on hand-computed zaken and on the sample's planted backlog.

Report month October 2026: peildatum 31 October 2026. The zaken (all closed in 2025 unless said otherwise):

=====  ====  =====  ================  ===========================  ==========  ===========================
zaak   afd.  type   nominatie         archiefstatus                actiedatum  in the backlog on 31-10?
=====  ====  =====  ================  ===========================  ==========  ===========================
A1     Alfa  ZT-A   vernietigen       nog_te_archiveren            2026-10-30  yes (yesterday)
A2     Alfa  ZT-A   vernietigen       nog_te_archiveren            2026-10-31  no (today: due, not overdue)
A3     Alfa  ZT-A   vernietigen       nog_te_archiveren            2026-11-01  no (tomorrow)
A4     Alfa  ZT-A   vernietigen       gearchiveerd                 2026-01-01  yes (archived, not destroyed)
A5     Alfa  ZT-B   blijvend_bewaren  gearchiveerd_procestermijn…  2026-10-30  yes
A6     Alfa  ZT-B   blijvend_bewaren  overgedragen                 2026-01-01  no (transferred)
A7     Beta  ZT-B   blijvend_bewaren  nog_te_archiveren            2026-06-15  yes
A8     Beta  ZT-C   (none)            nog_te_archiveren            2026-01-01  no (no nominatie)
A9     Beta  ZT-A   vernietigen       nog_te_archiveren            2026-01-01  no: still open
A10    Beta  ZT-A   vernietigen       nog_te_archiveren            2027-01-31  no; a candidate (last day)
A11    Beta  ZT-A   vernietigen       nog_te_archiveren            2027-02-01  no; not a candidate
A12    Beta  ZT-A   vernietigen       nog_te_archiveren            2026-09-15  closed 2026-11-02: not yet
=====  ====  =====  ================  ===========================  ==========  ===========================

Documents: ZT-A requires Aanvraag (inkomend) and Besluit (uitgaand), Advies is intern; ZT-B requires Besluit;
ZT-C lists only an intern Notitie, so it requires nothing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from zgwlib.archief import figures
from zgwlib.core.periods import maand_einde
from zgwlib.data import contract
from zgwlib.data.sources import load_snapshot

PERIODE = "2026-10"
PEIL = maand_einde(PERIODE)

_RIJEN = [  # identificatie, afdeling, zaaktype, nominatie, status, actiedatum, einddatum
    ("A1", "Alfa", "ZT-A", "vernietigen", "nog_te_archiveren", "2026-10-30", "2025-03-01"),
    ("A2", "Alfa", "ZT-A", "vernietigen", "nog_te_archiveren", "2026-10-31", "2025-03-01"),
    ("A3", "Alfa", "ZT-A", "vernietigen", "nog_te_archiveren", "2026-11-01", "2025-03-01"),
    ("A4", "Alfa", "ZT-A", "vernietigen", "gearchiveerd", "2026-01-01", "2025-03-01"),
    ("A5", "Alfa", "ZT-B", "blijvend_bewaren", "gearchiveerd_procestermijn_onbekend", "2026-10-30", "2025-03-01"),
    ("A6", "Alfa", "ZT-B", "blijvend_bewaren", "overgedragen", "2026-01-01", "2025-03-01"),
    ("A7", "Beta", "ZT-B", "blijvend_bewaren", "nog_te_archiveren", "2026-06-15", "2025-03-01"),
    ("A8", "Beta", "ZT-C", None, "nog_te_archiveren", "2026-01-01", "2025-03-01"),
    ("A9", "Beta", "ZT-A", "vernietigen", "nog_te_archiveren", "2026-01-01", None),
    ("A10", "Beta", "ZT-A", "vernietigen", "nog_te_archiveren", "2027-01-31", "2025-03-01"),
    ("A11", "Beta", "ZT-A", "vernietigen", "nog_te_archiveren", "2027-02-01", "2025-03-01"),
    ("A12", "Beta", "ZT-A", "vernietigen", "nog_te_archiveren", "2026-09-15", "2026-11-02"),
]
_DOCS = [  # zaak, informatieobjecttype
    ("A1", "Aanvraag"), ("A1", "Besluit"),          # complete
    ("A2", "Aanvraag"), ("A2", "Advies"),           # lacks Besluit (Advies is intern)
    ("A3", "Besluit"),                              # lacks Aanvraag
    ("A4", "Aanvraag"), ("A4", "Besluit"),          # complete
    ("A5", "Besluit"),                              # complete (ZT-B needs only Besluit)
    ("A7", "Brief"),                                # lacks Besluit
    # A6, A8 (ZT-C: nothing required), A10, A11 have no document; A9 and A12 are not closed on the peildatum
]
_EISEN = [  # zaaktype, informatieobjecttype, richting
    ("ZT-A", "Aanvraag", "inkomend"), ("ZT-A", "Advies", "intern"), ("ZT-A", "Besluit", "uitgaand"),
    ("ZT-B", "Besluit", "uitgaand"), ("ZT-C", "Notitie", "intern"),
]


def _archief(eisen: list[tuple[str, str, str]] = _EISEN) -> figures.Archief:
    z = pd.DataFrame(_RIJEN, columns=["identificatie", "afdeling", "zaaktype", "archiefnominatie", "archiefstatus",
                                      "archiefactiedatum", "einddatum"])
    for col in ("archiefactiedatum", "einddatum"):
        z[col] = pd.to_datetime(z[col]).astype("datetime64[us]")
    z["resultaat"] = "Toegekend"
    z["omschrijving"] = "<b>omschrijving</b>"
    docs = pd.DataFrame(_DOCS, columns=["zaak", "informatieobjecttype"])
    zt = pd.DataFrame({"identificatie": ["ZT-A", "ZT-B", "ZT-C"], "omschrijving": ["Aanvraag <A>", "Bouw", "Cee"],
                       "afdeling": ["Alfa", "Alfa", "Beta"]})
    e = pd.DataFrame(eisen, columns=["zaaktype", "informatieobjecttype", "richting"])
    e["volgnummer"], e["statustype"] = 1, None
    return figures.Archief(z, docs, zt, contract.conform("zaaktype_informatieobjecttypen", e),
                           {"aangemaakt_op": "2026-11-02T08:00:00", "periode_tot": "2026-11-02"})


def test_the_backlog_counts_yesterday_not_today_or_tomorrow_and_not_transferred_or_without_nominatie() -> None:
    a = _archief()
    hit = figures.achterstand_flags(a.zaken, PEIL)
    assert a.zaken.loc[hit, "identificatie"].tolist() == ["A1", "A4", "A5", "A7"]
    t = figures.achterstand(a, PEIL).set_index("afdeling")
    assert t.loc["Alfa", ["vernietigen", "blijvend_bewaren", "totaal"]].tolist() == [2, 1, 3]
    assert t.loc["Beta", ["vernietigen", "blijvend_bewaren", "totaal"]].tolist() == [0, 1, 1]
    assert t.loc["totaal", ["vernietigen", "blijvend_bewaren", "totaal"]].tolist() == [2, 2, 4]
    assert list(t.index) == ["Alfa", "Beta", "totaal"]  # the largest first, the total last
    # One day later A2 (due on 31 October) is overdue too; one department only.
    assert figures.achterstand(a, "2026-11-01", "Alfa").set_index("afdeling").loc["totaal", "totaal"] == 4


def test_the_backlog_month_by_month_uses_todays_states() -> None:
    reeks = figures.achterstand_per_maand(_archief(), PERIODE, 6)
    assert reeks["maand"].tolist() == ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    # A4 (due 1 January) all along; A7 from June (due 15 June, before 30 June); A1 and A5 only in October.
    assert reeks["vernietigen"].tolist() == [1, 1, 1, 1, 1, 2]
    assert reeks["blijvend_bewaren"].tolist() == [0, 1, 1, 1, 1, 2]
    assert reeks["totaal"].tolist() == [1, 2, 2, 2, 2, 4]
    assert np.isnan(reeks["verschil"].iloc[0]) and reeks["verschil"].iloc[1:].tolist() == [1, 0, 0, 0, 2]


def test_closed_zaken_per_archive_state() -> None:
    t = figures.per_stand(_archief(), PEIL).set_index("afdeling")
    assert t.loc["Alfa", list(figures.STANDEN)].tolist() == [0, 3, 2, 1]  # A1-A3; A4, A5; A6
    assert t.loc["Beta", list(figures.STANDEN)].tolist() == [1, 3, 0, 0]  # A8; A7, A10, A11 (A9 open, A12 later)
    assert t.loc["totaal", "gesloten"] == 10
    per_zt = figures.per_stand(_archief(), PEIL, "Beta", per="zaaktype").set_index("zaaktype")
    assert per_zt.loc["ZT-C", "omschrijving"] == "Cee" and per_zt.loc["ZT-C", "zonder_nominatie"] == 1


def test_destruction_candidates_run_to_the_end_of_the_coming_quarter() -> None:
    k = figures.vernietigingskandidaten(_archief(), PERIODE)
    # Vernietigen, closed, not transferred, due by 31 January 2027: A4 and A1 overdue, A2, A3 and A10 coming.
    assert k["identificatie"].tolist() == ["A4", "A1", "A2", "A3", "A10"]
    assert k["verlopen"].tolist() == [True, True, False, False, False]
    assert figures.kwartaal_einde(PERIODE, 3) == pd.Timestamp("2027-01-31")
    kort = figures.vernietigingskandidaten(_archief(), PERIODE, figures.Instellingen(kwartaal_maanden=1))
    assert kort["identificatie"].tolist() == ["A4", "A1", "A2", "A3"]


def test_destruction_candidates_are_described_only_on_request_and_never_when_confidential() -> None:
    a = _archief()
    a.zaken["omschrijving"] = [f"Aanvraag van bewoner {z}" for z in a.zaken["identificatie"]]
    a.zaken["vertrouwelijkheidaanduiding"] = ["zaakvertrouwelijk", "vertrouwelijk", "geheim", None, "openbaar",
                                              "openbaar", "openbaar", "openbaar", "openbaar", "intern", "openbaar",
                                              "openbaar"]  # A1 .. A12
    assert "omschrijving" not in figures.vernietigingskandidaten(a, PERIODE).columns
    k = figures.vernietigingskandidaten(a, PERIODE, toon_omschrijving=True).set_index("identificatie")
    # A2 (vertrouwelijk) and A3 (geheim) are never described; zaakvertrouwelijk is below vertrouwelijk, and a zaak
    # without a level (A4) is not marked confidential.
    assert k["omschrijving"].to_dict() == {"A4": "Aanvraag van bewoner A4", "A1": "Aanvraag van bewoner A1",
                                           "A2": "(vertrouwelijk: niet getoond)",
                                           "A3": "(vertrouwelijk: niet getoond)", "A10": "Aanvraag van bewoner A10"}


def test_a_dossier_lacks_the_required_incoming_and_outgoing_types_not_internal_ones() -> None:
    a = _archief()
    assert figures.verplichte_typen(a.zaaktype_informatieobjecttypen) == {"ZT-A": ["Aanvraag", "Besluit"],
                                                                           "ZT-B": ["Besluit"]}
    mist = figures.ontbrekend(a, PEIL).set_index("identificatie")["ontbreekt"].to_dict()
    # ZT-C requires nothing, so A8 (no document at all) is complete; A9 and A12 are not closed on the peildatum.
    assert mist == {"A2": ["Besluit"], "A3": ["Aanvraag"], "A6": ["Besluit"], "A7": ["Besluit"],
                    "A10": ["Aanvraag", "Besluit"], "A11": ["Aanvraag", "Besluit"]}
    v = figures.volledigheid(a, PEIL).set_index("zaaktype")
    assert v.loc["ZT-A", ["gesloten", "onvolledig"]].tolist() == [6, 4]
    assert v.loc["ZT-A", "ontbreekt"] == "Aanvraag (3), Besluit (3)"
    assert v.loc["ZT-B", ["gesloten", "onvolledig", "ontbreekt"]].tolist() == [3, 2, "Besluit (2)"]
    assert v.loc["ZT-C", ["gesloten", "onvolledig", "ontbreekt"]].tolist() == [1, 0, ""]


def test_without_the_table_of_required_types_the_report_falls_back_to_zaken_without_documents() -> None:
    a = _archief(eisen=[])
    assert not figures.heeft_eisen(a)
    mist = figures.ontbrekend(a, PEIL)
    assert mist["identificatie"].tolist() == ["A6", "A8", "A10", "A11"]
    assert set(map(tuple, mist["ontbreekt"])) == {("(geen document)",)}


def test_fully_archived_is_archived_with_documents_and_a_resultaat() -> None:
    a = _archief()
    z = a.zaken.copy()
    z.loc[z["identificatie"] == "A4", "resultaat"] = None
    assert a.zaken.loc[figures.volledig_gearchiveerd(a.zaken, a.documenten), "identificatie"].tolist() == ["A4"]
    assert not figures.volledig_gearchiveerd(z, a.documenten).any()  # A5 is 'procestermijn onbekend'


def test_the_report_states_when_the_archive_states_were_read() -> None:
    assert figures.gelezen_op({"archief_gelezen_op": "2026-11-20", "aangemaakt_op": "2026-11-27T01:00"}) == \
        "2026-11-20"
    assert figures.gelezen_op({"aangemaakt_op": "2026-11-27T01:00:00"}) == "2026-11-27"
    assert figures.gelezen_op({}) is None


def test_the_sample_backlog_is_found_exactly(small_sample: Path) -> None:
    a = figures.load(small_sample)
    meta = load_snapshot(small_sample, []).meta
    geplant = meta["sample"]["geplant"]["archief_achterstand"]
    peil = geplant["peildatum"]
    assert figures.gelezen_op(meta) == peil == meta["periode_tot"]  # the sample's states are those of its last day
    t = figures.achterstand(a, peil).set_index("afdeling")
    assert t.loc["totaal", "vernietigen"] == geplant["vernietigen"] > 0
    assert t.loc["totaal", "blijvend_bewaren"] == geplant["blijvend_bewaren"] > 0
    standen = figures.per_stand(a, peil).set_index("afdeling")
    assert standen.loc["totaal", "overgedragen"] == geplant["overgedragen"] > 0
    assert standen.loc["totaal", "zonder_nominatie"] == geplant["zonder_nominatie"]
    reeks = figures.achterstand_per_maand(a, peil[:7], len(geplant["per_maand"]))
    assert dict(zip(reeks["maand"], reeks["totaal"])) == geplant["per_maand"]
    # The sample lists each zaaktype's document types: every zaaktype requires some, and some dossiers lack them.
    assert figures.heeft_eisen(a) and set(figures.verplichte_typen(a.zaaktype_informatieobjecttypen)) == \
        set(a.zaaktypen["identificatie"])
    assert 0 < len(figures.ontbrekend(a, peil)) < len(a.zaken)
