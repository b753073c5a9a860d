"""The set-up files agree with each other and with the code."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

from zgwlib.data.contract import render_markdown

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ ;\[]", requirement, maxsplit=1)[0].strip().lower().replace("_", "-")


def test_environment_yml_lists_the_same_dependencies_as_pyproject() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    conda_python = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    # The conda environment is a developer's: it holds the test-only tools of the dev extra as well.
    wanted = pyproject["project"]["dependencies"] + pyproject["project"]["optional-dependencies"]["dev"]
    assert sorted(pip_section) == sorted(wanted), (
        "environment.yml and pyproject.toml (dependencies and the dev extra) list different dependencies or versions"
    )
    assert {_name(r) for r in pip_section} == {_name(r) for r in wanted}
    assert conda_python and conda_python[0].replace("python", "") == pyproject["project"]["requires-python"]


def test_test_tools_are_in_the_dev_extra_not_in_what_a_report_run_needs() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    runtime = {_name(r) for r in pyproject["project"]["dependencies"]}
    assert {"pytest", "nbval"} <= {_name(r) for r in pyproject["project"]["optional-dependencies"]["dev"]}
    assert not runtime & {"pytest", "nbval", "hypothesis"}
    assert ".[dev]" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_data_contract_page_is_generated_from_the_contract() -> None:
    page = (ROOT / "docs" / "data-contract.md").read_text(encoding="utf-8")
    assert page == render_markdown(), "docs/data-contract.md is stale: run `zgw contract > docs/data-contract.md`"


def test_committed_notebooks_have_no_outputs_and_a_parameters_cell() -> None:
    import nbformat

    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), f"{path.name} has outputs"
        assert any("parameters" in c.metadata.get("tags", []) for c in code), f"{path.name} has no parameters cell"


def test_the_wheel_lists_every_package_of_zgwlib_and_maps_the_notebooks_into_it() -> None:
    # pyproject.toml lists the packages (a found list cannot hold the notebooks folder): a new subpackage must be
    # added there, or an installed kit would miss it.
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "zgwlib").rglob("__init__.py")}
    listed = set(tool["packages"])
    assert on_disk <= listed, f"add {sorted(on_disk - listed)} to [tool.setuptools] packages in pyproject.toml"
    assert listed - on_disk == {"zgwlib.notebooks", "zgwlib.publish.templates"}
    assert tool["package-dir"] == {"zgwlib.notebooks": "notebooks"}
    assert tool["package-data"]["zgwlib.notebooks"] == ["*.ipynb"]
