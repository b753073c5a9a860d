"""The digital archive (VNG's goal "betere informatievoorziening"): archive states, the backlog, complete dossiers.

For the records manager (``notebooks/archief.ipynb``). Every figure is defined
once in ``docs/metrics.md`` (section *Archief*) and computed once here; the
notebook only shows it. The report is about month ``M``; its *peildatum* is the
last day of ``M``.

* **Archiefstand** of a closed zaak: *zonder nominatie* (``archiefnominatie``
  empty: it must be fixed before anything can be archived), *genomineerd*
  (a nominatie, ``archiefstatus`` ``nog_te_archiveren``), *gearchiveerd*
  (``gearchiveerd`` or ``gearchiveerd_procestermijn_onbekend``) or
  *overgedragen*.
* **Achterstand** (backlog) on a day ``D``: closed zaken with a nominatie
  whose ``archiefactiedatum`` is before ``D`` and that are not transferred:
  the action (destroy, transfer) could have been done and was not. A destroyed
  zaak is no longer in the data, so it is never counted. On the
  archiefactiedatum itself the action is due, not overdue.
* **Vernietigingskandidaten**: zaken nominated *vernietigen*, not transferred,
  whose archiefactiedatum is on or before the last day of the coming quarter
  (the :attr:`Instellingen.kwartaal_maanden` months after ``M``): those
  already overdue and those that fall due.
* **Volledig dossier**: a closed zaak that has at least one document of every
  type its zaaktype requires (``zaaktype_informatieobjecttypen`` with richting
  ``inkomend`` or ``uitgaand``; ``intern`` types are not required). A zaaktype
  without required types never makes a dossier incomplete. Without that table
  the report falls back to "closed without any document". Without document
  data (``meta.json`` ``"documenten_bron": "geen"``: the documents are kept in
  another system) no dossier's completeness can be known: :func:`ontbrekend`
  and :func:`volledigheid` give None, never every closed zaak as incomplete.

What the data cannot show: when a zaak was archived or transferred (only its
state now). The backlog month by month therefore uses today's states; a zaak
transferred last month is not in last month's backlog either. The report says
so, and says on which day the archive states were read (:func:`gelezen_op`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import pandas as pd

from zgwlib.core.lookup import index_in, pointed_at, posities
from zgwlib.core.periods import choose_periode, maand_einde, periode_index, periode_tekst
from zgwlib.core.terms import ORGANISATIE, has_document_data
from zgwlib.data.contract import hide_confidential
from zgwlib.data.sources import load_snapshot

#: The archive states of a closed zaak, in report order.
STANDEN = ("zonder_nominatie", "genomineerd", "gearchiveerd", "overgedragen")
#: Their Dutch labels.
STAND_LABELS = {"zonder_nominatie": "Zonder archiefnominatie", "genomineerd": "Genomineerd, nog te archiveren",
                "gearchiveerd": "Gearchiveerd", "overgedragen": "Overgedragen"}
#: The two nominaties of the backlog.
NOMINATIES = ("vernietigen", "blijvend_bewaren")
#: Document directions that are required for a complete dossier.
VERPLICHTE_RICHTINGEN = ("inkomend", "uitgaand")

#: Columns :func:`load` reads.
KOLOMMEN: dict[str, list[str] | None] = {
    "zaken": ["identificatie", "zaaktype", "afdeling", "einddatum", "resultaat", "archiefnominatie",
              "archiefstatus", "archiefactiedatum", "omschrijving", "vertrouwelijkheidaanduiding"],
    "documenten": ["zaak", "informatieobjecttype"],
    "zaaktypen": ["identificatie", "omschrijving", "afdeling"],
    "zaaktype_informatieobjecttypen": None,
}


@dataclass(frozen=True)
class Instellingen:
    """Settings of the archive report; change them in ``parameters/archief.yaml`` (:mod:`zgwlib.core.settings`).

    Attributes
    ----------
    kwartaal_maanden : int
        Destruction candidates: archiefactiedatum up to the end of this many months after the report month.
    trend_maanden : int
        Months in the backlog chart (the report month included).
    """

    kwartaal_maanden: int = 3
    trend_maanden: int = 13


@dataclass
class Archief:
    """The data of the archive report, read once.

    Attributes
    ----------
    zaken, documenten, zaaktypen, zaaktype_informatieobjecttypen : DataFrame
        Contract tables (the columns of :data:`KOLOMMEN`).
    meta : dict
        The snapshot's ``meta.json``.
    """

    zaken: pd.DataFrame
    documenten: pd.DataFrame
    zaaktypen: pd.DataFrame
    zaaktype_informatieobjecttypen: pd.DataFrame
    meta: dict[str, Any]

    def selectie(self, afdeling: str) -> pd.DataFrame:
        """The zaken of one department (all for ``"organisatie"``)."""
        if afdeling == ORGANISATIE:
            return self.zaken
        return self.zaken[(self.zaken["afdeling"] == afdeling).to_numpy()]

    @property
    def documentgegevens(self) -> bool:
        """Whether the snapshot has document data (:func:`zgwlib.core.terms.has_document_data`); without it the
        completeness of a dossier is unknown (docs/metrics.md, *Archief*)."""
        return has_document_data(self.meta)

    @property
    def afdelingen(self) -> list[str]:
        """Every department with zaken, sorted."""
        return sorted(self.zaken["afdeling"].dropna().astype("str").unique(), key=str.lower)


def load(data: str | os.PathLike[str] | None = "voorbeeld") -> Archief:
    """Read the tables the archive report needs (``"voorbeeld"``: the built-in sample)."""
    snap = load_snapshot(data, list(KOLOMMEN), columns={k: v for k, v in KOLOMMEN.items() if v is not None})
    t = snap.tables
    return Archief(t["zaken"], t["documenten"], t["zaaktypen"], t["zaaktype_informatieobjecttypen"],
                   dict(snap.meta))


def report_periode(archief: Archief, periode: str | None) -> str:
    """The report month: ``periode`` when given, else the last month the data covers completely."""
    return choose_periode(archief.meta, periode)


def gelezen_op(meta: Mapping[str, Any]) -> str | None:
    """The day (``YYYY-MM-DD``) the archive states were read: ``archief_gelezen_op`` of ``zgw fetch``, else the day
    the snapshot was made (``aangemaakt_op``); None when neither is known."""
    value = meta.get("archief_gelezen_op") or meta.get("aangemaakt_op")
    return str(value)[:10] if value else None


# --------------------------------------------------------------------------- archive states


def _dag(peildatum: str | pd.Timestamp) -> np.datetime64:
    return np.datetime64(pd.Timestamp(peildatum).date(), "D")


def gesloten_op(zaken: pd.DataFrame, peildatum: str | pd.Timestamp) -> np.ndarray:
    """Per zaak: closed on or before the peildatum."""
    eind = zaken["einddatum"].to_numpy("datetime64[us]").astype("datetime64[D]")
    return ~np.isnat(eind) & (eind <= _dag(peildatum))


def archiefstand(zaken: pd.DataFrame) -> np.ndarray:
    """Per zaak its archive state (:data:`STANDEN`) as text; meaningful for closed zaken."""
    status = zaken["archiefstatus"].astype("str").fillna("nog_te_archiveren").to_numpy(dtype=object)
    zonder = zaken["archiefnominatie"].isna().to_numpy()
    out = np.where(np.isin(status, ["gearchiveerd", "gearchiveerd_procestermijn_onbekend"]), "gearchiveerd",
                   np.where(status == "overgedragen", "overgedragen", "genomineerd"))
    # Without a nominatie nothing can be archived; a zaak archived or transferred anyway keeps that state.
    return np.where(zonder & (out == "genomineerd"), "zonder_nominatie", out)


def per_stand(archief: Archief, peildatum: str | pd.Timestamp, afdeling: str = ORGANISATIE,
              per: str = "afdeling") -> pd.DataFrame:
    """Closed zaken per archive state, per department (``per="afdeling"``) or zaaktype (``per="zaaktype"``).

    Returns
    -------
    DataFrame
        ``afdeling`` or ``zaaktype`` (with ``omschrijving`` for a zaaktype, untrusted text), one count column per
        state of :data:`STANDEN` and ``gesloten``; the total row last (``afdeling``/``zaaktype`` ``"totaal"``).
    """
    z = archief.selectie(afdeling)
    z = z[gesloten_op(z, peildatum)]
    stand = archiefstand(z)
    key = z[per].astype("str").to_numpy()
    frame = pd.crosstab(pd.Series(key, name=per), pd.Series(stand, name="stand"))
    frame = frame.reindex(columns=list(STANDEN), fill_value=0).astype(np.int64)
    frame = frame.sort_index(key=lambda s: s.str.lower())
    frame.loc["totaal"] = frame.sum()
    frame["gesloten"] = frame[list(STANDEN)].sum(axis=1)
    out = frame.reset_index().rename(columns={"index": per})
    out.columns.name = None
    if per == "zaaktype":
        names = archief.zaaktypen.set_index("identificatie")["omschrijving"].astype("str")
        out.insert(1, "omschrijving", [str(names.get(c, c)) if c != "totaal" else "Totaal" for c in out["zaaktype"]])
    return out


# --------------------------------------------------------------------------- the backlog


def achterstand_flags(zaken: pd.DataFrame, peildatum: str | pd.Timestamp) -> np.ndarray:
    """Per zaak: in the backlog on the peildatum (module docstring: archiefactiedatum before it, not transferred)."""
    datum = zaken["archiefactiedatum"].to_numpy("datetime64[us]").astype("datetime64[D]")
    nominatie = zaken["archiefnominatie"].notna().to_numpy()
    overgedragen = (zaken["archiefstatus"].astype("str") == "overgedragen").fillna(False).to_numpy(dtype=bool)
    return gesloten_op(zaken, peildatum) & nominatie & ~np.isnat(datum) & (datum < _dag(peildatum)) & ~overgedragen


def achterstand(archief: Archief, peildatum: str | pd.Timestamp, afdeling: str = ORGANISATIE,
                per: str = "afdeling") -> pd.DataFrame:
    """The backlog on the peildatum per department (or zaaktype), split by nominatie.

    Returns
    -------
    DataFrame
        ``afdeling`` or ``zaaktype`` (and ``omschrijving``), ``vernietigen``, ``blijvend_bewaren``, ``totaal``;
        only groups with a backlog, the largest first; the total row last.
    """
    z = archief.selectie(afdeling)
    z = z[achterstand_flags(z, peildatum)]
    frame = pd.crosstab(z[per].astype("str"), z["archiefnominatie"].astype("str")) if len(z) else \
        pd.DataFrame(columns=list(NOMINATIES), dtype=np.int64)
    frame = frame.reindex(columns=list(NOMINATIES), fill_value=0).astype(np.int64)
    frame["totaal"] = frame.sum(axis=1)
    frame = frame.sort_values("totaal", ascending=False, kind="stable")
    frame.loc["totaal"] = frame.sum()
    frame.index.name = per
    out = frame.reset_index()
    out.columns.name = None
    if per == "zaaktype":
        names = archief.zaaktypen.set_index("identificatie")["omschrijving"].astype("str")
        out.insert(1, "omschrijving", [str(names.get(c, c)) if c != "totaal" else "Totaal" for c in out["zaaktype"]])
    return out


def achterstand_per_maand(archief: Archief, periode: str, maanden: int, afdeling: str = ORGANISATIE
                          ) -> pd.DataFrame:
    """The backlog at the end of each of the last ``maanden`` months up to ``periode``, by today's archive states.

    Returns
    -------
    DataFrame
        ``maand`` (``YYYY-MM``), ``vernietigen``, ``blijvend_bewaren``, ``totaal`` and ``verschil`` (against the
        month before; NaN for the first), oldest first.
    """
    z = archief.selectie(afdeling)
    m1 = periode_index(periode)
    rows = []
    for m in range(m1 - maanden + 1, m1 + 1):
        p = periode_tekst(m)
        hit = achterstand_flags(z, maand_einde(p))
        nom = z["archiefnominatie"].astype("str").to_numpy(dtype=object)[hit]
        rows.append({"maand": p, "vernietigen": int((nom == "vernietigen").sum()),
                     "blijvend_bewaren": int((nom == "blijvend_bewaren").sum())})
    out = pd.DataFrame(rows, columns=["maand", *NOMINATIES])
    out["totaal"] = out["vernietigen"] + out["blijvend_bewaren"]
    out["verschil"] = out["totaal"].diff()
    return out


def kwartaal_einde(periode: str, maanden: int) -> pd.Timestamp:
    """The last day of the ``maanden`` months after ``periode`` (the coming quarter for 3)."""
    return maand_einde(periode_tekst(periode_index(periode) + maanden))


def vernietigingskandidaten(archief: Archief, periode: str, instellingen: Instellingen | None = None,
                            afdeling: str = ORGANISATIE, *, toon_omschrijving: bool = False) -> pd.DataFrame:
    """The destruction candidates for the coming quarter (module docstring), for the approval procedure.

    The list is published (the Excel appendix beside the report), so a zaak is named by identificatie and
    zaaktype: its ``omschrijving``, which often holds a citizen's name or address, only with ``toon_omschrijving``
    (a department that serves its reports privately), and never for a zaak whose vertrouwelijkheidaanduiding is
    ``vertrouwelijk`` or higher (:func:`zgwlib.data.contract.hide_confidential`), as in the monthly report.

    Returns
    -------
    DataFrame
        ``identificatie``, ``afdeling``, ``zaaktype``, ``zaaktype_omschrijving``, with ``toon_omschrijving``
        ``omschrijving`` (untrusted text), then ``einddatum``, ``resultaat``, ``archiefactiedatum``,
        ``archiefstatus`` and ``verlopen`` (the date was before the peildatum: already in the backlog); by
        archiefactiedatum, then identificatie.
    """
    inst = instellingen or Instellingen()
    peil, tot = maand_einde(periode), kwartaal_einde(periode, inst.kwartaal_maanden)
    z = archief.selectie(afdeling)
    datum = z["archiefactiedatum"].to_numpy("datetime64[us]").astype("datetime64[D]")
    overgedragen = (z["archiefstatus"].astype("str") == "overgedragen").fillna(False).to_numpy(dtype=bool)
    hit = gesloten_op(z, peil) & (z["archiefnominatie"].astype("str") == "vernietigen").fillna(False).to_numpy(
        dtype=bool) & ~np.isnat(datum) & (datum <= _dag(tot)) & ~overgedragen
    k = z[hit]
    names = archief.zaaktypen.set_index("identificatie")["omschrijving"].astype("str")
    out = pd.DataFrame({
        "identificatie": k["identificatie"].astype("str").to_numpy(),
        "afdeling": k["afdeling"].astype("str").to_numpy(),
        "zaaktype": k["zaaktype"].astype("str").to_numpy(),
        "zaaktype_omschrijving": [str(names.get(c, c)) for c in k["zaaktype"].astype("str")],
        "omschrijving": hide_confidential(k["omschrijving"], k.get("vertrouwelijkheidaanduiding")),
        "einddatum": k["einddatum"].to_numpy(),
        "resultaat": k["resultaat"].to_numpy(dtype=object),
        "archiefactiedatum": k["archiefactiedatum"].to_numpy(),
        "archiefstatus": k["archiefstatus"].astype("str").to_numpy(),
        "verlopen": datum[hit] < _dag(peil),
    })
    if not toon_omschrijving:
        out = out.drop(columns="omschrijving")
    return out.sort_values(["archiefactiedatum", "identificatie"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- complete dossiers


def heeft_eisen(archief: Archief) -> bool:
    """Whether the snapshot says which document types a zaaktype requires (the optional table has rows)."""
    return len(archief.zaaktype_informatieobjecttypen) > 0


def verplichte_typen(zaaktype_informatieobjecttypen: pd.DataFrame) -> dict[str, list[str]]:
    """Per zaaktype the required document types (richting inkomend or uitgaand), sorted; zaaktypen without any
    are absent."""
    t = zaaktype_informatieobjecttypen
    t = t[t["richting"].astype("str").isin(VERPLICHTE_RICHTINGEN).to_numpy()]
    return {str(zt): sorted({str(x) for x in g["informatieobjecttype"]})
            for zt, g in t.groupby(t["zaaktype"].astype("str"), sort=True)}


#: The one entry of ``ontbreekt`` for a closed zaak without any document, where no types are required.
GEEN_DOCUMENT = "(geen document)"


def ontbrekend(archief: Archief, peildatum: str | pd.Timestamp, afdeling: str = ORGANISATIE
               ) -> pd.DataFrame | None:
    """Closed zaken whose dossier is not complete: per zaak the required types it lacks.

    Returns
    -------
    DataFrame or None
        ``identificatie``, ``afdeling``, ``zaaktype`` and ``ontbreekt`` (list of document types, sorted); in the
        zaken's order. Without the table of required types, the closed zaken without any document
        (``ontbreekt`` = ``["(geen document)"]``). None without document data (:attr:`Archief.documentgegevens`):
        unknown, where an empty ``documenten`` table would make every dossier incomplete.
    """
    if not archief.documentgegevens:
        return None
    z = archief.selectie(afdeling)
    z = z[gesloten_op(z, peildatum)]
    docs = archief.documenten  # a document without a zaak finds no row below
    if not heeft_eisen(archief):
        z = z[~pointed_at(z["identificatie"], docs["zaak"])]
        return _ontbrekend_frame(z, [[GEEN_DOCUMENT] for _ in range(len(z))])
    eisen = verplichte_typen(archief.zaaktype_informatieobjecttypen)
    z = z[index_in(z["zaaktype"], list(eisen)) >= 0]
    missing_pos, missing_type, typen = _missing_pairs(z, docs, eisen)
    # One row per zaak with a gap: the runs of equal zaak positions (they come sorted, in the zaken's order).
    first = np.flatnonzero(np.r_[True, missing_pos[1:] != missing_pos[:-1]]) if len(missing_pos) else \
        np.empty(0, dtype=np.int64)
    lists = [typen[part].tolist() for part in np.split(missing_type, first[1:])] if len(first) else []
    return _ontbrekend_frame(z.iloc[missing_pos[first]], lists)


def _missing_pairs(z: pd.DataFrame, docs: pd.DataFrame, eisen: Mapping[str, list[str]]
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (zaak, required type) pair no document of that zaak has: the zaak's row in ``z`` and the type's code
    into the returned array of type names; by zaak row, then type name (the order of :func:`verplichte_typen`)."""
    zaaktypen = sorted(eisen)
    typen = np.array(sorted({t for lijst in eisen.values() for t in lijst}), dtype=object)
    # The required types of zaaktype k are flat[start[k]:start[k] + count[k]], as codes into ``typen``.
    flat = np.concatenate([index_in(eisen[k], typen) for k in zaaktypen]) if zaaktypen else \
        np.empty(0, dtype=np.int64)
    count = np.array([len(eisen[k]) for k in zaaktypen], dtype=np.int64)
    start = np.cumsum(count) - count
    k = index_in(z["zaaktype"], zaaktypen)
    n = count[k]
    pair_pos = np.repeat(np.arange(len(z)), n)
    within = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
    pair_type = flat[np.repeat(start[k], n) + within]
    # The documents present, as the same (zaak row, type code) pairs; documents of other zaken or types drop out.
    dpos = posities(z["identificatie"], docs["zaak"])[0]  # each document's zaak row (-1: another zaak or none)
    dtype_ = index_in(docs["informatieobjecttype"], typen)
    ok = (dpos >= 0) & (dtype_ >= 0)
    present = np.zeros((len(z), max(len(typen), 1)), dtype=bool)  # zaak row x type: a few MB for 500,000 zaken
    present[dpos[ok], dtype_[ok]] = True
    missing = ~present[pair_pos, pair_type]
    return pair_pos[missing], pair_type[missing], typen


def _ontbrekend_frame(z: pd.DataFrame, lists: list[list[str]]) -> pd.DataFrame:
    return pd.DataFrame({"identificatie": z["identificatie"].astype("str").to_numpy(dtype=object),
                         "afdeling": z["afdeling"].astype("str").to_numpy(dtype=object),
                         "zaaktype": z["zaaktype"].astype("str").to_numpy(dtype=object),
                         "ontbreekt": pd.Series(lists, dtype=object).to_numpy()},
                        columns=["identificatie", "afdeling", "zaaktype", "ontbreekt"])


def volledigheid(archief: Archief, peildatum: str | pd.Timestamp, afdeling: str = ORGANISATIE,
                 per: str = "zaaktype") -> pd.DataFrame | None:
    """Per zaaktype (or department): closed zaken, those with an incomplete dossier, and how often each required
    type is missing.

    Returns
    -------
    DataFrame or None
        ``zaaktype`` (with ``omschrijving``) or ``afdeling``, ``gesloten``, ``onvolledig``, ``aandeel_onvolledig``
        and ``ontbreekt`` (text: "Besluit (12), Aanvraag (3)"); groups with closed zaken, the most incomplete first.
        None without document data, like :func:`ontbrekend`.
    """
    mist = ontbrekend(archief, peildatum, afdeling)
    if mist is None:
        return None
    z = archief.selectie(afdeling)
    z = z[gesloten_op(z, peildatum)]
    gesloten = z[per].astype("str").value_counts()
    onvolledig = mist[per].value_counts()
    e = mist[[per, "ontbreekt"]].explode("ontbreekt")
    tel = e.groupby([per, "ontbreekt"]).size().reset_index(name="n")
    # Most often missing first, then by name: the order of the text.
    tel = tel.sort_values([per, "n", "ontbreekt"], ascending=[True, False, True], kind="stable")
    tekst = {key: ", ".join(f"{t} ({c})" for t, c in zip(g["ontbreekt"], g["n"], strict=True))
             for key, g in tel.groupby(per, sort=False)}
    keys = list(gesloten.index)
    n_mist = [int(onvolledig.get(key, 0)) for key in keys]
    out = pd.DataFrame({per: keys, "gesloten": [int(n) for n in gesloten.to_numpy()], "onvolledig": n_mist,
                        "aandeel_onvolledig": [m / int(n) for m, n in zip(n_mist, gesloten.to_numpy(), strict=True)],
                        "ontbreekt": [tekst.get(key, "") for key in keys]},
                       columns=[per, "gesloten", "onvolledig", "aandeel_onvolledig", "ontbreekt"])
    out = out.sort_values(["onvolledig", per], ascending=[False, True], kind="stable").reset_index(drop=True)
    if per == "zaaktype":
        names = archief.zaaktypen.set_index("identificatie")["omschrijving"].astype("str")
        out.insert(1, "omschrijving", [str(names.get(c, c)) for c in out["zaaktype"]])
    return out


def volledig_gearchiveerd(zaken: pd.DataFrame, documenten: pd.DataFrame) -> np.ndarray:
    """Per zaak: *volledig gearchiveerd* (docs/metrics.md): closed, ``archiefstatus`` ``gearchiveerd``, at least one
    document and a resultaat; the definition behind the milestone "eerste zaak volledig gearchiveerd"."""
    met = pointed_at(zaken["identificatie"], documenten["zaak"])
    return (zaken["einddatum"].notna().to_numpy() & (zaken["archiefstatus"].astype("str") == "gearchiveerd")
            .fillna(False).to_numpy(dtype=bool) & met & zaken["resultaat"].notna().to_numpy())
