"""Charts and tables of the verkenning notebook, from the figures of :mod:`zgwlib.verkenning.process`.

The flow chart of a zaaktype's statussen, the lead time per month of
registration against the legal term and the service norm, and
:func:`nl_tabel`, which turns any figure table into a Dutch one for showing
(pandas escapes its HTML, so free text in it is safe to display).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zgwlib.core import nl
from zgwlib import style
from zgwlib.verkenning.process import SPRONG, TERUG, VOORUIT, Procesanalyse

# --------------------------------------------------------------------------- charts


def draw_processchema(analyse: Procesanalyse, ax=None, min_aandeel: float = 0.005, max_pijlen: int = 25):
    """Draw the process as a flow chart: one box per statustype, left to right by volgnummer.

    Arrows carry the number of transitions and the median time in the status
    before that transition; line width follows the count. Steps to the next box
    are straight, steps past a box arc above the boxes (green when they skip a
    non-optional status), steps back arc below (red). The bottleneck's box is
    orange; optional statuses have a dashed border. Rare transitions (fewer than ``min_aandeel`` of
    the zaken, at most ``max_pijlen`` arrows) are left out to keep it readable;
    the caption says how many.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    typen = analyse.log.statustypen
    k = len(typen)
    if ax is None:
        _, ax = plt.subplots(figsize=(max(8.0, 2.9 * k), 5.2))
    gap, bw, bh = 3.0, 2.1, 1.3
    x = {str(s): i * gap for i, s in enumerate(typen["statustype"])}
    _draw_status_boxes(ax, analyse, x, bw, bh)
    hidden, ymin, ymax = _draw_transitions(ax, analyse, x, bw, bh, min_aandeel, max_pijlen)
    ax.set_xlim(-bw, (k - 1) * gap + bw)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("auto")
    ax.axis("off")
    caption = (
        "Pijlen: aantal overgangen en mediane wachttijd ervoor. Donker vooruit, groen stap overgeslagen, rood terug;"
        " gestippeld vak: optionele status."
    )
    if hidden:
        caption += f" {nl.getal(hidden)} zeldzame overgang(en) niet getekend."
    ax.set_title(caption, fontsize=8.5, loc="left")
    return ax


def _draw_status_boxes(ax, analyse: Procesanalyse, x: dict[str, float], bw: float, bh: float) -> None:
    """One box per statustype at ``x``: the bottleneck orange, optional ones dashed, with zaken and median wait."""
    from matplotlib.patches import FancyBboxPatch

    knel = None if analyse.knelpunt is None else str(analyse.knelpunt["statustype"])
    for _, row in analyse.wachttijden.iterrows():
        s = str(row["statustype"])
        optioneel = bool(row["optioneel"])
        box = FancyBboxPatch(
            (x[s] - bw / 2, -bh / 2), bw, bh, boxstyle="round,pad=0.05,rounding_size=0.15",
            facecolor="#f4a259" if s == knel else "#dbe9f6", edgecolor="#33475b", linewidth=1.2, zorder=3,
            linestyle="--" if optioneel else "-",
        )
        ax.add_patch(box)
        sub = f"{nl.getal(row['zaken'])} zaken" + (" (optioneel)" if optioneel else "")
        if pd.notna(row["mediaan_dagen"]):
            sub += f"\nmediaan {nl.getal(row['mediaan_dagen'], 1)} d"
        ax.text(x[s], 0.18, style.grafiektekst(s), ha="center", va="center", fontsize=9.5, weight="bold", zorder=4,
                wrap=True)
        ax.text(x[s], -0.28, sub, ha="center", va="center", fontsize=8, zorder=4)


def _draw_transitions(ax, analyse: Procesanalyse, x: dict[str, float], bw: float, bh: float, min_aandeel: float,
                      max_pijlen: int) -> tuple[int, float, float]:
    """The arrows of the frequent transitions with their labels; returns how many were left out and the y range."""
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.path import Path

    typen = analyse.log.statustypen
    ov = analyse.overgangen
    drempel = max(1.0, min_aandeel * analyse.log.aantal_zaken)
    shown = ov[ov["aantal"] >= drempel].head(max_pijlen)
    hidden = len(ov) - len(shown)
    top = float(shown["aantal"].max()) if len(shown) else 1.0
    pos = dict(zip(typen["statustype"].astype("str"), typen["positie"]))
    ymax, ymin = bh, -bh
    for _, t in shown.iterrows():
        a, b = str(t["van"]), str(t["naar"])
        lw = 0.6 + 5.5 * np.sqrt(t["aantal"] / top)
        colour = {VOORUIT: "#33475b", SPRONG: "#2a9d8f", TERUG: "#c0392b"}[t["soort"]]
        label = f"{nl.getal(t['aantal'])}×\n{nl.getal(t['mediane_wachttijd_dagen'], 1)} d"
        verts, codes, lx, ly = _make_arrow_path(x[a], x[b], pos[b] - pos[a], bw, bh)
        ax.add_patch(FancyArrowPatch(path=Path(verts, codes), arrowstyle="-|>", mutation_scale=14,
                                     linewidth=lw, color=colour, zorder=2))
        ymax, ymin = max(ymax, ly + 0.5), min(ymin, ly - 0.5)
        ax.text(lx, ly, label, ha="center", va="center", fontsize=7.5, color=colour, zorder=5,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
    return hidden, ymin, ymax


def _make_arrow_path(xa: float, xb: float, span: int, bw: float,
                     bh: float) -> tuple[list[tuple[float, float]], list[int], float, float]:
    """The curve from the box at ``xa`` to the box at ``xb`` (``span`` positions on) and where its label sits."""
    from matplotlib.path import Path

    # Curves are built in data coordinates (not matplotlib's arc3, which bends in pixels),
    # so the label can sit exactly on the curve's middle.
    if span == 1:
        verts = [(xa + bw / 2 + 0.05, 0.0), (xb - bw / 2 - 0.05, 0.0)]
        codes = [Path.MOVETO, Path.LINETO]
        lx, ly = (verts[0][0] + verts[1][0]) / 2, 0.42
    elif span != 0:
        up = span > 0  # forward past a box arcs above the boxes, steps back below
        y0 = bh / 2 + 0.05 if up else -bh / 2 - 0.05
        h = (0.5 + 0.45 * abs(span)) * (1 if up else -1)
        # Leave right of centre, arrive left of it (mirrored going back); longer spans further out so
        # arcs from one box do not share a starting point.
        off = min(bw / 2 - 0.15, 0.1 + 0.2 * abs(span)) * (1 if up else -1)
        p0, p2 = (xa + off, y0), (xb - off, y0)
        c = ((p0[0] + p2[0]) / 2, y0 + 2 * h)
        verts, codes = [p0, c, p2], [Path.MOVETO, Path.CURVE3, Path.CURVE3]
        lx, ly = c[0], y0 + h  # middle of a quadratic Bezier: halfway to its control point
    else:  # the same status again: a small loop under the box
        y0 = -bh / 2 - 0.05
        verts = [(xa + 0.4, y0), (xa + 0.8, y0 - 1.1), (xa - 0.8, y0 - 1.1), (xa - 0.4, y0)]
        codes = [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4]
        lx, ly = xa, y0 - 0.83
    return verts, codes, lx, ly


def draw_doorlooptijd(
    per_maand: pd.DataFrame, zaaktype: pd.Series | None = None, ax=None
):
    """Box plot of doorlooptijd per month of registration, with legal term and service norm.

    Boxes span p25-p75 with the median; whiskers p10-p90 (no single outliers:
    with many zaken they only make ink).

    Parameters
    ----------
    per_maand : DataFrame
        Result of :func:`doorlooptijd_per_maand`.
    zaaktype : pandas.Series, optional
        Row of ``zaaktypen``: draws ``doorlooptijd_dagen`` (legal term),
        the term with one extension when possible, and ``servicenorm_dagen``.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(11, 4.5))
    data = per_maand[per_maand["afgesloten"] > 0]
    stats = [
        {"med": r.mediaan, "q1": r.p25, "q3": r.p75, "whislo": r.p10, "whishi": r.p90, "label": ""}
        for r in data.itertuples()
    ]
    if stats:
        ax.bxp(stats, showfliers=False, patch_artist=True,
               boxprops={"facecolor": "#dbe9f6", "edgecolor": "#33475b"},
               medianprops={"color": "#33475b", "linewidth": 2})
    labels = [f"{nl.MAANDEN[p.month - 1][:3]} {p.year}" for p in data.index]
    ax.set_xticks(range(1, len(labels) + 1), labels, rotation=60, ha="right", fontsize=8)
    if zaaktype is not None:
        term = zaaktype.get("doorlooptijd_dagen")
        if pd.notna(term):
            ax.axhline(float(term), color="#c0392b", linestyle="--", linewidth=1.5,
                       label=f"wettelijke termijn ({nl.getal(term)} d)")
            ext = zaaktype.get("verlengingstermijn_dagen")
            if bool(zaaktype.get("verlenging_mogelijk")) and pd.notna(ext) and ext:
                ax.axhline(float(term + ext), color="#c0392b", linestyle=":", linewidth=1.2,
                           label=f"met verlenging ({nl.getal(term + ext)} d)")
        norm = zaaktype.get("servicenorm_dagen")
        if pd.notna(norm):
            ax.axhline(float(norm), color="#2a9d8f", linestyle="--", linewidth=1.5,
                       label=f"servicenorm ({nl.getal(norm)} d)")
        if ax.get_legend_handles_labels()[0]:
            # Outside the plot: inside it would cover the lines it explains.
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    ax.set_ylabel("doorlooptijd (dagen)")
    ax.set_xlabel("maand van registratie")
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", alpha=0.3)
    return ax


# --------------------------------------------------------------------------- display


def nl_tabel(
    df: pd.DataFrame,
    kolommen: dict[str, str] | None = None,
    getallen: dict[str, int] | None = None,
    procenten: list[str] | tuple[str, ...] = (),
    datums: list[str] | tuple[str, ...] = (),
    ja_nee: list[str] | tuple[str, ...] = (),
) -> pd.DataFrame:
    """A copy of ``df`` for showing: Dutch number, percentage and date text, Dutch column titles.

    Only the columns named in ``kolommen`` are kept (in that order) when it is
    given. The result is a plain DataFrame, whose HTML pandas escapes, so free
    text in it is safe to display.

    Parameters
    ----------
    kolommen : dict, optional
        Column name to title.
    getallen : dict, optional
        Column name to number of decimals.
    procenten, datums, ja_nee : list of str
        Columns holding shares (0..1), dates, and booleans.
    """
    out = df.copy()
    for col, dec in (getallen or {}).items():
        out[col] = [nl.getal(v, dec) for v in out[col].astype(object)]
    for col in procenten:
        out[col] = [nl.procent(v) for v in out[col].astype(float)]
    for col in datums:
        out[col] = [nl.datum(v) if pd.notna(v) else "–" for v in out[col]]
    for col in ja_nee:
        out[col] = ["ja" if v is True or v == 1 else "nee" if v is False or v == 0 else "–" for v in out[col]]
    if kolommen:
        out = out[list(kolommen)].rename(columns=kolommen)
    return out.reset_index(drop=True).rename(index=lambda i: i + 1)
