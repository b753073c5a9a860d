"""The evaluator's own texts (goals, approach, conclusions, recommendations), per department, from a YAML file.

The evaluation has sections only the evaluator can write. They are not typed
into the notebook (the same text would then appear in every department's
report, and an unfilled "✏️ Vul hier in" would be published), but kept in a
texts file beside the notebook, ``<notebook>.teksten.yaml``, which ``zgw run``
gives to the notebook as its ``teksten`` parameter::

    alle:                      # every department's report (and the organisation's)
      aanpak: |
        De evaluatie is uitgevoerd door ...
    organisatie:               # the whole organisation's report
      doelen: ...
    Werk en Inkomen:           # one department's report; wins over "alle"
      conclusies: ...

A section without text shows :data:`~zgwlib.core.terms.NIET_INGEVULD`. The text
is shown as plain paragraphs (a blank line starts a new one), escaped like any
other text: no Markdown or HTML is interpreted.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

from zgwlib.core.errors import UsageError
from zgwlib.core.settings import read_yaml_mapping
from zgwlib.core.terms import NIET_INGEVULD
from zgwlib.style import melding

#: The sections the evaluator writes: key in the texts file -> (title in the report, what to write).
ONDERDELEN: dict[str, tuple[str, str]] = {
    "doelen": ("Doelen", "welke doelen stonden in het projectplan of in het besluit tot invoering? Zo concreet "
               "mogelijk, bijvoorbeeld \"90% van de vergunningen binnen de wettelijke termijn\"."),
    "planning": ("Wat was gepland en wat is er gedaan", "planning en werkelijkheid: welke afdelingen en zaaktypen "
                 "gingen wanneer over, hoe verliepen de training, de inzet van key-users en de opschoonactie?"),
    "aanpak": ("Aanpak van deze evaluatie", "wie evalueerde, welke bronnen naast deze cijfers zijn gebruikt "
               "(interviews, werkbezoeken, klachten) en met wie de bevindingen zijn besproken."),
    "conclusies": ("Conclusies", "wat betekenen de cijfers? Zijn de doelen uit hoofdstuk 1 gehaald? Wat verklaart "
                   "de verschillen tussen afdelingen en zaaktypen?"),
    "aanbevelingen": ("Aanbevelingen aan het bestuur", "drie tot vijf concrete aanbevelingen, elk met wie, wat en "
                      "wanneer."),
    "vervolg": ("Vervolg", "wanneer wordt opnieuw gemeten, en wie bewaakt dat de aanbevelingen worden uitgevoerd?"),
}

#: The key of the texts file whose sections hold for every report.
ALLE = "alle"


def load_teksten(path: str | os.PathLike[str] | None, afdeling: str) -> dict[str, str]:
    """The texts of one report: the department's own sections over those of :data:`ALLE`.

    Parameters
    ----------
    path : path, optional
        The texts file; ``None`` or ``""``: no texts (every section shows that it was not filled in).
    afdeling : str
        The report's department, or ``"organisatie"``.

    Raises
    ------
    UsageError
        For a file that is named but missing or not YAML, a department that is not a mapping of sections, an
        unknown section (with the known ones) or a text that is not text; the message names the file.
    """
    if path is None or str(path) == "":
        return {}
    p = Path(path).expanduser()
    loaded = read_yaml_mapping(p)
    out: dict[str, str] = {}
    for wie in (ALLE, afdeling):
        secties = loaded.get(wie)
        if secties is None:
            continue
        if not isinstance(secties, dict):
            raise UsageError(f"{p}: {wie!r} must hold sections like 'doelen: ...', not {type(secties).__name__}.")
        for key, tekst in secties.items():
            if key not in ONDERDELEN:
                raise UsageError(f"{p}: {wie!r} has an unknown section {key!r}; known: {', '.join(ONDERDELEN)}.")
            if tekst is None:
                continue
            if not isinstance(tekst, str):
                raise UsageError(f"{p}: {wie!r}, section {key!r} must be text, not {tekst!r}.")
            if tekst.strip():
                out[key] = tekst.strip()
    return out


def tekst_html(teksten: dict[str, str], onderdeel: str) -> str:
    """One section as escaped paragraphs, or the note that it was not filled in."""
    if onderdeel not in ONDERDELEN:
        raise KeyError(onderdeel)
    tekst = teksten.get(onderdeel)
    if not tekst:
        return melding(NIET_INGEVULD)
    alineas = [a.strip() for a in re.split(r"\n[ \t]*\n", tekst) if a.strip()]
    return "".join(f"<p>{html.escape(a).replace(chr(10), '<br>')}</p>" for a in alineas)


def onderdelen_html(teksten: dict[str, str], keys: tuple[str, ...]) -> str:
    """Several sections, each under its title (a level-3 heading)."""
    return "".join(f"<h3>{html.escape(ONDERDELEN[k][0])}</h3>{tekst_html(teksten, k)}" for k in keys)
