"""Signals: where the new way of working is not (well) applied (VNG tip 3c), and tips (tip 3b).

Every signal is defined once here (and in ``docs/metrics.md``, section
*Signalen*). The per-zaak definitions are plain functions on contract tables;
:func:`zaak_flags` applies them to a whole snapshot (their totals reproduce the
counts the sample generator planted), :func:`signalen` scopes them to one
month of one department and :func:`tips` turns the biggest into Dutch advice.

Scope in a monthly report (month ``M``, peildatum = last day of ``M``):

* achteraf geregistreerd, zonder documenten, zonder resultaat: zaken closed in ``M``;
* zonder behandelaar: zaken closed in ``M`` or open at the peildatum;
* over de wettelijke termijn, lang geen statuswijziging: zaken open at the peildatum;
* documenten buiten een zaak: documents created in ``M`` (organisation only:
  a document without a zaak has no department);
* medewerkers niet actief: staff of the department not active in ``M``
  (see :func:`zgwlib.maandrapportage.figures.actief_in_maand`); for the organisation, staff of
  the departments that had zaken in ``M`` (departments without zaken, such as
  HRM, only consult dossiers, which the data does not show); nooit actief:
  of those, staff who never used the system at all.

What the data cannot show: reading a dossier leaves no trace, so staff who
only consult (a klantcontactcentrum) look inactive. Departments marked in
:attr:`~zgwlib.maandrapportage.figures.Instellingen.raadplegende_afdelingen`
are therefore left out of the organisation's staff signal and get no tip; in
their own report the staff row is labelled :data:`RAADPLEEGT` instead.

Besides the signals, :func:`tips` gives the service tip of
:func:`zgwlib.maandrapportage.service.tips` ("is er een e-formulier?").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from zgwlib.core import nl

from zgwlib.core.terms import ORGANISATIE
from zgwlib.data.contract import hide_confidential
from zgwlib.core.periods import periode_index
from zgwlib.core.lookup import index_in
from zgwlib.maandrapportage.facts import dagen_sinds_laatste_status, open_op, open_over_termijn
from zgwlib.maandrapportage.figures import Basis, Instellingen, Maand, prepare
from zgwlib.maandrapportage import service

#: The label of staff figures of a department that mainly consults dossiers (instead of a signal).
RAADPLEEGT = "raadpleegt vooral; het gebruik is niet te zien in de gegevens"

#: Importance per zaak of the tip "is er een e-formulier?" (:func:`tips`).
GEWICHT_NIET_DIGITAAL = 1


#: Column names of :func:`zaak_flags` (the spec's names of the planted counts).
ZAAK_SIGNALEN = (
    "achteraf_geregistreerd",
    "gesloten_zonder_documenten",
    "zonder_behandelaar",
    "gesloten_zonder_resultaat",
    "open_over_termijn",
    "geen_statuswijziging",
)


def zaak_flags(
    snapshot: Any, peildatum: str | pd.Timestamp | None = None, dagen_zonder_statuswijziging: int | None = None
) -> pd.DataFrame:
    """Every signal for every zaak of a snapshot, at one peildatum.

    Parameters
    ----------
    snapshot : Snapshot or Basis
        The data (a :class:`zgwlib.maandrapportage.figures.Basis` is reused, a snapshot prepared).
    peildatum : date, optional
        Day the open-zaak signals look at; default the last day of the data
        (``meta["periode_tot"]``).
    dagen_zonder_statuswijziging : int, optional
        Threshold of ``geen_statuswijziging``; default from :class:`~zgwlib.maandrapportage.figures.Instellingen`.

    Returns
    -------
    DataFrame
        ``identificatie``, ``afdeling``, ``zaaktype`` and one bool column per
        name in :data:`ZAAK_SIGNALEN`. The closed-zaak signals look at every
        closed zaak, whatever the peildatum. Without document data
        ``gesloten_zonder_documenten`` is missing (``boolean`` NA) for every zaak: unknown.
    """
    b = snapshot if isinstance(snapshot, Basis) else prepare(snapshot)
    p = pd.Timestamp(peildatum).normalize() if peildatum is not None else b.peildatum
    n = dagen_zonder_statuswijziging
    n = Instellingen().dagen_zonder_statuswijziging if n is None else n
    z = b.zaken
    gesloten = z["gesloten"].to_numpy()
    open_nu = open_op(z, p)
    dagen = dagen_sinds_laatste_status(z, b.statussen, p, b.status_zaak, alleen=open_nu)
    zonder_documenten = (gesloten & ~z["heeft_documenten"].to_numpy(dtype=bool) if b.documentgegevens
                         else pd.array(np.full(len(z), pd.NA), dtype="boolean"))
    return pd.DataFrame({
        "identificatie": z["identificatie"].to_numpy(),
        "afdeling": z["afdeling"].astype("str").to_numpy(),
        "zaaktype": z["zaaktype"].astype("str").to_numpy(),
        "achteraf_geregistreerd": z["achteraf"].to_numpy(),
        "gesloten_zonder_documenten": zonder_documenten,
        "zonder_behandelaar": ~z["heeft_behandelaar"].to_numpy(),
        "gesloten_zonder_resultaat": gesloten & ~z["heeft_resultaat"].to_numpy(),
        "open_over_termijn": open_over_termijn(z, p),
        "geen_statuswijziging": open_nu & (dagen > n),
    })


def medewerker_flags(snapshot: Any) -> pd.DataFrame:
    """Per medewerker: ``identificatie``, ``afdeling``, ``team`` and ``nooit_actief`` (see :func:`nooit_actief`)."""
    b = snapshot if isinstance(snapshot, Basis) else prepare(snapshot)
    mw = b.medewerkers
    out = mw[["identificatie", "afdeling", "team"]].copy()
    out["nooit_actief"] = mw["nooit_actief"].to_numpy()
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- one month of one department


@dataclass(frozen=True)
class Signaal:
    """How one signal is named, scoped and advised on in the report.

    Attributes
    ----------
    code : str
        Column of :func:`maand_flags` (or a staff/document signal).
    titel : str
        Dutch name in the signal table.
    noemer : str
        What the share is of (Dutch, for the table).
    gewicht : int
        Importance per zaak (person, document) when ranking tips.
    """

    code: str
    titel: str
    noemer: str
    gewicht: int


#: Every signal of the monthly report, in table order.
SIGNALEN: dict[str, Signaal] = {s.code: s for s in (
    Signaal("achteraf_geregistreerd", "Achteraf geregistreerd (zelfde dag geregistreerd en afgesloten, geen "
            "tussenstatus)", "afgesloten zaken", 3),
    Signaal("gesloten_zonder_documenten", "Afgesloten zonder documenten", "afgesloten zaken", 2),
    Signaal("zonder_behandelaar", "Zonder behandelaar", "afgesloten en open zaken", 2),
    Signaal("gesloten_zonder_resultaat", "Afgesloten zonder resultaat", "afgesloten zaken", 1),
    Signaal("open_over_termijn", "Open na de wettelijke termijn", "open zaken", 3),
    Signaal("geen_statuswijziging", "Lang geen statuswijziging", "open zaken", 1),
    Signaal("documenten_buiten_zaak", "Documenten buiten een zaak", "documenten", 1),
    Signaal("medewerkers_niet_actief", "Medewerkers die het zaaksysteem niet gebruikten", "medewerkers", 2),
)}


#: The signals that need document data; left out of the table and the tips when the snapshot has none.
DOCUMENTSIGNALEN = ("gesloten_zonder_documenten", "documenten_buiten_zaak")


def _voorbeelden(frame: pd.DataFrame, mask: np.ndarray, k: int) -> list[str]:
    """The ``k`` most recently registered zaken among ``mask`` (ties by identificatie)."""
    idx = np.flatnonzero(mask)
    if len(idx) == 0 or k <= 0:
        return []
    dag = frame["registratiedatum"].to_numpy(dtype="datetime64[us]")[idx].view(np.int64)
    if len(idx) > k:  # only the zaken on or after the k-th latest day can be among the k
        idx = idx[dag >= np.partition(dag, len(dag) - k)[len(dag) - k]]
        dag = frame["registratiedatum"].to_numpy(dtype="datetime64[us]")[idx].view(np.int64)
    ids = frame["identificatie"].iloc[idx].astype("str").tolist()
    return [i for _, i in sorted(zip((-d for d in dag.tolist()), ids))[:k]]


def staf_in_scope(maand: Maand, afdeling: str) -> np.ndarray:
    """Per row of ``basis.medewerkers``: counted by the staff signal of ``afdeling`` (module docstring)."""
    mw = maand.basis.medewerkers
    if afdeling != ORGANISATIE:
        return (mw["afdeling"] == afdeling).to_numpy()
    afd = maand.zaken["afdeling"]
    met_zaken = afd.cat.categories[np.unique(afd.cat.codes.to_numpy()[afd.cat.codes.to_numpy() >= 0])] \
        if isinstance(afd.dtype, pd.CategoricalDtype) else afd.dropna().unique()
    met_zaken = [a for a in met_zaken if not maand.instellingen.raadpleegt(str(a))]
    return index_in(mw["afdeling"], pd.Series(met_zaken, dtype="str")) >= 0


def signalen(maand: Maand, afdeling: str, *, toon_namen: bool = False) -> pd.DataFrame:
    """The signal table of the report: every signal with its count, base, share and a few examples.

    Parameters
    ----------
    maand : Maand
        From :func:`zgwlib.maandrapportage.figures.maand`.
    afdeling : str
        A department, or ``"organisatie"``.
    toon_namen : bool
        Only then are medewerker identificaties given as examples of inactive staff.

    Returns
    -------
    DataFrame
        One row per code of :data:`SIGNALEN`: ``code``, ``titel``, ``aantal``,
        ``noemer`` (the count it is a share of), ``noemer_tekst``, ``aandeel``,
        ``voorbeelden`` (list of zaak, document or medewerker identificaties; no
        names), ``nooit_actief`` (only on ``medewerkers_niet_actief``) and
        ``label`` (:data:`RAADPLEEGT` on the staff row of a department that mainly
        consults dossiers: not a signal; else None).
        ``documenten_buiten_zaak`` only for the organisation: a document
        without a zaak has no department. Without document data neither
        ``gesloten_zonder_documenten`` nor ``documenten_buiten_zaak``: they are
        unknown, not zero (:data:`DOCUMENTSIGNALEN`).
    """
    inst, basis = maand.instellingen, maand.basis
    f = maand.selectie(afdeling)
    closed, open_nu = f["gesloten_in_maand"].to_numpy(), f["open_einde_maand"].to_numpy()
    bases = {"afgesloten zaken": int(closed.sum()), "open zaken": int(open_nu.sum()),
             "afgesloten en open zaken": int((closed | open_nu).sum())}
    rows: list[tuple[str, int, int, list[str], int | None]] = []
    for code, s in SIGNALEN.items():
        if s.noemer in bases and code in f:
            mask = f[code].to_numpy()
            rows.append((code, int(mask.sum()), bases[s.noemer], _voorbeelden(f, mask, inst.voorbeelden), None))
    m = periode_index(maand.periode)
    if afdeling == ORGANISATIE and basis.documentgegevens:
        docs = basis.documenten_buiten_zaak
        in_maand = (docs["m_creatie"] == m).to_numpy()
        ids = sorted(docs.loc[in_maand, "identificatie"].astype("str"))[: inst.voorbeelden]
        rows.append(("documenten_buiten_zaak", int(in_maand.sum()), int(basis.documenten_per_maand.get(m, 0)), ids,
                     None))
    mw = basis.medewerkers
    eigen = staf_in_scope(maand, afdeling)
    niet = eigen & ~maand.actief
    ids = sorted(mw.loc[niet, "identificatie"].astype("str"))[: inst.voorbeelden] if toon_namen else []
    nooit = int((eigen & mw["nooit_actief"].to_numpy()).sum())
    rows.append(("medewerkers_niet_actief", int(niet.sum()), int(eigen.sum()), ids, nooit))
    out = pd.DataFrame(rows, columns=["code", "aantal", "noemer", "voorbeelden", "nooit_actief"])
    out["nooit_actief"] = out["nooit_actief"].astype("Int64")
    out.insert(1, "titel", [SIGNALEN[c].titel for c in out["code"]])
    out.insert(4, "noemer_tekst", [_noemer_tekst(c, afdeling) for c in out["code"]])
    out["aandeel"] = out["aantal"] / out["noemer"].where(out["noemer"] > 0)
    out["label"] = pd.Series([RAADPLEEGT if c == "medewerkers_niet_actief" and inst.raadpleegt(afdeling) else None
                              for c in out["code"]], dtype=object)
    return out


def _noemer_tekst(code: str, afdeling: str) -> str:
    if code == "medewerkers_niet_actief" and afdeling == ORGANISATIE:
        return "medewerkers van afdelingen met zaken"
    return SIGNALEN[code].noemer


def voorbeeldzaken(maand: Maand, afdeling: str, signaaltabel: pd.DataFrame, *,
                   toon_omschrijving: bool = False) -> pd.DataFrame:
    """The example zaken of the signal table: identificatie, signal and zaaktype name, by default nothing more.

    A zaak's ``omschrijving`` often holds a citizen's name or address, and the index is one site every employee
    opens: it is shown only with ``toon_omschrijving`` (a department that serves its reports privately), and
    never for a zaak whose vertrouwelijkheidaanduiding is ``vertrouwelijk`` or higher
    (:func:`zgwlib.data.contract.hide_confidential`).

    Returns
    -------
    DataFrame
        ``identificatie``, ``signaal`` (Dutch title), ``zaaktype`` (name), and with ``toon_omschrijving``
        ``omschrijving`` (untrusted: escape it).
    """
    pairs = [(zid, r.code) for r in signaaltabel.itertuples(index=False)
             if SIGNALEN[r.code].noemer not in ("documenten", "medewerkers") for zid in r.voorbeelden]
    f = maand.selectie(afdeling)
    wanted = pd.Series([zid for zid, _ in pairs], dtype="str")
    f = f[index_in(f["identificatie"], wanted) >= 0].set_index("identificatie")
    names = maand.basis.zaaktypen.set_index("identificatie")["omschrijving"].astype("str")
    rows = []
    for zid, code in pairs:
        zt = str(f.at[zid, "zaaktype"])
        rows.append((zid, SIGNALEN[code].titel.split(" (")[0], names.get(zt, zt)))
    out = pd.DataFrame(rows, columns=["identificatie", "signaal", "zaaktype"])
    if not toon_omschrijving:
        return out
    ids = out["identificatie"]
    oms = f["omschrijving"].reindex(ids) if "omschrijving" in f else [None] * len(ids)
    niveau = f["vertrouwelijkheidaanduiding"].reindex(ids) if "vertrouwelijkheidaanduiding" in f else None
    return out.assign(omschrijving=hide_confidential(oms, niveau))


# --------------------------------------------------------------------------- tips


def _n(n: int, een: str, meer: str) -> str:
    return een if n == 1 else meer


def _tip_tekst(code: str, n: int, wat: str, inst: Instellingen, maand: str, extra: int | None = None) -> str:
    zaak = f"{nl.getal(n)} {_n(n, 'zaak', 'zaken')}{(' ' + wat) if wat else ''}"
    if code == "achteraf_geregistreerd":
        return (f"{zaak} {_n(n, 'werd', 'werden')} achteraf geregistreerd: registreer de zaak bij ontvangst, "
                "dan loopt de termijnbewaking vanaf de eerste dag.")
    if code == "gesloten_zonder_documenten":
        return (f"{zaak} {_n(n, 'is', 'zijn')} afgesloten zonder documenten: sla aanvraag, besluit en brieven op "
                "in de zaak voordat u die afsluit.")
    if code == "zonder_behandelaar":
        return (f"{zaak} {_n(n, 'heeft', 'hebben')} geen behandelaar: wijs elke zaak bij registratie toe, "
                "zodat duidelijk is wie hem oppakt.")
    if code == "gesloten_zonder_resultaat":
        return (f"{zaak} {_n(n, 'is', 'zijn')} afgesloten zonder resultaat: leg bij het afsluiten altijd het "
                "resultaat vast (bijvoorbeeld toegekend of afgewezen).")
    if code == "open_over_termijn":
        return (f"{zaak} {_n(n, 'staat', 'staan')} nog open na de wettelijke termijn: bespreek ze in het "
                "teamoverleg en handel ze met voorrang af.")
    if code == "geen_statuswijziging":
        return (f"{zaak} {_n(n, 'heeft', 'hebben')} al meer dan {inst.dagen_zonder_statuswijziging} dagen geen "
                "nieuwe status: zet de status bij elke stap, dan ziet iedereen waar de zaak staat.")
    if code == "documenten_buiten_zaak":
        return (f"{nl.getal(n)} {_n(n, 'document werd', 'documenten werden')} in {maand} buiten een zaak "
                "aangemaakt: koppel elk document aan de zaak waar het bij hoort.")
    if code == "medewerkers_niet_actief":
        return (f"{nl.getal(n)} van de {nl.getal(extra or 0)} medewerkers{(' ' + wat) if wat else ''} "
                f"{_n(n, 'gebruikte', 'gebruikten')} het "
                f"zaaksysteem in {maand} niet: bied een korte training in een kleine groep aan, of koppel "
                f"{_n(n, 'hem of haar', 'hen')} aan een key-user als buddy.")
    raise KeyError(code)


def tips(maand: Maand, afdeling: str, signaaltabel: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rule-based Dutch advice from the signals, most important first.

    Zaak signals give one tip per (signal, zaaktype) with at least
    :attr:`~zgwlib.maandrapportage.figures.Instellingen.min_aantal_tip` zaken; inactive staff
    and documents outside a zaak give one tip each (same minimum; no staff tip for a department that mainly
    consults dossiers); a zaaktype that mostly came in non-digitally gets the service tip
    (code ``niet_digitaal``, :func:`zgwlib.maandrapportage.service.tips`, weight
    :data:`GEWICHT_NIET_DIGITAAL`). Importance =
    the signal's :attr:`Signaal.gewicht` times the count; ties by signal order,
    then zaaktype.

    Returns
    -------
    DataFrame
        ``code``, ``zaaktype``, ``aantal``, ``belang`` and ``tekst`` (plain text;
        it holds zaaktype names, so escape it in HTML), at most
        :attr:`~zgwlib.maandrapportage.figures.Instellingen.max_tips` rows.
    """
    inst = maand.instellingen
    naam_maand = nl.maand(maand.periode)
    f = maand.selectie(afdeling)
    names = maand.basis.zaaktypen.set_index("identificatie")["omschrijving"].astype("str")
    zt = f["zaaktype"]  # a categorical (figures.prepare)
    codes, cats = zt.cat.codes.to_numpy().astype(np.int64), zt.cat.categories.astype("str")
    rows = []
    order = {c: i for i, c in enumerate(SIGNALEN)}
    for code, s in SIGNALEN.items():
        if code not in f:
            continue
        hit = f[code].to_numpy() & (codes >= 0)
        counts = np.bincount(codes[hit], minlength=len(cats))
        for i in np.flatnonzero(counts >= inst.min_aantal_tip):
            n, z = int(counts[i]), str(cats[i])
            rows.append((code, z, n, s.gewicht * n, _tip_tekst(code, n, str(names.get(z, z)), inst, naam_maand)))
    tabel = signaaltabel if signaaltabel is not None else signalen(maand, afdeling)
    for code in ("medewerkers_niet_actief", "documenten_buiten_zaak"):
        row = tabel[tabel["code"] == code]
        if "label" in row and row["label"].notna().any():
            continue  # a department that consults dossiers: not using the system is no signal here
        if len(row) and int(row["aantal"].iloc[0]) >= inst.min_aantal_tip:
            n, total = int(row["aantal"].iloc[0]), int(row["noemer"].iloc[0])
            wie = "van afdelingen met zaken" if code == "medewerkers_niet_actief" and afdeling == ORGANISATIE else ""
            rows.append((code, "", n, SIGNALEN[code].gewicht * n, _tip_tekst(code, n, wie, inst, naam_maand, total)))
    for r in service.tips(maand, afdeling).itertuples(index=False):
        rows.append(("niet_digitaal", r.zaaktype, r.aantal, GEWICHT_NIET_DIGITAAL * r.aantal, r.tekst))
    order["niet_digitaal"] = len(order)
    out = pd.DataFrame(rows, columns=["code", "zaaktype", "aantal", "belang", "tekst"])
    out["_o"] = out["code"].map(order)
    out = out.sort_values(["belang", "_o", "zaaktype"], ascending=[False, True, True], kind="stable")
    return out.drop(columns="_o").head(inst.max_tips).reset_index(drop=True)
