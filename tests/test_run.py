"""``zgw run``: the runner on a small sample, end to end, plus its rules without kernels.

The end-to-end tests share one published tree (two notebooks x two departments
and the organisation), because every kernel start costs seconds.
"""

from __future__ import annotations

import errno
import html
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from zgwlib.core import nl
from zgwlib.publish import execute
from zgwlib.publish import pages as publish
from zgwlib.publish import runner as run
from zgwlib.publish import secrets
from zgwlib.publish import notebooks
from zgwlib.cli import main
from zgwlib.core.errors import UsageError
from zgwlib.data.sources import afdelingen, load_snapshot
from zgwlib.data.snapshot import read_meta, write_snapshot
from zgwlib.core import periods
from zgwlib.core import terms

FIXTURES = Path(__file__).parent / "notebooks"
MARKER = "zgw-geheim-marker-4711"
PLANTED = '<script>alert("zgw")</script> melding'
ZGW = [sys.executable, "-c", "import sys; from zgwlib.cli import main; sys.exit(main())"]


def zgw(args: list[str], cwd: Path, **extra_env: str) -> subprocess.CompletedProcess[str]:
    """Run the real command line in ``cwd`` with a secret in its environment."""
    env = {**os.environ, "ZGW_CLIENT_SECRET": MARKER, "JUPYTER_PLATFORM_DIRS": "1", **extra_env}
    return subprocess.run(ZGW + args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def planted(small_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small sample with a script planted in one zaak's omschrijving of the first department."""
    snap = load_snapshot(small_sample)
    zaken = snap.zaken.copy()
    first = afdelingen(small_sample)[0]
    row = zaken.index[zaken["afdeling"] == first][0]
    zaken.loc[row, "omschrijving"] = PLANTED
    tables = dict(snap.tables, zaken=zaken)
    return write_snapshot(tables, tmp_path_factory.mktemp("planted") / "gemeente", snap.meta)


@pytest.fixture(scope="module")
def site(planted: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A kit folder with two publishable notebooks and a scratch one, run twice with the same command (the second
    time without forked kernels)."""
    root = tmp_path_factory.mktemp("kit")
    (root / "notebooks").mkdir()
    shutil.copy(FIXTURES / "rapport_ok.ipynb", root / "notebooks" / "rapport.ipynb")
    shutil.copy(FIXTURES / "rapport_faalt.ipynb", root / "notebooks" / "tweede.ipynb")
    shutil.copy(FIXTURES / "kladblok.ipynb", root / "notebooks" / "kladblok.ipynb")
    (root / "goed.yaml").write_text("faal_voor: niemand\n", encoding="utf-8")
    depts = afdelingen(planted)[:2]
    args = ["run", "--data", str(planted), "--config", "goed.yaml", "--workers", "2", "--afdeling", *depts, "organisatie"]
    first = zgw(args, root)
    pages = {p.relative_to(root): p.read_bytes() for p in sorted((root / "outputs").rglob("rapport.html"))}
    # The second time with kernels started the usual way (as on Windows and macOS) instead of forked.
    second = zgw(args, root, ZGW_FORK_KERNELS="0")
    periode = periods.last_complete_month(read_meta(planted)["periode_tot"])
    return {"root": root, "out": root / "outputs", "depts": depts, "first": first, "second": second,
            "pages": pages, "periode": periode, "args": args, "data": planted}


def test_default_run_publishes_every_marked_notebook_per_department(site: dict) -> None:
    first, out, periode = site["first"], site["out"], site["periode"]
    assert first.returncode == 0, first.stderr
    slugs = [terms.slug(a) for a in site["depts"]] + ["organisatie"]
    for s in slugs:
        for report in ("rapport", "tweede"):
            for ext in (".html", ".ipynb", ".json"):
                assert (out / periode / s / f"{report}{ext}").is_file()
    assert not list(out.rglob("kladblok*")), "a notebook not marked for publication was run"
    assert not list((out / periode).glob(".tmp-*")), "temporary folders were left behind"
    log = (out / periode / run.LOG_NAME).read_text(encoding="utf-8")
    # The log lies in the published folder: the snapshot by its folder's name, never the server's path to it.
    assert "--data gemeente " in log and "--config goed.yaml" in log and str(site["data"]) not in log
    assert "6 done, 0 failed" in first.stdout
    assert f"Index: outputs/{periode}/index.html" in first.stdout


def test_index_pages_list_reports_champion_and_data(site: dict, planted: Path) -> None:
    out, periode = site["out"], site["periode"]
    meta = read_meta(planted)
    top = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="{periode}/index.html"' in top and nl.maand(periode) in top
    page = (out / periode / "index.html").read_text(encoding="utf-8")
    assert f"Rapportages {nl.maand(periode)} – {meta['gemeente']}" in page
    assert "Hele organisatie" in page
    for a in site["depts"]:
        assert f"<h2>{a}</h2>" in page
        assert f'href="{terms.slug(a)}/rapport.html"' in page
    # The champion the notebook put in its summary (most zaken closed in the month) is on the index.
    zaken = load_snapshot(planted).zaken
    closed = zaken[zaken["einddatum"].dt.to_period("M") == pd.Period(periode, "M")]
    champion = closed["afdeling"].value_counts().index[0]
    assert f"Kampioen van de maand: <strong>{champion}</strong>" in page
    assert f"Gegevens: {meta['gemeente']}" in page and "Gemaakt op" in page
    assert "Mislukte runs" not in page and 'zgw-label">mislukt' not in page


def test_report_html_is_dutch_self_contained_without_code(site: dict, planted: Path) -> None:
    out, periode = site["out"], site["periode"]
    gemeente = read_meta(planted)["gemeente"]
    dept = site["depts"][0]
    page = (out / periode / terms.slug(dept) / "rapport.html").read_text(encoding="utf-8")
    assert f"<title>Testrapport {dept} – {nl.maand(periode)}</title>" in page
    assert '<html lang="nl">' in page and 'name="viewport"' in page and "@media print" in page
    assert "Content-Security-Policy" in page
    assert "load_snapshot(" not in page and "In&nbsp;[" not in page and "Out[" not in page
    assert "data:image/png;base64," in page and "Nieuwe zaken per maand" in page
    assert terms.SUMMARY_MIME not in page and '"kampioen"' not in page
    org = (out / periode / "organisatie" / "rapport.html").read_text(encoding="utf-8")
    assert f"Testrapport {gemeente} – {nl.maand(periode)}" in org
    for html_file in out.rglob("*.html"):
        text = html_file.read_text(encoding="utf-8")
        assert '<script src="http' not in text and "<script" not in text.lower(), html_file
        assert PLANTED not in text, html_file
    # The planted zaak is shown, escaped, in its department's report and the organisation's.
    escaped = "&lt;script&gt;alert("
    assert escaped in page and escaped in org


def test_no_secret_in_any_output(site: dict) -> None:
    files = [p for p in site["out"].rglob("*") if p.is_file()]
    assert len(files) > 20
    for p in files:
        assert MARKER not in p.read_text(encoding="utf-8", errors="replace"), p
    # The notebook really asked for it: the kernel's environment simply did not have it.
    executed = (site["out"] / site["periode"] / "organisatie" / "tweede.ipynb").read_text(encoding="utf-8")
    assert "geheim: None" in executed


def test_a_published_notebook_names_its_data_and_files_without_the_servers_paths(site: dict) -> None:
    root, out, periode, data = site["root"], site["out"], site["periode"], site["data"]
    assert not data.is_relative_to(root)  # the snapshot lies outside the working directory of the run
    for report in ("rapport", "tweede"):
        text = (out / periode / "organisatie" / f"{report}.ipynb").read_text(encoding="utf-8")
        assert str(data) not in text and str(root) not in text, report
        nb = json.loads(text)
        [injected] = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
        # Outside the working directory: the folder's name only; inside it: relative to it.
        assert f'data = "{data.name}"\n' in "".join(injected["source"])
        papermill = nb["metadata"]["papermill"]
        assert papermill["parameters"]["data"] == data.name
        assert papermill["input_path"] == f"notebooks/{report}.ipynb"
        assert papermill["output_path"] == f"outputs/{periode}/organisatie/{report}.ipynb"
        entry = json.loads((out / periode / "organisatie" / f"{report}.json").read_text(encoding="utf-8"))
        assert entry["notebook"] == f"notebooks/{report}.ipynb"
    # The kernel read the real snapshot: the organisation's report counts its zaken.
    assert "Nieuwe zaken" in (out / periode / "organisatie" / "rapport.html").read_text(encoding="utf-8")


def test_a_published_path_is_relative_inside_the_working_directory_else_only_its_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert execute.published_path(tmp_path / "parameters" / "archief.yaml") == "parameters/archief.yaml"
    assert execute.published_path("/srv/zaakdata") == "zaakdata"
    assert execute.published_path("/srv/www/outputs/2026-10/financien/archief.ipynb") == "archief.ipynb"


def test_the_index_entry_of_a_report_names_the_kind_of_source_not_its_path(planted: Path, tmp_path: Path) -> None:
    data = Path(shutil.copytree(planted, tmp_path / "zaakdata"))
    meta = json.loads((data / "meta.json").read_text(encoding="utf-8"))
    (data / "meta.json").write_text(json.dumps({**meta, "bron": "import: /srv/exports/oktober"}), encoding="utf-8")
    the_plan = run.plan([FIXTURES / "rapport_ok.ipynb"], data=data, out=tmp_path / "o")
    # What write_files stores in <rapport>.json beside the page, and what its footer and the index show.
    assert (the_plan.context.data_meta["bron"], the_plan.context.data_meta["map"]) == ("import", "zaakdata")
    assert "/srv" not in json.dumps(the_plan.context.data_meta)


def test_same_command_twice_gives_the_same_reports_with_forked_kernels_or_not(site: dict) -> None:
    second = site["second"]
    assert second.returncode == 0, second.stderr
    for rel, content in site["pages"].items():
        assert (site["root"] / rel).read_bytes() == content, rel
    assert len(site["pages"]) == 3


@pytest.fixture(scope="module")
def failed_run(site: dict, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The published tree copied, then 'rapport' replaced by a notebook that fails for one department."""
    root = tmp_path_factory.mktemp("kit-fail")
    shutil.copytree(site["root"], root, dirs_exist_ok=True)
    shutil.copy(FIXTURES / "rapport_faalt.ipynb", root / "notebooks" / "rapport.ipynb")
    bad = site["depts"][0]
    (root / "faalt.yaml").write_text(f"faal_voor: {json.dumps(bad)}\n", encoding="utf-8")
    args = ["run", "notebooks/rapport.ipynb", "--data", str(site["data"]), "--config", "faalt.yaml",
            "--afdeling", *site["depts"], "organisatie"]
    result = zgw(args, root)
    return {"root": root, "out": root / "outputs", "result": result, "bad": bad, "good": site["depts"][1]}


def test_failed_department_keeps_last_good_report(site: dict, failed_run: dict) -> None:
    result, out, periode = failed_run["result"], failed_run["out"], site["periode"]
    assert result.returncode == 4, result.stdout + result.stderr
    assert "1 of 3 runs failed" in result.stderr and "Traceback" not in result.stderr
    assert "FAILED" in result.stdout and "2 done, 1 failed" in result.stdout
    bad = out / periode / terms.slug(failed_run["bad"])
    rel = Path("outputs") / periode / terms.slug(failed_run["bad"]) / "rapport.html"
    assert (bad / "rapport.html").read_bytes() == site["pages"][rel], "the last good report was replaced"
    failed_page = (bad / "rapport.mislukt.html").read_text(encoding="utf-8")
    assert "Dit rapport is niet gelukt" in failed_page and "opzettelijke fout" in failed_page
    assert "eerder gelukte rapport" in failed_page
    assert "RuntimeError" in (bad / "rapport.mislukt.ipynb").read_text(encoding="utf-8")
    # The other departments were published from the new notebook.
    good = out / periode / terms.slug(failed_run["good"]) / "rapport.html"
    assert "Falend testrapport" in good.read_text(encoding="utf-8")
    index = (out / periode / "index.html").read_text(encoding="utf-8")
    assert "Mislukte runs (1)" in index and "opzettelijke fout voor" in index
    assert f'href="{terms.slug(failed_run["bad"])}/rapport.mislukt.html"' in index
    assert "Het laatste goede rapport hierboven blijft staan." in index
    for p in out.rglob("*"):
        if p.is_file():
            assert MARKER not in p.read_text(encoding="utf-8", errors="replace"), p


def test_good_run_clears_the_failure(site: dict, failed_run: dict) -> None:
    root, periode = failed_run["root"], site["periode"]
    shutil.copy(FIXTURES / "rapport_ok.ipynb", root / "notebooks" / "rapport.ipynb")
    result = zgw(["run", "notebooks/rapport.ipynb", "--data", str(site["data"]), "--afdeling", failed_run["bad"]], root)
    assert result.returncode == 0, result.stderr
    bad = failed_run["out"] / periode / terms.slug(failed_run["bad"])
    assert not list(bad.glob("rapport.mislukt.*"))
    assert "Mislukte runs" not in (failed_run["out"] / periode / "index.html").read_text(encoding="utf-8")


def test_a_department_whose_folder_cannot_be_made_is_a_failed_run_on_the_index_until_a_good_run(
        planted: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dept = afdelingen(planted)[0]
    periode = periods.last_complete_month(read_meta(planted)["periode_tot"])
    out = tmp_path / "outputs"
    (out / periode).mkdir(parents=True)
    in_the_way = out / periode / terms.slug(dept)  # a file where the department's folder goes
    in_the_way.write_text("van iemand anders", encoding="utf-8")
    args = ["run", str(FIXTURES / "rapport_ok.ipynb"), "--data", str(planted), "--out", str(out), "--workers", "2"]
    assert main([*args, "--afdeling", dept, "organisatie"]) == 4
    err = capsys.readouterr().err
    assert "1 of 2 runs failed" in err and "Traceback" not in err
    assert (out / periode / "organisatie" / "rapport_ok.html").is_file(), "the other department was not published"
    assert in_the_way.read_text(encoding="utf-8") == "van iemand anders"
    index = (out / periode / "index.html").read_text(encoding="utf-8")
    reason = f"de map {terms.slug(dept)} kon niet worden gemaakt: er staat een bestand met die naam"
    assert "Mislukte runs (1)" in index
    assert f"<li>{html.escape(dept)}: Testrapport – {reason}</li>" in index
    # Its department's section says so too, without links to pages that could not be written.
    section = index.split(f"<h2>{html.escape(dept)}</h2>", 1)[1].split("</section>", 1)[0]
    assert "is mislukt: " + reason in section and "href" not in section
    assert "1 mislukt</span>" in (out / "index.html").read_text(encoding="utf-8")
    # Once the file is moved away, the next good run publishes the department and the failure is gone.
    in_the_way.unlink()
    assert main([*args, "--afdeling", dept]) == 0
    index = (out / periode / "index.html").read_text(encoding="utf-8")
    assert "Mislukte runs" not in index and f'href="{terms.slug(dept)}/rapport_ok.html"' in index
    assert "mislukt</span>" not in (out / "index.html").read_text(encoding="utf-8")


def test_a_folder_that_cannot_be_written_after_the_run_is_a_failed_run_on_the_index(
        planted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(execute, "move_into_place", disk_full)
    result = run.run([FIXTURES / "rapport_ok.ipynb"], afdelingen=["organisatie"], data=planted, out=tmp_path / "o",
                     progress=False)
    [outcome] = result.outcomes
    assert not outcome.ok and outcome.error == "de map organisatie kon niet worden bijgewerkt: de schijf is vol"
    assert "No space left on device" in outcome.log and outcome.attempts == 1
    index = result.index.read_text(encoding="utf-8")
    assert "Mislukte runs (1)" in index and outcome.error in index


# --------------------------------------------------------------------------- kernel start retry


def test_kernel_that_fails_to_start_is_retried_once(
    planted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A real kernelspec whose first start dies at once, like a kernel that lost papermill's port race.
    spec = tmp_path / "jupyter" / "kernels" / "zgw-flaky"
    spec.mkdir(parents=True)
    once = tmp_path / "started-once"
    launcher = tmp_path / "flaky.py"
    launcher.write_text(
        "import os, runpy, sys\n"
        f"marker = {str(once)!r}\n"
        "if not os.path.exists(marker):\n"
        "    open(marker, 'w').close()\n"
        "    sys.exit(1)\n"
        "sys.argv = ['ipykernel_launcher', *sys.argv[1:]]\n"
        "runpy.run_module('ipykernel_launcher', run_name='__main__')\n",
        encoding="utf-8",
    )
    argv = [sys.executable, str(launcher), "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "flaky", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    result = run.run(
        [FIXTURES / "rapport_faalt.ipynb"],
        afdelingen=["organisatie"],
        data=planted,
        out=tmp_path / "out",
        config=None,
        kernel_name="zgw-flaky",
        progress=False,
    )
    [outcome] = result.outcomes
    assert once.exists() and outcome.attempts == 2
    # It ran (and failed on purpose in its last cell): the retry reached the notebook's code.
    assert not outcome.ok and "opzettelijke fout" in (outcome.error or "")
    assert "(retried)" in result.table()
    executed = (outcome.html or Path()).with_suffix(".ipynb").read_text(encoding="utf-8")
    assert "Rapport voor organisatie" in executed


# --------------------------------------------------------------------------- rules without kernels


@pytest.mark.parametrize(
    ("name", "secret"),
    [("client_secret", True), ("ZGW_CLIENT_SECRET", True), ("api_key", True), ("accessToken", True),
     ("wachtwoord", True), ("db_password", True), ("afdeling", False), ("toon_namen", False),
     ("periode", False), ("kerncijfers", False), ("PWD", False), ("drempel_achteraf", False)],
)
def test_looks_secret(name: str, secret: bool) -> None:
    assert secrets.looks_secret(name) is secret


def test_kernel_environment_drops_secrets() -> None:
    env = secrets.kernel_environment({"PATH": "/bin", "ZGW_CLIENT_SECRET": "abcdefgh", "API_TOKEN": "x"})
    assert env == {"PATH": "/bin"}
    assert secrets.secret_values({"ZGW_CLIENT_SECRET": "abcdefgh", "API_TOKEN": "x", "PATH": "/bin"}) == {
        "ZGW_CLIENT_SECRET": "abcdefgh"
    }


def test_secret_parameter_is_refused_before_anything_runs(
    planted: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "p.yaml"
    config.write_text("toon_namen: false\nclient_secret: abc\n", encoding="utf-8")
    code = main(["run", str(FIXTURES / "rapport_ok.ipynb"), "--data", str(planted), "--out", str(tmp_path / "o"),
                 "--config", str(config)])
    assert code == 2
    err = capsys.readouterr().err
    assert "client_secret looks like a secret" in err and str(config) in err
    assert not (tmp_path / "o").exists()


def test_notebook_declaring_a_secret_parameter_is_refused(tmp_path: Path, planted: Path) -> None:
    import nbformat

    nb = nbformat.read(FIXTURES / "rapport_ok.ipynb", as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    params.source += '\napi_token = ""'
    nbformat.write(nb, tmp_path / "lek.ipynb")
    with pytest.raises(UsageError, match="api_token looks like a secret"):
        run.run([tmp_path / "lek.ipynb"], data=planted, out=tmp_path / "o")


def test_unknown_department_and_bad_month_are_refused(planted: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="Nergenshuis: not in the data") as exc:
        run.run([FIXTURES / "rapport_ok.ipynb"], afdelingen=["Nergenshuis"], data=planted, out=tmp_path)
    assert afdelingen(planted)[0] in str(exc.value)
    with pytest.raises(UsageError, match="YYYY-MM"):
        run.run([FIXTURES / "rapport_ok.ipynb"], periode="oktober", data=planted, out=tmp_path)


def test_run_refuses_an_out_that_is_a_file_its_own_snapshot_or_holds_a_page_it_did_not_write(
        planted: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bestand").write_text("x", encoding="utf-8")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<h1>De eigen startpagina</h1>", encoding="utf-8")
    (tmp_path / "snapshot").mkdir()
    shutil.copy(planted / "meta.json", tmp_path / "snapshot" / "meta.json")
    before = {p: p.read_bytes() for p in [*tmp_path.rglob("*"), *planted.rglob("*")] if p.is_file()}
    for out, says in [(tmp_path / "bestand", "bestand is a file, not a folder"),
                      (tmp_path / "bestand" / "uit", "bestand is a file, not a folder"),
                      (planted, "is the snapshot --data"), (planted / "uit", "or lies inside it"),
                      (tmp_path / "snapshot", "holds a snapshot or an export (meta.json)"),
                      (tmp_path / "site", "site/index.html was not written by zgw; refusing to replace it")]:
        assert main(["run", str(FIXTURES / "rapport_ok.ipynb"), "--data", str(planted), "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert says in err and "Traceback" not in err, (out, err)
    assert {p: p.read_bytes() for p in [*tmp_path.rglob("*"), *planted.rglob("*")] if p.is_file()} == before


def test_run_refuses_a_meta_json_that_is_no_object_before_any_kernel_starts(
        planted: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = Path(shutil.copytree(planted, tmp_path / "gemeente"))
    (data / "meta.json").write_text("[1, 2]", encoding="utf-8")
    assert main(["run", str(FIXTURES / "rapport_ok.ipynb"), "--data", str(data), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert f"{data / 'meta.json'}: is not a JSON object" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_notebook_without_required_parameters_is_refused(tmp_path: Path, planted: Path) -> None:
    with pytest.raises(UsageError, match="lacks afdeling, periode, data"):
        run.run([FIXTURES / "kladblok.ipynb"], data=planted, out=tmp_path)


def test_discover_only_marked_notebooks() -> None:
    assert [nb.name for nb in notebooks.discover(FIXTURES)] == ["rapport_faalt", "rapport_ok"]
    assert notebooks.read_report_notebook(FIXTURES / "rapport_ok.ipynb").titel == "Testrapport"


@pytest.mark.parametrize(
    ("tot", "expected"),
    [("2026-10-31", "2026-10"), ("2026-11-15", "2026-10"), ("2026-11-01", "2026-10"), ("2026-12-31", "2026-12"),
     ("2027-01-10", "2026-12")],
)
def test_last_complete_month(tot: str, expected: str) -> None:
    assert periods.last_complete_month(tot) == expected


def test_names_and_titles() -> None:
    assert terms.slug("Beheer Openbare Ruimte") == "beheer-openbare-ruimte"
    assert terms.slug("Financiën & Control") == "financien-control"
    assert publish.page_title("Maandrapportage", "Vergunningverlening", "2026-10") == (
        "Maandrapportage Vergunningverlening – oktober 2026"
    )
    assert publish.page_title("Maandrapportage", "organisatie", "2026-03", "Gemeente Voorbeeld") == (
        "Maandrapportage Gemeente Voorbeeld – maart 2026"
    )


def test_self_contained_neutralises_active_and_remote_content() -> None:
    page = (
        '<p>x</p><script src="https://cdn.example/x.js"></script><SCRIPT>alert(1)</SCRIPT>'
        '<link rel="stylesheet" href="https://cdn.example/x.css"><img src="http://example.org/a.png">'
        '<iframe src="//example.org"></iframe><div style="background: url(https://example.org/b.png)"></div>'
    )
    clean = publish.self_contained(page)
    assert "<script" not in clean.lower() and "<iframe" not in clean and "<link" not in clean
    assert "example.org" not in clean and "cdn.example" not in clean
    assert "&lt;script" in clean and "<p>x</p>" in clean


def test_index_card_names_the_month_of_a_report_about_another_month(tmp_path: Path) -> None:
    # The evaluation is about its peildatum, not the month it was published in; its card must say so.
    base = {"titel": "Evaluatie", "afdeling": "organisatie", "periode": "2026-10", "status": "ok",
            "gemaakt_op": "2026-11-02T06:00:00", "html": "evaluatie.html", "ipynb": "evaluatie.ipynb",
            "data": {"gemeente": "Gemeente Voorbeeld"}}
    folder = tmp_path / "2026-10" / "organisatie"
    folder.mkdir(parents=True)
    (folder / "evaluatie.json").write_text(json.dumps(
        {**base, "rapport": "evaluatie", "samenvatting": {"periode": "2025-10", "kerncijfers": {"a": "1"}}}))
    (folder / "maandrapportage.json").write_text(json.dumps(
        {**base, "rapport": "maandrapportage", "titel": "Maandrapportage", "html": "maandrapportage.html",
         "samenvatting": {"periode": "2026-10", "kerncijfers": {"a": "1"}}}))
    # A summary's periode is a notebook's output: one that is no month is left out, not a broken month index.
    (folder / "archief.json").write_text(json.dumps(
        {**base, "rapport": "archief", "titel": "Archief", "html": "archief.html",
         "samenvatting": {"periode": "2026-13", "kerncijfers": {"a": "1"}}}))
    page = publish.write_period_index(tmp_path / "2026-10").read_text(encoding="utf-8")
    assert page.count("Cijfers over") == 1 and "Cijfers over oktober 2025" in page and "Archief" in page
