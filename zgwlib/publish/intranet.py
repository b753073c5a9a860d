"""The month's pieces beside the reports: the intranet article (VNG tip 8) and the key-user agenda (tip 9).

``zgw run`` writes, in ``<out>/<periode>/``:

* ``intranet.html`` and ``intranet.md`` from the organisation's monthly report summary (key ``intranet``, made by
  :func:`zgwlib.maandrapportage.intranet.make_intranet_piece`): the champion of the month, one tip, the new
  milestones and the team that improved most, as a short Dutch article to paste into the intranet;
* ``keyuser-overleg.html`` from the organisation's borging summary (key ``keyuser_overleg``, made by
  :func:`zgwlib.borging.figures.make_agenda_summary`) in the months before a key-user meeting.

The publisher knows summaries, not figures (``docs/architecture.md``). Every text in a summary is plain text with
names from the data: escaped in the HTML, and backslash-escaped in the Markdown, the one place the kit writes
Markdown, since readers paste it into an intranet editor that would read ``[x](https://...)`` as a link.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import Any

from zgwlib.core import nl
from zgwlib.core.files import write_text_atomic
from zgwlib.core.periods import maand_einde
from zgwlib.core.terms import ORGANISATIE
from zgwlib.publish import pages

INTRANET_HTML, INTRANET_MD, AGENDA_HTML = "intranet.html", "intranet.md", "keyuser-overleg.html"

#: Every ASCII punctuation character that means something in Markdown (CommonMark lets a backslash escape each).
_MD_SPECIAAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&=:\"'])")


def md_text(value: Any) -> str:
    """Plain text for Markdown: whitespace (newlines too) collapsed, every special character backslash-escaped."""
    return _MD_SPECIAAL.sub(r"\\\1", re.sub(r"\s+", " ", str(value)).strip())


def _summary(period_dir: Path, key: str) -> dict[str, Any] | None:
    """``samenvatting[key]`` of the organisation's good reports of the month (the newest run wins)."""
    found = None
    newest = ""
    for e in pages.read_entries(period_dir):
        if e.get("afdeling") != ORGANISATIE or e.get("status") != pages.OK:
            continue
        value = (e.get("samenvatting") or {}).get(key)
        if isinstance(value, dict) and (e.get("gemaakt_op") or "") >= newest:
            found, newest = value, e.get("gemaakt_op") or ""
    return found


def _kampioen_tekst(piece: dict[str, Any]) -> str | None:
    namen = [str(n) for n in piece.get("kampioen") or []]
    if not namen:
        return None
    wie = " en ".join(namen)
    score = piece.get("kampioen_score")
    extra = f" met een kampioensscore van {nl.getal(score, 0)}" if isinstance(score, (int, float)) else ""
    return (f"Zaakgericht werken Kampioen van {nl.maand(piece['periode'])}: {wie}{extra}. De score is het gemiddelde "
            "van drie percentages: zaken binnen de wettelijke termijn, zaken volgens de werkwijze afgesloten en "
            "medewerkers die het zaaksysteem gebruikten. Gefeliciteerd!")


def _secties(piece: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The article as (heading, paragraphs or list items) in plain text."""
    out: list[tuple[str, list[str]]] = []
    kampioen = _kampioen_tekst(piece)
    out.append(("Kampioen van de maand", [kampioen or "Deze maand deed geen afdeling mee aan het kampioenschap."]))
    if piece.get("tip"):
        out.append(("Tip van de maand", [str(piece["tip"])]))
    mijlpalen = [str(m) for m in piece.get("mijlpalen") or []]
    out.append(("Nieuwe mijlpalen", mijlpalen or ["Deze maand geen nieuwe mijlpaal."]))
    spot = piece.get("spotlight") or {}
    if spot.get("tekst"):
        out.append(("In de schijnwerpers", [str(spot["tekst"])]))
    return out


def render_intranet_html(piece: dict[str, Any]) -> str:
    """The intranet article as one self-contained page in the house style."""
    maand = nl.maand(piece["periode"])
    body = []
    for kop, regels in _secties(piece):
        body.append(f"<h2>{html.escape(kop)}</h2>")
        if kop == "Nieuwe mijlpalen" and len(regels) > 1:
            body.append("<ul>" + "".join(f"<li>{html.escape(r)}</li>" for r in regels) + "</ul>")
        else:
            body.extend(f"<p>{html.escape(r)}</p>" for r in regels)
    gemeente = piece.get("gemeente") or ""
    footer = ('<footer class="zgw-voet">Kopieer de tekst naar het intranet; als platte tekst: '
              f'<a href="{INTRANET_MD}">{INTRANET_MD}</a>. Gemaakt met zgw uit de maandrapportage van '
              f"{html.escape(maand)}.</footer>")
    title = f"Zaakgericht werken in {maand}"
    sub = f"Intranetartikel{' – ' + gemeente if gemeente else ''}"
    return pages.standalone_page(title, sub, "\n".join(body), footer)


def render_intranet_md(piece: dict[str, Any]) -> str:
    """The same article as Markdown; every text escaped, so nothing from the data becomes a link or markup."""
    lines = [f"# {md_text('Zaakgericht werken in ' + nl.maand(piece['periode']))}", ""]
    for kop, regels in _secties(piece):
        lines += [f"## {md_text(kop)}", ""]
        if kop == "Nieuwe mijlpalen" and len(regels) > 1:
            lines += [f"- {md_text(r)}" for r in regels]
        else:
            for r in regels:
                lines += [md_text(r), ""]
        if lines[-1] != "":
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def render_agenda_html(agenda: dict[str, Any]) -> str:
    """The key-user agenda: each item with its headline number and the table behind it (every cell escaped)."""
    body = [f"<p>{html.escape('Punten uit de verkenning van de catalogus, elk met het cijfer erachter. Gegevens tot en met ' + nl.datum(maand_einde(agenda['periode'])) + '.')}</p>"]
    for i, item in enumerate(agenda.get("items") or [], 1):
        body.append(f"<h2>{i}. {html.escape(str(item.get('titel')))} ({html.escape(str(item.get('cijfer')))})</h2>")
        body.append(f'<p class="zgw-meta">{html.escape(str(item.get("toelichting") or ""))}</p>')
        rijen = item.get("rijen")
        if rijen is None:  # unknown (no document data): the toelichting says so; it is not "nothing found"
            continue
        if rijen:
            head = "".join(f"<th>{html.escape(str(k))}</th>" for k in item.get("kolommen") or [])
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in rijen)
            # A wide table scrolls inside its box: the page itself stays as wide as a phone's screen.
            body.append(f'<div style="overflow-x:auto;max-width:100%"><table><thead><tr>{head}</tr></thead>'
                        f"<tbody>{rows}</tbody></table></div>")
        else:
            body.append("<p>Niets gevonden: dit punt kan van de agenda.</p>")
    title = f"Agenda key-user-overleg {nl.datum(agenda['datum'])}"
    sub = f"Zaaktypen en documenttypen (VNG-tip 9){' – ' + str(agenda['gemeente']) if agenda.get('gemeente') else ''}"
    footer = '<footer class="zgw-voet">Gemaakt met zgw uit het borgingsrapport van de hele organisatie.</footer>'
    return pages.standalone_page(title, sub, "\n".join(body), footer)


def write_month_pieces(period_dir: str | os.PathLike[str]) -> list[Path]:
    """Write the month's intranet article and key-user agenda from the organisation's summaries, when they have them.

    A piece whose summary is missing (a run for a few departments only, or no meeting next month) is left as it
    is: never deleted. Returns the files written.
    """
    period_dir = Path(period_dir)
    written: list[Path] = []
    piece = _summary(period_dir, "intranet")
    if piece is not None and piece.get("periode"):
        write_text_atomic(period_dir / INTRANET_HTML, render_intranet_html(piece))
        write_text_atomic(period_dir / INTRANET_MD, render_intranet_md(piece))
        written += [period_dir / INTRANET_HTML, period_dir / INTRANET_MD]
    agenda = _summary(period_dir, "keyuser_overleg")
    if agenda is not None and agenda.get("datum") and agenda.get("periode"):
        write_text_atomic(period_dir / AGENDA_HTML, render_agenda_html(agenda))
        written.append(period_dir / AGENDA_HTML)
    return written
