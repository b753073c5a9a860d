"""Publishing executed report notebooks as self-contained HTML and the index pages.

A report notebook tells the publisher what belongs on the index (the champion
of the month, the headline figures) by displaying a summary with
:func:`zgwlib.publish.summary.emit_summary`; the publisher reads it from the
executed notebook and leaves it out of the HTML.

Every page is one file that opens offline (from a file share or an e-mail
attachment): no code cells, no prompts, charts embedded as ``data:`` images,
the house CSS inline, and no ``<script>`` at all. A Content-Security-Policy in
each page forbids scripts and any request to another address, so even HTML a
notebook should not have produced cannot run or phone home.

Layout written by :mod:`zgwlib.publish.runner` and read here::

    <out>/index.html                          every period: the months, the weeks when there are any, and every
                                              day of a report published on request
    <out>/<periode>/index.html                every department's reports of that month (or ISO week, YYYY-Www)
    <out>/<peildatum>/...                     the same for a report published on request (YYYY-MM-DD)
    <out>/<periode>/<afdeling-slug>/<rapport>.html, .ipynb, .json
    <out>/<periode>/<afdeling-slug>/<rapport>.mislukt.html, .ipynb, .json   (last failed run)
    <out>/<periode>/.zonder-map/<afdeling-slug>.<rapport>.json   (last failed run whose folder could not be written)

The ``.json`` beside each report is its index entry (see :func:`entry`); the
index pages are rebuilt from those files, so runs for a few departments merge
with earlier runs instead of replacing the whole index.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import html
import json
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zgwlib.core import nl
from zgwlib.core.files import write_text_atomic
from zgwlib.core.periods import folder_label, is_peildatum, is_periode, is_week, period_days
from zgwlib.core.terms import NIET_INGEVULD, ORGANISATIE, PLACEHOLDER, SUMMARY_MIME

#: Infix of the files of a failed run, beside the last good report (``x.mislukt.html``).
FAILED_INFIX = ".mislukt"

#: Pieces a month may have beside its reports (written by :mod:`zgwlib.publish.intranet`), linked from its index
#: only when they exist: file name and Dutch link text.
MONTH_PIECES: tuple[tuple[str, str], ...] = (
    ("intranet.html", "Intranetartikel van de maand"),
    ("intranet.md", "Hetzelfde artikel als platte tekst (Markdown), om te plakken"),
    ("keyuser-overleg.html", "Agenda van het volgende key-user-overleg"),
)

#: Status values in an index entry.
OK, FAILED = "ok", "mislukt"

#: The folder in a period folder that holds the index entry of a failed run whose department folder could not be
#: made or written (a file in its place, no permission, a full disk): the failure still shows on the index. Hidden,
#: so it is never taken for a department's folder (a folder name never starts with a dot, core.terms.slug).
NO_FOLDER = ".zonder-map"

#: No scripts, no requests to anywhere: images only as data: URIs, styles only inline.
CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
    "base-uri 'none'; form-action 'none'"
)

#: Cell tags that keep a cell (or its output) out of the HTML, as in nbconvert's TagRemovePreprocessor.
REMOVE_CELL_TAGS = frozenset({"remove_cell", "remove-cell"})
REMOVE_OUTPUT_TAGS = frozenset({"remove_output", "remove-output"})

# --------------------------------------------------------------------------- names


def afdeling_label(afdeling: str, gemeente: str | None = None) -> str:
    """How a department is named in titles; the whole organisation is named after the municipality."""
    if afdeling == ORGANISATIE:
        return gemeente or "hele organisatie"
    return afdeling


def page_title(titel: str, afdeling: str, periode: str, gemeente: str | None = None) -> str:
    """Dutch title of one report page: ``"Maandrapportage Vergunningverlening – oktober 2026"``, for a weekly
    report ``"Termijnbewaking Vergunningverlening – week 48 van 2026"``, for a report on request a day
    (``"Evaluatie Financiën – 1 juli 2026"``)."""
    return f"{titel} {afdeling_label(afdeling, gemeente)} – {folder_label(periode)}"


def _eenheid(periode: str) -> str:
    """The Dutch word for the kind of period: ``"maand"``, ``"week"`` or (a report on request) ``"datum"``."""
    return "week" if is_week(periode) else "maand" if is_periode(periode) else "datum"


def _when(iso: str | None) -> str:
    if not iso:
        return "–"
    moment = dt.datetime.fromisoformat(iso)
    return f"{nl.datum(moment)} om {moment:%H:%M}"


def data_label(data: dict[str, Any]) -> str:
    """One line saying which data a report was made from: municipality, kind of source, up to which day, made when.

    Never a path or an address on the server: the pages are read by every employee.
    """
    parts = [str(data.get("gemeente") or "onbekende gemeente")]
    if data.get("bron"):
        # The kind of source only ("import", "zgw-api"): the rest is a path or address on the server.
        parts.append(f"bron: {str(data['bron']).split(':', 1)[0].strip()}")
    if data.get("periode_tot"):
        parts.append(f"gegevens tot en met {nl.datum(data['periode_tot'])}")
    if data.get("aangemaakt_op"):
        parts.append(f"snapshot van {nl.datum(str(data['aangemaakt_op'])[:10])}")
    return " · ".join(parts)


# --------------------------------------------------------------------------- reading executed notebooks


def _set_alt(out: Any, heading: str) -> None:
    """Give an image a Dutch alternative text: its own ``alt`` metadata, else the section it is in."""
    data = out.get("data") or {}
    mime = next((m for m in ("image/png", "image/jpeg") if m in data), None)
    if mime is None:
        return
    meta = out.setdefault("metadata", {})
    own = (meta.get(mime) or {}).get("alt") if isinstance(meta.get(mime), dict) else None
    own = own or meta.get("alt")
    meta["zgw_alt"] = str(own or (f"Grafiek: {heading}" if heading else "Grafiek"))


def hide_placeholders(text: str) -> str:
    """Markdown with every paragraph that holds :data:`~zgwlib.core.terms.PLACEHOLDER` replaced by
    :data:`~zgwlib.core.terms.NIET_INGEVULD`: an unfilled "✏️ Vul hier in" never reaches a published page."""
    if PLACEHOLDER.lower() not in text.lower():
        return text
    blocks = re.split(r"(\n[ \t]*\n)", text)  # paragraphs, keeping the blank lines between them
    return "".join(f"*{NIET_INGEVULD}*" if PLACEHOLDER.lower() in b.lower() else b for b in blocks)


def _for_html(nb: Any, *, failed: bool) -> Any:
    """A copy of ``nb`` with only what a reader should see (no code, no unfilled placeholders)."""
    nb = copy.deepcopy(nb)
    cells = []
    heading = ""
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if cell.cell_type == "markdown":
            cell.source = hide_placeholders(cell.source)
            found = re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", cell.source, flags=re.MULTILINE)
            heading = found[-1] if found else heading
        if tags & REMOVE_CELL_TAGS or "papermill-error-cell-tag" in tags:
            # papermill's red "execution stopped here" markers: the page gets its own Dutch banner.
            continue
        if cell.cell_type == "code":
            outputs = [] if tags & REMOVE_OUTPUT_TAGS else cell.get("outputs", [])
            kept = []
            for out in outputs:
                if SUMMARY_MIME in (out.get("data") or {}):
                    continue
                if out.get("output_type") == "stream" and out.get("name") == "stderr" and not failed:
                    # Warnings belong in the executed notebook, not in a report for team leaders.
                    continue
                data = out.get("data") or {}
                if isinstance(data.get("text/markdown"), str):
                    data["text/markdown"] = hide_placeholders(data["text/markdown"])
                _set_alt(out, heading)
                kept.append(out)
            if not kept:
                continue
            cell.outputs = kept
        elif cell.cell_type == "raw":
            continue
        cells.append(cell)
    nb.cells = cells
    return nb


# --------------------------------------------------------------------------- HTML



#: The report and page templates and the house CSS, shipped inside the package (package data).
TEMPLATES = Path(__file__).resolve().parent / "templates"

#: What the head of every page the kit writes says (``templates/*.html.j2``, since the first ``zgw run``): how a
#: run tells its own index pages from a page someone else keeps in the same folder.
GENERATOR = '<meta name="generator" content="zgw">'


def written_by_zgw(page: str | os.PathLike[str]) -> bool:
    """Whether the HTML file ``page`` is one the kit wrote (its head names zgw as the generator)."""
    try:
        with open(page, encoding="utf-8", errors="replace") as f:
            return GENERATOR in f.read(4096)
    except OSError:
        return False


@functools.cache
def house_css() -> str:
    """The house style of every page (``templates/zgw.css``)."""
    return (TEMPLATES / "zgw.css").read_text(encoding="utf-8")


@functools.cache
def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader

    # Every value is either escaped by the caller or marked safe; autoescape catches any that is neither.
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, keep_trailing_newline=True)


_exporter_lock = threading.Lock()
_exporter: Any = None


def _html_exporter() -> Any:
    # Built once per process: compiling the templates costs more than converting a report.
    global _exporter
    if _exporter is None:
        from jinja2 import FileSystemLoader
        from nbconvert import HTMLExporter

        _exporter = HTMLExporter(
            extra_loaders=[FileSystemLoader(TEMPLATES)],
            template_file="report.html.j2",
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            embed_images=True,
            exclude_anchor_links=True,
            language_code="nl",
        )
    return _exporter


_ACTIVE = re.compile(r"<(/?)(script|iframe|object|embed|frame|frameset|applet|base)\b", re.IGNORECASE)
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_REMOTE_ATTR = re.compile(
    r"""\b(src|srcset|poster|data|background|xlink:href)\s*=\s*(["']?)\s*(?:https?:|ftp:)?//[^"'\s>]*\2""",
    re.IGNORECASE,
)
_REMOTE_CSS = re.compile(r"""(@import\s+)?url\(\s*["']?\s*(?:https?:)?//[^)]*\)""", re.IGNORECASE)


def self_contained(page: str) -> str:
    """Make an HTML page safe to open offline: nothing that runs, nothing fetched from elsewhere.

    Script-like elements (``<script>``, ``<iframe>``, ...) are turned into visible
    text, remote ``src`` attributes and stylesheet links are dropped. Reports
    need none of these; the page's Content-Security-Policy would block them
    anyway, this makes the file itself clean too.
    """
    page = _ACTIVE.sub(lambda m: f"&lt;{m.group(1)}{m.group(2)}", page)
    page = _LINK_TAG.sub("", page)
    page = _REMOTE_ATTR.sub(lambda m: f'{m.group(1)}=""', page)
    return _REMOTE_CSS.sub("none", page)


def _page(title: str, header: str, body: str, footer: str) -> str:
    """A complete page (index pages) in the same house style as the reports (``templates/page.html.j2``)."""
    from markupsafe import Markup

    return _environment().get_template("page.html.j2").render(
        csp=Markup(CSP), title=Markup(html.escape(title)), css=Markup(house_css()), header=Markup(header),
        body=Markup(body), footer=Markup(footer),
    )


def standalone_page(title: str, sub: str, body: str, footer: str, back_href: str | None = "index.html",
                    back_text: str = "Alle rapporten van deze maand") -> str:
    """A complete self-contained page in the house style (same CSP and CSS as the reports).

    ``title``, ``sub`` and ``back_text`` are plain text (escaped here); ``body`` and ``footer`` are HTML the
    caller made with every text from data escaped.
    """
    return self_contained(_page(title, _header(title, sub, back_href, back_text), body, footer))


def _header(title: str, sub: str, back_href: str | None, back_text: str) -> str:
    nav = f'<nav class="zgw-niet-printen"><a href="{back_href}">← {html.escape(back_text)}</a></nav>' if back_href else ""
    return (
        f'<header class="zgw-kop">{nav}<h1>{html.escape(title)}</h1>'
        f"<p>{html.escape(sub)}</p></header>"
    )


@dataclass
class ReportPage:
    """What the publisher needs to know about one executed report besides the notebook.

    Parameters
    ----------
    titel : str
        Name of the report (notebook metadata ``zgw.titel``), e.g. ``"Maandrapportage"``.
    afdeling : str
        Department, or :data:`ORGANISATIE`.
    periode : str
        Month, ``YYYY-MM``.
    data : dict
        The snapshot's ``meta.json`` fields shown with the report (``gemeente``, ``bron``, ``periode_tot``, ...).
    fout : str, optional
        Why the run failed; ``None`` for a good report.
    eerder_gelukt : bool
        For a failed run: whether a good report of this department and month is already published.
    """

    titel: str
    afdeling: str
    periode: str
    data: dict[str, Any] = field(default_factory=dict)
    fout: str | None = None
    eerder_gelukt: bool = False

    @property
    def paginatitel(self) -> str:
        """The Dutch page title: the report's ``titel``, the department and the month."""
        return page_title(self.titel, self.afdeling, self.periode, self.data.get("gemeente"))


def render_report(nb: Any, page: ReportPage) -> str:
    """Convert an executed notebook to one self-contained HTML page without code.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook (it is not changed).
    page : ReportPage
        Title, department, month, data and, for a failed run, the error.

    Returns
    -------
    str
        The HTML document.
    """
    failed = page.fout is not None
    banner = ""
    if failed:
        banner = (
            '<div class="zgw-mislukt" role="alert"><strong>Dit rapport is niet gelukt.</strong> '
            f"{html.escape(page.fout or '')}<br>Deze pagina laat zien waar het misging. "
            + (
                f"Het eerder gelukte rapport van deze afdeling en {_eenheid(page.periode)} blijft staan."
                if page.eerder_gelukt
                else f"Er is voor deze afdeling en {_eenheid(page.periode)} nog geen gelukt rapport."
            )
            + "</div>"
        )
    header = _header(page.paginatitel, f"Rapportages {folder_label(page.periode)}", "../index.html",
                     f"Alle rapporten van deze {_eenheid(page.periode)}")
    footer = f'<footer class="zgw-voet">Gegevens: {html.escape(data_label(page.data))}.</footer>'
    resources = {
        "metadata": {"name": page.paginatitel},
        "zgw": {"title": html.escape(page.paginatitel), "csp": CSP, "css": house_css(), "header": header, "banner": banner,
                "footer": footer},
    }
    with _exporter_lock:
        body, _ = _html_exporter().from_notebook_node(_for_html(nb, failed=failed), resources=resources)
    return self_contained(body)


# --------------------------------------------------------------------------- index entries


def entry(
    *,
    rapport: str,
    page: ReportPage,
    status: str,
    gemaakt_op: str,
    duur_s: float,
    notebook: str,
    samenvatting: dict[str, Any] | None,
) -> dict[str, Any]:
    """The index entry of one run, stored as ``<rapport>.json`` (or ``.mislukt.json``) beside the HTML."""
    stem = rapport + ("" if status == OK else FAILED_INFIX)
    return {
        "rapport": rapport,
        "titel": page.titel,
        "paginatitel": page.paginatitel,
        "afdeling": page.afdeling,
        "periode": page.periode,
        "status": status,
        "gemaakt_op": gemaakt_op,
        "duur_s": round(duur_s, 1),
        "notebook": notebook,
        "html": f"{stem}.html",
        "ipynb": f"{stem}.ipynb",
        "data": page.data,
        "samenvatting": samenvatting,
        "fout": page.fout,
    }


def no_folder_entry(period_dir: str | os.PathLike[str], folder: str, rapport: str) -> Path:
    """Where the index entry of a failed run of ``rapport`` goes when its department's ``folder`` could not be
    made or written (:data:`NO_FOLDER`). Unique: a folder name holds no dot."""
    return Path(period_dir) / NO_FOLDER / f"{folder}.{rapport}.json"


def read_entries(period_dir: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The index entries (``<afdeling>/<rapport>.json``, and those in :data:`NO_FOLDER`) of one month, each with
    ``_map``, its department's folder name."""
    return _read_entries(Path(period_dir))


def _read_entries(period_dir: Path) -> list[dict[str, Any]]:
    entries = []
    in_folders = [(f, f.parent.name) for f in sorted(period_dir.glob("*/*.json")) if not f.parent.name.startswith(".")]
    without = [(f, f.name.split(".", 1)[0]) for f in sorted((period_dir / NO_FOLDER).glob("*.json"))]
    for file, folder in in_folders + without:
        try:
            record = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue  # not ours or damaged: the index shows what it can
        if isinstance(record, dict) and {"rapport", "afdeling", "status"} <= record.keys():
            record["_map"] = folder
            entries.append(record)
    return entries


def _format_value(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_format_value(v)}" for k, v in value.items() if v not in (None, ""))
    if isinstance(value, (list, tuple)):
        return ", ".join(_format_value(v) for v in value)
    if isinstance(value, float):
        return nl.getal(value, 1)
    if isinstance(value, int) and not isinstance(value, bool):
        return nl.getal(value)
    return "–" if value is None else str(value)


def _report_card(good: dict[str, Any] | None, failed: dict[str, Any] | None) -> str:
    e = good or failed
    assert e is not None
    folder = html.escape(e["_map"])
    parts = []
    cls = "zgw-rapport is-mislukt" if failed else "zgw-rapport"
    if good:
        link = f'<a href="{folder}/{html.escape(good["html"])}">{html.escape(good.get("titel") or good["rapport"])}</a>'
    else:
        link = html.escape(e.get("titel") or e["rapport"])
    label = ' <span class="zgw-label">mislukt</span>' if failed else ""
    parts.append(f"<h3>{link}{label}</h3>")
    summary = (good or {}).get("samenvatting") or {}
    if summary.get("kampioen") not in (None, "", [], {}):
        parts.append(
            f'<p class="zgw-kampioen">Kampioen van de maand: <strong>{html.escape(_format_value(summary["kampioen"]))}</strong></p>'
        )
    eigen = summary.get("periode")
    if isinstance(eigen, str) and eigen != e.get("periode") and is_periode(eigen):
        # A report about another month (the evaluation's peildatum) must not read as this month's figures.
        parts.append(f'<p class="zgw-meta">Cijfers over {html.escape(nl.maand(eigen))}</p>')
    kern = summary.get("kerncijfers")
    if isinstance(kern, dict) and kern:
        items = "".join(
            f"<div><dt>{html.escape(str(k))}</dt><dd>{html.escape(_format_value(v))}</dd></div>" for k, v in kern.items()
        )
        parts.append(f'<dl class="zgw-kerncijfers">{items}</dl>')
    if good:
        parts.append(
            f'<p class="zgw-meta">Gemaakt op {html.escape(_when(good.get("gemaakt_op")))} · '
            f'Gegevens: {html.escape(data_label(good.get("data") or {}))} · '
            f'<a href="{folder}/{html.escape(good["ipynb"])}">notebook</a></p>'
        )
    if failed:
        keep = "Het laatste goede rapport hierboven blijft staan." if good else "Er is nog geen gelukt rapport."
        # A run whose folder could not be written has no pages to link to (its entry is in NO_FOLDER).
        links = (f' (<a href="{folder}/{html.escape(failed["html"])}">foutrapport</a>, '
                 f'<a href="{folder}/{html.escape(failed["ipynb"])}">notebook</a>)' if failed.get("html") else "")
        parts.append(
            f'<p class="zgw-mislukt">Run van {html.escape(_when(failed.get("gemaakt_op")))} is mislukt: '
            f'{html.escape(str(failed.get("fout") or "onbekende fout"))}{links}. {keep}</p>'
        )
    return f'<article class="{cls}">{"".join(parts)}</article>'


def _group(entries: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, dict[str, Any]]]]:
    """``{afdeling: {rapport: {"ok": entry, "mislukt": entry}}}``, organisation first, then by name."""
    grouped: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
    for e in entries:
        grouped.setdefault(e["afdeling"], {}).setdefault(e["rapport"], {})[e["status"]] = e
    order = sorted(grouped, key=lambda a: (a != ORGANISATIE, a.lower()))
    return {a: dict(sorted(grouped[a].items())) for a in order}


def _gemeente(entries: list[dict[str, Any]]) -> str | None:
    newest = sorted(entries, key=lambda e: e.get("gemaakt_op") or "")
    for e in reversed(newest):
        if (e.get("data") or {}).get("gemeente"):
            return str(e["data"]["gemeente"])
    return None


def write_period_index(period_dir: str | os.PathLike[str]) -> Path:
    """(Re)build ``<periode>/index.html`` from the entries of every report of that month.

    Returns
    -------
    pathlib.Path
        The index file.
    """
    period_dir = Path(period_dir)
    periode = period_dir.name
    entries = _read_entries(period_dir)
    gemeente = _gemeente(entries)
    grouped = _group(entries)
    n_failed = sum(1 for e in entries if e["status"] == FAILED)
    n_ok = sum(1 for e in entries if e["status"] == OK)
    sections = []
    if n_failed:
        items = "".join(
            f"<li>{html.escape(afdeling_label(e['afdeling'], gemeente))}: {html.escape(e.get('titel') or e['rapport'])}"
            f" – {html.escape(str(e.get('fout') or ''))}</li>"
            for e in entries
            if e["status"] == FAILED
        )
        sections.append(
            f'<section class="zgw-mislukt"><h2>Mislukte runs ({n_failed})</h2><ul>{items}</ul></section>'
        )
    extra = [(f, label) for f, label in MONTH_PIECES if (period_dir / f).is_file()]
    if extra:
        items = "".join(f'<li><a href="{html.escape(f)}">{html.escape(label)}</a></li>' for f, label in extra)
        sections.append(f'<section class="zgw-afdeling"><h2>Voor het intranet en het key-user-overleg</h2>'
                        f"<ul>{items}</ul></section>")
    for afdeling, reports in grouped.items():
        name = "Hele organisatie" if afdeling == ORGANISATIE else afdeling
        cards = "".join(_report_card(r.get(OK), r.get(FAILED)) for r in reports.values())
        sections.append(f'<section class="zgw-afdeling"><h2>{html.escape(name)}</h2>{cards}</section>')
    if not grouped:
        sections.append(f"<p>Er zijn voor deze {_eenheid(periode)} nog geen rapporten.</p>")
    month = folder_label(periode)
    title = f"Rapportages {month}" + (f" – {gemeente}" if gemeente else "")
    sub = f"{n_ok} rapport{'en' if n_ok != 1 else ''}" + (f" · {n_failed} mislukt" if n_failed else "")
    if is_week(periode):
        sub = f"{period_days(periode)} · {sub}"
    footer = '<footer class="zgw-voet">Gemaakt met zgw, de rapportagekit voor zaakgericht werken.</footer>'
    back = "Alle weken en maanden" if is_week(periode) else "Alle maanden"
    page = _page(title, _header(title, sub, "../index.html", back), "\n".join(sections), footer)
    target = period_dir / "index.html"
    write_text_atomic(target, page)
    return target


def write_site_index(out_dir: str | os.PathLike[str]) -> Path:
    """(Re)build ``<out>/index.html``: every month that has reports, newest first, the weeks beside them when
    there are any, and under their own day the reports published on request (the evaluation).

    Returns
    -------
    pathlib.Path
        The index file.
    """
    out_dir = Path(out_dir)

    def folders(kind: Any) -> list[Path]:
        return sorted((p for p in out_dir.iterdir() if p.is_dir() and kind(p.name) and (p / "index.html").exists()),
                      key=lambda p: p.name, reverse=True)

    gemeente, items = _period_items(folders(is_periode))
    week_gemeente, week_items = _period_items(folders(is_week))
    day_gemeente, day_items = _period_items(folders(is_peildatum))
    gemeente = gemeente or week_gemeente or day_gemeente
    body = (f'<ul class="zgw-perioden">{"".join(items)}</ul>' if items
            else "" if day_items or week_items else "<p>Er zijn nog geen rapporten.</p>")
    sub = "Kies een maand."
    if week_items:
        # Only a site with weekly reports lists them, beside the months (a monthly-only site stays as it was).
        months = f'<ul class="zgw-perioden">{"".join(items)}</ul>' if items else "<p>Nog geen maandrapporten.</p>"
        body = (f'<section><h2>Weken</h2><ul class="zgw-perioden">{"".join(week_items)}</ul></section>'
                f"<section><h2>Maanden</h2>{months}</section>")
        sub = "Kies een week of een maand."
    if day_items:  # the evaluation and other reports on request: under their own day, never under a month
        body += f'<h2>Op verzoek gepubliceerd</h2><ul class="zgw-perioden">{"".join(day_items)}</ul>'
    title = "Rapportages zaakgericht werken" + (f" – {gemeente}" if gemeente else "")
    footer = '<footer class="zgw-voet">Gemaakt met zgw, de rapportagekit voor zaakgericht werken.</footer>'
    page = _page(title, _header(title, sub, None, ""), body, footer)
    target = out_dir / "index.html"
    write_text_atomic(target, page)
    return target


def _period_items(periods: list[Path]) -> tuple[str | None, list[str]]:
    """The list items of the site index for these period folders, and the municipality's name found in them."""
    gemeente = None
    items = []
    for p in periods:
        entries = _read_entries(p)
        gemeente = gemeente or _gemeente(entries)
        n_ok = sum(1 for e in entries if e["status"] == OK)
        n_failed = sum(1 for e in entries if e["status"] == FAILED)
        afdelingen = len({e["afdeling"] for e in entries})
        made = max((e.get("gemaakt_op") or "" for e in entries), default="")
        failed = f' · <span class="zgw-label">{n_failed} mislukt</span>' if n_failed else ""
        name = folder_label(p.name) + (f" ({period_days(p.name)})" if is_week(p.name) else "")
        # A day's folder holds a report on request: say which, it has no month to explain it.
        wat = (f"{html.escape(', '.join(sorted({str(e.get('titel') or e['rapport']) for e in entries})))}: "
               if is_peildatum(p.name) else "")
        items.append(
            f'<li><a href="{p.name}/index.html"><strong>{html.escape(name)}</strong></a><br>'
            f'<span class="zgw-meta">{wat}{n_ok} rapport{"en" if n_ok != 1 else ""} voor {afdelingen} '
            f'afdeling{"en" if afdelingen != 1 else ""}{failed} · bijgewerkt op {html.escape(_when(made or None))}</span></li>'
        )
    return gemeente, items
