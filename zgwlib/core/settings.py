"""One settings loader for every report: documented defaults, then the parameters file, then overrides.

Each report declares its thresholds once, as a frozen dataclass whose fields are
typed, have their default and are documented in the class docstring
(``Attributes``). A municipality changes them in ``parameters/<report>.yaml``
(only the keys it wants to change); a notebook passes that file as its
``config`` parameter and calls :func:`load_settings`. The order is fixed:

1. the dataclass defaults (shipped inside the package, so an installed kit
   runs without any parameters file);
2. the parameters file, when one is given: a file that is given but not found
   is an error, never silently ignored;
3. keyword overrides that are not ``None`` (a notebook parameter, a test).

A setting is a number, true/false, a text (its default ``""``: not set) or a list
of names (its default a tuple, written in YAML as ``[A, B]``).

A parameters file may also hold notebook parameters (``toon_namen``, ...); the
loader leaves those to the notebook. :func:`render_defaults` prints a report's
settings as a documented YAML file (``zgw settings <report>``).
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any, TypeVar

from zgwlib.core.errors import UsageError

T = TypeVar("T")

#: Keys of a parameters file that are notebook parameters, not settings: every parameter of a report notebook that
#: is not also a setting (``zgw run`` gives the notebook those keys of the file as parameters, and the whole file as
#: its ``config``). A test keeps this in step with the notebooks' parameters cells.
NOTEBOOK_KEYS = frozenset({
    "afdeling", "periode", "data", "config", "toon_namen", "toon_omschrijving", "excel_uit", "peildatum",
    "invoeringsdatum", "evaluatiedatum", "teksten",
})


def read_yaml_mapping(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a YAML file that must hold a mapping of names to values (an empty file is an empty mapping).

    Raises
    ------
    UsageError
        When the file does not exist, is not valid YAML (with the line) or is not a mapping.
    """
    import yaml

    p = Path(path).expanduser()
    try:
        loaded = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (FileNotFoundError, IsADirectoryError):
        raise UsageError(f"{p}: no such parameters file.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise UsageError(f"{p}: not valid YAML{f' (line {mark.line + 1})' if mark else ''}.") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict) or not all(isinstance(k, str) for k in loaded):
        raise UsageError(f"{p}: expected a mapping of names to values, like 'toon_namen: false'.")
    return loaded


def _check(cls: type, name: str, value: Any, where: str) -> Any:
    field = {f.name: f for f in dataclasses.fields(cls)}[name]
    kind = type(field.default)
    minimum = field.metadata.get("min", 1 if kind is int else 0)
    if kind is tuple:
        # A list of names (channels, departments, zaaktypen): YAML gives a list; one name alone is accepted as a
        # list of one. An empty value is refused rather than read as "none": leaving every name out is written [].
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, (list, tuple)) or not all(isinstance(v, str) and v.strip() for v in items):
            raise UsageError(f"{where}setting {name} must be a list of names, like [balie, post], not {value!r}.")
        return tuple(v.strip() for v in items)
    if kind is bool:
        if not isinstance(value, bool):
            raise UsageError(f"{where}setting {name} must be true or false, not {value!r}.")
        return value
    if kind is str:
        if value is None:
            return ""
        if not isinstance(value, str):
            raise UsageError(f"{where}setting {name} must be a text, not {value!r}.")
        return value.strip()
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and value != int(value)):
        raise UsageError(f"{where}setting {name} must be a {'number' if kind is float else 'whole number'}, "
                         f"not {value!r}.")
    if value < minimum:
        raise UsageError(f"{where}setting {name} must be at least {minimum}, not {value!r}.")
    return kind(value)


def load_settings(
    cls: type[T],
    config: str | os.PathLike[str] | None = None,
    *,
    notebook_keys: Collection[str] = NOTEBOOK_KEYS,
    **overrides: Any,
) -> T:
    """The settings of a report: ``cls``'s defaults, then the file ``config``, then ``overrides``.

    Parameters
    ----------
    cls : dataclass type
        The report's settings class (for example :class:`zgwlib.maandrapportage.figures.Instellingen`).
    config : path, optional
        A parameters file; ``None`` or ``""``: the defaults.
    notebook_keys : collection of str
        Keys of the file that belong to the notebook, not to the settings.
    **overrides
        Values that win over the file; ``None`` means "not given".

    Raises
    ------
    UsageError
        For a file that is given but missing or unreadable, an unknown key, or a value of the wrong type or
        below its minimum; the message names the file and the key.
    """
    known = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    values: dict[str, tuple[Any, str]] = {}
    if config is not None and str(config) != "":
        path = Path(config).expanduser()
        for key, value in read_yaml_mapping(path).items():
            if key in notebook_keys:
                continue
            if key not in known:
                raise UsageError(f"{path}: unknown setting {key!r}; known: {', '.join(sorted(known))}.")
            values[key] = (value, f"{path}: ")
    for key, value in overrides.items():
        if key not in known:
            raise UsageError(f"unknown setting {key!r}; known: {', '.join(sorted(known))}.")
        if value is not None:
            values[key] = (value, "")
    return cls(**{k: _check(cls, k, v, where) for k, (v, where) in values.items()})


def field_docs(cls: type) -> dict[str, str]:
    """The ``Attributes`` section of ``cls``'s docstring, per field (``a, b : int`` documents both)."""
    doc = (cls.__doc__ or "").split("Attributes\n", 1)[-1]
    docs: dict[str, str] = {}
    current: list[str] = []
    for line in doc.splitlines():
        head = re.match(r"^    ([a-z_][\w, ]*) : ", line)
        if head:
            current = [n.strip() for n in head.group(1).split(",")]
            for n in current:
                docs[n] = ""
        elif line.startswith("        ") and current:
            for n in current:
                docs[n] = (docs[n] + " " + line.strip()).strip()
    return docs


def render_defaults(cls: type, title: str, values: Mapping[str, Any] | None = None) -> str:
    """A report's settings as a documented YAML file: every key with its meaning and its default value."""
    import yaml

    docs = field_docs(cls)
    lines = [f"# {title}", "# Every key is optional: a missing key keeps the default shown here.", ""]
    for f in dataclasses.fields(cls):
        value = (values or {}).get(f.name, f.default)
        if isinstance(value, tuple):
            value = list(value)  # YAML has lists, not tuples
        if docs.get(f.name):
            lines.append(f"# {docs[f.name]}")
        if isinstance(value, list):  # one line: [e-formulier, website, app]
            lines.append(f"{f.name}: " + yaml.safe_dump(value, allow_unicode=True, default_flow_style=True,
                                                        width=10_000).strip())
        else:
            lines.append(yaml.safe_dump({f.name: value}, allow_unicode=True).strip())
    return "\n".join(lines) + "\n"
