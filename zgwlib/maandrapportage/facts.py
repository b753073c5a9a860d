"""Per-zaak facts of the monthly report: the definitions every figure and signal is built from.

Each fact is a plain function on contract tables (has an intermediate status,
has documents, registered afterwards, open on a day, past the legal term, days
since the last status, staff never active); :func:`zgwlib.maandrapportage.figures.prepare`
applies them once per snapshot. Definitions: ``docs/metrics.md``, sections
*Maandrapportage* and *Signalen*. Identificaties are matched with
:func:`zgwlib.core.lookup.posities`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from zgwlib.core.lookup import mark, posities


def _rijen(zaken: pd.DataFrame, kolom: pd.Series, rij: np.ndarray | None) -> np.ndarray:
    return posities(zaken["identificatie"], kolom)[0] if rij is None else np.asarray(rij)


# --------------------------------------------------------------------------- per-zaak definitions


def _dates(s: pd.Series) -> np.ndarray:
    return s.to_numpy(dtype="datetime64[us]")


def heeft_tussenstatus(zaken: pd.DataFrame, statussen: pd.DataFrame, rij: np.ndarray | None = None) -> np.ndarray:
    """Whether each zaak has a status other than its first (volgnummer 1) and a final one.

    Parameters
    ----------
    zaken, statussen : DataFrame
        Contract tables.
    rij : array of int, optional
        Per status, the row of its zaak in ``zaken`` (:func:`zgwlib.core.lookup.posities`); computed when not given.

    Returns
    -------
    numpy.ndarray of bool
        Aligned with ``zaken``.
    """
    rij = _rijen(zaken, statussen["zaak"], rij)
    volgnummer = statussen["volgnummer"].to_numpy(dtype="float64", na_value=np.nan)
    eind = statussen["is_eindstatus"].to_numpy(dtype=bool, na_value=False)
    tussen = (volgnummer != 1) & ~eind
    return mark(len(zaken), rij[tussen])


def heeft_documenten(zaken: pd.DataFrame, documenten: pd.DataFrame, rij: np.ndarray | None = None) -> np.ndarray:
    """Whether each zaak has at least one row in ``documenten`` (``rij``: per document, its zaak's row)."""
    return mark(len(zaken), _rijen(zaken, documenten["zaak"], rij))


def achteraf_geregistreerd(zaken: pd.DataFrame, tussenstatus: np.ndarray) -> np.ndarray:
    """Closed zaken registered afterwards: ``einddatum == registratiedatum`` and no intermediate status.

    Parameters
    ----------
    zaken : DataFrame
        Contract zaken.
    tussenstatus : array of bool
        :func:`heeft_tussenstatus` of the same zaken.
    """
    eind, reg = _dates(zaken["einddatum"]), _dates(zaken["registratiedatum"])
    return ~np.isnat(eind) & (eind == reg) & ~np.asarray(tussenstatus, dtype=bool)


def _dag(peildatum: str | pd.Timestamp) -> np.datetime64:
    return np.datetime64(pd.Timestamp(peildatum).normalize().to_datetime64(), "us")


def open_op(zaken: pd.DataFrame, peildatum: str | pd.Timestamp) -> np.ndarray:
    """Zaken open at the end of ``peildatum``: registered on or before it, not closed on or before it."""
    p = _dag(peildatum)
    eind, reg = _dates(zaken["einddatum"]), _dates(zaken["registratiedatum"])
    return (reg <= p) & (np.isnat(eind) | (eind > p))


def open_over_termijn(zaken: pd.DataFrame, peildatum: str | pd.Timestamp) -> np.ndarray:
    """Open at ``peildatum`` with ``uiterlijke_einddatum_afdoening`` before ``peildatum`` (strictly)."""
    uiterlijk = _dates(zaken["uiterlijke_einddatum_afdoening"])
    return open_op(zaken, peildatum) & ~np.isnat(uiterlijk) & (uiterlijk < _dag(peildatum))


def dagen_sinds_laatste_status(
    zaken: pd.DataFrame, statussen: pd.DataFrame, peildatum: str | pd.Timestamp, rij: np.ndarray | None = None,
    alleen: np.ndarray | None = None,
) -> np.ndarray:
    """Whole days from each zaak's last status set on or before ``peildatum`` to ``peildatum``.

    A zaak without any status by then counts from its registratiedatum. NaN for
    zaken registered after ``peildatum``.

    Parameters
    ----------
    rij : array of int, optional
        Per status, the row of its zaak in ``zaken`` (:func:`zgwlib.core.lookup.posities`).
    alleen : array of bool, optional
        Only these zaken (the others get NaN); saves work on large data.
    """
    p = _dag(peildatum)
    rij = _rijen(zaken, statussen["zaak"], rij)
    gezet = statussen["datum_status_gezet"].to_numpy(dtype="datetime64[us]")
    sel = (rij >= 0) & (gezet < p + np.timedelta64(1, "D"))  # NaT compares False
    if alleen is not None:
        alleen = np.asarray(alleen, dtype=bool)
        sel &= alleen[np.where(rij >= 0, rij, 0)]
    # The smallest int64 is NaT: zaken without a status keep it.
    last = np.full(len(zaken), np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(last, rij[sel], gezet[sel].view(np.int64))
    last_d = last.view("datetime64[us]").astype("datetime64[D]")
    reg = _dates(zaken["registratiedatum"]).astype("datetime64[D]")
    last_d = np.where(np.isnat(last_d), reg, last_d)
    p_d = p.astype("datetime64[D]")
    days = (p_d - last_d).astype("float64")
    days[np.isnat(last_d) | (reg > p_d)] = np.nan
    if alleen is not None:
        days[~alleen] = np.nan
    return days


def nooit_actief(
    medewerkers: pd.DataFrame, zaken: pd.DataFrame, statussen: pd.DataFrame,
    behandelaar_rij: np.ndarray | None = None, gezet_door_rij: np.ndarray | None = None,
) -> np.ndarray:
    """Staff with empty ``actief_sinds`` who never appear as behandelaar or as gezet_door.

    ``behandelaar_rij`` / ``gezet_door_rij``: per zaak / status, the row of that
    person in ``medewerkers`` (:func:`zgwlib.core.lookup.posities`); computed when not given.
    """
    if behandelaar_rij is None or gezet_door_rij is None:
        behandelaar_rij, gezet_door_rij = posities(medewerkers["identificatie"], zaken["behandelaar"],
                                                   statussen["gezet_door"])
    gezien = mark(len(medewerkers), np.asarray(behandelaar_rij)) | mark(len(medewerkers),
                                                                                 np.asarray(gezet_door_rij))
    return medewerkers["actief_sinds"].isna().to_numpy() & ~gezien


# --------------------------------------------------------------------------- intake channel

#: Codes of :func:`kanaal_soort`.
DIGITAAL, NIET_DIGITAAL, KANAAL_ONBEKEND, ZONDER_KANAAL = 0, 1, 2, 3


def kanaal_naam(naam: str) -> str:
    """A channel name as it is compared: trimmed and case-folded (``"E-formulier "`` is ``"e-formulier"``)."""
    return str(naam).strip().casefold()


def kanaal_soort(kanalen: pd.Series, digitaal: tuple[str, ...], niet_digitaal: tuple[str, ...]) -> np.ndarray:
    """Per zaak whether its ``communicatiekanaal`` is digital (docs/metrics.md, *Digitaal binnengekomen*).

    Parameters
    ----------
    kanalen : Series
        ``zaken.communicatiekanaal`` (text or categorical).
    digitaal, niet_digitaal : tuple of str
        The municipality's channel names of each kind (compared by :func:`kanaal_naam`); a name in both counts
        as digital.

    Returns
    -------
    ndarray of int8
        :data:`DIGITAAL`, :data:`NIET_DIGITAAL`, :data:`KANAAL_ONBEKEND` (a name in neither list: the report
        names it rather than guess) or :data:`ZONDER_KANAAL` (empty).
    """
    cat = kanalen if isinstance(kanalen.dtype, pd.CategoricalDtype) else kanalen.astype("category")
    dig = {kanaal_naam(k) for k in digitaal}
    niet = {kanaal_naam(k) for k in niet_digitaal}
    per_cat = np.array([DIGITAAL if kanaal_naam(c) in dig else NIET_DIGITAAL if kanaal_naam(c) in niet
                        else KANAAL_ONBEKEND for c in cat.cat.categories] + [ZONDER_KANAAL], dtype=np.int8)
    return per_cat[cat.cat.codes.to_numpy()]  # code -1 (missing) takes the last slot
