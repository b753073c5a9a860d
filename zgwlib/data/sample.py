"""The sample municipality "Gemeente Voorbeeld": a realistic, deterministic snapshot with planted behaviours.

:func:`build_sample` generates every contract table for a mid-size Dutch
municipality (14 departments, 16 zaaktypes with their statutory terms, about
400 staff) and writes it as a snapshot. The same seed and parameters give the
same tables. Reports can run on it without data of one's own, and tests can
check that they find what was planted: ``meta.json`` records every planted
behaviour under ``sample.geplant`` with EXACT counts (see ``docs/sample.md``
for the definitions). Exactness holds because ordinary zaken never meet a
signal's definition: every ordinary closed zaak has an intermediate status, at
least one document, a behandelaar and a resultaat; only planted zaken lack
them. The counts are taken from the generated tables themselves, not from the
probabilities used to plant them.

Everything is vectorised numpy over zaken, statuses and documents (loops run
over zaaktypes, departments, teams and months only), so 2,000,000 zaken take
well under a minute (``benchmarks/bench_sample.py``). Dates are held as whole
days since 1970-01-01 and times as minutes while generating; text columns are
built as Arrow arrays (a small vocabulary and integer codes, or fixed-width
identificaties written byte by byte) so no Python string is made per row.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from zgwlib.data import contract
from zgwlib.data import snapshot
from zgwlib.core.errors import UsageError
from zgwlib.core.files import check_out
from zgwlib.core.terms import SAMPLE_NAME

#: Seed of the built-in sample (``zgwlib.data.sources.resolve("voorbeeld")``).
DEFAULT_SEED = 2026
DEFAULT_ZAKEN = 60_000
DEFAULT_START = "2024-11"
DEFAULT_MONTHS = 24
GEMEENTE = "Gemeente Voorbeeld"

MIN_ZAKEN, MAX_ZAKEN = 100, 20_000_000
MIN_MONTHS, MAX_MONTHS = 6, 120

#: The one planted omschrijving that reports must escape.
SCRIPT_OMSCHRIJVING = '<script>alert("zgw")</script> melding'
#: Closed zaken each window (start months, last months) needs before its median doorlooptijd counts for the halving.
HALVERING_MIN_ZAKEN = 10

_MIN_PER_DAG = 1440
_MIN_TO_US = 60_000_000

# --------------------------------------------------------------------------- the municipality


@dataclass(frozen=True)
class _Afdeling:
    naam: str
    medewerkers: int
    teams: tuple[str, ...]
    #: Months after the organisation's go-live that this department went live (-1: the lagging one).
    later: int = 0


ACHTERBLIJVER = "Werk en Inkomen"
OPSCHONING_ACHTER = "Sociaal Domein"
OPSCHONING_OVERMELD = "Publiekszaken"
OPSCHONING_ZONDER_DOEL = "Communicatie"
#: Departments whose survey groups stay below 5 respondents (privacy rule of the evaluation).
ENQUETE_KLEIN = {"Communicatie": (3, 4), "HRM": (4, 3)}

AFDELINGEN: tuple[_Afdeling, ...] = (
    _Afdeling("Publiekszaken", 30, ("Burgerzaken", "Frontoffice")),
    _Afdeling("Klantcontactcentrum", 24, ("Telefonie", "Balie")),
    _Afdeling("Vergunningverlening Toezicht en Handhaving", 40, ("Vergunningen", "Toezicht", "Handhaving")),
    _Afdeling("Ruimte", 22, ("Ruimtelijke ordening", "Projecten")),
    _Afdeling("Beheer Openbare Ruimte", 60, ("Meldingen", "Wijkbeheer Noord", "Wijkbeheer Zuid", "Groen")),
    _Afdeling("Sociaal Domein", 50, ("Wmo", "Jeugd", "Toegang")),
    _Afdeling(ACHTERBLIJVER, 38, ("Inkomen", "Bijzondere bijstand", "Werk"), later=-1),
    _Afdeling("Belastingen", 24, ("Heffingen", "WOZ", "Invordering"), later=1),
    _Afdeling("Juridische Zaken", 14, ("Bezwaar en beroep", "Aansprakelijkheid"), later=2),
    _Afdeling("Bestuursondersteuning", 16, ("Bestuurszaken", "Subsidies")),
    _Afdeling("Informatiebeheer", 12, ("Archief", "Post")),
    _Afdeling("Financiën", 20, ("Control", "Administratie")),
    _Afdeling("HRM", 14, ("Advies", "Salarisadministratie")),
    _Afdeling("Communicatie", 10, ("Communicatie",)),
)

KANALEN = ("e-formulier", "balie", "telefoon", "e-mail", "post")
STATUSTYPEN = ("Geregistreerd", "Ontvangen", "In behandeling", "Advies ingewonnen", "Afgehandeld")
#: Share of each zaak's time spent in Geregistreerd, Ontvangen, In behandeling, Advies ingewonnen.
_WACHT = (0.04, 0.12, 0.64, 0.20)
_WACHT_KNELPUNT = (0.03, 0.72, 0.25, 0.0)  # a long wait before the work starts (van der Aalst's WOZ example)

_TOEKENNING = (("Toegekend", 0.80), ("Afgewezen", 0.15), ("Ingetrokken", 0.05))
_BEZWAAR = (("Gegrond", 0.30), ("Ongegrond", 0.55), ("Niet-ontvankelijk", 0.07), ("Ingetrokken", 0.08))
_ZOMERDIP = (1.05, 1.0, 1.05, 1.0, 1.0, 0.95, 0.75, 0.70, 1.0, 1.05, 1.05, 0.90)

_STRATEN = (
    "Kerkstraat", "Dorpsstraat", "Molenweg", "Stationsweg", "Beukenlaan", "Eikenlaan", "Julianastraat",
    "Wilhelminastraat", "Schoolstraat", "Marktplein", "Havenkade", "Nieuwstraat", "Raadhuisplein", "Parkweg",
    "Lindenlaan", "Kastanjelaan", "Burgemeester de Vriesstraat", "Oranjestraat", "Sportlaan", "Industrieweg",
    "Vijverhof", "Zuiderweg", "Noordeinde", "Oosterstraat", "Westersingel", "Meidoornstraat", "Populierenlaan",
    "Prinses Irenestraat", "Tulpstraat", "Sluisweg",
)


@dataclass(frozen=True)
class _Zaaktype:
    ident: str
    omschrijving: str
    afdeling: str
    teams: tuple[str, ...]
    termijn: int  # legal term, days
    servicenorm: int | None
    verlenging: int | None  # days of one extension, None = not possible
    per_jaar: int  # relative volume
    factor: float  # median doorlooptijd as a share of the legal term
    advies: bool  # has the optional status "Advies ingewonnen"
    kanalen: tuple[float, float, float, float, float]
    resultaten: tuple[tuple[str, float], ...]
    # (informatieobjecttype, probability (-1 = exactly when advice was sought), when: start/mid/end)
    documenten: tuple[tuple[str, float, str], ...]
    vertrouwelijk: str
    archief: str
    bewaren_jaren: int
    teksten: tuple[str, ...]  # "{s}" is replaced by a street name
    seizoen: tuple[float, ...] = _ZOMERDIP
    halvering: bool = False
    knelpunt: bool = False


ZAAKTYPEN: tuple[_Zaaktype, ...] = (
    _Zaaktype(
        "ZT-MOR", "Melding openbare ruimte behandelen", "Beheer Openbare Ruimte",
        ("Meldingen", "Wijkbeheer Noord", "Wijkbeheer Zuid", "Groen"), 14, 10, None, 14_000, 0.45, False,
        (0.30, 0.05, 0.45, 0.15, 0.05), (("Afgehandeld", 0.88), ("Doorgestuurd", 0.07), ("Ingetrokken", 0.05)),
        (("Melding", 1.0, "start"), ("Foto", 0.6, "start"), ("Brief", 0.5, "end")),
        "intern", "vernietigen", 1,
        ("Losliggende stoeptegel {s}", "Kapotte straatverlichting {s}", "Zwerfvuil bij speelplaats {s}",
         "Overhangende takken {s}", "Gat in de weg {s}", "Volle afvalbak {s}", "Wateroverlast {s}",
         "Hondenpoep op de stoep {s}", "Gevaarlijke boom {s}", "Verstopte put {s}", "Onkruid op trottoir {s}",
         "Fietswrak {s}", "Kapot bankje {s}", "Scheve verkeerspaal {s}"),
        seizoen=(0.9, 0.85, 1.0, 1.05, 1.1, 1.1, 1.0, 0.95, 1.05, 1.05, 1.0, 0.9),
    ),
    _Zaaktype(
        "ZT-OVR", "Aanvraag omgevingsvergunning (regulier)", "Vergunningverlening Toezicht en Handhaving",
        ("Vergunningen",), 56, 42, 42, 650, 0.85, True, (0.70, 0.05, 0.0, 0.15, 0.10), _TOEKENNING,
        (("Aanvraag", 1.0, "start"), ("Bijlage", 0.8, "start"), ("Advies", -1, "mid"), ("Besluit", 0.96, "end"),
         ("Brief", 0.3, "mid")),
        "zaakvertrouwelijk", "blijvend_bewaren", 20,
        ("Aanbouw woning {s}", "Dakkapel {s}", "Kappen boom {s}", "Uitweg aanleggen {s}",
         "Verbouwing winkelpand {s}", "Zonnepanelen monument {s}", "Schuur bouwen {s}"),
        halvering=True,
    ),
    _Zaaktype(
        "ZT-OVU", "Omgevingsvergunning (uitgebreid)", "Vergunningverlening Toezicht en Handhaving",
        ("Vergunningen",), 182, None, 42, 30, 0.7, True, (0.70, 0.05, 0.0, 0.15, 0.10), _TOEKENNING,
        (("Aanvraag", 1.0, "start"), ("Bijlage", 0.9, "start"), ("Advies", -1, "mid"), ("Besluit", 0.96, "end")),
        "zaakvertrouwelijk", "blijvend_bewaren", 20,
        ("Bouw appartementen {s}", "Afwijken bestemmingsplan {s}", "Transformatie kantoor {s}"),
    ),
    _Zaaktype(
        "ZT-HHV", "Handhavingsverzoek", "Vergunningverlening Toezicht en Handhaving", ("Toezicht", "Handhaving"),
        56, None, None, 60, 0.8, False, (0.20, 0.05, 0.20, 0.40, 0.15), _TOEKENNING,
        (("Aanvraag", 1.0, "start"), ("Rapport", 0.7, "mid"), ("Besluit", 0.95, "end")),
        "vertrouwelijk", "vernietigen", 10,
        ("Verzoek handhaving bouwwerk {s}", "Overlast bedrijf {s}", "Illegale bewoning {s}"),
    ),
    _Zaaktype(
        "ZT-BZW", "Bezwaarschrift behandelen", "Juridische Zaken", ("Bezwaar en beroep",), 84, 42, 42, 300, 0.65,
        True, (0.30, 0.0, 0.0, 0.30, 0.40), _BEZWAAR,
        (("Bezwaarschrift", 1.0, "start"), ("Verslag", 0.6, "mid"), ("Advies", -1, "mid"), ("Besluit", 0.97, "end")),
        "vertrouwelijk", "vernietigen", 10,
        ("Bezwaar tegen parkeervergunning", "Bezwaar tegen omgevingsvergunning", "Bezwaar tegen besluit Wmo",
         "Bezwaar tegen afwijzing subsidie", "Bezwaar tegen last onder dwangsom"),
    ),
    _Zaaktype(
        "ZT-KLA", "Klacht behandelen", "Juridische Zaken", ("Bezwaar en beroep",), 42, 28, 28, 150, 0.6, False,
        (0.35, 0.05, 0.20, 0.30, 0.10), _BEZWAAR,
        (("Klacht", 1.0, "start"), ("Verslag", 0.4, "mid"), ("Brief", 0.9, "end")),
        "vertrouwelijk", "vernietigen", 1,
        ("Klacht over bejegening", "Klacht over afhandeling melding", "Klacht over wachttijd", "Klacht over brief"),
    ),
    _Zaaktype(
        "ZT-AAN", "Aansprakelijkstelling behandelen", "Juridische Zaken", ("Aansprakelijkheid",), 56, None, None,
        110, 0.7, False, (0.30, 0.05, 0.10, 0.35, 0.20), (("Toegekend", 0.35), ("Afgewezen", 0.60),
                                                        ("Ingetrokken", 0.05)),
        (("Brief", 1.0, "start"), ("Foto", 0.4, "start"), ("Rapport", 0.5, "mid"), ("Besluit", 0.9, "end")),
        "zaakvertrouwelijk", "vernietigen", 10,
        ("Schade aan auto door gat in weg {s}", "Val over losliggende tegel {s}", "Schade door omgevallen boom {s}"),
    ),
    _Zaaktype(
        "ZT-WOO", "Woo-verzoek behandelen", "Bestuursondersteuning", ("Bestuurszaken",), 28, None, 14, 60, 0.9,
        False, (0.30, 0.0, 0.0, 0.50, 0.20),
        (("Toegekend", 0.45), ("Deels toegekend", 0.35), ("Afgewezen", 0.15), ("Ingetrokken", 0.05)),
        (("Aanvraag", 1.0, "start"), ("Bijlage", 0.7, "mid"), ("Besluit", 0.95, "end")),
        "intern", "vernietigen", 5,
        ("Woo-verzoek over verkeersplan", "Woo-verzoek over subsidies", "Woo-verzoek over windmolens",
         "Woo-verzoek over externe inhuur"),
    ),
    _Zaaktype(
        "ZT-WMM", "Wmo-melding (onderzoek)", "Sociaal Domein", ("Wmo", "Toegang"), 42, 35, None, 2_200, 0.7, False,
        (0.20, 0.15, 0.40, 0.15, 0.10), (("Afgehandeld", 0.85), ("Ingetrokken", 0.15)),
        (("Melding", 1.0, "start"), ("Verslag", 0.9, "mid"), ("Rapport", 0.5, "mid"), ("Brief", 0.8, "end")),
        "vertrouwelijk", "vernietigen", 10,
        ("Melding hulpvraag huishouden", "Melding hulpvraag vervoer", "Melding hulpvraag woningaanpassing",
         "Melding hulpvraag begeleiding", "Melding mantelzorgondersteuning"),
        halvering=True,
    ),
    _Zaaktype(
        "ZT-WMA", "Wmo-aanvraag maatwerkvoorziening", "Sociaal Domein", ("Wmo", "Toegang"), 14, 10, None, 1_200,
        0.6, False, (0.30, 0.20, 0.20, 0.10, 0.20), _TOEKENNING,
        (("Aanvraag", 1.0, "start"), ("Besluit", 0.97, "end")),
        "vertrouwelijk", "vernietigen", 10,
        ("Aanvraag scootmobiel", "Aanvraag huishoudelijke hulp", "Aanvraag traplift", "Aanvraag rolstoel",
         "Aanvraag begeleiding"),
    ),
    _Zaaktype(
        "ZT-BIJ", "Aanvraag bijstand", ACHTERBLIJVER, ("Inkomen", "Werk"), 56, 28, None, 650, 0.5, False,
        (0.50, 0.30, 0.0, 0.05, 0.15), _TOEKENNING,
        (("Aanvraag", 1.0, "start"), ("Bijlage", 0.9, "start"), ("Verslag", 0.6, "mid"), ("Besluit", 0.97, "end")),
        "vertrouwelijk", "vernietigen", 7,
        ("Aanvraag levensonderhoud", "Aanvraag bijstand na ontslag", "Aanvraag bijstand zelfstandige"),
    ),
    _Zaaktype(
        "ZT-BBS", "Aanvraag bijzondere bijstand", ACHTERBLIJVER, ("Bijzondere bijstand",), 30, 21, None, 2_000,
        0.55, False, (0.45, 0.20, 0.05, 0.10, 0.20), _TOEKENNING,
        (("Aanvraag", 1.0, "start"), ("Bijlage", 0.7, "start"), ("Besluit", 0.97, "end")),
        "vertrouwelijk", "vernietigen", 7,
        ("Bijzondere bijstand bewindvoering", "Bijzondere bijstand witgoed", "Bijzondere bijstand tandarts",
         "Bijzondere bijstand inrichting", "Bijzondere bijstand reiskosten"),
    ),
    _Zaaktype(
        "ZT-KWS", "Verzoek kwijtschelding", "Belastingen", ("Invordering",), 182, 56, None, 1_100, 0.25, False,
        (0.50, 0.10, 0.0, 0.10, 0.30), _TOEKENNING,
        (("Aanvraag", 1.0, "start"), ("Bijlage", 0.5, "start"), ("Besluit", 0.97, "end")),
        "vertrouwelijk", "vernietigen", 7,
        ("Kwijtschelding afvalstoffenheffing", "Kwijtschelding rioolheffing", "Kwijtschelding gemeentelijke belastingen"),
        seizoen=(3.5, 1.5, 1.2, 1.0, 0.8, 0.7, 0.5, 0.5, 0.7, 0.7, 0.6, 0.5),
    ),
    _Zaaktype(
        "ZT-WOZ", "WOZ-bezwaar", "Belastingen", ("WOZ",), 365, 120, None, 1_800, 0.45, False,
        (0.70, 0.0, 0.0, 0.10, 0.20), _BEZWAAR,
        (("Bezwaarschrift", 1.0, "start"), ("Rapport", 0.6, "mid"), ("Besluit", 0.97, "end")),
        "zaakvertrouwelijk", "vernietigen", 5,
        ("WOZ-bezwaar woning {s}", "WOZ-bezwaar bedrijfspand {s}", "WOZ-bezwaar via bureau, {s}"),
        seizoen=(2.2, 3.0, 2.0, 0.8, 0.5, 0.4, 0.3, 0.3, 0.4, 0.4, 0.4, 0.3),
        knelpunt=True,
    ),
    _Zaaktype(
        "ZT-SUB", "Subsidieaanvraag behandelen", "Bestuursondersteuning", ("Subsidies",), 56, 42, 28, 200, 0.6,
        False, (0.60, 0.0, 0.0, 0.30, 0.10), _TOEKENNING,
        (("Aanvraag", 1.0, "start"), ("Bijlage", 0.6, "start"), ("Besluit", 0.96, "end")),
        "intern", "vernietigen", 7,
        ("Subsidie buurtfeest", "Subsidie sportvereniging", "Subsidie cultuurproject", "Subsidie verduurzaming"),
    ),
    _Zaaktype(
        "ZT-LRK", "Registratie kinderopvang (LRK)", "Publiekszaken", ("Burgerzaken",), 56, None, None, 40, 0.6,
        False, (0.50, 0.10, 0.0, 0.30, 0.10), _TOEKENNING,
        (("Aanvraag", 1.0, "start"), ("Rapport", 0.8, "mid"), ("Besluit", 0.97, "end")),
        "openbaar", "vernietigen", 10,
        ("Registratie gastouder {s}", "Registratie kinderdagverblijf {s}", "Registratie buitenschoolse opvang {s}"),
    ),
)

#: Every document type the documents use: those of the zaaktypes plus the loose ones outside any zaak.
DOCUMENTTYPEN: tuple[str, ...] = tuple(sorted({d for zt in ZAAKTYPEN for d, _, _ in zt.documenten}
                                              | {"Notitie", "E-mail", "Scan"}))
_LOSSE_DOCUMENTTYPEN = ("Brief", "Notitie", "E-mail", "Scan", "Foto")
#: Document types in the catalogue that no document ever uses (valid throughout), with their confidentiality.
NOOIT_GEBRUIKT: tuple[tuple[str, str], ...] = (
    ("Machtiging", "vertrouwelijk"), ("Proces-verbaal", "vertrouwelijk"), ("Zienswijze", "zaakvertrouwelijk"),
)
#: A never-used document type whose validity ended before the data begins: not a candidate to clean up.
BEEINDIGD_DOCUMENTTYPE = "Faxbericht"

#: Direction of each document type in a dossier (Catalogi API richting), for zaaktype_informatieobjecttypen.
RICHTING: dict[str, str] = {
    "Aanvraag": "inkomend", "Melding": "inkomend", "Bezwaarschrift": "inkomend", "Klacht": "inkomend",
    "Bijlage": "inkomend", "Foto": "inkomend", "Besluit": "uitgaand", "Brief": "uitgaand", "Advies": "intern",
    "Rapport": "intern", "Verslag": "intern",
}
#: A zaaktype lists a document type in its dossier when its documents have it this often (or it is intern,
#: or it comes exactly when advice was sought); the rarer ones (a photo now and then) are not required.
LIJST_DREMPEL = 0.9

#: Archive backlog planted besides the natural one (docs/sample.md): closed zaken of zaaktypen kept forever whose
#: archiefactiedatum was set one year after closing (a wrongly configured archiefactietermijn), and of those a few
#: already transferred. Drawn from their own random stream, so every other value stays as it was.
ARCHIEF_FOUT_AANDEEL = 0.3
ARCHIEF_OVERGEDRAGEN_AANDEEL = 0.25

_MOR = 0  # index of the zaaktype with the planted skipped step
_OVERGESLAGEN = "Ontvangen"

_VOORNAMEN = (
    "Anna", "Bram", "Carla", "Daan", "Eva", "Fatima", "Gijs", "Hanneke", "Ilse", "Jan", "Karin", "Lars", "Mohamed",
    "Noor", "Olaf", "Petra", "Quinten", "Rik", "Sanne", "Tom", "Ursula", "Vincent", "Wendy", "Yusuf", "Zoë",
    "Annelies", "Bas", "Chantal", "Dirk", "Esther", "Frank", "Gerda", "Hugo", "Inge", "Jeroen", "Kees", "Lotte",
    "Marloes", "Niels", "Priya", "Ruud", "Saskia", "Thijs", "Willemijn", "Ahmet", "Sevda", "Kevin", "Mirjam",
)
_ACHTERNAMEN = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer",
    "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer",
    "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan",
    "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek", "Yilmaz", "El Amrani", "Kaya", "Schouten",
    "Willems", "Hoekstra", "Koster", "Prins", "Huisman", "Kuipers", "Postma", "Bouwman", "Wouters",
)

VRAGEN = (
    "Ik kan dossiers en documenten snel vinden.",
    "Ik kan goed thuis of op een andere plek aan mijn zaken werken.",
    "De werkinstructies voor het zaaksysteem zijn duidelijk.",
    "Ik heb voldoende training gehad om met het zaaksysteem te werken.",
    "Ik vertrouw erop dat het digitale dossier volledig en juist is.",
)
# Mean answer per question at the nulmeting and its improvement by the evaluatie.
_VRAAG_NUL = (2.4, 2.6, 2.8, 2.7, 2.5)
_VRAAG_WINST = (1.0, 0.6, 0.5, 0.7, 0.8)

_LOCATIES = ("Archiefruimte kelder", "Kasten tweede verdieping", "Werkplekken", "Externe opslag", "Dossierkamer")

# --------------------------------------------------------------------------- arguments and time line


def _check_args(zaken: Any, seed: Any, start: Any, months: Any) -> tuple[int, int, pd.Period, int]:
    """Defaults and validation; every problem is a :class:`UsageError` naming the argument."""

    def whole(name: str, value: Any, default: int) -> int:
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise UsageError(f"{name} must be a whole number, got {value!r}.")
        return int(value)

    zaken = whole("zaken", zaken, DEFAULT_ZAKEN)
    seed = whole("seed", seed, DEFAULT_SEED)
    months = whole("months", months, DEFAULT_MONTHS)
    if not MIN_ZAKEN <= zaken <= MAX_ZAKEN:
        raise UsageError(f"zaken must be between {MIN_ZAKEN:,} and {MAX_ZAKEN:,}, got {zaken:,}.")
    if seed < 0:
        raise UsageError(f"seed must be 0 or more, got {seed}.")
    if not MIN_MONTHS <= months <= MAX_MONTHS:
        raise UsageError(f"months must be between {MIN_MONTHS} and {MAX_MONTHS}, got {months}.")
    text = DEFAULT_START if start is None else str(start).strip()
    if not re.fullmatch(r"(19[7-9]\d|2\d\d\d)-(0[1-9]|1[0-2])", text):
        raise UsageError(f"start must be a month written YYYY-MM (for example 2024-11), got {start!r}.")
    return zaken, seed, pd.Period(text, freq="M"), months


def _day(value: pd.Timestamp | pd.Period) -> int:
    """Whole days since 1970-01-01 of a timestamp or of the first day of a period."""
    if isinstance(value, pd.Period):
        value = value.start_time
    return int(np.datetime64(pd.Timestamp(value).date(), "D").astype(np.int64))


def _iso(day: int) -> str:
    return str(np.datetime64(int(day), "D"))


def _weekday(days: np.ndarray) -> np.ndarray:
    """Monday = 0 ... Sunday = 6 (1970-01-01 was a Thursday)."""
    return (days + 3) % 7


def _to_weekday(days: np.ndarray) -> np.ndarray:
    """Move a Saturday or Sunday to the next Monday."""
    wd = _weekday(days)
    return days + np.where(wd == 5, 2, np.where(wd == 6, 1, 0))


@dataclass
class _Tijdlijn:
    """Months, go-live dates and registration levels per department."""

    start: pd.Period
    months: int
    maand_dag: np.ndarray  # first day of each month, plus the day after the last month
    einde: int  # last day of the data
    golive_maand: int  # month index of the organisation's go-live
    golive: int  # its day
    afd_maand: np.ndarray  # month index of each department's go-live
    afd_golive: np.ndarray  # its day
    regfrac: np.ndarray  # (afdelingen, months): share of the real work registered
    achterblijver: int

    @classmethod
    def make(cls, start: pd.Period, months: int) -> _Tijdlijn:
        maand_dag = np.array([_day(start + m) for m in range(months + 1)], dtype=np.int64)
        # Go-live 4 months in by default; proportionally earlier for short periods.
        org = min(4, max(1, months // 6))
        lag = org + min(6, max(1, months - org - 1))
        afd_maand = np.array([lag if a.later < 0 else min(org + a.later, months - 1) for a in AFDELINGEN])
        regfrac = np.ones((len(AFDELINGEN), months))
        for i, a in enumerate(AFDELINGEN):
            span = max(afd_maand[i] - org, 1)
            for m in range(org, afd_maand[i]):
                x = (m - org) / span
                # Before its own go-live a department registers only part of its work, rising as it adopts.
                regfrac[i, m] = 0.12 + 0.28 * x if a.later < 0 else 0.5 + 0.35 * x
        return cls(start, months, maand_dag, int(maand_dag[-1] - 1), org, int(maand_dag[org]), afd_maand,
                   maand_dag[afd_maand], regfrac, next(i for i, a in enumerate(AFDELINGEN) if a.later < 0))

    def maand_van(self, days: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.maand_dag, days, side="right") - 1


# --------------------------------------------------------------------------- Arrow text helpers


def _text(values: pa.Array) -> pd.api.extensions.ExtensionArray:
    """An Arrow string array as the contract's ``str`` dtype, without copying into Python strings."""
    return pd.array(values, dtype="str")


def _take(vocab: list[str] | tuple[str, ...], codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Text column from a small vocabulary and integer codes (-1 = empty)."""
    idx = pa.array(codes.astype(np.int32), mask=codes < 0)
    # large_string is what pandas keeps for "str": no cast afterwards.
    return _text(pa.array(list(vocab), type=pa.large_string()).take(idx))


def _id_bytes(prefix: str, numbers: np.ndarray, digits: int, years: np.ndarray | None = None) -> np.ndarray:
    """Fixed-width identificaties like ``ZAAK-2025-0000123`` as an (n, width) byte matrix."""
    n = len(numbers)
    head = prefix.encode("ascii")
    width = len(head) + (5 if years is not None else 0) + digits
    buf = np.empty((n, width), dtype=np.uint8)
    buf[:, : len(head)] = np.frombuffer(head, dtype=np.uint8)
    pos = len(head)
    if years is not None:
        for k in range(4):
            buf[:, pos + k] = 48 + (years // 10 ** (3 - k)) % 10
        buf[:, pos + 4] = ord("-")
        pos += 5
    q = numbers.astype(np.uint64)
    for k in range(digits - 1, -1, -1):
        q, r = np.divmod(q, np.uint64(10))
        buf[:, pos + k] = 48 + r
    return buf


def _bytes_text(buf: np.ndarray) -> pa.Array:
    """An Arrow string array from an (n, width) byte matrix of fixed-width ASCII text."""
    n, width = buf.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int64)
    return pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(buf)))


def _ids(prefix: str, numbers: np.ndarray, digits: int, years: np.ndarray | None = None) -> pa.Array:
    """Fixed-width identificaties like ``MDW-0001``, written as bytes (no string per row)."""
    return _bytes_text(_id_bytes(prefix, numbers, digits, years))


def _dates(days: np.ndarray, present: np.ndarray | None = None) -> np.ndarray:
    """Whole days to ``datetime64[us]`` at midnight; NaT where not present."""
    out = (days * (_MIN_PER_DAG * _MIN_TO_US)).view("datetime64[us]")
    if present is not None:
        out[~present] = np.datetime64("NaT")
    return out


def _choose(u: np.ndarray, cum: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Pick a category per element: ``cum`` holds cumulative probabilities per row, ``rows`` each element's row."""
    c = cum[rows]
    return np.minimum((u[:, None] >= c[:, :-1]).sum(axis=1), cum.shape[1] - 1)


# --------------------------------------------------------------------------- staff


@dataclass
class _Staf:
    frame: pd.DataFrame
    team_id: np.ndarray  # global team number per medewerker
    actief: np.ndarray  # actief_sinds as day, -1 = never
    # For picking a behandelaar: active staff sorted by (team, actief_sinds), with per-team offsets.
    sorted_idx: np.ndarray
    sorted_key: np.ndarray
    team_off: np.ndarray
    team_n: np.ndarray
    team_init: np.ndarray
    teams: list[tuple[int, str]]  # (afdeling index, team name) per global team number

    _KEY = 1 << 32

    def pick(self, team: np.ndarray, day: np.ndarray, u: np.ndarray, migrated: np.ndarray) -> np.ndarray:
        """A member of ``team`` who was active on ``day`` (uniform by ``u``).

        Migrated zaken (from the old system) may have anyone of the team who ever
        used the zaaksysteem; otherwise the first cohort stands in when nobody
        was active yet.
        """
        active = np.searchsorted(self.sorted_key, team.astype(np.int64) * self._KEY + day, side="right")
        n = np.maximum(active - self.team_off[team], self.team_init[team])
        n = np.where(migrated, self.team_n[team], n)
        return self.sorted_idx[self.team_off[team] + np.minimum((u * n).astype(np.int64), n - 1)]


def _medewerkers(rng: np.random.Generator, tl: _Tijdlijn, n_staff: int) -> _Staf:
    total = sum(a.medewerkers for a in AFDELINGEN)
    zaak_afd = {z.afdeling for z in ZAAKTYPEN}
    rows: list[tuple[int, int, str, int]] = []  # afdeling, team id, team, actief day
    teams: list[tuple[int, str]] = []
    for ai, a in enumerate(AFDELINGEN):
        size = max(len(a.teams) * 2, round(a.medewerkers * n_staff / total))
        gd = int(tl.afd_golive[ai])
        team_of = np.arange(size) % len(a.teams)
        for ti, t in enumerate(a.teams):
            tid = len(teams)
            teams.append((ai, t))
            members = int((team_of == ti).sum())
            for k in range(members):
                if a.naam not in zaak_afd:
                    day = tl.golive + int(rng.exponential(60))  # they consult dossiers, handle no zaken
                elif a.later < 0 and k == 0:
                    day = tl.golive  # the lagging department's key user starts with the organisation
                elif k < max(1, round(0.4 * members)):
                    day = gd
                elif rng.random() < 0.12:
                    day = int(rng.integers(tl.golive, tl.einde))  # joined later
                else:
                    day = gd + int(rng.exponential(75))
                rows.append((ai, tid, t, min(day, tl.einde - 7)))
    n = len(rows)
    afd = np.array([r[0] for r in rows])
    team_id = np.array([r[1] for r in rows])
    actief = np.array([r[3] for r in rows], dtype=np.int64)
    # About 5% never use the system: never the first member of a team (someone must take the zaken).
    first = np.r_[True, team_id[1:] != team_id[:-1]]
    nooit = ~first & (rng.random(n) < 0.07)
    actief[nooit] = -1
    naam = [f"{_VOORNAMEN[i]} {_ACHTERNAMEN[j]}" for i, j in
            zip(rng.integers(0, len(_VOORNAMEN), n), rng.integers(0, len(_ACHTERNAMEN), n), strict=True)]
    digits = max(4, len(str(n)))
    frame = pd.DataFrame({
        "identificatie": _text(_ids("MDW-", np.arange(1, n + 1), digits)),
        "naam": pd.array(naam, dtype="str"),
        "afdeling": _take([a.naam for a in AFDELINGEN], afd),
        "team": _take([t for _, t in teams], team_id),
        "actief_sinds": _dates(actief, actief >= 0),
    })
    ok = np.flatnonzero(actief >= 0)
    key = team_id[ok].astype(np.int64) * _Staf._KEY + actief[ok]
    order = np.argsort(key, kind="stable")
    sorted_idx, sorted_key = ok[order], key[order]
    nt = len(teams)
    team_n = np.bincount(team_id[ok], minlength=nt)
    team_off = np.r_[0, np.cumsum(team_n)[:-1]]
    first_day = np.full(nt, np.iinfo(np.int64).max)
    np.minimum.at(first_day, team_id[ok], actief[ok])
    team_init = np.bincount(team_id[ok], weights=(actief[ok] == first_day[team_id[ok]]), minlength=nt).astype(int)
    return _Staf(frame, team_id, actief, sorted_idx, sorted_key, team_off, team_n, np.maximum(team_init, 1), teams)


# --------------------------------------------------------------------------- zaken, statussen, documenten


@dataclass
class _Zaken:
    """Per-zaak arrays (sorted by registratiedatum), kept for the other tables and the bookkeeping."""

    zt: np.ndarray
    afd: np.ndarray
    team: np.ndarray
    reg: np.ndarray
    start: np.ndarray
    eind: np.ndarray  # planned or real end day (also for open zaken)
    closed: np.ndarray
    uiterlijk: np.ndarray
    beh: np.ndarray
    res: np.ndarray
    migrated: np.ndarray
    achteraf: np.ndarray
    forgotten: np.ndarray
    skip: np.ndarray
    advice: np.ndarray
    zonder_docs: np.ndarray
    ids: pa.Array
    id_bytes: np.ndarray

    def ids_of(self, rows: np.ndarray) -> pa.Array:
        """Identificaties of the zaken at ``rows`` (a row gather of fixed-width bytes: cheaper than a take)."""
        return _bytes_text(self.id_bytes[rows])


def _registraties(rng: np.random.Generator, tl: _Tijdlijn, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Zaaktype, registration day (a weekday of its month) and afdeling of each zaak, in order of registration.

    The number per zaaktype and month follows its yearly volume, its season and its department's go-live.
    """
    Z, M = len(ZAAKTYPEN), tl.months
    afd_index = {a.naam: i for i, a in enumerate(AFDELINGEN)}
    zt_afd = np.array([afd_index[z.afdeling] for z in ZAAKTYPEN])
    moy = np.array([(tl.start + m).month for m in range(M)])
    w = np.array([[z.per_jaar * z.seizoen[moy[m] - 1] * tl.regfrac[zt_afd[i], m] for m in range(M)]
                  for i, z in enumerate(ZAAKTYPEN)])
    counts = rng.multinomial(n, (w / w.sum()).ravel())
    zt = np.repeat(np.repeat(np.arange(Z), M), counts)
    month = np.repeat(np.tile(np.arange(M), Z), counts)
    werkdagen = [np.array([d for d in range(tl.maand_dag[m], tl.maand_dag[m + 1]) if _weekday(np.array(d)) < 5])
                 for m in range(M)]
    wd_n = np.array([len(x) for x in werkdagen])
    wd_mat = np.zeros((M, wd_n.max()), dtype=np.int64)
    for m, x in enumerate(werkdagen):
        wd_mat[m, : len(x)] = x
    reg = wd_mat[month, (rng.random(n) * wd_n[month]).astype(np.int64)]
    order = np.lexsort((rng.random(n), reg))
    zt, reg = zt[order], reg[order]
    return zt, reg, zt_afd[zt]


def _identificaties(reg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``ZAAK-<year>-<number within the year>`` in order of registration, as bytes and as text."""
    n = len(reg)
    year = reg.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    seq = np.arange(n) - np.searchsorted(year, year, side="left") + 1
    id_bytes = _id_bytes("ZAAK-", seq, max(7, len(str(int(seq.max())))), year)
    return id_bytes, _bytes_text(id_bytes)


@dataclass
class _Fase:
    """Where a zaak stands against the go-live: migrated, registered while its afdeling was not live yet, ..."""

    gd: np.ndarray
    migrated: np.ndarray
    partial: np.ndarray
    lagging: np.ndarray
    sinds: np.ndarray


def _fase(tl: _Tijdlijn, afd: np.ndarray, reg: np.ndarray) -> _Fase:
    gd = tl.afd_golive[afd]
    migrated = reg < tl.golive
    return _Fase(gd, migrated, ~migrated & (reg < gd), afd == tl.achterblijver,
                 np.maximum(reg - gd, 0) / 30.44)  # months since the department's own go-live


def _doorlooptijden(rng: np.random.Generator, tl: _Tijdlijn, zt: np.ndarray, reg: np.ndarray, f: _Fase,
                    achteraf: np.ndarray, forgotten: np.ndarray) -> dict[str, np.ndarray]:
    """Start, end, legal and planned dates: a stable core with a tail of slow zaken; the planted zaaktypes halve."""
    n = len(zt)
    termijn = np.array([z.termijn for z in ZAAKTYPEN])[zt]
    mediaan = np.array([z.factor * z.termijn for z in ZAAKTYPEN])[zt]
    lag = np.where(rng.random(n) < 0.65, 0, rng.integers(1, 8, n))
    start = reg - lag
    dlt = mediaan * np.exp(0.3 * rng.standard_normal(n)) * np.where(rng.random(n) < 0.2, 1.5 + 2.0 * rng.random(n), 1.0)
    halveert = np.array([z.halvering for z in ZAAKTYPEN])[zt]
    voortgang = np.clip((start - f.gd - 60) / 240, 0, 1)  # from two months after go-live, over eight months
    snelheid = np.where(halveert, 1 - 0.68 * voortgang, np.where(start >= f.gd, 0.93, 1.0))
    dlt = np.maximum(np.rint(dlt * snelheid).astype(np.int64), lag)
    eind = _to_weekday(start + dlt)
    work = np.minimum(dlt, 45)  # registered afterwards: the work was done before the registration
    start = np.where(achteraf, reg - work, start)
    eind = np.where(achteraf, reg, eind)
    dlt = eind - start
    closed = ~forgotten & (eind <= tl.einde)
    verl = np.array([z.verlenging or 0 for z in ZAAKTYPEN])[zt]
    verlengd = (verl > 0) & (dlt > 0.9 * termijn) & (rng.random(n) < 0.7)
    norm = np.array([z.servicenorm or z.termijn for z in ZAAKTYPEN])[zt]
    return {"start": start, "eind": eind, "closed": closed, "verl": verl, "verlengd": verlengd,
            "uiterlijk": start + termijn + np.where(verlengd, verl, 0), "gepland": start + norm}


def _behandelaars(rng: np.random.Generator, tl: _Tijdlijn, staf: _Staf, zt: np.ndarray, reg: np.ndarray, f: _Fase,
                  closed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Team and behandelaar (-1: none); unassigned zaken are planted, plus a queue of new ones at the end."""
    n = len(zt)
    afd_index = {a.naam: i for i, a in enumerate(AFDELINGEN)}
    opts = [[staf.teams.index((afd_index[z.afdeling], t)) for t in z.teams] for z in ZAAKTYPEN]
    opt_n = np.array([len(o) for o in opts])
    opt_mat = np.zeros((len(ZAAKTYPEN), opt_n.max()), dtype=np.int64)
    for i, o in enumerate(opts):
        opt_mat[i, : len(o)] = o
    team = opt_mat[zt, (rng.random(n) * opt_n[zt]).astype(np.int64)]
    beh = staf.pick(team, reg, rng.random(n), f.migrated)
    p_zonder = np.where(f.migrated, 0.0, np.where(f.partial & f.lagging, 0.08, 0.012))
    zonder = (rng.random(n) < p_zonder) | (~f.migrated & ~closed & (reg > tl.einde - 10) & (rng.random(n) < 0.3))
    beh[zonder] = -1
    return team, beh


def _resultaten(rng: np.random.Generator, zt: np.ndarray, f: _Fase, closed: np.ndarray
                ) -> tuple[np.ndarray, list[str]]:
    """Resultaat per zaaktype (index into the returned vocabulary); -1 while open and for the planted ones without."""
    n = len(zt)
    res_vocab = sorted({r for z in ZAAKTYPEN for r, _ in z.resultaten})
    width = max(len(z.resultaten) for z in ZAAKTYPEN)
    res_code = np.zeros((len(ZAAKTYPEN), width), dtype=np.int64)
    res_cum = np.ones((len(ZAAKTYPEN), width))
    for i, z in enumerate(ZAAKTYPEN):
        res_code[i, : len(z.resultaten)] = [res_vocab.index(r) for r, _ in z.resultaten]
        res_cum[i, : len(z.resultaten)] = np.cumsum([p for _, p in z.resultaten]) / sum(p for _, p in z.resultaten)
    res = res_code[zt, _choose(rng.random(n), res_cum, zt)]
    zonder_res = rng.random(n) < np.where(f.migrated, 0.0, np.where(f.partial, 0.06, 0.022))
    res[~closed | zonder_res] = -1
    return res, res_vocab


def _omschrijvingen(rng: np.random.Generator, zt: np.ndarray, f: _Fase) -> tuple[np.ndarray, list[str], int]:
    """Omschrijving (index into the returned vocabulary) from per-zaaktype templates; one planted script tag."""
    n = len(zt)
    vocab: list[str] = []
    voff, vn = np.zeros(len(ZAAKTYPEN), dtype=np.int64), np.zeros(len(ZAAKTYPEN), dtype=np.int64)
    for i, z in enumerate(ZAAKTYPEN):
        texts = [t.replace("{s}", s) if "{s}" in t else t for t in z.teksten for s in
                 (_STRATEN if "{s}" in t else ("",))]
        voff[i], vn[i] = len(vocab), len(texts)
        vocab += [t[:80] for t in texts]
    oms = voff[zt] + (rng.random(n) * vn[zt]).astype(np.int64)
    kand = np.flatnonzero((zt == _MOR) & ~f.migrated)
    html = int(kand[rng.integers(len(kand))] if len(kand) else rng.integers(n))
    oms[html] = len(vocab)
    vocab.append(SCRIPT_OMSCHRIJVING)
    return oms, vocab, html


def _zaken(rng: np.random.Generator, tl: _Tijdlijn, staf: _Staf, n: int) -> tuple[_Zaken, dict[str, Any]]:
    """Every zaak, step by step; each step draws from ``rng`` in a fixed order, so a seed gives the same sample."""
    zt, reg, afd = _registraties(rng, tl, n)
    id_bytes, ids = _identificaties(reg)
    f = _fase(tl, afd, reg)

    # Planted behaviours (probabilities; the recorded counts come from the final tables).
    p_achteraf = np.where(f.partial, np.where(f.lagging, 0.35, 0.20), 0.008 + 0.035 * np.exp(-f.sinds / 6))
    achteraf = ~f.migrated & (rng.random(n) < p_achteraf)
    forgotten = ~f.migrated & ~achteraf & (rng.random(n) < 0.004)
    skip = (zt == _MOR) & ~f.migrated & ~achteraf & (rng.random(n) < 0.12)
    advice = np.array([z.advies for z in ZAAKTYPEN])[zt] & ~achteraf & (rng.random(n) < 0.3)

    d = _doorlooptijden(rng, tl, zt, reg, f, achteraf, forgotten)
    team, beh = _behandelaars(rng, tl, staf, zt, reg, f, d["closed"])
    res, res_vocab = _resultaten(rng, zt, f, d["closed"])
    zonder_docs = ~f.migrated & (rng.random(n) < np.where(achteraf, 0.3, np.where(f.partial, 0.12, 0.03)))

    # Channel: web forms grow after go-live.
    kan = np.array([z.kanalen for z in ZAAKTYPEN])
    groei = 1 + 0.8 * np.clip((reg - tl.golive) / 365, 0, 1)
    p_web = np.minimum(kan[zt, 0] * groei, 0.9)
    rest = kan[:, 1:] / kan[:, 1:].sum(axis=1, keepdims=True)
    kanaal = np.where(rng.random(n) < p_web, 0, 1 + _choose(rng.random(n), np.cumsum(rest, axis=1), zt))

    oms, vocab, html = _omschrijvingen(rng, zt, f)
    # Confidentiality per zaaktype, a few marked differently.
    vert = np.array([contract.VERTROUWELIJKHEIDAANDUIDING.index(z.vertrouwelijk) for z in ZAAKTYPEN])[zt]
    vert = np.where(rng.random(n) < 0.03, contract.VERTROUWELIJKHEIDAANDUIDING.index("beperkt_openbaar"), vert)

    z = _Zaken(zt, afd, team, reg, d["start"], d["eind"], d["closed"], d["uiterlijk"], beh, res, f.migrated,
               achteraf, forgotten, skip, advice, zonder_docs, ids, id_bytes)
    extra = {"gepland": d["gepland"], "kanaal": kanaal, "oms": oms, "oms_vocab": vocab, "vert": vert,
             "res_vocab": res_vocab, "html": html, "verlengd": d["verlengd"], "verl": d["verl"]}
    return z, extra


def _statussen(
    rng: np.random.Generator, tl: _Tijdlijn, staf: _Staf, z: _Zaken
) -> tuple[dict[str, Any], np.ndarray, np.ndarray]:
    """Status history; returns the table's columns, the (zaken x 5) presence mask and gezet_door codes."""
    n = len(z.zt)
    t_reg = z.reg * _MIN_PER_DAG + 480 + (rng.random(n) * 120).astype(np.int64)
    later = z.eind > z.reg
    t_end = np.where(later, z.eind * _MIN_PER_DAG + 540 + (rng.random(n) * 420).astype(np.int64),
                     t_reg + 30 + (rng.random(n) * 270).astype(np.int64))
    base = np.array([_WACHT_KNELPUNT if zt.knelpunt else _WACHT for zt in ZAAKTYPEN])[z.zt]
    w = base * np.exp(0.35 * rng.standard_normal((n, 4)))
    w[:, 1] *= ~(z.skip | z.achteraf)
    w[:, 2] *= ~z.achteraf
    w[:, 3] *= z.advice
    cum = np.cumsum(w, axis=1) / w.sum(axis=1, keepdims=True)
    span = (t_end - t_reg).astype(np.float64)
    times = np.empty((n, 5), dtype=np.int64)
    times[:, 0] = t_reg
    times[:, 1:4] = t_reg[:, None] + np.rint(cum[:, :3] * span[:, None]).astype(np.int64)
    times[:, 4] = t_end
    mask = np.empty((n, 5), dtype=bool)
    mask[:, 0] = True
    mask[:, 1] = ~(z.skip | z.achteraf)
    mask[:, 2] = ~z.achteraf
    mask[:, 3] = z.advice & ~z.forgotten
    mask[:, 4] = z.closed
    mask &= times <= tl.einde * _MIN_PER_DAG + _MIN_PER_DAG - 1  # open zaken: only what happened so far

    flat = np.flatnonzero(mask)
    zi, slot = flat // 5, flat % 5
    advies_type = np.array([zt.advies for zt in ZAAKTYPEN])[z.zt[zi]]
    volgnummer = np.where(slot == 4, 4 + advies_type, slot + 1)
    m = len(zi)
    door = z.beh[zi]
    colleague = np.flatnonzero((rng.random(m) >= 0.85) | (door < 0))
    door[colleague] = staf.pick(z.team[zi[colleague]], z.reg[zi[colleague]], rng.random(len(colleague)),
                                np.zeros(len(colleague), dtype=bool))
    door[z.migrated[zi]] = -1  # the old system did not record who set a status
    cols = {
        "zaak": _text(z.ids_of(zi)),
        "statustype": _take(STATUSTYPEN, slot),
        "volgnummer": pd.array(volgnummer, dtype="Int64"),
        "datum_status_gezet": (times.ravel()[flat] * _MIN_TO_US).view("datetime64[us]"),
        "is_eindstatus": pd.array(slot == 4, dtype="boolean"),
        "gezet_door": _take(staf.frame["identificatie"].tolist(), door),
    }
    return cols, mask, door


def _documenten(
    rng: np.random.Generator, tl: _Tijdlijn, z: _Zaken, archived: np.ndarray, staf_per_afd: np.ndarray
) -> tuple[dict[str, Any], np.ndarray, int]:
    """Documents of zaken and outside any zaak; returns the columns, documents per zaak and the orphan count."""
    n = len(z.zt)
    S = max(len(zt.documenten) for zt in ZAAKTYPEN)
    types = list(DOCUMENTTYPEN)
    p = np.zeros((len(ZAAKTYPEN), S))
    when = np.zeros((len(ZAAKTYPEN), S), dtype=np.int64)
    code = np.zeros((len(ZAAKTYPEN), S), dtype=np.int64)
    for i, zt in enumerate(ZAAKTYPEN):
        for s, (d, prob, wanneer) in enumerate(zt.documenten):
            p[i, s], when[i, s], code[i, s] = prob, ("start", "mid", "end").index(wanneer), types.index(d)
    pz, wz = p[z.zt], when[z.zt]
    u = rng.random((n, S))
    present = np.where(pz < 0, z.advice[:, None], u < pz) & ~z.zonder_docs[:, None]
    present &= (wz != 2) | z.closed[:, None]
    mid = z.reg[:, None] + (rng.random((n, S)) * (np.maximum(z.eind - z.reg, 0) + 1)[:, None]).astype(np.int64)
    day = np.where(wz == 0, z.start[:, None], np.where(wz == 1, np.minimum(mid, z.eind[:, None]), z.eind[:, None]))
    present &= day <= tl.einde
    zi, slot = np.nonzero(present)
    per_zaak = present.sum(axis=1)
    dday = day[zi, slot]
    status = np.where(archived[zi], 3, np.where(z.closed[zi] | (wz[zi, slot] == 0), 2, 0))  # see DOCUMENT_STATUS

    # Documents outside any zaak: more before go-live and in the lagging department, fewer over time.
    M = tl.months
    vol = np.zeros((len(AFDELINGEN), M))
    np.add.at(vol, (z.afd, tl.maand_van(z.reg)), 1)
    m_idx = np.arange(M)
    afname = np.where(m_idx < tl.golive_maand, 1.0, np.exp(-(m_idx - tl.golive_maand) / 8))
    lam = (0.03 * vol + 0.4 * staf_per_afd[:, None]) * afname[None, :]
    lam[tl.achterblijver] *= np.where(m_idx < tl.afd_maand[tl.achterblijver], 3.0, 1.5)
    cnt = rng.poisson(lam).ravel()
    o_m = np.repeat(np.tile(m_idx, len(AFDELINGEN)), cnt)
    k = len(o_m)
    first, length = tl.maand_dag[o_m], tl.maand_dag[o_m + 1] - tl.maand_dag[o_m]
    o_day = np.minimum(_to_weekday(first + (rng.random(k) * length).astype(np.int64)), tl.einde)
    losse = [types.index(t) for t in _LOSSE_DOCUMENTTYPEN]
    o_type = np.array(losse)[rng.integers(0, len(losse), k)]
    o_status = np.where(rng.random(k) < 0.7, 2, np.where(rng.random(k) < 0.5, 0, -1))

    total = len(zi) + k
    cols = {
        "identificatie": _text(_ids("DOC-", np.arange(1, total + 1), max(9, len(str(total))))),
        "zaak": _text(pa.concat_arrays([z.ids_of(zi), pa.nulls(k, type=pa.large_string())])),
        "informatieobjecttype": _take(types, np.r_[code[z.zt[zi], slot], o_type]),
        "creatiedatum": _dates(np.r_[dday, o_day]),
        "status": _take(contract.DOCUMENT_STATUS, np.r_[status, o_status]),
    }
    return cols, per_zaak, k


# --------------------------------------------------------------------------- extension and suspension

#: Reasons a zaak's term was extended (Awb 4:14 lid 3: the applicant is told why) and why it is suspended
#: (Awb 4:15: waiting for the applicant's missing information, or agreed with the applicant).
VERLENGING_REDENEN = (
    "Advies van externe partij nodig", "Complexe aanvraag, meer onderzoek nodig", "Zienswijze belanghebbende gevraagd",
    "Advies welstandscommissie nodig", "Aanvullend onderzoek ter plaatse",
)
OPSCHORTING_REDENEN = (
    "Wacht op aanvullende gegevens van de aanvrager", "Op verzoek van de aanvrager", "Wacht op medisch advies",
    "Wacht op betaling leges", "Aanvraag onvolledig, herstelverzuim",
)
#: Share of the open zaken at the end of the data that are suspended.
OPGESCHORT_AANDEEL = 0.05


def _verlenging_opschorting(seed: int, z: _Zaken, extra: dict[str, Any]) -> dict[str, Any]:
    """The optional extension and suspension columns of zaken.

    Drawn from a generator of their own, seeded from the sample's seed: the main stream, and with it every
    other value of every table, stays exactly as it was before these columns existed. An extended zaak is
    one whose term the sample already lengthened (its ``uiterlijke_einddatum_afdoening`` includes the
    extension, as a ZGW zaaksysteem updates it); a suspended zaak is open at the end of the data. Every other
    zaak has ``opschorting_indicatie`` false, as Open Zaak answers.
    """
    rng = np.random.default_rng([seed, 14])
    n = len(z.zt)
    verlengd = extra["verlengd"]
    reden_v = np.where(verlengd, rng.integers(0, len(VERLENGING_REDENEN), n), -1)
    # Meldingen are not applications: nothing to wait for from the applicant.
    opgeschort = ~z.closed & (z.zt != _MOR) & (rng.random(n) < OPGESCHORT_AANDEEL)
    reden_o = np.where(opgeschort, rng.integers(0, len(OPSCHORTING_REDENEN), n), -1)
    return {
        "verlenging_reden": _take(VERLENGING_REDENEN, reden_v),
        "verlenging_duur_dagen": pd.arrays.IntegerArray(np.where(verlengd, extra["verl"], 0).astype(np.int64),
                                                        ~verlengd),
        "opschorting_indicatie": pd.array(opgeschort, dtype="boolean"),
        "opschorting_reden": _take(OPSCHORTING_REDENEN, reden_o),
        "_opgeschort": opgeschort,
    }


def _termijnbewaking(tl: _Tijdlijn, z: _Zaken, opgeschort: np.ndarray, horizon: int = 14) -> dict[str, Any]:
    """The late and nearly late open zaken at the end of the data (the definitions in docs/sample.md)."""
    open_ = ~z.closed & ~opgeschort
    over = z.uiterlijk - tl.einde  # days left; the sample's dates already include any extension
    return {
        "peildatum": _iso(tl.einde),
        "horizon_dagen": horizon,
        "te_laat": int((open_ & (over < 0)).sum()),
        "binnen_horizon": int((open_ & (over >= 0) & (over <= horizon)).sum()),
        "opgeschort": int((~z.closed & opgeschort).sum()),
        "te_laat_zonder_behandelaar": int((open_ & (over < 0) & (z.beh < 0)).sum()),
    }


# --------------------------------------------------------------------------- cleanup and survey


def _split(rng: np.random.Generator, total: int, parts: int) -> np.ndarray:
    """Split a whole number into ``parts`` uneven whole numbers that sum to it exactly."""
    if parts <= 0:
        return np.zeros(0, dtype=np.int64)
    return rng.multinomial(total, rng.dirichlet(np.full(parts, 2.0)))


def _opschoning(rng: np.random.Generator, tl: _Tijdlijn, staf_per_afd: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Paper cleanup from two months after each department's go-live; amounts in half metres and whole dossiers."""
    reg: list[tuple[str, int, str, str, float, str, str]] = []
    doelen: list[tuple[str, float, int, int]] = []
    acties = ("gedigitaliseerd", "vernietigd", "overgebracht", "gearchiveerd")
    mix = np.array([0.2, 0.55, 0.1, 0.15])
    for ai, a in enumerate(AFDELINGEN):
        c0 = int(_to_weekday(np.array(tl.afd_golive[ai] + 61)))
        beschikbaar = tl.einde - c0
        if beschikbaar < 40:
            continue
        halve_m = int(2 * round(staf_per_afd[ai] * rng.uniform(1.5, 3.5)))  # inventoried paper, half metres
        dossiers = int(halve_m / 2 * rng.uniform(40, 70))
        if a.naam == OPSCHONING_ACHTER:
            eind = tl.einde - 10  # still going, slowly
            streef = c0 + int(0.4 * beschikbaar)
            factor = 0.55
        else:
            eind = c0 + min(int(rng.integers(150, 250)), int(0.7 * beschikbaar))
            streef = eind + int(rng.integers(20, 60))
            factor = 1.15 if a.naam == OPSCHONING_OVERMELD else 1.0
        streef = int(_day(pd.Timestamp(_iso(streef)).to_period("M").end_time))
        if a.naam != OPSCHONING_ZONDER_DOEL:
            doelen.append((a.naam, halve_m / 2, dossiers, streef))
            # The inventory: a few registrations in the first two weeks.
            for eenheid, units, scale in (("strekkende_meters", halve_m, 2), ("dossiers", dossiers, 1)):
                for d, q in zip(_to_weekday(c0 + rng.integers(0, 14, 3)), _split(rng, units, 3), strict=True):
                    if q:
                        reg.append((a.naam, int(d), "inventarisatie", eenheid, q / scale,
                                    _LOCATIES[rng.integers(len(_LOCATIES))], "Inventarisatie papieren archief"))
        weeks = np.arange(c0 + 14, eind + 1, 7)
        if a.naam == OPSCHONING_ACHTER:
            weeks = weeks[rng.random(len(weeks)) < 0.5]  # irregular
        for eenheid, units, scale in (("strekkende_meters", round(halve_m * factor), 2),
                                      ("dossiers", round(dossiers * factor), 1)):
            for d, q in zip(weeks, _split(rng, units, len(weeks)), strict=True):
                for actie, qa in zip(acties, rng.multinomial(int(q), mix), strict=True):
                    if qa:
                        loc = _LOCATIES[rng.integers(len(_LOCATIES))]
                        reg.append((a.naam, int(_to_weekday(np.array(d))), actie, eenheid, qa / scale, loc,
                                    f"{actie.capitalize()}: {loc.lower()}"))
    frame = pd.DataFrame(reg, columns=["afdeling", "datum", "actie", "eenheid", "hoeveelheid", "locatie",
                                       "omschrijving"])
    frame["datum"] = _dates(frame["datum"].to_numpy(dtype=np.int64))
    frame = frame.sort_values(["datum", "afdeling", "eenheid", "actie"], kind="stable")
    doel = pd.DataFrame(doelen, columns=["afdeling", "strekkende_meters", "dossiers", "streefdatum"])
    doel["streefdatum"] = _dates(doel["streefdatum"].to_numpy(dtype=np.int64))
    return contract.conform("opschoning", frame), contract.conform("opschoning_doelen", doel)


def _enquete(rng: np.random.Generator, tl: _Tijdlijn, staf_per_afd: np.ndarray) -> pd.DataFrame:
    """Staff survey: a nulmeting shortly before go-live and an evaluatie about eight months after."""
    evaluatie = _day(pd.Timestamp(_iso(tl.golive)) + pd.DateOffset(months=8))
    rondes = [("nulmeting", tl.golive - 21, 0)]
    if evaluatie + 14 <= tl.einde:
        rondes.append(("evaluatie", evaluatie, 1))
    rows: list[tuple[str, str, str, int, str, int]] = []
    for meting, begin, r in rondes:
        nr = 0
        for ai, a in enumerate(AFDELINGEN):
            k = ENQUETE_KLEIN[a.naam][r] if a.naam in ENQUETE_KLEIN else max(5, round(staf_per_afd[ai] * rng.uniform(0.4, 0.65)))
            winst = 0.4 if ai == tl.achterblijver else 1.0
            persoon = rng.normal(0, 0.6, k)
            dag = _to_weekday(begin + rng.integers(0, 14, k))
            for j in range(k):
                nr += 1
                code = f"{meting[:3].upper()}-{nr:04d}"
                for q, vraag in enumerate(VRAGEN):
                    mu = _VRAAG_NUL[q] + r * winst * _VRAAG_WINST[q] + persoon[j]
                    score = int(np.clip(np.rint(mu + rng.normal(0, 0.7)), 1, 5))
                    rows.append((code, a.naam, meting, int(dag[j]), vraag, score))
    frame = pd.DataFrame(rows, columns=["respondent", "afdeling", "meting", "datum", "vraag", "score"])
    frame["datum"] = _dates(frame["datum"].to_numpy(dtype=np.int64))
    return contract.conform("enquete", frame)


# --------------------------------------------------------------------------- borging (activiteiten)


@dataclass(frozen=True)
class _Actie:
    """A training or buddy of the sample: for whom, when (a share of the months after go-live), and whether it works."""

    soort: str
    afdeling: str
    team: str
    #: Month of the action as a share of the months between the organisation's go-live and the end of the data.
    moment: float
    #: Whether it really changes the team's work (planted): see :func:`_plant_borging`.
    effect: bool
    onderwerp: str


#: Trainings and buddies: three that really speed up their team's zaken, one training without effect, and one
#: follow-up training (the effect counts from a team's first action). Other teams get no training or buddy.
BORGING_ACTIES: tuple[_Actie, ...] = (
    _Actie("training", "Beheer Openbare Ruimte", "Wijkbeheer Noord", 0.40, True,
           "Training: meldingen binnen de servicenorm afhandelen"),
    _Actie("training", "Sociaal Domein", "Wmo", 0.45, True, "Training: termijnbewaking in het zaaksysteem"),
    _Actie("training", "Belastingen", "WOZ", 0.50, False, "Training: zoeken en filteren in het zaaksysteem"),
    _Actie("buddy", "Beheer Openbare Ruimte", "Groen", 0.55, True, "Buddy: key-user van Meldingen helpt Groen"),
    _Actie("training", "Beheer Openbare Ruimte", "Wijkbeheer Noord", 0.70, False,
           "Vervolgtraining: statussen en resultaten"),
)
#: Share of a treated team's late zaken (closed after einddatum_gepland) that are on time after its first action.
BORGING_EFFECT = 0.85
#: The one planted drop-in question that reports must show as text: Markdown link and a script tag.
MARKUP_VRAAG = 'Kan ik [x](https://evil) <script>alert("borging")</script> als link in een zaak zetten?'

# Questions asked at the drop-in hour, with their relative frequency (documents and results the most).
_VRAGEN = (
    ("Hoe koppel ik een e-mail aan een zaak?", 9), ("Hoe voeg ik een document toe aan een zaak?", 8),
    ("Welk resultaat kies ik bij een ingetrokken aanvraag?", 6), ("Hoe zet ik een zaak op In behandeling?", 5),
    ("Hoe vind ik een zaak van een collega terug?", 5), ("Mag ik een zaak afsluiten zonder besluit?", 4),
    ("Hoe wijs ik een zaak toe aan een collega?", 4), ("Welk documenttype kies ik voor een scan?", 3),
    ("Hoe verleng ik de termijn van een zaak?", 3), ("Waarom zie ik de zaak van een andere afdeling niet?", 2),
    ("Hoe registreer ik een telefoontje?", 2), ("Kan ik een afgesloten zaak heropenen?", 2),
)


def _dag_in_maand(tl: _Tijdlijn, m: int, weekdag: int, week: int) -> int:
    """The ``week``-th (0-based) ``weekdag`` (Monday = 0) of month index ``m``."""
    first = int(tl.maand_dag[m])
    return first + (weekdag - int(_weekday(np.array(first)))) % 7 + 7 * week


def _actie_maand(tl: _Tijdlijn, a: _Actie) -> int:
    return tl.golive_maand + int(round(a.moment * (tl.months - tl.golive_maand)))


def _borging_acties(tl: _Tijdlijn) -> list[tuple[_Actie, int]]:
    """The trainings and buddies that fit in the data (a month before the last), with their day."""
    out = []
    for a in BORGING_ACTIES:
        m = _actie_maand(tl, a)
        if tl.golive_maand < m < tl.months - 1:
            out.append((a, _dag_in_maand(tl, m, 1, 1)))  # the second Tuesday of the month
    return out


def _plant_borging(brng: np.random.Generator, tl: _Tijdlijn, staf: _Staf, z: _Zaken, gepland: np.ndarray,
                   acties: list[tuple[_Actie, int]]) -> dict[tuple[str, str], int]:
    """After a treated team's first action, most of its late zaken close before einddatum_gepland.

    Only ``z.eind`` of closed, not-afterwards-registered zaken of zaaktypes whose lead time does not halve changes,
    and only when the new end stays after the registration day and on the same side of the archive and go-live
    boundaries: so every other planted count, and every random draw of the other tables, stays as it was.
    Returns the number of zaken made on time per (afdeling, team).
    """
    n = len(z.zt)
    u, extra_dagen = brng.random(n), brng.integers(0, 4, n)
    afd_index = {a.naam: i for i, a in enumerate(AFDELINGEN)}
    halveert = np.array([zt.halvering for zt in ZAAKTYPEN])[z.zt]
    eerste: dict[tuple[str, str], tuple[_Actie, int]] = {}
    for a, dag in acties:
        eerste.setdefault((a.afdeling, a.team), (a, dag))
    out: dict[tuple[str, str], int] = {}
    grens = tl.einde - 182
    for (afd, team), (a, dag) in eerste.items():
        if not a.effect:
            continue
        tid = staf.teams.index((afd_index[afd], team))
        nieuw = gepland - extra_dagen
        wd = _weekday(nieuw)
        nieuw = nieuw - np.where(wd == 5, 1, np.where(wd == 6, 2, 0))  # the Friday before a weekend day
        kies = ((z.team == tid) & z.closed & ~z.achteraf & ~halveert & (z.start >= dag) & (z.eind > gepland)
                & (u < BORGING_EFFECT) & (nieuw > z.reg) & (nieuw < z.eind)
                & ((nieuw <= grens) == (z.eind <= grens)) & ((nieuw >= tl.golive) == (z.eind >= tl.golive)))
        z.eind[kies] = nieuw[kies]
        out[(afd, team)] = int(kies.sum())
    return out


def _activiteiten(brng: np.random.Generator, tl: _Tijdlijn, staf: _Staf, acties: list[tuple[_Actie, int]]
                  ) -> pd.DataFrame:
    """Drop-in hours (a row per question), trainings and buddies, key-user meetings every six weeks, intranet pieces."""
    rows: list[tuple[int, str, str, str | None, int | None, str, str | None]] = []
    team_size: dict[tuple[str, str], int] = {}
    for (ai, t), k in zip(staf.teams, np.bincount(staf.team_id, minlength=len(staf.teams)), strict=True):
        team_size[(AFDELINGEN[ai].naam, t)] = int(k)
    for a, dag in acties:
        size = team_size.get((a.afdeling, a.team), 4)
        deelnemers = 2 if a.soort == "buddy" else max(2, size - int(brng.integers(0, 3)))
        rows.append((dag, a.soort, a.afdeling, a.team, deelnemers, a.onderwerp, None))
    # Weekly drop-in hour on Thursdays: many questions just after the go-live, fewer later.
    zaak_afd = [a.naam for a in AFDELINGEN if any(zt.afdeling == a.naam for zt in ZAAKTYPEN)]
    teams_van = {a.naam: a.teams for a in AFDELINGEN}
    vragen, gewicht = [v for v, _ in _VRAGEN], np.array([w for _, w in _VRAGEN], dtype=float)
    dag = _dag_in_maand(tl, tl.golive_maand, 3, 0)
    week = 0
    markup_dag = None
    while dag <= tl.einde:
        k = int(brng.poisson(1.5 + 4.0 * np.exp(-week / 12)))
        for _ in range(k):
            afd = zaak_afd[int(brng.integers(len(zaak_afd)))]
            team = teams_van[afd][int(brng.integers(len(teams_van[afd])))] if brng.random() < 0.7 else None
            vraag = vragen[int(brng.choice(len(vragen), p=gewicht / gewicht.sum()))]
            rows.append((dag, "inloopspreekuur", afd, team, k, "Inloopspreekuur zaaksysteem", vraag))
        if markup_dag is None and week >= 6 and k:
            markup_dag = dag
            rows.append((dag, "inloopspreekuur", "Publiekszaken", None, k, "Inloopspreekuur zaaksysteem", MARKUP_VRAAG))
        dag += 7
        week += 1
    # Key-user meetings every six weeks, counted back from three weeks before the end (the next one is after it).
    dag = int(_to_weekday(np.array(tl.einde - 20))) - 0
    while dag >= tl.golive:
        rows.append((dag, "keyuser_overleg", "Informatiebeheer", None, int(brng.integers(7, 13)),
                     "Key-user overleg zaaktypen", None))
        dag -= 42
    # An intranet piece every month after the go-live (the champion of the month).
    for m in range(tl.golive_maand + 1, tl.months):
        rows.append((_dag_in_maand(tl, m, 2, 1), "intranet", "Communicatie", None, None,
                     f"Intranet: kampioen van {_MAANDEN[(tl.start + m - 1).month - 1]}", None))
    rows.append((_dag_in_maand(tl, tl.golive_maand, 0, 0), "overig", "Informatiebeheer", None, 40,
                 "Kick-off zaakgericht werken", None))
    frame = pd.DataFrame(rows, columns=["datum", "soort", "afdeling", "team", "deelnemers", "onderwerp", "vraag"])
    frame["datum"] = _dates(frame["datum"].to_numpy(dtype=np.int64))
    frame["deelnemers"] = pd.array(frame["deelnemers"], dtype="Int64")
    frame = frame.sort_values(["datum", "soort", "afdeling"], kind="stable")
    return contract.conform("activiteiten", frame)


_MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
            "november", "december")


# --------------------------------------------------------------------------- bookkeeping


def _informatieobjecttypen(tl: _Tijdlijn) -> pd.DataFrame:
    """The catalogue of document types: every type in use, the planted never-used ones and one ended type.

    A type's confidentiality is the highest of the zaaktypes whose documents have it (``intern`` for
    types only seen outside a zaak); every type is valid from 1 January of the year before the data.
    """
    rank = {v: i for i, v in enumerate(contract.VERTROUWELIJKHEIDAANDUIDING)}
    vert: dict[str, str] = {}
    for zt in ZAAKTYPEN:
        for d, _, _ in zt.documenten:
            if d not in vert or rank[zt.vertrouwelijk] > rank[vert[d]]:
                vert[d] = zt.vertrouwelijk
    rows = [(d, vert.get(d, "intern"), None) for d in DOCUMENTTYPEN]
    rows += [(d, v, None) for d, v in NOOIT_GEBRUIKT]
    rows.append((BEEINDIGD_DOCUMENTTYPE, "zaakvertrouwelijk", _iso(int(tl.maand_dag[0]) - 1)))
    first_year = np.datetime64(int(tl.maand_dag[0]), "D").astype("datetime64[Y]").astype(np.int64)
    begin = (first_year - 1).astype("datetime64[Y]").astype("datetime64[D]")
    frame = pd.DataFrame(rows, columns=["omschrijving", "vertrouwelijkheidaanduiding", "einde_geldigheid"])
    frame["begin_geldigheid"] = pd.Timestamp(begin)
    frame["einde_geldigheid"] = pd.to_datetime(frame["einde_geldigheid"])
    return contract.conform("informatieobjecttypen", frame.sort_values("omschrijving"))


def _zaaktype_informatieobjecttypen() -> pd.DataFrame:
    """The document types of each zaaktype's dossier (no random draws: every other table stays as it was)."""
    rows = []
    for zt in ZAAKTYPEN:
        nr = 0
        for d, prob, _ in zt.documenten:
            richting = RICHTING[d]
            if prob >= LIJST_DREMPEL or prob < 0 or richting == "intern":
                nr += 1
                rows.append((zt.ident, d, richting, nr, None))
    frame = pd.DataFrame(rows, columns=["zaaktype", "informatieobjecttype", "richting", "volgnummer", "statustype"])
    return contract.conform("zaaktype_informatieobjecttypen", frame)


def _plant_archief(seed: int, tl: _Tijdlijn, z: _Zaken, nominatie: np.ndarray, archived: np.ndarray,
                   actie: np.ndarray, with_res: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The planted archive backlog of blijvend bewaren (:data:`ARCHIEF_FOUT_AANDEEL`), from its own random stream.

    Returns the new archiefactiedatum (days) and archiefstatus codes (index in ``contract.ARCHIEFSTATUS``);
    only zaken that were ``nog_te_archiveren`` change, so the archived ones (and the milestone) stay.
    """
    rng = np.random.default_rng([seed, 15])  # issue 15: a stream of its own, the main stream is untouched
    blijvend = contract.ARCHIEFNOMINATIE.index("blijvend_bewaren")
    kand = z.closed & with_res & (nominatie == blijvend) & ~archived
    fout = kand & (rng.random(len(kand)) < ARCHIEF_FOUT_AANDEEL)
    actie = np.where(fout, (z.eind.astype("datetime64[D]") + np.timedelta64(365, "D")).astype(np.int64), actie)
    status = np.where(archived, contract.ARCHIEFSTATUS.index("gearchiveerd"), 0)
    over = fout & (actie < tl.einde) & (rng.random(len(kand)) < ARCHIEF_OVERGEDRAGEN_AANDEEL)
    status = np.where(over, contract.ARCHIEFSTATUS.index("overgedragen"), status)
    return actie, status


def _archief_achterstand(zaken: pd.DataFrame, tl: _Tijdlijn) -> dict[str, Any]:
    """The archive backlog at the end of the data and at each month end (the definition in docs/sample.md)."""
    eind = zaken["einddatum"].notna()
    nom = zaken["archiefnominatie"]
    status = zaken["archiefstatus"]
    datum = zaken["archiefactiedatum"]
    out: dict[str, Any] = {"peildatum": _iso(tl.einde)}
    for naam in contract.ARCHIEFNOMINATIE:
        out[naam] = int((eind & (nom == naam) & (datum < pd.Timestamp(_iso(tl.einde)))
                         & (status != "overgedragen")).sum())
    out["overgedragen"] = int((status == "overgedragen").sum())
    out["zonder_nominatie"] = int((eind & nom.isna()).sum())
    per_maand = {}
    for m in range(tl.months):
        peil = pd.Timestamp(_iso(int(tl.maand_dag[m + 1]) - 1))
        per_maand[str(tl.start + m)] = int((eind & (zaken["einddatum"] <= peil) & nom.notna() & (datum < peil)
                                            & (status != "overgedragen")).sum())
    out["per_maand"] = per_maand
    return out


def _nooit_gebruikt(catalogus: pd.DataFrame, documenten: pd.DataFrame, einde: int) -> list[str]:
    """Catalogue types valid at the end of the data that no document has (the definition in docs/sample.md)."""
    eind = pd.Timestamp(_iso(einde))
    geldig = (catalogus["begin_geldigheid"] <= eind) & ~(catalogus["einde_geldigheid"] < eind)
    gebruikt = set(documenten["informatieobjecttype"].unique())
    return sorted(o for o in catalogus.loc[geldig, "omschrijving"] if o not in gebruikt)


def _halvering(tl: _Tijdlijn, z: _Zaken) -> list[str]:
    """Zaaktypes whose lead time halved (the definition in docs/sample.md)."""
    out = []
    maand = tl.maand_van(z.eind)
    dlt = z.eind - z.start
    afd_index = {a.naam: i for i, a in enumerate(AFDELINGEN)}
    for i, zt in enumerate(ZAAKTYPEN):
        g = int(tl.afd_maand[afd_index[zt.afdeling]])
        if g + 3 > tl.months - 3:
            continue  # the start months and the last months overlap
        mine = (z.zt == i) & z.closed
        begin = dlt[mine & (maand >= g) & (maand < g + 3)]
        late = dlt[mine & (maand >= tl.months - 3)]
        if min(len(begin), len(late)) >= HALVERING_MIN_ZAKEN and np.median(late) <= 0.5 * np.median(begin):
            out.append(zt.ident)
    return out


def _geplant(
    tl: _Tijdlijn, z: _Zaken, staf: _Staf, mask: np.ndarray, door: np.ndarray, docs_per_zaak: np.ndarray,
    buiten: int, extra: dict[str, Any],
) -> dict[str, Any]:
    n = len(z.zt)
    tussen = mask[:, 1:4].any(axis=1)
    achteraf = z.closed & (z.eind == z.reg) & ~tussen
    gezien = np.zeros(len(staf.actief), dtype=bool)
    gezien[z.beh[z.beh >= 0]] = True
    gezien[door[door >= 0]] = True
    ids = staf.frame["identificatie"]
    nooit = ids[(staf.actief < 0) & ~gezien].tolist()
    skip_n = int(((z.zt == _MOR) & mask[:, 2] & ~mask[:, 1]).sum())
    out: dict[str, Any] = {
        "achteraf_geregistreerd": int(achteraf.sum()),
        "gesloten_zonder_documenten": int((z.closed & (docs_per_zaak == 0)).sum()),
        "zonder_behandelaar": int((z.beh < 0).sum()),
        "gesloten_zonder_resultaat": int((z.closed & (z.res < 0)).sum()),
        "documenten_buiten_zaak": int(buiten),
        "nooit_actief": nooit,
        "open_over_termijn": int((~z.closed & (z.uiterlijk < tl.einde)).sum()),
        "achterblijvende_afdeling": AFDELINGEN[tl.achterblijver].naam,
        "halvering_zaaktypen": _halvering(tl, z),
    }
    if n >= 10_000:
        i = 9_999  # zaken are sorted by (registratiedatum, identificatie)
        out["zaak_10000"] = {"identificatie": z.ids[i].as_py(), "registratiedatum": _iso(z.reg[i]),
                             "afdeling": AFDELINGEN[z.afd[i]].naam}
    act = np.flatnonzero(staf.actief >= 0)
    if len(act) >= 250:
        j = act[np.lexsort((act, staf.actief[act]))][249]  # identificaties are in row order
        out["gebruiker_250"] = {"identificatie": ids.iat[j], "actief_sinds": _iso(staf.actief[j]),
                                "afdeling": staf.frame["afdeling"].iat[j]}
    out["html_omschrijving"] = z.ids[extra["html"]].as_py()
    knel = next(zt for zt in ZAAKTYPEN if zt.knelpunt)
    out["knelpunt_status"] = {"zaaktype": knel.ident, "statustype": STATUSTYPEN[1]}
    out["overgeslagen_stap"] = {"zaaktype": ZAAKTYPEN[_MOR].ident, "statustype": _OVERGESLAGEN, "aantal": skip_n}
    out["opschoning_achter"] = OPSCHONING_ACHTER
    out["opschoning_overmeld"] = OPSCHONING_OVERMELD
    return out


def _borging_geplant(tl: _Tijdlijn, acties: list[tuple[_Actie, int]], sneller: dict[tuple[str, str], int],
                     staf: _Staf) -> dict[str, Any]:
    """The planted borging: each team's first training or buddy, whether it works, and the teams without one."""
    eerste: dict[tuple[str, str], tuple[_Actie, int]] = {}
    for a, dag in acties:
        eerste.setdefault((a.afdeling, a.team), (a, dag))
    met_zaken = {(zt.afdeling, t) for zt in ZAAKTYPEN for t in zt.teams}
    zonder = sorted(f"{afd} / {t}" for afd, t in met_zaken if (afd, t) not in eerste)
    return {
        "eerste_actie": [{"afdeling": a.afdeling, "team": a.team, "soort": a.soort, "datum": _iso(dag),
                          "effect": a.effect, "indicator": "binnen_termijn" if a.effect else None,
                          "zaken_op_tijd_gemaakt": sneller.get((a.afdeling, a.team), 0)}
                         for (_, _), (a, dag) in eerste.items()],
        "teams_zonder_actie": zonder,
        "markup_vraag": MARKUP_VRAAG,
    }


# --------------------------------------------------------------------------- entry points


def generate(
    zaken: int | None = None, seed: int | None = None, start: str | None = None, months: int | None = None
) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """Generate the sample's tables in memory, without writing them.

    Parameters are those of :func:`build_sample`.

    Returns
    -------
    (dict of str to DataFrame, dict)
        Every contract table (conformed) and the extra ``meta.json`` keys
        (``invoeringsdatum``, ``invoering_per_afdeling``, ``sample``,
        ``periode_van``, ``periode_tot``).
    """
    # The steps draw from the main stream `rng` in a fixed order (staff, zaken, statussen, archived, documents,
    # cleanup, survey): changing that order changes every table after it.
    n, seed, first, months = _check_args(zaken, seed, start, months)
    rng = np.random.default_rng(seed)
    tl = _Tijdlijn.make(first, months)
    staf, staf_per_afd = _make_staf(rng, tl, n)
    z, extra = _zaken(rng, tl, staf, n)
    # Borging: a generator of its own (seeded from the seed), so the other tables draw the same numbers as before.
    brng = np.random.default_rng([seed, 16])
    acties = _borging_acties(tl)
    sneller = _plant_borging(brng, tl, staf, z, extra["gepland"], acties)
    st_cols, mask, door = _statussen(rng, tl, staf, z)
    archived, doc_cols, per_zaak, buiten = _make_archived_and_documents(rng, tl, z, n, staf_per_afd)
    zaken_frame = _make_zaken_frame(seed, tl, z, extra, staf, archived)
    # After every draw of the main stream, from a generator of their own (see _verlenging_opschorting).
    vo = _verlenging_opschorting(seed, z, extra)
    opgeschort = vo.pop("_opgeschort")
    for col, values in vo.items():
        zaken_frame[col] = values
    opschoning, doelen = _opschoning(rng, tl, staf_per_afd)
    catalogus = _informatieobjecttypen(tl)  # no random draws: every other table stays as it was
    tables = {
        "zaken": contract.conform("zaken", zaken_frame),
        "statussen": contract.conform("statussen", pd.DataFrame(st_cols)),
        "documenten": contract.conform("documenten", pd.DataFrame(doc_cols)),
        "zaaktypen": contract.conform("zaaktypen", _make_zaaktypen_frame()),
        "informatieobjecttypen": catalogus,
        "zaaktype_informatieobjecttypen": _zaaktype_informatieobjecttypen(),
        "medewerkers": contract.conform("medewerkers", staf.frame),
        "opschoning": opschoning,
        "opschoning_doelen": doelen,
        "enquete": _enquete(rng, tl, staf_per_afd),
        "activiteiten": _activiteiten(brng, tl, staf, acties),
    }
    geplant = _geplant(tl, z, staf, mask, door, per_zaak, buiten, extra)
    geplant["documenttypen_nooit_gebruikt"] = _nooit_gebruikt(catalogus, tables["documenten"], tl.einde)
    geplant["documenttype_beeindigd"] = BEEINDIGD_DOCUMENTTYPE
    geplant["termijnbewaking"] = _termijnbewaking(tl, z, opgeschort)
    geplant["archief_achterstand"] = _archief_achterstand(tables["zaken"], tl)
    geplant["borging"] = _borging_geplant(tl, acties, sneller, staf)
    return tables, _make_meta(tl, seed, n, first, months, geplant)


def _make_staf(rng: np.random.Generator, tl: _Tijdlijn, n: int) -> tuple[_Staf, np.ndarray]:
    """The medewerkers (more for a larger sample) and their number per afdeling."""
    n_staff = round(400 * max(1.0, n / DEFAULT_ZAKEN) ** 0.5)
    staf = _medewerkers(rng, tl, n_staff)
    staf_per_afd = np.bincount(
        np.array([staf.teams[t][0] for t in staf.team_id]), minlength=len(AFDELINGEN)
    ).astype(float)
    return staf, staf_per_afd


def _make_archived_and_documents(
    rng: np.random.Generator, tl: _Tijdlijn, z: _Zaken, n: int, staf_per_afd: np.ndarray
) -> tuple[np.ndarray, dict[str, Any], np.ndarray, int]:
    """The completely archived zaken and the documents (archived, document columns, documents per zaak, buiten)."""
    # Archive: closed long enough ago, with documents and a resultaat; a few are completely archived.
    eligible = z.closed & (z.res >= 0) & ~z.zonder_docs & (z.eind >= tl.golive) & (z.eind <= tl.einde - 182)
    archived = eligible & (rng.random(n) < 0.03)
    doc_cols, per_zaak, buiten = _documenten(rng, tl, z, archived, staf_per_afd)
    archived &= per_zaak > 0
    if not archived.any():
        cand = np.flatnonzero(eligible & (per_zaak > 0))
        if len(cand):
            archived[cand[0]] = True  # the milestone "first zaak completely archived" must be reachable
            doc_cols["status"] = _fix_archived_docs(doc_cols, z, cand[0])
    return archived, doc_cols, per_zaak, buiten


def _make_zaken_frame(
    seed: int, tl: _Tijdlijn, z: _Zaken, extra: dict[str, Any], staf: _Staf, archived: np.ndarray
) -> pd.DataFrame:
    """The zaken table (before verlenging and opschorting), with its archive nominatie, status and actiedatum."""
    nominatie = np.array([contract.ARCHIEFNOMINATIE.index(zt.archief) for zt in ZAAKTYPEN])[z.zt]
    jaren = np.array([zt.bewaren_jaren for zt in ZAAKTYPEN])[z.zt]
    with_res = z.res >= 0
    jaar = z.eind.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)
    # Selectielijst practice: the action is due on 1 January after the retention period.
    actie = (jaar + jaren + 1).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    actie, archiefstatus = _plant_archief(seed, tl, z, nominatie, archived, actie, with_res)
    return pd.DataFrame({
        "identificatie": _text(z.ids),
        "zaaktype": _take([zt.ident for zt in ZAAKTYPEN], z.zt),
        "afdeling": _take([a.naam for a in AFDELINGEN], z.afd),
        "behandelaar": _take(staf.frame["identificatie"].tolist(), z.beh),
        "registratiedatum": _dates(z.reg),
        "startdatum": _dates(z.start),
        "einddatum": _dates(z.eind, z.closed),
        "einddatum_gepland": _dates(extra["gepland"]),
        "uiterlijke_einddatum_afdoening": _dates(z.uiterlijk),
        "resultaat": _take(extra["res_vocab"], z.res),
        "archiefnominatie": _take(contract.ARCHIEFNOMINATIE, np.where(with_res, nominatie, -1)),
        "archiefstatus": _take(contract.ARCHIEFSTATUS, archiefstatus),
        "archiefactiedatum": _dates(actie, with_res),
        "vertrouwelijkheidaanduiding": _take(contract.VERTROUWELIJKHEIDAANDUIDING, extra["vert"]),
        "communicatiekanaal": _take(KANALEN, extra["kanaal"]),
        "omschrijving": _take(extra["oms_vocab"], extra["oms"]),
    })


def _make_zaaktypen_frame() -> pd.DataFrame:
    """The zaaktypen table from :data:`ZAAKTYPEN` (no random draws)."""
    return pd.DataFrame({
        "identificatie": [zt.ident for zt in ZAAKTYPEN],
        "omschrijving": [zt.omschrijving for zt in ZAAKTYPEN],
        "afdeling": [zt.afdeling for zt in ZAAKTYPEN],
        "doorlooptijd_dagen": [zt.termijn for zt in ZAAKTYPEN],
        "servicenorm_dagen": pd.array([zt.servicenorm for zt in ZAAKTYPEN], dtype="Int64"),
        "verlenging_mogelijk": [zt.verlenging is not None for zt in ZAAKTYPEN],
        "verlengingstermijn_dagen": pd.array([zt.verlenging for zt in ZAAKTYPEN], dtype="Int64"),
    })


def _make_meta(tl: _Tijdlijn, seed: int, n: int, first: pd.Period, months: int,
               geplant: dict[str, Any]) -> dict[str, Any]:
    """The sample's extra ``meta.json`` keys: its period, go-live dates, arguments and what was planted."""
    return {
        "periode_van": _iso(tl.maand_dag[0]),
        "periode_tot": _iso(tl.einde),
        "invoeringsdatum": _iso(tl.golive),
        "invoering_per_afdeling": {a.naam: _iso(tl.afd_golive[i]) for i, a in enumerate(AFDELINGEN)},
        # The archive states are those at the end of the data (the day the backlog is planted against).
        "archief_gelezen_op": _iso(tl.einde),
        "sample": {"seed": seed, "zaken": n, "start": str(first), "months": months, "geplant": geplant},
    }


def _fix_archived_docs(doc_cols: dict[str, Any], z: _Zaken, i: int) -> Any:
    """Mark the documents of zaak ``i`` as archived (used only when no zaak was archived by chance)."""
    status = pd.Series(doc_cols["status"])
    status[(pd.Series(doc_cols["zaak"]) == z.ids[i].as_py()).to_numpy()] = "gearchiveerd"
    return status.array


def build_sample(
    out: str | os.PathLike[str],
    zaken: int | None = None,
    seed: int | None = None,
    start: str | None = None,
    months: int | None = None,
    *,
    force: bool = False,
) -> Path:
    """Generate "Gemeente Voorbeeld" and write it as a snapshot.

    Parameters
    ----------
    out : path
        Snapshot directory to write (replaced atomically when it holds the sample;
        anything else is refused, see :func:`zgwlib.core.files.check_out`).
    zaken : int, optional
        Exact number of zaken, at least 100 (default 60,000).
    seed : int, optional
        Random seed (default :data:`DEFAULT_SEED`); the same seed and
        parameters give the same tables.
    start : str, optional
        First month, ``YYYY-MM`` (default ``2024-11``).
    months : int, optional
        Number of months, 6 to 120 (default 24).
    force : bool
        Also replace an imported or fetched snapshot; it is kept as ``<out>.vorige``.

    Returns
    -------
    pathlib.Path
        The snapshot directory.

    Raises
    ------
    UsageError
        When an argument is out of range.
    OutputError
        ``out`` holds something else than the sample, or cannot be written.
    """
    check_out(out, kind=SAMPLE_NAME, force=force)  # before generating, not after
    tables, extra = generate(zaken, seed, start, months)
    meta = snapshot.build_meta(tables, GEMEENTE, SAMPLE_NAME, **extra)
    return snapshot.write_snapshot(tables, out, meta, force=force)


__all__ = ["DEFAULT_SEED", "SCRIPT_OMSCHRIJVING", "build_sample", "generate"]
