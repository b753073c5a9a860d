"""The exploration's dropdowns, without a browser: they start at the parameters and redraw on every change."""

from __future__ import annotations

from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.core.pylabtools import select_figure_formats
from IPython.utils.capture import capture_output

from maandfixtures import tabellen
from zgwlib.core.errors import UsageError
from zgwlib.data.sources import load_snapshot
from zgwlib.maandrapportage.figures import prepare
from zgwlib.verkenning import widgets
from zgwlib.verkenning.widgets import Keuze, Verkenner, is_interactive, make_periodes


def test_dropdowns_are_shown_only_in_a_session_a_jupyter_server_started(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(widgets.SESSION_ENV, raising=False)
    assert not is_interactive()  # papermill, nbclient, zgw run
    monkeypatch.setenv(widgets.SESSION_ENV, "notebooks/verkenning.ipynb")
    assert is_interactive()  # JupyterLab
    assert not is_interactive(False) and is_interactive(True)  # the parameter decides when it is set


def test_the_dropdowns_start_at_the_parameters_and_every_change_redraws_with_the_new_choice() -> None:
    t = tabellen()
    drawn: list[Keuze] = []
    v = Verkenner(t["zaken"], t["zaaktypen"], drawn.append, zaaktype="ZT-B", afdeling="Beta",
                  van="2024-01", tot="2024-03")
    assert v.keuze() == Keuze("ZT-B", "Beta", "2024-01", "2024-03")  # 2024 Q1 is offered and chosen
    assert v.zaaktype.options[0] == ("Aanvraag <vergunning> (ZT-A, 6 zaken)", "ZT-A")  # most zaken first
    assert [label for label, _ in v.afdeling.options] == ["alle afdelingen", "Alfa", "Beta"]
    assert drawn == []  # nothing is drawn until the notebook asks (v.redraw()) or a dropdown changes
    v.redraw()
    v.afdeling.value = widgets.ALLE
    v.periode.value = ("2023-01", "2023-12")
    v.zaaktype.value = "ZT-A"
    assert drawn == [Keuze("ZT-B", "Beta", "2024-01", "2024-03"), Keuze("ZT-B", None, "2024-01", "2024-03"),
                     Keuze("ZT-B", None, "2023-01", "2023-12"), Keuze("ZT-A", None, "2023-01", "2023-12")]


def test_a_choice_without_zaken_is_said_in_the_area_and_the_dropdowns_stay() -> None:
    t = tabellen()

    def draw(keuze: Keuze) -> None:
        raise UsageError(f"zaaktype {keuze.zaaktype} has no zaken in afdeling {keuze.afdeling}.")

    v = Verkenner(t["zaken"], t["zaaktypen"], draw)
    InteractiveShell.instance()  # display() goes to a shell, as in a kernel (the Output widget needs a frontend)
    with capture_output() as shown:
        v.redraw()  # no exception escapes the callback: the message is shown where the analysis was
    assert "has no zaken in afdeling None" in shown.outputs[0].data["text/html"]


def test_the_periods_are_the_whole_data_then_years_and_quarters_newest_first() -> None:
    perioden = make_periodes(tabellen()["zaken"])  # registered February 2023 to March 2024
    assert perioden[:3] == [("hele periode", (None, None)), ("2024", ("2024-01", "2024-12")),
                            ("2023", ("2023-01", "2023-12"))]
    assert perioden[3] == ("2024 kwartaal 1", ("2024-01", "2024-03")) and perioden[-1][0] == "2023 kwartaal 1"


@pytest.mark.slow
def test_the_redraw_draws_the_analysis_and_key_figures_of_the_choice(small_sample: Path) -> None:
    shell = InteractiveShell.instance()
    select_figure_formats(shell, {"png"})  # a displayed figure is a PNG, as in JupyterLab
    snap = load_snapshot(small_sample)
    basis = prepare(snap)
    v = Verkenner(snap.zaken, snap.zaaktypen, lambda k: analyses.append(
        widgets.show_analysis(snap.zaken, snap.statussen, snap.zaaktypen, basis, k)))
    analyses: list = []
    with capture_output() as shown:
        v.afdeling.value = sorted(snap.zaken.loc[snap.zaken["zaaktype"] == v.zaaktype.value, "afdeling"].unique())[0]
        v.periode.value = next(value for label, value in v.periode.options
                               if "kwartaal" in label and value[1] < "2026-10")
    assert len(analyses) == 2
    van, tot = v.periode.value
    gekozen = snap.zaken[(snap.zaken["zaaktype"] == v.zaaktype.value) & (snap.zaken["afdeling"] == v.afdeling.value)
                         & (snap.zaken["registratiedatum"].dt.strftime("%Y-%m").between(van, tot))]
    assert analyses[-1].log.aantal_zaken == gekozen["identificatie"].isin(snap.statussen["zaak"]).sum() > 0
    html = " ".join(o.data.get("text/html", "") for o in shown.outputs)
    assert "Kerncijfers: " in html and "Ontvangen zaken" in html and "kwartaal" not in html
    # Each redraw clears the area first: it holds the process chart and the lead times of the last choice only.
    assert sum("image/png" in o.data for o in shown.outputs) == 2
