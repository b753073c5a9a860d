"""A tiny hand-computed municipality for the monthly-report tests (test_metrics, test_signals, test_champion).

Report month February 2024 (a leap year). Every figure the tests expect is
worked out by hand in the tests from the table below.

=====  =====  =====  =====  ==========  ==========  ==========  ==========  ==========  =========
zaak   type   afd.   beh.   registr.    start       eind        gepland     uiterlijk   resultaat
=====  =====  =====  =====  ==========  ==========  ==========  ==========  ==========  =========
Z1     ZT-A   Alfa   MDW-1  2024-02-28  2024-02-28  2024-03-01  2024-03-10  2024-03-20  Toegekend
Z2     ZT-A   Alfa   MDW-1  2024-01-31  2024-01-31  2024-02-01  2024-02-01  2024-02-05  Toegekend
Z3     ZT-A   Alfa   –      2024-02-29  2024-02-29  2024-02-29  2024-02-28  2024-03-05  Toegekend
Z4     ZT-B   Alfa   MDW-2  2024-02-10  2024-02-05  2024-02-20  –           –           –
Z5     ZT-A   Alfa   MDW-1  2023-12-01  2023-12-01  –           2023-12-15  2024-01-26  –
Z6     ZT-B   Beta   MDW-2  2024-02-29  2024-02-29  –           –           2024-03-14  –
Z7     ZT-B   Beta   –      2024-03-01  2024-03-01  –           –           2024-03-15  –
Z8     ZT-A   Alfa   MDW-1  2023-02-15  2023-02-15  2023-02-20  2023-02-25  2023-03-01  Afgewezen
Z9     ZT-A   Alfa   MDW-2  2024-02-15  2024-02-15  2024-02-15  2024-02-20  2024-03-01  Toegekend
=====  =====  =====  =====  ==========  ==========  ==========  ==========  ==========  =========

Staff: Alfa has MDW-1 (team T1), MDW-2 (T2) and MDW-3 (T1, never used the
system); Gamma (no zaken) has MDW-9, who only set a status in January 2024;
Beta has no staff at all. Z3 was registered afterwards (closed the day it was
registered, statuses 1 and final only); Z9 was closed the same day too but has
an intermediate status. Documents: Z1, Z2, Z4, Z8, Z9 one each; D10 (February)
and D11 (March) belong to no zaak. :func:`zonder_documenten` is the same
municipality from a source without document data (documents kept elsewhere).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from zgwlib.data import contract
from zgwlib.maandrapportage import figures as metrics
from zgwlib.data.snapshot import Snapshot

ZAAKTYPEN = pd.DataFrame({
    "identificatie": ["ZT-A", "ZT-B"],
    "omschrijving": ["Aanvraag <vergunning>", "Melding"],
    "afdeling": ["Alfa", "Alfa"],
    "doorlooptijd_dagen": [56, 14],
    "servicenorm_dagen": [42, None],
    "verlenging_mogelijk": [False, False],
    "verlengingstermijn_dagen": [None, None],
})

_Z = ["identificatie", "zaaktype", "afdeling", "behandelaar", "registratiedatum", "startdatum", "einddatum",
      "einddatum_gepland", "uiterlijke_einddatum_afdoening", "resultaat"]
ZAKEN = [
    ("Z1", "ZT-A", "Alfa", "MDW-1", "2024-02-28", "2024-02-28", "2024-03-01", "2024-03-10", "2024-03-20", "Toegekend"),
    ("Z2", "ZT-A", "Alfa", "MDW-1", "2024-01-31", "2024-01-31", "2024-02-01", "2024-02-01", "2024-02-05", "Toegekend"),
    ("Z3", "ZT-A", "Alfa", None, "2024-02-29", "2024-02-29", "2024-02-29", "2024-02-28", "2024-03-05", "Toegekend"),
    ("Z4", "ZT-B", "Alfa", "MDW-2", "2024-02-10", "2024-02-05", "2024-02-20", None, None, None),
    ("Z5", "ZT-A", "Alfa", "MDW-1", "2023-12-01", "2023-12-01", None, "2023-12-15", "2024-01-26", None),
    ("Z6", "ZT-B", "Beta", "MDW-2", "2024-02-29", "2024-02-29", None, None, "2024-03-14", None),
    ("Z7", "ZT-B", "Beta", None, "2024-03-01", "2024-03-01", None, None, "2024-03-15", None),
    ("Z8", "ZT-A", "Alfa", "MDW-1", "2023-02-15", "2023-02-15", "2023-02-20", "2023-02-25", "2023-03-01", "Afgewezen"),
    ("Z9", "ZT-A", "Alfa", "MDW-2", "2024-02-15", "2024-02-15", "2024-02-15", "2024-02-20", "2024-03-01", "Toegekend"),
]

MEDEWERKERS = [
    ("MDW-1", "Anna Jansen", "Alfa", "T1", "2023-01-01"),
    ("MDW-2", "Bram de Vries", "Alfa", "T2", "2023-01-01"),
    ("MDW-3", "Cor Smit", "Alfa", "T1", None),
    ("MDW-9", "Dana Bos", "Gamma", "T9", "2023-01-01"),
]

# (zaak, volgnummer, datum_status_gezet, is_eindstatus, gezet_door)
STATUSSEN = [
    ("Z1", 1, "2024-02-28 09:00", False, "MDW-1"),
    ("Z2", 1, "2024-01-31 10:00", False, "MDW-1"),
    ("Z2", 2, "2024-01-31 11:00", False, "MDW-1"),
    ("Z2", 3, "2024-02-01 09:00", True, "MDW-1"),
    ("Z3", 1, "2024-02-29 10:00", False, None),
    ("Z3", 3, "2024-02-29 10:05", True, None),
    ("Z4", 1, "2024-02-10 09:00", False, "MDW-2"),
    ("Z4", 2, "2024-02-12 09:00", False, "MDW-2"),
    ("Z4", 3, "2024-02-20 09:00", True, "MDW-2"),
    ("Z5", 1, "2023-12-01 09:00", False, "MDW-1"),
    ("Z5", 2, "2024-01-15 10:00", False, "MDW-9"),
    ("Z6", 1, "2024-02-29 09:00", False, "MDW-2"),
    ("Z7", 1, "2024-03-01 09:00", False, None),
    ("Z8", 1, "2023-02-15 09:00", False, "MDW-1"),
    ("Z8", 2, "2023-02-16 09:00", False, "MDW-1"),
    ("Z8", 3, "2023-02-20 09:00", True, "MDW-1"),
    ("Z9", 1, "2024-02-15 08:00", False, "MDW-2"),
    ("Z9", 2, "2024-02-15 09:00", False, "MDW-2"),
    ("Z9", 3, "2024-02-15 16:00", True, "MDW-2"),
]

DOCUMENTEN = [
    ("D1", "Z1", "2024-02-28"), ("D2", "Z2", "2024-01-31"), ("D4", "Z4", "2024-02-10"), ("D8", "Z8", "2023-02-15"),
    ("D9", "Z9", "2024-02-15"), ("D10", None, "2024-02-29"), ("D11", None, "2024-03-01"),
]


def tabellen(zaken: list[tuple[Any, ...]] = ZAKEN, medewerkers: list[tuple[Any, ...]] = MEDEWERKERS,
             statussen: list[tuple[Any, ...]] = STATUSSEN,
             documenten: list[tuple[Any, ...]] = DOCUMENTEN) -> dict[str, pd.DataFrame]:
    """The contract tables of the tiny municipality (or of the rows given)."""
    z = pd.DataFrame(zaken, columns=_Z)
    z["archiefnominatie"], z["archiefstatus"], z["archiefactiedatum"] = None, "nog_te_archiveren", None
    # Every zaak came in digitally, so the service tip stays out of the signal tests (tests/test_service.py).
    z["vertrouwelijkheidaanduiding"], z["communicatiekanaal"] = "openbaar", "e-formulier"
    z["omschrijving"] = [f"<b>{i}</b> omschrijving" for i in z["identificatie"]]
    st = pd.DataFrame(statussen, columns=["zaak", "volgnummer", "datum_status_gezet", "is_eindstatus", "gezet_door"])
    st["statustype"] = "Status " + st["volgnummer"].astype(str)
    docs = pd.DataFrame(documenten, columns=["identificatie", "zaak", "creatiedatum"])
    docs["informatieobjecttype"], docs["status"] = "Brief", "definitief"
    mw = pd.DataFrame(medewerkers, columns=["identificatie", "naam", "afdeling", "team", "actief_sinds"])
    return {
        "zaken": contract.conform("zaken", z),
        "statussen": contract.conform("statussen", st),
        "documenten": contract.conform("documenten", docs),
        "zaaktypen": contract.conform("zaaktypen", ZAAKTYPEN),
        "medewerkers": contract.conform("medewerkers", mw),
    }


def basis(periode_tot: str = "2024-03-31", **kw: Any) -> metrics.Basis:
    """:func:`zgwlib.maandrapportage.figures.prepare` of :func:`tabellen` with ``meta.json`` ending on ``periode_tot``."""
    return metrics.prepare(Snapshot(tabellen(**kw), {"gemeente": "Testdorp", "periode_tot": periode_tot}))


def zonder_documenten(periode_tot: str = "2024-03-31", **kw: Any) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """The tables and ``meta.json`` of the same municipality whose source has no document data.

    Its documents live in another system: ``documenten`` is empty and the meta
    says so (``"documenten_bron": "geen"``).
    """
    meta = {"gemeente": "Testdorp", "periode_tot": periode_tot, "documenten_bron": "geen"}
    return tabellen(documenten=[], **kw), meta
