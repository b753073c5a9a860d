"""Report notebooks as the runner sees them: discovery, metadata, parameters and their parameters files.

A notebook is a *report* when its metadata says ``"zgw": {"publish": true,
"titel": ...}``; its ``parameters`` cell must declare ``afdeling``, ``periode``
and ``data``, which the runner sets per run. A report marked
``"op_verzoek": true`` (the evaluation, and any adapted copy of it, which keeps
the mark) is published only on purpose: never in the default monthly run, only
when it is named on the command line with ``--peildatum``. Texts an evaluator
writes per department live in ``<notebook>.teksten.yaml`` beside it
(:data:`TEKSTEN_SUFFIX`); the runner gives that file as the ``teksten`` parameter. A report's own settings live in
``parameters/<report>.yaml`` beside the notebooks' folder (:mod:`zgwlib.core.settings`);
the runner gives that file to the notebook as its ``config`` parameter.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zgwlib.core.errors import UsageError
from zgwlib.core.settings import read_yaml_mapping
from zgwlib.publish.secrets import looks_secret

#: Parameters every publishable notebook declares; the runner sets them per run.
REQUIRED_PARAMETERS = ("afdeling", "periode", "data")

#: Default folder with the report notebooks, relative to the working directory.
NOTEBOOK_DIR = "notebooks"

#: The kit's own package folder: an installed kit (``pip install .``) carries the report notebooks in
#: ``zgwlib/notebooks/`` (pyproject.toml maps the repository's ``notebooks/`` there when the wheel is built);
#: in a checkout (``pip install -e .``) they are the repository's ``notebooks/`` beside the package.
_PACKAGE = Path(__file__).resolve().parent.parent

#: Folder of the parameters files, beside the notebooks' folder.
PARAMETERS_DIR = "parameters"

#: How often a report is published (notebook metadata ``zgw.frequentie``): its period is a month
#: (``YYYY-MM``) or an ISO week (``YYYY-Www``). Without the key a report is monthly.
FREQUENTIES = ("maand", "week")

#: A notebook's own texts file beside it: ``evaluatie.ipynb`` -> ``evaluatie.teksten.yaml``.
TEKSTEN_SUFFIX = ".teksten.yaml"


@dataclass(frozen=True)
class ReportNotebook:
    """A report notebook as the runner sees it.

    Attributes
    ----------
    path : pathlib.Path
        The ``.ipynb`` file.
    titel : str
        Report name for titles (``zgw.titel``; the file name when missing).
    publish : bool
        Whether it is marked for publication (``zgw.publish``).
    parameters : tuple of str
        Names assigned in its ``parameters`` cell.
    kernel_name : str
        Kernel from its metadata (``python3`` when missing).
    frequentie : str
        ``"maand"`` or ``"week"`` (``zgw.frequentie``; monthly when missing): which runs publish it.
    op_verzoek : bool
        Published only on purpose (``zgw.op_verzoek``): not in the default run, only when named, for one day.
    """

    path: Path
    titel: str
    publish: bool
    parameters: tuple[str, ...]
    kernel_name: str
    frequentie: str = "maand"
    op_verzoek: bool = False

    @property
    def name(self) -> str:
        """File name without ``.ipynb``; also the report's file name in the output."""
        return self.path.stem


def _parameter_names(source: str, where: str) -> tuple[str, ...]:
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise UsageError(f"{where}: the parameters cell is not valid Python (line {exc.lineno}: {exc.msg}).") from None
    names: list[str] = []
    for node in tree.body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        for t in targets:
            for n in ast.walk(t):
                if isinstance(n, ast.Name) and n.id not in names:
                    names.append(n.id)
    return tuple(names)


def read_report_notebook(path: str | os.PathLike[str]) -> ReportNotebook:
    """Read what the runner needs from a notebook file (metadata and parameter names)."""
    import nbformat

    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: no such notebook.")
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # nbformat raises several types for a damaged file
        raise UsageError(f"{path}: cannot be read as a notebook ({exc}).") from None
    meta = nb.metadata.get("zgw") or {}
    cells = [c for c in nb.cells if c.cell_type == "code" and "parameters" in c.get("metadata", {}).get("tags", [])]
    parameters = _parameter_names(cells[0].source, str(path)) if cells else ()
    kernel = (nb.metadata.get("kernelspec") or {}).get("name") or "python3"
    titel = str(meta.get("titel") or path.stem.replace("_", " ").capitalize())
    frequentie = str(meta.get("frequentie") or "maand")
    return ReportNotebook(path, titel, bool(meta.get("publish")), parameters, kernel, frequentie,
                          bool(meta.get("op_verzoek")))


def discover(notebook_dir: str | os.PathLike[str] = NOTEBOOK_DIR) -> list[ReportNotebook]:
    """Every notebook in ``notebook_dir`` marked for publication every month, by file name.

    A notebook marked ``op_verzoek`` (the evaluation and its adapted copies) is never found here: it is
    published only when it is named.
    """
    folder = Path(notebook_dir)
    if not folder.is_dir():
        raise UsageError(f"{folder}: no notebook folder here; run zgw from the kit's folder or name the notebooks.")
    found = [read_report_notebook(p) for p in sorted(folder.glob("*.ipynb"))]
    return [nb for nb in found if nb.publish and not nb.op_verzoek]


def find_notebook_dir(given: str | os.PathLike[str] | None = None,
                      cwd: str | os.PathLike[str] | None = None) -> Path:
    """The folder of the report notebooks for ``zgw demo``: the first of these that holds notebooks.

    1. ``given`` (``--notebooks``), which must exist;
    2. ``notebooks/`` in the working directory (the kit's folder, where ``make demo`` runs);
    3. the notebooks shipped in the installed package (``<site-packages>/zgwlib/notebooks/``, ``pip install .``);
    4. the checkout's ``notebooks/`` beside the package (``pip install -e .``, run from another folder).
    """
    if given is not None:
        folder = Path(given)
        if not folder.is_dir() or not any(folder.glob("*.ipynb")):
            raise UsageError(f"{folder}: no folder with report notebooks (*.ipynb).")
        return folder
    here = Path(cwd) if cwd is not None else Path.cwd()
    for folder in (here / NOTEBOOK_DIR, _PACKAGE / "notebooks", _PACKAGE.parent / NOTEBOOK_DIR):
        if folder.is_dir() and any(folder.glob("*.ipynb")):
            return folder
    raise UsageError(f"no report notebooks found in {here / NOTEBOOK_DIR}, nor in the installed kit "
                     f"({_PACKAGE / 'notebooks'}); run from the kit's folder or name one with --notebooks.")


def teksten_file(nb: ReportNotebook) -> Path | None:
    """The notebook's own texts file (``<notebook>.teksten.yaml`` beside it), when it exists."""
    own = nb.path.resolve().with_name(nb.path.stem + TEKSTEN_SUFFIX)
    return own if own.is_file() else None


def check_notebook(nb: ReportNotebook) -> None:
    if nb.frequentie not in FREQUENTIES:
        raise UsageError(f'{nb.path}: notebook metadata "zgw": {{"frequentie": {nb.frequentie!r}}} is not one of '
                         f"{', '.join(FREQUENTIES)}.")
    missing = [p for p in REQUIRED_PARAMETERS if p not in nb.parameters]
    if missing:
        raise UsageError(
            f"{nb.path}: its parameters cell (a code cell tagged 'parameters') lacks {', '.join(missing)}; "
            f"a report notebook needs {', '.join(REQUIRED_PARAMETERS)}."
        )
    secret = [p for p in nb.parameters if looks_secret(p)]
    if secret:
        raise UsageError(
            f"{nb.path}: parameter {', '.join(secret)} looks like a secret. Secrets are never notebook "
            "parameters (they would be written into the executed notebook); read them from the environment "
            "in the command that fetches the data instead."
        )


def load_parameters(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a parameters file: notebook parameters and a report's settings (a YAML mapping), checked for secrets."""
    path = Path(path)
    loaded = read_yaml_mapping(path)
    secret = [k for k in loaded if looks_secret(k)]
    if secret:
        raise UsageError(
            f"{path}: parameter {', '.join(secret)} looks like a secret and is refused. Secrets are never "
            "notebook parameters; put them in the environment of the command that needs them (zgw fetch)."
        )
    if "afdeling" in loaded or "afdelingen" in loaded:
        raise UsageError(f"{path}: choose departments with --afdeling, not in the parameters file.")
    return loaded


def parameters_file(nb: ReportNotebook, given: str | os.PathLike[str] | None = None) -> Path | None:
    """The parameters file of report ``nb``: ``given`` when named, else ``parameters/<report>.yaml`` when it exists.

    ``parameters/`` is looked for beside the notebook's folder (``notebooks/../parameters``).
    """
    if given is not None:
        return Path(given)
    own = nb.path.resolve().parent.parent / PARAMETERS_DIR / f"{nb.name}.yaml"
    return own if own.is_file() else None
