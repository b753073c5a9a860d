"""The house style of every report: colours, charts (seaborn) and HTML pieces (tiles, tables).

All HTML made here escapes every text that comes from data (zaaktype names,
omschrijving, department and team names) with :func:`html.escape`; only the
kit's own markup is unescaped. Styles are inline, because the published pages
allow inline styles but no scripts (see :mod:`zgwlib.publish.pages`).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from markupsafe import Markup

from zgwlib.core import nl
from zgwlib.core.terms import has_document_data

#: Main colour (the header of the published pages) and a colour-blind safe palette after it.
HOOFDKLEUR = "#154273"
PALET = ("#154273", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8A8F96")
BETER, SLECHTER, NEUTRAAL = "#1a7f37", "#a4001d", "#555555"
#: Colour of the champion's bar and of highlighted rows.
GOUD = "#E69F00"


def apply_style() -> None:
    """Apply the house style to matplotlib/seaborn (call before drawing; idempotent)."""
    import seaborn as sns

    sns.set_theme(
        style="whitegrid",
        context="notebook",
        palette=list(PALET),
        rc={
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titleweight": "bold",
            "axes.titlesize": 12,
            "axes.labelsize": 10,
            "xtick.labelsize": 9,
            "ytick.labelsize": 9,
            "legend.fontsize": 9,
            "legend.frameon": False,
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "savefig.bbox": "tight",
        },
    )


# --------------------------------------------------------------------------- small HTML pieces


def e(value: Any) -> str:
    """Escape any value for HTML (``None``/NaN become an en dash)."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return "–"
    return html.escape(str(value))


def kop(tekst: str, niveau: int = 2) -> str:
    """A heading (escaped)."""
    return f"<h{niveau}>{e(tekst)}</h{niveau}>"


def vet(tekst: Any) -> Markup:
    """Bold text (escaped), a piece of :func:`alinea`: ``alinea(vet(gemeente), ", ", wie)``."""
    return Markup(f"<strong>{e(tekst)}</strong>")


def _stuk(deel: Any) -> str:
    # The one escaping path for report text: a piece made here (Markup) stays, anything else is escaped.
    return str(deel) if isinstance(deel, Markup) else e(deel)


def alinea(*delen: Any, zacht: bool = False) -> str:
    """A paragraph of texts (each escaped) and pieces made here (:func:`vet`); ``zacht``: muted, for explanations.

    Text from the data is never read as Markdown or HTML: ``[Klik hier](https://...)`` stays those characters.
    """
    style = ' style="color:#4a4a4a;font-size:.92rem"' if zacht else ""
    return f"<p{style}>{''.join(_stuk(d) for d in delen)}</p>"


def opsomming(items: Mapping[str, Any]) -> str:
    """A list of ``label: value`` lines with the labels in bold (everything escaped), e.g. kerncijfers."""
    return "<ul>" + "".join(f"<li><strong>{e(k)}</strong>: {e(v)}</li>" for k, v in items.items()) + "</ul>"


def melding(*delen: Any) -> str:
    """A prominent note, for example "Geen zaken in oktober 2026 voor ..." (texts escaped, pieces as :func:`alinea`)."""
    return (f'<div style="border-left:5px solid {HOOFDKLEUR};background:#f3f5f7;padding:.75rem 1rem;'
            f'margin:1rem 0;font-size:1.05rem">{"".join(_stuk(d) for d in delen)}</div>')


#: What every report says where its figures about documents would be when the data has none (docs/metrics.md).
GEEN_DOCUMENTGEGEVENS = "Deze gegevens bevatten geen documentgegevens: cijfers over documenten ontbreken."


def make_document_note(meta: Mapping[str, Any] | None, aanvulling: str = "") -> str | None:
    """The sentence a report shows when its snapshot has no document data, else None.

    A source without documents (kept in another system) says so in
    ``meta.json`` (``"documenten_bron": "geen"``, see docs/data-contract.md);
    the figures about documents are then unknown, not 0%. ``aanvulling`` is
    added after the sentence (what the report leaves out because of it).
    """
    if has_document_data(meta):
        return None
    return f"{GEEN_DOCUMENTGEGEVENS} {aanvulling}".strip()


#: What a report that counts documents outside a zaak adds to :func:`make_visibility_note` (the cleanup report, the
#: evaluation): ``zgw fetch`` leaves the hidden zaken's documents out instead of counting them as outside any zaak.
NIET_BUITEN_ZAAK = "Ze tellen ook niet als documenten buiten een zaak."


def make_visibility_note(meta: Mapping[str, Any] | None, aanvulling: str = "") -> str | None:
    """The sentence a report shows about zaken and documents the zaaksysteem did not show it, else None.

    ``meta["niet_zichtbaar"]`` is written by ``zgw fetch`` (docs/open-zaak.md):
    documents that belong to zaken the application may not see (its zaaktypen or
    maximum vertrouwelijkheidaanduiding), and those zaken. They are in none of
    the figures, not even as documents outside a zaak, so the reader of every
    report built on the snapshot must know. ``aanvulling`` is added after the
    sentence (what it means for this report's figures).
    """
    nz = (meta or {}).get("niet_zichtbaar") or {}
    docs, zaken = int(nz.get("documenten") or 0), int(nz.get("zaken") or 0)
    if not docs and not zaken:
        return None
    return (f"Let op: {nl.getal(docs)} {'document hoort' if docs == 1 else 'documenten horen'} bij "
            f"{nl.getal(zaken)} {'zaak' if zaken == 1 else 'zaken'} die de koppeling met het zaaksysteem niet mag "
            "zien (door hun zaaktype of vertrouwelijkheid). Die zaken en documenten tellen niet mee in dit rapport. "
            f"{aanvulling}").strip()


def stukken(*delen: Any) -> Markup:
    """Texts (escaped) and pieces made here joined into one piece, e.g. a list item with an icon."""
    return Markup("".join(_stuk(d) for d in delen))


def lijst(items: Iterable[Any], genummerd: bool = False) -> str:
    """A bullet (or numbered) list of plain texts (escaped) or pieces (:func:`stukken`)."""
    tag = "ol" if genummerd else "ul"
    return f"<{tag}>" + "".join(f"<li>{_stuk(i)}</li>" for i in items) + f"</{tag}>"


_ICOON = {
    # Drawn, not an emoji: a page must not depend on an emoji font (headless Chromium without one shows a box).
    "beker": ('<path d="M7 3h10v3h3v2a4 4 0 0 1-4 4h-.5A5 5 0 0 1 13 14.9V18h3v2H8v-2h3v-3.1A5 5 0 0 1 8.5 12H8'
              'a4 4 0 0 1-4-4V6h3zm0 5V8H6a2 2 0 0 0 1 1.7zm10 0v1.7A2 2 0 0 0 18 8z" fill="#E69F00"/>'),
    "feest": ('<path d="M4 20l4-11 7 7z" fill="#E69F00"/><circle cx="15" cy="5" r="1.5" fill="#154273"/>'
              '<circle cx="19" cy="9" r="1.5" fill="#CC79A7"/><path d="M12 8l2-4M16 12l4-2" stroke="#009E73" '
              'stroke-width="1.5"/>'),
    "let_op": '<path d="M12 3l10 18H2z" fill="#8a6100"/><path d="M11 9h2v6h-2zm0 8h2v2h-2z" fill="#fff"/>',
}


def icoon(naam: str, label: str) -> Markup:
    """A small inline SVG icon ("beker", "feest", "let_op") with a Dutch text for screen readers."""
    return Markup(f'<svg role="img" aria-label="{e(label)}" width="1.2em" height="1.2em" viewBox="0 0 24 24" '
                  f'style="vertical-align:-.2em"><title>{e(label)}</title>{_ICOON[naam]}</svg>')


# --------------------------------------------------------------------------- tables


Kolom = tuple[str, Callable[[Any], str] | None]


def tabel_html(df: pd.DataFrame, kolommen: Mapping[str, Kolom], markeer: Sequence[bool] | None = None,
               links: Iterable[str] = ()) -> str:
    """An HTML table of ``df`` with Dutch headings and formatted cells; every cell escaped.

    Parameters
    ----------
    kolommen : mapping of column to (heading, formatter)
        The columns shown, in order; formatter turns a value into text (``None``: ``str``).
    markeer : sequence of bool, optional
        Rows to highlight (bold, gold left border), for example the champion.
    links : iterable of str
        Text columns to align left (the page aligns numbers right, and the first column left).
    """
    left = set(links)
    align = [' style="text-align:left"' if c in left else "" for c in kolommen]
    head = "".join(f"<th{a}>{e(label)}</th>" for a, (label, _) in zip(align, kolommen.values()))
    body = []
    for i, row in enumerate(df[list(kolommen)].itertuples(index=False)):
        cells = []
        for a, value, (_, fmt) in zip(align, row, kolommen.values()):
            missing = value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))
            cells.append(f"<td{a}>{'–' if missing else e(fmt(value) if fmt else value)}</td>")
        style = f' style="font-weight:600;box-shadow:inset 4px 0 0 {GOUD}"' if markeer is not None and markeer[i] else ""
        body.append(f"<tr{style}>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def getal(v: Any) -> str:
    """Formatter: a whole number, Dutch style."""
    return nl.getal(v)


def procent(v: Any) -> str:
    """Formatter: a fraction as a percentage without decimals."""
    return nl.procent(v, 0)


def dagen(v: Any) -> str:
    """Formatter: a number of days, no decimals."""
    return nl.getal(v, 0)


# --------------------------------------------------------------------------- charts


def maand_labels(maanden: Iterable[str]) -> list[str]:
    """Short Dutch axis labels for months: ``"2025-03"`` -> ``"mrt '25"``."""
    out = []
    for m in maanden:
        p = pd.Period(m, "M")
        out.append(f"{nl.MAANDEN[p.month - 1][:3]} '{p.year % 100:02d}")
    return out


def procent_as(ax: Any) -> None:
    """Dutch percentages (``45%``) on the y axis of ``ax``, from 0 to a little over 100%."""
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _p: nl.procent(y, 0)))
    ax.set_ylim(0, 1.05)


def getal_as(ax: Any, axis: str = "y", decimalen: int = 0) -> None:
    """Dutch numbers (``1.234``, ``0,5``) on the ``"y"`` or ``"x"`` axis of ``ax``."""
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda v, _p: nl.getal(v, decimalen))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def assen(ax: Any = None, figsize: tuple[float, float] = (8, 3.2)) -> Any:
    """``ax`` in the house style, or new axes of ``figsize`` (constrained layout) when it is ``None``."""
    import matplotlib.pyplot as plt

    apply_style()
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def leeg(ax: Any, tekst: str) -> Any:
    """An empty chart that says why, for example "Geen zaken"."""
    ax.text(0.5, 0.5, tekst, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()
    return ax


def grafiektekst(tekst: object, n: int | None = None) -> str:
    """Text from the data for a chart label, cut to ``n`` characters (with an ellipsis) when longer.

    A ``$`` is escaped: matplotlib would read ``$...$`` as mathematics.
    """
    t = str(tekst)
    if n is not None and len(t) > n:
        t = t[: n - 1] + "…"
    return t.replace("$", r"\$")


def show(fig: Any, alt: str) -> None:
    """Show a figure in the notebook with a Dutch alternative text for the published page, then close it."""
    import matplotlib.pyplot as plt
    from IPython.display import display

    display(fig, metadata={"image/png": {"alt": alt}})
    plt.close(fig)
