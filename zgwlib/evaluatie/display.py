"""Charts and tables of the evaluation notebook (VNG tip 10), from the figures of :mod:`zgwlib.evaluatie.analysis`.

Every table is HTML made by :func:`zgwlib.style.tabel_html`, which escapes
each cell, so names from the data (zaaktype, afdeling, survey statements) are
shown as text, never as markup. Every chart returns its matplotlib axes, in the
house style (:mod:`zgwlib.style`); the notebook adds a title and shows it.
"""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
import pandas as pd

from zgwlib.maandrapportage import figures as metrics
from zgwlib.core import nl
from zgwlib import style
from zgwlib.maandrapportage import signals
from zgwlib.evaluatie.analysis import (
    ACHTER,
    EVALUATIE,
    GEADOPTEERD,
    GEEN_VERSCHIL,
    KERNSIGNALEN,
    LANGZAMER,
    MINDER_OP_TIJD,
    NULMETING,
    SNELLER,
    VAKER_OP_TIJD,
    Adoptie,
    Enquete,
    Instellingen,
)
from zgwlib.core.errors import UsageError
from zgwlib.core.terms import ORGANISATIE

# --------------------------------------------------------------------------- text of a change


def dagen_tekst(x: float) -> str:
    """``"12 dagen"``, ``"1 dag"``, ``"3,5 dagen"``."""
    return f"{nl.getal(x, 0 if float(x).is_integer() else 1)} {'dag' if x == 1 else 'dagen'}"


def pct_teken(x: float) -> str:
    """A relative change with its sign: ``-0.5`` -> ``"−50%"``; missing -> ``"–"``."""
    if pd.isna(x):
        return "–"
    v = 100 * x
    return f"{'+' if v > 0 else '−' if v < 0 else '±'}{nl.getal(abs(v), 0)}%"


def interval_tekst(r: pd.Series, inst: Instellingen) -> str:
    """``"95%-interval −62% tot −41%"`` for a row of :func:`~zgwlib.evaluatie.analysis.voor_en_na` (in days when the
    vóór median is 0)."""
    b = nl.getal(100 * inst.betrouwbaarheid, 0)
    if pd.notna(r["verandering_laag"]):
        return f"{b}%-interval {pct_teken(r['verandering_laag'])} tot {pct_teken(r['verandering_hoog'])}"
    f = metrics.FIGUREN["doorlooptijd_mediaan"]
    return f"{b}%-interval {f.verschil_tekst(r['mediaan_laag'])} tot {f.verschil_tekst(r['mediaan_hoog'])}"


# --------------------------------------------------------------------------- tables for the report

# HTML tables in the house style: zgwlib.style.tabel_html escapes every cell, so names from the data
# (zaaktype, afdeling, survey statements) are shown as text, never as markup.


def _dagen_kort(x: float) -> str:
    return nl.getal(x, 0 if pd.isna(x) or float(x).is_integer() else 1)


def _paar(a: str, b: str) -> str:
    return f"{a} → {b}"


def tabel_voor_na(vn: pd.DataFrame, instellingen: Instellingen | None = None) -> str:
    """The tested zaaktypes: lead time and on time before and after, the change and the verdicts (HTML)."""
    inst = instellingen or Instellingen()
    t = vn[vn["getest"]].copy() if len(vn) else vn
    if t.empty:
        return style.alinea("Geen zaaktype heeft genoeg afgesloten zaken in beide perioden om te toetsen.")
    f_dag, f_pp = metrics.FIGUREN["doorlooptijd_mediaan"], metrics.FIGUREN["binnen_termijn"]
    t["_n"] = [_paar(nl.getal(a), nl.getal(b)) for a, b in zip(t["n_voor"], t["n_na"], strict=True)]
    t["_med"] = [_paar(_dagen_kort(a), _dagen_kort(b)) for a, b in zip(t["mediaan_voor"], t["mediaan_na"],
                                                                      strict=True)]
    t["_ver"] = [pct_teken(r["verandering"]) if pd.notna(r["verandering"])
                 else f_dag.verschil_tekst(r["mediaan_verschil"]) for _, r in t.iterrows()]
    t["_int"] = [interval_tekst(r, inst).split("interval ", 1)[1] for _, r in t.iterrows()]
    t["_p90"] = [_paar(_dagen_kort(a), _dagen_kort(b)) for a, b in zip(t["p90_voor"], t["p90_na"], strict=True)]
    t["_ter"] = [f"{_paar(nl.procent(a, 0), nl.procent(b, 0))} ({f_pp.verschil_tekst(d)})"
                 for a, b, d in zip(t["termijn_voor"], t["termijn_na"], t["termijn_verschil"], strict=True)]
    b = nl.getal(100 * inst.betrouwbaarheid, 0)
    return style.tabel_html(t, {
        "omschrijving": ("Zaaktype", None), "_n": ("Afgesloten zaken vóór → na", None),
        "_med": ("Doorlooptijd mediaan (dagen)", None), "_ver": ("Verandering", None),
        "_int": (f"{b}%-interval", None), "oordeel": ("Oordeel", None),
        "_p90": ("90e percentiel (dagen)", None), "_ter": ("Binnen wettelijke termijn", None),
        "termijn_oordeel": ("Termijn", None),
    })


def tabel_te_weinig(vn: pd.DataFrame) -> str:
    """The zaaktypes not tested, with their numbers of closed zaken (HTML)."""
    t = vn[~vn["getest"]] if len(vn) else vn
    if t.empty:
        return style.alinea("Alle zaaktypen met afgesloten zaken zijn getoetst.")
    return style.tabel_html(t, {"omschrijving": ("Zaaktype", None), "n_voor": ("Afgesloten vóór", style.getal),
                                "n_na": ("Afgesloten na", style.getal), "reden": ("Waarom niet getoetst", None)})


def tabel_adoptie(ad: Adoptie, afdeling: str = ORGANISATIE) -> str:
    """Adoption per afdeling (or only the given one): verdict, share of work, users, zaaktypes live (HTML)."""
    a = ad.per_afdeling if afdeling == ORGANISATIE else ad.per_afdeling[ad.per_afdeling["afdeling"] == afdeling]
    a = a.assign(
        _naam=a["afdeling"].replace({ORGANISATIE: "Hele organisatie"}),
        _sinds=[nl.maand(s) if isinstance(s, str) else "–" for s in a["geadopteerd_sinds"]],
        _gebr=[f"{nl.getal(u)} van {nl.getal(m)}" for u, m in zip(a["actieve_gebruikers"], a["medewerkers"],
                                                                   strict=True)],
        _zt=[f"{nl.getal(u)} van {nl.getal(m)}" for u, m in zip(a["zaaktypen_live"], a["zaaktypen_totaal"],
                                                                 strict=True)],
    )
    return style.tabel_html(a, {
        "_naam": ("Afdeling", None), "oordeel": ("Oordeel", None), "_sinds": ("Al het werk als zaak sinds", None),
        "normaal_per_maand": ("Zaken per maand (nu)", style.getal),
        "t_o_v_voor": ("T.o.v. vóór de invoering", style.procent),
        "achteraf": ("Achteraf geregistreerd", style.procent),
        "_gebr": ("Actieve gebruikers", None), "_zt": ("Zaaktypen in gebruik", None),
        "toelichting": ("Toelichting", None),
    }, markeer=list(a["oordeel"] == ACHTER))


def tabel_signalen(verloop: pd.DataFrame) -> str:
    """Signals by month since go-live: share (and count) per signal, months as columns (HTML)."""
    if verloop.empty:
        return style.alinea("Geen signalen: er zijn geen maanden na de invoering.")
    t = verloop.assign(tekst=[f"{nl.procent(a, 0)} ({nl.getal(n)})" if pd.notna(a) else "–"
                              for a, n in zip(verloop["aandeel"], verloop["aantal"], strict=True)])
    wide = t.pivot(index="code", columns="maand", values="tekst").reindex(list(dict.fromkeys(verloop["code"])))
    titels = verloop.drop_duplicates("code").set_index("code")
    wide.insert(0, "_signaal", [f"{titels.at[c, 'titel']} (% van de {titels.at[c, 'noemer_tekst']})"
                                for c in wide.index])
    kolommen: dict[str, Any] = {"_signaal": ("Signaal", None)}
    kolommen.update({m: (lbl, None) for m, lbl in zip(wide.columns[1:], style.maand_labels(list(wide.columns[1:])),
                                                      strict=True)})
    return style.tabel_html(wide, kolommen)


def tabel_enquete(enq: Enquete, groep: str = ORGANISATIE) -> str:
    """Per statement: mean and share that agrees at both rounds, the shift and its verdict (HTML)."""
    s = enq.verschuiving
    s = s[s["groep"] == groep] if len(s) else s
    if s.empty:
        return style.alinea("Geen vergelijking mogelijk: niet beide metingen zijn aanwezig.")
    s = s.assign(
        _gem=[_paar(nl.getal(a, 1), nl.getal(b, 1)) for a, b in zip(s["gemiddelde_nulmeting"],
                                                                     s["gemiddelde_evaluatie"], strict=True)],
        _ver=[f"{'+' if x > 0 else '−' if x < 0 else '±'}{nl.getal(abs(x), 2)}" for x in s["verschil"]],
        _int=[f"{nl.getal(lo, 2)} tot {nl.getal(hi, 2)}" for lo, hi in zip(s["laag"], s["hoog"], strict=True)],
        _eens=[_paar(nl.procent(a, 0), nl.procent(b, 0)) for a, b in zip(s["eens_nulmeting"],
                                                                          s["eens_evaluatie"], strict=True)],
    )
    return style.tabel_html(s, {"vraag": ("Stelling", None), "_gem": ("Gemiddelde nulmeting → evaluatie", None),
                                "_ver": ("Verschil", None), "_int": ("Interval", None),
                                "_eens": ("Eens (4-5) nulmeting → evaluatie", None), "oordeel": ("Oordeel", None)})


def tabel_enquete_groepen(enq: Enquete) -> str:
    """Every group (afdelingen with enough respondents, the merged rest, the organisation) against every
    statement: the mean at the nulmeting → at the evaluatie (HTML)."""
    s = enq.verschuiving
    if s.empty:
        return style.alinea("Geen vergelijking mogelijk: niet beide metingen zijn aanwezig.")
    s = s.assign(tekst=[_paar(nl.getal(a, 1), nl.getal(b, 1)) for a, b in
                        zip(s["gemiddelde_nulmeting"], s["gemiddelde_evaluatie"], strict=True)])
    wide = s.pivot(index="groep", columns="vraag", values="tekst")
    wide = wide.reindex(index=list(dict.fromkeys(s["groep"])), columns=list(dict.fromkeys(s["vraag"])))
    n = enq.verdeling.groupby(["groep", "meting"])["respondenten"].max().unstack()
    wide.insert(0, "_n", [_paar(nl.getal(n.at[g, NULMETING]), nl.getal(n.at[g, EVALUATIE])) for g in wide.index])
    wide.insert(0, "_groep", ["Hele organisatie" if g == ORGANISATIE else g for g in wide.index])
    kolommen: dict[str, Any] = {"_groep": ("Groep", None), "_n": ("Respondenten", None)}
    kolommen.update({v: (v if len(v) <= 60 else v[:59] + "…", None) for v in wide.columns[2:]})
    return style.tabel_html(wide.reset_index(drop=True), kolommen)


def respondenten(enq: Enquete, groep: str = ORGANISATIE) -> dict[str, int]:
    """Respondents per round in a group (``{"nulmeting": 215, "evaluatie": 196}``)."""
    v = enq.verdeling
    if v.empty:
        return {}
    return {str(k): int(n) for k, n in v[v["groep"] == groep].groupby("meting")["respondenten"].max().items()}


# --------------------------------------------------------------------------- charts


def _kleur() -> dict[str, str]:
    return {SNELLER: style.BETER, LANGZAMER: style.SLECHTER, GEEN_VERSCHIL: "#8A8F96", "lijn": style.HOOFDKLEUR,
            "staf": style.NEUTRAAL, "drempel": style.GOUD}


#: Colours of the five answers (disagree to agree), colour-blind safe.
SCHAAL_KLEUR = ("#B2182B", "#EF8A62", "#D9D9D9", "#67A9CF", "#2166AC")
SCHAAL_LABEL = ("helemaal oneens", "oneens", "neutraal", "eens", "helemaal eens")


def _legenda(ax: Any, n: int = 1, **kw: Any) -> None:
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncols=n, fontsize=8, frameon=False, **kw)


def draw_voor_na(vn: pd.DataFrame, maat: str = "doorlooptijd", ax: Any = None,
                  instellingen: Instellingen | None = None) -> Any:
    """Dot-and-interval chart of the tested zaaktypes: the change with its interval, coloured by verdict.

    Parameters
    ----------
    maat : {"doorlooptijd", "termijn"}
        ``doorlooptijd``: change of the median lead time in % of before (left is
        faster), with before → after in days at the right; ``termijn``: change
        of the share within the legal term in percentage points (right is better).
    """
    from matplotlib.lines import Line2D

    inst = instellingen or Instellingen()
    kleur = _kleur()
    t = vn[vn["getest"]] if len(vn) else vn
    if maat == "doorlooptijd":
        t = t[t["verandering"].notna()].sort_values("verandering", ascending=False, kind="stable")
        x, lo, hi = 100 * t["verandering"], 100 * t["verandering_laag"], 100 * t["verandering_hoog"]
        oordeel = t["oordeel"]
        namen = {SNELLER: "sneller", LANGZAMER: "langzamer", GEEN_VERSCHIL: "geen aantoonbaar verschil"}
        xlabel = "verandering van de mediane doorlooptijd (% van vóór): links is sneller"
    elif maat == "termijn":
        t = t[t["termijn_laag"].notna()].sort_values("termijn_verschil", kind="stable")
        x, lo, hi = 100 * t["termijn_verschil"], 100 * t["termijn_laag"], 100 * t["termijn_hoog"]
        oordeel = t["termijn_oordeel"].map({VAKER_OP_TIJD: SNELLER, MINDER_OP_TIJD: LANGZAMER}).fillna(GEEN_VERSCHIL)
        namen = {SNELLER: "vaker op tijd", LANGZAMER: "minder vaak op tijd", GEEN_VERSCHIL: "geen aantoonbaar verschil"}
        xlabel = "verandering van het aandeel binnen de wettelijke termijn (procentpunt): rechts is beter"
    else:
        raise UsageError(f"maat must be 'doorlooptijd' or 'termijn', not {maat!r}.")
    ax = style.assen(ax, (8, 0.45 * max(len(t), 3) + 1.6))
    if t.empty:
        return style.leeg(ax, "Geen zaaktypen met genoeg zaken om te toetsen")
    y = np.arange(len(t))
    kleuren = [kleur[k] for k in oordeel]
    ax.hlines(y, lo, hi, colors=kleuren, lw=3, alpha=0.75)
    ax.scatter(x, y, color=kleuren, s=50, zorder=3)
    ax.axvline(0, color="black", lw=1)
    ax.set_yticks(y, [style.grafiektekst(s, 42) for s in t["omschrijving"]])
    ax.set_ylim(-0.7, len(t) - 0.3)
    ax.set_xlabel(xlabel, fontsize=9)
    ax.grid(axis="y", visible=False)
    if maat == "doorlooptijd":
        for yi, (_, r) in zip(y, t.iterrows(), strict=True):
            ax.annotate(f"{dagen_tekst(r['mediaan_voor'])} → {dagen_tekst(r['mediaan_na'])}", (1.01, yi),
                        xycoords=("axes fraction", "data"), va="center", fontsize=8)
    style.getal_as(ax, "x")
    handles = [Line2D([], [], color=kleur[k], marker="o", lw=3, label=v) for k, v in namen.items()]
    b = nl.getal(100 * inst.betrouwbaarheid, 0)
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.6 / max(len(t), 3) - 0.1), ncols=3,
              fontsize=8, frameon=False, title=f"punt: schatting · lijn: {b}%-betrouwbaarheidsinterval",
              title_fontsize=8)
    return ax


def draw_werk(ad: Adoptie, afdeling: str = ORGANISATIE, ax: Any = None,
               instellingen: Instellingen | None = None) -> Any:
    """Share of work registered as zaken by month since go-live.

    For the organisation a heatmap (one row per afdeling with a verdict, % of
    its normal volume in each cell); for one afdeling its registered zaken per
    month against its normal volume and the adoption threshold.
    """
    import matplotlib.colors as mcolors

    inst = instellingen or Instellingen()
    kleur = _kleur()
    pm = ad.per_maand
    if afdeling == ORGANISATIE:
        rijen = [a for a, o in zip(ad.per_afdeling["afdeling"], ad.per_afdeling["oordeel"], strict=True)
                 if o in (GEADOPTEERD, ACHTER) and a != ORGANISATIE]
        t = pm[pm["na_invoering"] & pm["afdeling"].isin(rijen)]
        wide = t.pivot(index="afdeling", columns="maand", values="aandeel_werk").reindex(rijen)
        ax = style.assen(ax, (8.5, 0.42 * max(len(wide), 3) + 1.4))
        if wide.empty:
            return style.leeg(ax, "Geen afdelingen met genoeg zaken voor een oordeel")
        cmap = mcolors.LinearSegmentedColormap.from_list("werk", [kleur[LANGZAMER], "#F0E442", kleur[SNELLER]])
        waarden = wide.to_numpy(dtype="float64")
        im = ax.imshow(np.clip(waarden, 0, 1), aspect="auto", cmap=cmap, vmin=0, vmax=1)
        ax.grid(False)
        for (i, j), v in np.ndenumerate(waarden):
            if not np.isnan(v):
                ax.text(j, i, nl.getal(100 * v), ha="center", va="center", fontsize=8)
        ax.set_yticks(range(len(wide)), [style.grafiektekst(a, 34) for a in wide.index])
        ax.set_xticks(range(wide.shape[1]), style.maand_labels(list(wide.columns)))
        cb = ax.figure.colorbar(im, ax=ax, fraction=0.04, pad=0.02)
        cb.set_label("% van het normale aantal zaken per maand", fontsize=8)
        return ax
    t = pm[pm["afdeling"] == afdeling].sort_values("maand")
    ax = style.assen(ax, (8, 3.4))
    if t.empty or not (t["normaal_per_maand"] > 0).any():
        return style.leeg(ax, "Geen zaken")
    xs = np.arange(len(t))
    ax.bar(xs, t["ontvangen"], color=np.where(t["na_invoering"], kleur["lijn"], "#B8C4D1"), width=0.75,
           label="geregistreerde zaken (licht: vóór de invoering)")
    norm = float(t["normaal_per_maand"].iloc[0])
    ax.axhline(norm, color="black", lw=1, label=f"normaal: {nl.getal(norm)} per maand")
    ax.axhline(inst.adoptie_drempel * norm, color=kleur["drempel"], lw=1.5, ls="--",
               label=f"{nl.procent(inst.adoptie_drempel, 0)} van normaal")
    ax.set_xticks(xs, style.maand_labels(list(t["maand"])), rotation=45, ha="right")
    ax.set_ylabel("zaken per maand")
    style.getal_as(ax)
    _legenda(ax, 3)
    return ax


def draw_gebruikers(ad: Adoptie, afdeling: str = ORGANISATIE, ax: Any = None) -> Any:
    """Active users per month against the number of staff, go-live marked."""
    kleur = _kleur()
    t = ad.per_maand[ad.per_maand["afdeling"] == afdeling].sort_values("maand")
    ax = style.assen(ax, (8, 3.2))
    if t.empty:
        return style.leeg(ax, "Geen medewerkers")
    xs = np.arange(len(t))
    ax.plot(xs, t["actieve_gebruikers"], marker="o", ms=3.5, lw=2, color=kleur["lijn"], label="actieve gebruikers")
    ax.plot(xs, t["medewerkers"], color=kleur["staf"], lw=1.2, ls="--", label="medewerkers")
    eerste = np.flatnonzero(t["na_invoering"].to_numpy())
    if len(eerste) and eerste[0] > 0:
        ax.axvline(eerste[0] - 0.5, color=kleur["drempel"], lw=1.5, label="invoering")
    ax.set_xticks(xs, style.maand_labels(list(t["maand"])), rotation=45, ha="right")
    ax.set_ylim(bottom=0)
    style.getal_as(ax)
    _legenda(ax, 3)
    return ax


def draw_signalen(verloop: pd.DataFrame, codes: tuple[str, ...] = KERNSIGNALEN, ax: Any = None) -> Any:
    """The key signals' shares by month since go-live (lower is better)."""
    ax = style.assen(ax, (8, 3.2))
    t = verloop[verloop["code"].isin(codes)]
    if t.empty:
        return style.leeg(ax, "Geen signalen")
    maanden = sorted(verloop["maand"].unique())
    xs = {m: i for i, m in enumerate(maanden)}
    for i, code in enumerate(c for c in codes if c in set(t["code"])):
        g = t[t["code"] == code].sort_values("maand")
        s = signals.SIGNALEN[code]
        ax.plot([xs[m] for m in g["maand"]], 100 * g["aandeel"], marker="osD^"[i % 4], ms=3.5, lw=1.8,
                color=style.PALET[i % len(style.PALET)], label=f"{s.titel.split(' (')[0]} (% van de {s.noemer})")
    ax.set_xticks(range(len(maanden)), style.maand_labels(maanden), rotation=45, ha="right")
    ax.set_ylabel("procent")
    ax.set_ylim(bottom=0)
    style.getal_as(ax)
    _legenda(ax, 1)
    return ax


def draw_enquete(enq: Enquete, groep: str = ORGANISATIE, ax: Any = None) -> Any:
    """Per statement two stacked bars (nulmeting, evaluatie) of the five answers, in % of respondents."""
    v = enq.verdeling
    v = v[v["groep"] == groep] if len(v) else v
    vragen = list(dict.fromkeys(v["vraag"])) if len(v) else []
    ax = style.assen(ax, (8, 1.25 * max(len(vragen), 2) + 1.0))
    if not vragen:
        return style.leeg(ax, "Geen enquêteresultaten")
    labels, ys, pos = [], [], 0.0
    for vraag in vragen[::-1]:
        start = pos
        for meting in (EVALUATIE, NULMETING):
            r = v[(v["vraag"] == vraag) & (v["meting"] == meting)]
            if r.empty:
                continue
            left = 0.0
            for i in range(5):
                w = 100 * float(r[f"score_{i + 1}"].iloc[0])
                ax.barh(pos, w, left=left, color=SCHAAL_KLEUR[i], height=0.75,
                        label=SCHAAL_LABEL[i] if not labels else None)
                left += w
            labels.append(meting)
            ys.append(pos)
            pos += 1
        # The statement in full above its two bars (a tick label would have to be cut short).
        ax.text(0, pos - 0.45, "\n".join(textwrap.wrap(style.grafiektekst(vraag, 160), 95)), fontsize=8.5,
                fontweight="bold", va="bottom", ha="left")
        pos += 0.9 + 0.3 * (len(str(vraag)) > 95) if pos > start else 0
    ax.set_yticks(ys, labels, fontsize=8)
    ax.set_ylim(-0.6, pos - 0.3)
    ax.set_xlim(0, 100)
    ax.set_xlabel("% van de respondenten")
    ax.grid(False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.45 / len(ys) - 0.1), ncols=5, fontsize=8,
              frameon=False, handlelength=1.2, columnspacing=1.0)
    return ax
