"""What the report-notebook tests share: reading outputs, the committed-clean check, an nbval run."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat


def outputs(nb: nbformat.NotebookNode, mime: str) -> list[Any]:
    """Every output of ``mime`` in an executed notebook (``"stream"``: the printed text), in cell order."""
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if mime == "stream" and out.get("output_type") == "stream":
                found.append(out["text"])
            elif mime in out.get("data", {}):
                found.append(out["data"][mime])
    return found


def assert_committed_clean(path: Path) -> dict[str, str]:
    """Check a committed notebook: python3 kernel, one parameters cell, no outputs; return its parameter defaults."""
    import papermill

    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert len([c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]) == 1
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")
    return {k: v["default"] for k, v in papermill.inspect_notebook(str(path)).items()}


def run_papermill(notebook: Path, data: Path, out: Path, **parameters: Any) -> nbformat.NotebookNode:
    """Execute ``notebook`` with plain papermill on snapshot ``data`` (and ``parameters``) into ``out``; read it back.

    The kernel starts in the notebook's own folder, as in JupyterLab.
    """
    import papermill

    papermill.execute_notebook(str(notebook), str(out), parameters={"data": str(data), **parameters},
                               kernel_name="python3", progress_bar=False, cwd=str(notebook.parent))
    return nbformat.read(out, as_version=4)


def run_nbval(notebook: Path, parameters: dict[str, Any], target: Path, cwd: Path | None = None) -> None:
    """Parameterise ``notebook`` as papermill would, write it to ``target`` and run ``pytest --nbval-lax`` on it.

    The run starts in ``cwd`` (default ``target``'s folder) with an empty ``pytest.ini`` there, so the
    project's own settings (``filterwarnings = error``, testpaths) do not apply to the notebook's cells.
    """
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = parameterize_notebook(load_notebook_node(str(notebook)), parameters)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    root = cwd or target.parent
    (root / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    env = dict(os.environ, JUPYTER_PLATFORM_DIRS="1")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-q", "-p", "no:cacheprovider", str(target)],
        cwd=root, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "passed" in result.stdout and "failed" not in result.stdout, json.dumps(result.stdout[-500:])


def published_notebook(published: Path, report: str, afdeling: str = "organisatie") -> nbformat.NotebookNode:
    """The executed notebook of ``report`` for ``afdeling`` from the suite's one full ``zgw run``.

    ``published`` is conftest's ``published_sample`` (its ``outputs`` folder): one month folder, in it one folder
    per department with ``<report>.ipynb`` as the kernel left it. Reading it instead of running the notebook
    again with the same parameters saves a kernel per test.
    """
    months = [p for p in published.iterdir() if p.is_dir() and not p.name.startswith(".")]
    assert len(months) == 1, months
    return nbformat.read(months[0] / afdeling / f"{report}.ipynb", as_version=4)


def shown_table(nb: nbformat.NotebookNode, *headers: str) -> list[dict[str, str]]:
    """The rows of the first HTML table in ``nb``'s outputs whose header has every one of ``headers``, as the
    reader sees them: one dict per body row, header text -> cell text (tags stripped, entities unescaped).

    Works for the kit's own tables and for the DataFrames a notebook displays (their index column has an empty
    header).
    """
    def text(cell: str) -> str:
        return html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()

    for page in outputs(nb, "text/html"):
        for table in page.split("<table")[1:]:
            head, _, body = table.partition("</thead>")
            koppen = [text(c) for c in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]
            if not set(headers) <= set(koppen):
                continue
            rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body.split("</table>")[0], re.S)
            return [dict(zip(koppen, [text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)],
                             strict=True)) for r in rows]
    raise AssertionError(f"no table with the columns {headers}")


def dutch_number(text: str) -> float:
    """A number as the reports show it: ``"1.234,5"`` -> 1234.5, ``"92,3%"`` -> 92.3, ``"−35%"`` -> -35.0,
    ``"8 dagen"`` -> 8.0 (the Dutch thousands point and decimal comma; a unit after a space is ignored)."""
    number = text.strip().split(" ")[0].rstrip("%").replace("−", "-").replace("±", "")
    assert re.fullmatch(r"[-+]?\d{1,3}(\.\d{3})*(,\d+)?", number), text
    return float(number.replace(".", "").replace(",", "."))
