"""Catalogue use, for the key-user meeting (VNG tip 9): which zaaktypes and document types are used, and how well.

Four questions:

* which zaaktypes of the catalogue had no zaak registered in the last N months
  (candidates to end, or a process that quietly went back to paper or e-mail);
* which document types are in use, and which were used before but not in the
  last N months;
* which document types of the catalogue were never used at all (only when the
  snapshot has the optional ``informatieobjecttypen`` table);
* which zaaktypes' closed zaken mostly lack documents or a resultaat (the
  zaaktype or its templates may not fit the work).

Without document data (``meta.json`` ``"documenten_bron": "geen"``: the
documents are kept in another system) the questions about document types and
missing documents have no answer: :func:`documenttypen` and
:func:`documenttypen_nooit_gebruikt` give None and the shares of zaken without
documents are NaN, never "no document type used" or 100% without documents.

Without the optional catalogue of informatieobjecttypen only the
``informatieobjecttype`` of each document is known, so a document type that was
never used cannot be seen; :func:`documenttypen` then lists the types used at
some time in the data, and "not used" means used before but not in the last N
months.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from zgwlib.core.errors import UsageError
from zgwlib.verkenning.teams import zonder_documenten

#: Share above which a zaaktype's closed zaken "mostly" miss documents or a resultaat.
MEESTAL = 0.5


def laatste_dag(zaken: pd.DataFrame, meta: Mapping[str, Any] | None = None) -> pd.Timestamp:
    """The last day the data covers.

    ``meta["periode_tot"]`` of the snapshot when it is there (the same peildatum
    as the monthly report), else the latest registratiedatum or einddatum.
    """
    if meta and meta.get("periode_tot"):
        return pd.Timestamp(str(meta["periode_tot"])[:10])
    dates = pd.concat([zaken["registratiedatum"], zaken["einddatum"]]).dropna()
    if dates.empty:
        raise UsageError("there are no zaken, so there is no period to look at.")
    return pd.Timestamp(dates.max()).normalize()


def venster(peildatum: pd.Timestamp | str, maanden: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The last ``maanden`` months up to and including ``peildatum`` (inclusive day bounds).

    ``venster("2026-10-31", 6)`` is 1 May 2026 to 31 October 2026.
    """
    if maanden < 1:
        raise UsageError(f"maanden must be at least 1, not {maanden}.")
    eind = pd.Timestamp(peildatum).normalize()
    return eind - pd.DateOffset(months=maanden) + pd.Timedelta(days=1), eind


def zaaktypen_zonder_zaken(
    zaken: pd.DataFrame, zaaktypen: pd.DataFrame, peildatum: pd.Timestamp | str, maanden: int = 6
) -> pd.DataFrame:
    """Zaaktypes of the catalogue without any zaak registered in the last ``maanden`` months.

    Returns
    -------
    DataFrame
        ``identificatie``, ``omschrijving``, ``afdeling``, ``zaken_totaal`` (ever)
        and ``laatste_registratie`` (missing when it never had a zaak); never-used
        zaaktypes first, then the longest unused.
    """
    van, tot = venster(peildatum, maanden)
    reg = zaken["registratiedatum"]
    recent = set(zaken.loc[(reg >= van) & (reg <= tot), "zaaktype"])
    per_type = zaken.groupby("zaaktype").agg(zaken_totaal=("identificatie", "size"),
                                             laatste_registratie=("registratiedatum", "max"))
    out = zaaktypen.loc[~zaaktypen["identificatie"].isin(recent), ["identificatie", "omschrijving", "afdeling"]]
    out = out.join(per_type, on="identificatie")
    out["zaken_totaal"] = out["zaken_totaal"].fillna(0).astype(int)
    return out.sort_values(["laatste_registratie", "identificatie"], na_position="first", kind="stable").reset_index(
        drop=True
    )


def documenttypen(documenten: pd.DataFrame, peildatum: pd.Timestamp | str, maanden: int = 6,
                  documentgegevens: bool = True) -> pd.DataFrame | None:
    """Use of each document type (``informatieobjecttype``), by ``creatiedatum``.

    Only types that occur in the data can be listed (see the module docstring).

    Returns
    -------
    DataFrame or None
        None without document data (``documentgegevens`` False): unknown. Else
        ``informatieobjecttype``, ``documenten`` (ever), ``recent`` (created in the
        last ``maanden`` months), ``zaken`` (distinct zaken), ``buiten_zaak``
        (documents linked to no zaak), ``eerste_gebruik``, ``laatste_gebruik`` and
        ``in_gebruik`` (created in the last ``maanden`` months); unused types
        first, then by number of documents.
    """
    if not documentgegevens:
        return None
    van, tot = venster(peildatum, maanden)
    d = documenten
    cd = d["creatiedatum"]
    g = d.assign(_recent=(cd >= van) & (cd <= tot), _buiten=d["zaak"].isna()).groupby("informatieobjecttype")
    out = pd.DataFrame(
        {
            "documenten": g.size(),
            "recent": g["_recent"].sum().astype(int),
            "zaken": g["zaak"].nunique(),
            "buiten_zaak": g["_buiten"].sum().astype(int),
            "eerste_gebruik": g["creatiedatum"].min(),
            "laatste_gebruik": g["creatiedatum"].max(),
        }
    )
    out["in_gebruik"] = out["recent"] > 0
    out.index = out.index.astype("str")
    out = out.rename_axis("informatieobjecttype").reset_index()
    return out.sort_values(["in_gebruik", "documenten", "informatieobjecttype"], ascending=[True, False, True],
                           kind="stable").reset_index(drop=True)


def heeft_catalogus(informatieobjecttypen: pd.DataFrame | None) -> bool:
    """Whether the snapshot has the optional catalogue of informatieobjecttypen (a table with rows)."""
    return informatieobjecttypen is not None and len(informatieobjecttypen) > 0


def documenttypen_nooit_gebruikt(
    documenten: pd.DataFrame, informatieobjecttypen: pd.DataFrame, peildatum: pd.Timestamp | str,
    documentgegevens: bool = True,
) -> pd.DataFrame | None:
    """Document types of the catalogue that no document used up to ``peildatum``.

    Only types valid on ``peildatum`` count (``begin_geldigheid`` on or before
    it, ``einde_geldigheid`` empty or not before it): a type that has ended
    needs no clean-up, and one that starts later cannot have been used yet.

    Parameters
    ----------
    documenten : DataFrame
        Contract table; documents created after ``peildatum`` do not count.
    informatieobjecttypen : DataFrame
        The optional contract table; empty gives an empty result (see :func:`heeft_catalogus`).
    peildatum : date
    documentgegevens : bool
        False when the snapshot has no document data: None (unknown), not every type of the catalogue.

    Returns
    -------
    DataFrame or None
        ``omschrijving``, ``vertrouwelijkheidaanduiding``, ``begin_geldigheid``,
        ``einde_geldigheid``, sorted by omschrijving.
    """
    if not documentgegevens:
        return None
    peil = pd.Timestamp(peildatum).normalize()
    cat = informatieobjecttypen
    geldig = ~(cat["begin_geldigheid"] > peil) & ~(cat["einde_geldigheid"] < peil)  # a missing date limits nothing
    used = documenten.loc[documenten["creatiedatum"] <= peil, "informatieobjecttype"].dropna().unique()
    out = cat[geldig.to_numpy(dtype=bool, na_value=False) & ~cat["omschrijving"].isin(used).to_numpy()]
    cols = ["omschrijving", "vertrouwelijkheidaanduiding", "begin_geldigheid", "einde_geldigheid"]
    return out[cols].sort_values("omschrijving", kind="stable").reset_index(drop=True)


def zaaktypen_onvolledig(
    zaken: pd.DataFrame,
    documenten: pd.DataFrame,
    zaaktypen: pd.DataFrame,
    peildatum: pd.Timestamp | str | None = None,
    maanden: int | None = None,
    drempel: float = MEESTAL,
    documentgegevens: bool = True,
) -> pd.DataFrame:
    """Per zaaktype: how many closed zaken lack documents or a resultaat.

    Parameters
    ----------
    zaken, documenten, zaaktypen : DataFrame
        Contract tables.
    peildatum, maanden : optional
        Only zaken closed (``einddatum``) in the last ``maanden`` months up to
        ``peildatum``; default all closed zaken.
    drempel : float
        Share above which the zaaktype "mostly" misses them.
    documentgegevens : bool
        False when the snapshot has no document data: ``zonder_documenten`` is NA,
        ``aandeel_zonder_documenten`` NaN and ``meestal_zonder_documenten`` False
        (unknown, so never signalled); the order follows the resultaat alone.

    Returns
    -------
    DataFrame
        ``identificatie``, ``omschrijving``, ``afdeling``, ``gesloten``,
        ``zonder_documenten``, ``aandeel_zonder_documenten``, ``zonder_resultaat``,
        ``aandeel_zonder_resultaat``, ``meestal_zonder_documenten``,
        ``meestal_zonder_resultaat``; zaaktypes with closed zaken only, worst first.
    """
    closed = zaken[zaken["einddatum"].notna()]
    if peildatum is not None and maanden is not None:
        van, tot = venster(peildatum, maanden)
        closed = closed[(closed["einddatum"] >= van) & (closed["einddatum"] <= tot)]
    # Same definitions as the monthly report's signals (see docs/metrics.md).
    zonder_docs = zonder_documenten(closed, documenten, documentgegevens)
    zonder_res = closed["resultaat"].isna()
    g = pd.DataFrame({"zaaktype": closed["zaaktype"], "d": zonder_docs, "r": zonder_res}).groupby("zaaktype")
    per = pd.DataFrame({"gesloten": g.size(), "zonder_documenten": g["d"].sum(), "zonder_resultaat": g["r"].sum()})
    per["aandeel_zonder_documenten"] = per["zonder_documenten"] / per["gesloten"]
    if not documentgegevens:  # a sum of unknowns is unknown, not 0
        per["zonder_documenten"] = pd.array(np.full(len(per), None), dtype="Int64")
        per["aandeel_zonder_documenten"] = np.nan
    per["aandeel_zonder_resultaat"] = per["zonder_resultaat"] / per["gesloten"]
    per["meestal_zonder_documenten"] = per["aandeel_zonder_documenten"] > drempel
    per["meestal_zonder_resultaat"] = per["aandeel_zonder_resultaat"] > drempel
    out = zaaktypen[["identificatie", "omschrijving", "afdeling"]].join(per, on="identificatie", how="inner")
    out = out[["identificatie", "omschrijving", "afdeling", "gesloten", "zonder_documenten",
               "aandeel_zonder_documenten", "zonder_resultaat", "aandeel_zonder_resultaat",
               "meestal_zonder_documenten", "meestal_zonder_resultaat"]]
    worst = out[["aandeel_zonder_documenten", "aandeel_zonder_resultaat"]].max(axis=1)
    return out.assign(_w=worst).sort_values(["_w", "identificatie"], ascending=[False, True], kind="stable").drop(
        columns="_w"
    ).reset_index(drop=True)
