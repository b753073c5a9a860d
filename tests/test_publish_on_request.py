"""Reports published on purpose (the evaluation): never in the monthly run, once when named, no placeholder text.

A kit folder holds a monthly report (``rapport.ipynb``), a report on request
(``evaluatie.ipynb``, metadata ``"op_verzoek": true``, with an unfilled
"✏️ Vul hier in" paragraph) and an adapted copy of it (``evaluatie-raad.ipynb``,
which keeps the mark, as a copy does). Two kernel runs: the default run and a
named run of the adapted copy with ``--peildatum``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from zgwlib.cli import main
from zgwlib.core import terms
from zgwlib.core.errors import UsageError
from zgwlib.publish import notebooks
from zgwlib.publish import pages as publish
from zgwlib.publish import runner as run

FIXTURES = Path(__file__).parent / "notebooks"
DAG = "2026-07-01"


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("kit")
    (root / "notebooks").mkdir()
    shutil.copy(FIXTURES / "rapport_ok.ipynb", root / "notebooks" / "rapport.ipynb")
    shutil.copy(FIXTURES / "op_verzoek.ipynb", root / "notebooks" / "evaluatie.ipynb")
    shutil.copy(FIXTURES / "op_verzoek.ipynb", root / "notebooks" / "evaluatie-raad.ipynb")
    return root


def _all_pages(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.html"))}


@pytest.fixture(scope="module")
def published(kit: Path, small_sample: Path) -> dict:
    out = kit / "outputs"
    monthly = run.run(afdelingen=["organisatie"], data=small_sample, out=out, workers=1, progress=False,
                      notebook_dir=kit / "notebooks")
    after_monthly = _all_pages(out)
    named = run.run([kit / "notebooks" / "evaluatie-raad.ipynb"], peildatum=DAG, afdelingen=["organisatie"],
                    data=small_sample, out=out, workers=1, progress=False)
    return {"monthly": monthly, "after_monthly": after_monthly, "named": named, "out": out,
            "pages": _all_pages(out)}


def test_the_default_run_publishes_no_report_on_request(published: dict) -> None:
    monthly = published["monthly"]
    assert not monthly.failed and [o.rapport for o in monthly.outcomes] == ["rapport"]
    assert not [name for name in published["after_monthly"] if "evaluatie" in name]


def test_a_named_run_publishes_the_report_once_under_its_day_and_own_name(published: dict) -> None:
    named, out = published["named"], published["out"]
    assert not named.failed and [(o.rapport, o.afdeling) for o in named.outcomes] == [("evaluatie-raad", "organisatie")]
    assert named.periode == DAG and named.index == out / DAG / "index.html"
    evaluaties = sorted(n for n in published["pages"] if "evaluatie" in n)
    # Once, under the day and under the copy's own name; never under a month, never as "evaluatie".
    assert evaluaties == [f"{DAG}/organisatie/evaluatie-raad.html"]
    page = published["pages"][evaluaties[0]]
    assert "Eenmalig testrapport Gemeente Voorbeeld – 1 juli 2026" in page
    site = published["pages"]["index.html"]
    assert "<h2>Op verzoek gepubliceerd</h2>" in site and f'href="{DAG}/index.html"><strong>1 juli 2026</strong>' in site
    assert site.index("oktober 2026") < site.index("Op verzoek gepubliceerd")  # the months stay as they were


def test_no_published_page_holds_placeholder_text(published: dict) -> None:
    for name, text in published["pages"].items():
        assert terms.PLACEHOLDER.lower() not in text.lower(), name
    page = published["pages"][f"{DAG}/organisatie/evaluatie-raad.html"]
    assert f"<em>{terms.NIET_INGEVULD}</em>" in page and "Deze alinea blijft staan." in page


def test_a_report_on_request_needs_a_day_and_a_day_takes_only_reports_on_request(kit: Path, small_sample: Path,
                                                                                 capsys: pytest.CaptureFixture) -> None:
    nb = kit / "notebooks" / "evaluatie.ipynb"
    with pytest.raises(UsageError, match=r"evaluatie\.ipynb is published on request, for one day: name the day "
                                         r"with --peildatum"):
        run.plan([nb], data=small_sample, out=kit / "x")
    with pytest.raises(UsageError, match=r"--peildatum is for reports published on request.*rapport\.ipynb is a "
                                         r"monthly report"):
        run.plan([nb, kit / "notebooks" / "rapport.ipynb"], peildatum=DAG, data=small_sample, out=kit / "x")
    with pytest.raises(UsageError, match=r"--peildatum '2026-07': expected a day as YYYY-MM-DD"):
        run.plan([nb], peildatum="2026-07", data=small_sample, out=kit / "x")
    with pytest.raises(UsageError, match="not both"):
        run.plan([nb], peildatum=DAG, periode="2026-06", data=small_sample, out=kit / "x")
    # The command line says so with exit code 2 and writes nothing.
    assert main(["run", str(nb), "--data", str(small_sample), "--out", str(kit / "x")]) == 2
    assert "--peildatum YYYY-MM-DD" in capsys.readouterr().err
    assert not (kit / "x").exists()


def test_discovery_leaves_out_reports_on_request_and_finds_their_texts_file(kit: Path) -> None:
    assert [nb.name for nb in notebooks.discover(kit / "notebooks")] == ["rapport"]
    raad = notebooks.read_report_notebook(kit / "notebooks" / "evaluatie-raad.ipynb")
    assert raad.op_verzoek and raad.publish and notebooks.teksten_file(raad) is None
    (kit / "notebooks" / "evaluatie-raad.teksten.yaml").write_text("alle: {}\n", encoding="utf-8")
    try:
        assert notebooks.teksten_file(raad) == (kit / "notebooks" / "evaluatie-raad.teksten.yaml").resolve()
    finally:
        (kit / "notebooks" / "evaluatie-raad.teksten.yaml").unlink()


def test_unfilled_paragraphs_are_replaced_and_the_rest_kept() -> None:
    text = "## Conclusies\n\n✏️ *Vul hier in:* wat betekenen\nde cijfers?\n\n**Vervolg**\n\nvul HIER in: iets"
    assert publish.hide_placeholders(text) == (
        f"## Conclusies\n\n*{terms.NIET_INGEVULD}*\n\n**Vervolg**\n\n*{terms.NIET_INGEVULD}*")
    assert publish.hide_placeholders("Geen plek om in te vullen.") == "Geen plek om in te vullen."
