"""One settings loader for every report: defaults, then the parameters file, then overrides; errors name the file."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from zgwlib.cli import REPORTS_WITH_SETTINGS, main, settings_classes
from zgwlib.core.errors import UsageError
from zgwlib.core.settings import field_docs, load_settings, render_defaults
from zgwlib.evaluatie import analysis
from zgwlib.maandrapportage import figures
from zgwlib.opschoonactie import figures as opschoon

ROOT = Path(__file__).resolve().parent.parent


def test_without_a_file_the_settings_are_the_documented_defaults() -> None:
    assert load_settings(figures.Instellingen) == figures.Instellingen()
    assert load_settings(figures.Instellingen, "") == figures.Instellingen()
    assert load_settings(opschoon.Instellingen, None).tempo_venster_dagen == 56


def test_the_file_overrides_the_defaults_and_keyword_overrides_win_over_the_file(tmp_path: Path) -> None:
    cfg = tmp_path / "drempels.yaml"
    cfg.write_text("dagen_zonder_statuswijziging: 45\ntoon_namen: true\nhalvering_factor: 0.4\n", encoding="utf-8")
    loaded = load_settings(figures.Instellingen, cfg)
    assert (loaded.dagen_zonder_statuswijziging, loaded.halvering_factor) == (45, 0.4)
    overruled = load_settings(figures.Instellingen, cfg, dagen_zonder_statuswijziging=10, max_tips=None)
    assert (overruled.dagen_zonder_statuswijziging, overruled.max_tips) == (10, figures.Instellingen().max_tips)


@pytest.mark.parametrize("report", REPORTS_WITH_SETTINGS)
def test_every_parameter_of_a_report_notebook_in_its_parameters_file_is_left_to_the_notebook(
        report: str, tmp_path: Path) -> None:
    # zgw run gives a report's parameters file to the notebook both as parameters (the keys it declares) and as
    # config; a notebook parameter there (toon_omschrijving: true) must not stop the settings as an unknown key.
    import papermill

    cls = settings_classes()[report]
    settings = {f.name for f in dataclasses.fields(cls)}
    declared = papermill.inspect_notebook(str(ROOT / "notebooks" / f"{report}.ipynb"))
    cfg = tmp_path / f"{report}.yaml"
    cfg.write_text(yaml.safe_dump({k: True for k in declared if k not in settings}), encoding="utf-8")
    assert load_settings(cls, cfg) == cls()


def test_a_file_that_is_given_but_missing_is_an_error_not_the_defaults(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"drempls\.yaml: no such parameters file"):
        load_settings(figures.Instellingen, tmp_path / "drempls.yaml")


@pytest.mark.parametrize(("text", "message"), [
    ("dagen_zonder_status: 45\n", r"drempels\.yaml: unknown setting 'dagen_zonder_status'"),
    ("max_tips: veel\n", r"drempels\.yaml: setting max_tips must be a whole number, not 'veel'"),
    ("max_tips: 2.5\n", r"setting max_tips must be a whole number"),
    ("max_tips: true\n", r"setting max_tips must be a whole number"),
    ("min_aantal_tip: 0\n", r"setting min_aantal_tip must be at least 1, not 0"),
    ("halvering_factor: -0.5\n", r"setting halvering_factor must be at least 0"),
    ("- 1\n- 2\n", r"drempels\.yaml: expected a mapping"),
    ("max_tips: [\n", r"drempels\.yaml: not valid YAML \(line 2\)"),
    ("digitale_kanalen:\n", r"setting digitale_kanalen must be a list of names, like \[balie, post\], not None"),
    ("digitale_kanalen: [balie, '']\n", r"setting digitale_kanalen must be a list of names"),
])
def test_a_wrong_file_names_the_file_and_the_key(tmp_path: Path, text: str, message: str) -> None:
    cfg = tmp_path / "drempels.yaml"
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        load_settings(figures.Instellingen, cfg)


def test_a_list_of_names_may_be_written_empty_or_as_one_name(tmp_path: Path) -> None:
    cfg = tmp_path / "drempels.yaml"
    cfg.write_text("digitale_kanalen: []\nraadplegende_afdelingen: ' Klantcontactcentrum '\n", encoding="utf-8")
    loaded = load_settings(figures.Instellingen, cfg)
    assert loaded.digitale_kanalen == () and loaded.raadplegende_afdelingen == ("Klantcontactcentrum",)


def test_a_setting_may_allow_zero_where_it_says_so() -> None:
    assert load_settings(figures.Instellingen, dagen_zonder_statuswijziging=0).dagen_zonder_statuswijziging == 0
    with pytest.raises(UsageError, match="unknown setting 'onbekend'"):
        load_settings(figures.Instellingen, onbekend=3)


@pytest.mark.parametrize("report", REPORTS_WITH_SETTINGS)
def test_every_shipped_parameters_file_loads_for_its_report(report: str) -> None:
    cls = settings_classes()[report]
    path = ROOT / "parameters" / f"{report}.yaml"
    assert path.is_file()
    assert isinstance(load_settings(cls, path), cls)


@pytest.mark.parametrize("report", REPORTS_WITH_SETTINGS)
def test_every_setting_is_documented_and_the_rendered_defaults_load_back(report: str, tmp_path: Path) -> None:
    cls = settings_classes()[report]
    docs = field_docs(cls)
    assert all(docs.get(f.name) for f in dataclasses.fields(cls)), f"undocumented: {set(f.name for f in dataclasses.fields(cls)) - set(docs)}"
    text = render_defaults(cls, report)
    assert set(yaml.safe_load(text)) == {f.name for f in dataclasses.fields(cls)}
    (tmp_path / "all.yaml").write_text(text, encoding="utf-8")
    assert load_settings(cls, tmp_path / "all.yaml") == cls()


def test_zgw_settings_prints_every_default_with_its_meaning(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["settings", "evaluatie"]) == 0
    out = capsys.readouterr().out
    assert "min_zaken: 15" in out and "# Closed zaken a zaaktype needs in each period to be tested." in out
    assert yaml.safe_load(out)["betrouwbaarheid"] == analysis.Instellingen().betrouwbaarheid
