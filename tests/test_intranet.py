"""The month's pieces beside the reports: the intranet article (HTML and Markdown) and the key-user agenda.

Written by the publisher from the organisation's summaries only; every text from the data is escaped in the HTML
and backslash-escaped in the Markdown (readers paste that into an intranet editor).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from zgwlib.publish import intranet, pages

EVIL = '[x](https://evil) <script>alert("x")</script> *vet* # kop'

PIECE = {
    "periode": "2026-10", "gemeente": "Gemeente <b>Voorbeeld</b>", "kampioen": [EVIL], "kampioen_score": 95.5,
    "tip": f"3 zaken van {EVIL} werden achteraf geregistreerd: registreer bij ontvangst.",
    "mijlpalen": ["De 10.000e zaak: Z-1.", f"Mijlpaal van {EVIL}."],
    "spotlight": {"afdeling": "Alfa", "team": EVIL, "van": 80.0, "naar": 90.0, "tekst": f"Team {EVIL} verbeterde het meest."},
}
AGENDA = {"datum": "2026-11-23", "periode": "2026-10", "gemeente": "Gemeente Voorbeeld", "items": [
    {"titel": "Zaaktypen zonder zaken", "cijfer": "1", "toelichting": "Beëindigen?", "kolommen": ["Zaaktype", "Naam"],
     "rijen": [["ZT-X", EVIL]]},
    {"titel": "Statussen die vaak worden overgeslagen", "cijfer": "0", "toelichting": "-", "kolommen": ["a"], "rijen": []},
]}


def _entry(folder: Path, rapport: str, afdeling: str, samenvatting: dict, gemaakt_op: str = "2026-11-02T06:00:00",
           status: str = "ok") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{rapport}.json").write_text(json.dumps({
        "rapport": rapport, "titel": rapport.capitalize(), "afdeling": afdeling, "periode": "2026-10", "status": status,
        "gemaakt_op": gemaakt_op, "html": f"{rapport}.html", "ipynb": f"{rapport}.ipynb", "data": {},
        "samenvatting": samenvatting}), encoding="utf-8")


def test_markdown_text_escapes_every_special_character_and_joins_lines() -> None:
    assert intranet.md_text("[x](https://evil)\n# kop") == r"\[x\]\(https\:\/\/evil\) \# kop".replace(r"\/", "/")
    assert intranet.md_text("<script> *a* _b_ `c` 1. 2+3 a|b") == r"\<script\> \*a\* \_b\_ \`c\` 1\. 2\+3 a\|b"


def test_the_organisations_summaries_become_the_article_and_the_agenda_linked_from_the_index(tmp_path: Path) -> None:
    month = tmp_path / "2026-10"
    _entry(month / "organisatie", "maandrapportage", "organisatie", {"intranet": PIECE})
    _entry(month / "organisatie", "borging", "organisatie", {"keyuser_overleg": AGENDA})
    _entry(month / "alfa", "maandrapportage", "Alfa", {"intranet": dict(PIECE, tip="van een afdeling: niet gebruikt")})
    written = intranet.write_month_pieces(month)
    assert sorted(p.name for p in written) == ["intranet.html", "intranet.md", "keyuser-overleg.html"]

    page = (month / "intranet.html").read_text(encoding="utf-8")
    assert "<script" not in page and 'href="https://evil' not in page and "<b>Voorbeeld" not in page
    assert "[x](https://evil) &lt;script&gt;" in page and "Content-Security-Policy" in page
    assert "Tip van de maand" in page and "van een afdeling" not in page and "Kampioensscore" not in page
    assert "met een kampioensscore van 96" in page and "<li>De 10.000e zaak: Z-1.</li>" in page

    md = (month / "intranet.md").read_text(encoding="utf-8")
    assert md.startswith("# Zaakgericht werken in oktober 2026\n") and "## In de schijnwerpers" in md
    # No special character of the data is left unescaped: every one has its backslash.
    for line in md.splitlines():
        body = re.sub(r"^(#+|-) ", "", line)  # the article's own headings and list marks
        assert not re.search(r"(?<!\\)[\[\]()<>*#_`]", body), line
    assert r"\[x\]\(https\:" in md and r"\<script\>" in md and r"\*vet\* \# kop" in md
    assert "- De 10\\.000e zaak\\: Z\\-1\\." in md

    agenda = (month / "keyuser-overleg.html").read_text(encoding="utf-8")
    assert "Agenda key-user-overleg 23 november 2026" in agenda and "<script" not in agenda
    assert "<td>[x](https://evil) &lt;script&gt;" in agenda and "Niets gevonden" in agenda

    index = pages.write_period_index(month).read_text(encoding="utf-8")
    for name in ("intranet.html", "intranet.md", "keyuser-overleg.html"):
        assert f'href="{name}"' in index


def test_without_pieces_the_index_has_no_link_and_a_later_partial_run_deletes_nothing(tmp_path: Path) -> None:
    month = tmp_path / "2026-10"
    _entry(month / "alfa", "maandrapportage", "Alfa", {"kerncijfers": {}})
    assert intranet.write_month_pieces(month) == []
    index = pages.write_period_index(month).read_text(encoding="utf-8")
    assert "intranet.html" not in index and "keyuser-overleg" not in index
    _entry(month / "organisatie", "maandrapportage", "organisatie", {"intranet": PIECE})
    intranet.write_month_pieces(month)
    # The organisation's next run failed: its good entry and the article stay.
    _entry(month / "organisatie", "maandrapportage.mislukt", "organisatie", {}, status="mislukt")
    (month / "organisatie" / "maandrapportage.mislukt.json").write_text(json.dumps({
        "rapport": "maandrapportage", "afdeling": "organisatie", "status": "mislukt"}), encoding="utf-8")
    assert [p.name for p in intranet.write_month_pieces(month)] == ["intranet.html", "intranet.md"]
    assert (month / "intranet.html").exists()
