"""The ``zgw`` command line: parses arguments, calls the library, maps errors to exit codes.

This is the only place that turns an error into an exit code. Errors derived
from :class:`zgwlib.core.errors.ZgwError` are printed as a short message without a
traceback; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from zgwlib.core.errors import Problem, ZgwError

# jsonschema, under nbformat and papermill, imports the optional package rfc3987_syntax when it is installed
# (JupyterLab's dependencies bring it), and that compiles 39 grammars on import: 1.2 s of CPU in every zgw command
# that reads a notebook. It only checks the "iri" string formats, which no notebook schema uses; marked missing,
# jsonschema leaves just that format unchecked.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def _print_problems(problems: list[Problem]) -> None:
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    if errors:
        print(f"{len(errors)} problem{'s' if len(errors) != 1 else ''}:", file=sys.stderr)
        for p in errors:
            print(f"  - {p.describe()}", file=sys.stderr)
    if warnings:
        print(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}:", file=sys.stderr)
        for p in warnings:
            print(f"  - {p.describe()}", file=sys.stderr)


def _cmd_sample(args: argparse.Namespace) -> int:
    from zgwlib.data.sample import build_sample
    from zgwlib.data.snapshot import read_meta

    out = build_sample(args.out, zaken=args.zaken, seed=args.seed, start=args.start, months=args.months,
                       force=args.force)
    meta = read_meta(out)
    counts = ", ".join(f"{n} {t}" for t, n in meta["aantallen"].items())
    print(f"{meta['gemeente']}: {counts}")
    print(f"Snapshot written to {out}")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from zgwlib.data.imports import import_export

    notes: list[str] = []
    out, problems = import_export(args.source, args.out, mapping=args.mapping, no_documents=args.no_documents,
                                  tot=args.tot, encoding=args.encoding, force=args.force, notes=notes)
    _print_problems(problems)
    for note in notes:
        print(note)
    print(f"Snapshot written to {out}")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from zgwlib.data.validate import validate_snapshot

    problems = validate_snapshot(args.snapshot)
    _print_problems(problems)
    if any(p.severity == "error" for p in problems):
        return 2
    print(f"{args.snapshot}: valid" + (f" ({len(problems)} warnings)" if problems else ""))
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from zgwlib.data.imports import export_snapshot

    fmt = args.format or ("xlsx" if args.out.suffix.lower() == ".xlsx" else "csv")
    out = export_snapshot(args.snapshot, args.out, fmt, force=args.force)
    print(f"Exported {args.snapshot} as {fmt} to {out}")
    return 0


def _cmd_fetch(args: argparse.Namespace) -> int:
    from zgwlib.core.files import check_out
    from zgwlib.data.zgw.api import fetch, summary_lines

    # Before the APIs are read (which can take an hour), not only when the snapshot is written.
    check_out(args.out, kind="zgw-api", sources=[args.medewerkers], force=args.force)

    result = fetch(
        zaken_url=args.zaken_url,
        catalogi_url=args.catalogi_url,
        documenten_url=args.documenten_url,
        client_id=args.client_id,
        out=args.out,
        sinds=args.sinds,
        bronorganisatie=args.bronorganisatie,
        medewerkers=args.medewerkers,
        gemeente=args.gemeente,
        full=args.full,
        timeout=args.timeout,
        workers=args.workers,
        force=args.force,
    )
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    for line in summary_lines(result):
        print(line)
    return 0


def _cmd_contract(args: argparse.Namespace) -> int:
    from zgwlib.data.contract import render_markdown

    sys.stdout.write(render_markdown())
    return 0


def settings_classes() -> dict[str, type]:
    """Report name -> its settings class (``parameters/<report>.yaml``), for ``zgw settings``."""
    from zgwlib.archief.figures import Instellingen as Archief
    from zgwlib.borging.figures import Instellingen as Borging
    from zgwlib.evaluatie.analysis import Instellingen as Evaluatie
    from zgwlib.maandrapportage.figures import Instellingen as Maandrapportage
    from zgwlib.opschoonactie.figures import Instellingen as Opschoonactie
    from zgwlib.termijnbewaking.figures import Instellingen as Termijnbewaking

    return {"maandrapportage": Maandrapportage, "opschoonactie": Opschoonactie, "evaluatie": Evaluatie,
            "termijnbewaking": Termijnbewaking, "archief": Archief, "borging": Borging}


#: The reports that have settings (imported only when ``zgw settings`` runs: the CLI starts fast).
REPORTS_WITH_SETTINGS = ("archief", "borging", "evaluatie", "maandrapportage", "opschoonactie", "termijnbewaking")


def _cmd_settings(args: argparse.Namespace) -> int:
    from zgwlib.core.settings import render_defaults

    title = (f"Settings of notebooks/{args.report}.ipynb and their defaults. Copy the keys you want to change "
             f"into parameters/{args.report}.yaml.")
    sys.stdout.write(render_defaults(settings_classes()[args.report], title))
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from zgwlib.publish.runner import run

    # "--afdeling A B notebook.ipynb": argparse cannot tell where the names end.
    afdelingen = [a for a in args.afdeling or [] if not a.endswith(".ipynb")] or None
    notebooks = list(args.notebooks) + [Path(a) for a in args.afdeling or [] if a.endswith(".ipynb")]
    result = run(
        notebooks or None,
        periode=args.periode,
        afdelingen=afdelingen,
        data=args.data,
        out=args.out,
        workers=args.workers,
        config=args.config,
        frequentie=args.frequentie,
        peildatum=args.peildatum,
    )
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    print(result.table())
    print(f"Index: {result.index}")
    print(f"All periods: {result.out / 'index.html'}")
    result.raise_for_failures()
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from zgwlib.publish.demo import make_demo

    afdelingen = args.afdeling or None
    result = make_demo(args.out, zaken=args.zaken, afdelingen=afdelingen, notebook_dir=args.notebooks,
                       workers=args.workers, on_step=print)
    for run in result.runs:
        for note in run.notes:
            print(f"note: {note}", file=sys.stderr)
        print(run.table())
    print(f"Index: {result.index}")
    print(f"Open {result.index.resolve()} in a browser.")
    for run in result.runs:
        run.raise_for_failures()
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``zgw`` with all its subcommands."""
    # Kept long: a flat, declarative list of subcommands, one block each, read like `zgw --help`.
    parser = argparse.ArgumentParser(
        prog="zgw", description="Reporting kit for zaakgericht werken: data, reports and publication."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("sample", help="generate the sample municipality 'Gemeente Voorbeeld' as a snapshot")
    p.add_argument("--out", required=True, type=Path, help="snapshot directory to write")
    p.add_argument("--zaken", type=int, default=None, help="number of zaken (default about 60,000)")
    p.add_argument("--seed", type=int, default=None, help="random seed; the same seed gives the same data")
    p.add_argument("--start", default=None, help="first month, YYYY-MM (default 2024-11)")
    p.add_argument("--months", type=int, default=None, help="number of months (default 24)")
    p.add_argument("--force", action="store_true",
                   help="replace what is at --out even when another command than zgw sample wrote it; the old one is kept as <out>.vorige")
    p.set_defaults(func=_cmd_sample)

    p = sub.add_parser("import", help="turn an export (CSV folder, Excel workbook, Parquet folder) into a snapshot")
    p.add_argument("source", type=Path, help="folder of CSV or Parquet files, or an .xlsx workbook")
    p.add_argument("--out", required=True, type=Path, help="snapshot directory to write")
    p.add_argument("--mapping", type=Path, default=None, help="YAML file renaming a vendor's headers and values")
    p.add_argument("--no-documents", action="store_true",
                   help="the source has no document data (kept in another system): the reports say "
                        "'geen documentgegevens' (an export without documenten is taken so too, with a warning)")
    p.add_argument("--tot", default=None, metavar="YYYY-MM-DD",
                   help="the day up to which the export is complete, when the source has no meta.json saying so "
                        "(default: the date of the export files)")
    p.add_argument("--encoding", default=None,
                   help="read every CSV file in this encoding (utf-8, cp1252, ...) instead of detecting it")
    p.add_argument("--force", action="store_true",
                   help="replace what is at --out even when another command than zgw import wrote it; the old one is kept as <out>.vorige")
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser("validate", help="check a snapshot against the data contract")
    p.add_argument("snapshot", type=Path, help="snapshot directory")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("export", help="write a snapshot as CSV files or an Excel workbook that 'zgw import' reads back")
    p.add_argument("snapshot", help="snapshot directory ('voorbeeld' for the built-in sample)")
    p.add_argument("--out", required=True, type=Path, help="folder for CSV files, or a .xlsx file")
    p.add_argument("--format", choices=("csv", "xlsx"), default=None,
                   help="csv (one file per table) or xlsx (one sheet per table); default from --out")
    p.add_argument("--force", action="store_true",
                   help="replace what is at --out even when another command than zgw export wrote it; the old one is kept as <out>.vorige")
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("run", help="run every report notebook per department and publish the HTML and index")
    p.add_argument("notebooks", nargs="*", type=Path, metavar="NOTEBOOK",
                   help="notebooks to run (default: every notebook in notebooks/ marked for publication)")
    p.add_argument("--periode", default=None,
                   help="month YYYY-MM, or ISO week YYYY-Www with --frequentie week "
                        "(default: the last complete month or week in the data)")
    p.add_argument("--frequentie", choices=("maand", "week"), default=None,
                   help="run the reports published per month (default) or per week, e.g. every Monday")
    p.add_argument("--peildatum", default=None, metavar="YYYY-MM-DD",
                   help="day of a report published on request (the evaluation): only such reports, named here, "
                        "are run, into outputs/<peildatum>/")
    p.add_argument("--afdeling", action="extend", nargs="+", default=None, metavar="NAME",
                   help="only these departments; 'organisatie' is the whole organisation (default: all, plus it)")
    p.add_argument("--data", default=None, help="snapshot directory (default: the built-in sample 'voorbeeld')")
    p.add_argument("--out", type=Path, default=Path("outputs"), help="output directory (default: outputs)")
    p.add_argument("--workers", type=int, default=None, help="runs at the same time (default: number of cores + 1)")
    p.add_argument("--config", type=Path, default=None, metavar="FILE.yaml",
                   help="YAML file of notebook parameters, e.g. parameters/maandrapportage.yaml")
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser(
        "demo", help="build and validate the sample municipality and publish every report for it (make demo)",
        description="What 'make demo' does, without make: the sample municipality into <out>/voorbeeld, validated, "
                    "then every monthly and weekly report for every department and the organisation. Notebooks "
                    "come from notebooks/ in this folder, else from the installed kit.")
    p.add_argument("--out", type=Path, default=Path("outputs"),
                   help="output directory (default: outputs); the sample goes to <out>/voorbeeld")
    p.add_argument("--zaken", type=int, default=None, help="number of zaken of the sample (default about 60,000)")
    p.add_argument("--afdeling", action="extend", nargs="+", default=None, metavar="NAME",
                   help="only these departments; 'organisatie' is the whole organisation (default: all, plus it)")
    p.add_argument("--notebooks", type=Path, default=None, metavar="FOLDER",
                   help="folder of the report notebooks (default: notebooks/ here, else the installed kit's)")
    p.add_argument("--workers", type=int, default=None, help="runs at the same time (default: number of cores + 1)")
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser(
        "fetch", help="read the zaaksysteem's ZGW APIs (Zaken, Catalogi, Documenten) into a snapshot",
        epilog="The client secret comes from ZGW_CLIENT_SECRET or the file named by ZGW_CLIENT_SECRET_FILE, "
               "never from the command line. See docs/open-zaak.md.")
    p.add_argument("--zaken-url", required=True, help="root of the Zaken API, e.g. https://host/zaken/api/v1")
    p.add_argument("--catalogi-url", required=True, help="root of the Catalogi API")
    p.add_argument("--documenten-url", default=None, help="root of the Documenten API (also documents outside zaken)")
    p.add_argument("--client-id", required=True, help="client id of the application in the zaaksysteem")
    p.add_argument("--out", required=True, type=Path, help="snapshot directory; an earlier fetch there is updated")
    p.add_argument("--sinds", default=None, metavar="YYYY-MM-DD",
                   help="only zaken registered, closed or open since this day (default: since the last fetch at --out)")
    p.add_argument("--bronorganisatie", default=None, metavar="RSIN", help="only this organisation's zaken")
    p.add_argument("--medewerkers", type=Path, default=None, metavar="HR.csv",
                   help="HR export of staff (identificatie, naam, afdeling, team, actief_sinds)")
    p.add_argument("--gemeente", default=None, help="municipality name for the reports")
    p.add_argument("--full", action="store_true", help="read everything even when an earlier fetch is at --out")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for an answer (default 60)")
    p.add_argument("--workers", type=int, default=4, help="requests at the same time (default 4)")
    p.add_argument("--force", action="store_true",
                   help="replace what is at --out even when another command than zgw fetch wrote it; the old one is kept as <out>.vorige")
    p.set_defaults(func=_cmd_fetch)

    p = sub.add_parser("settings", help="print a report's settings with their meaning and default, as YAML")
    p.add_argument("report", choices=REPORTS_WITH_SETTINGS, help="the report (notebook name)")
    p.set_defaults(func=_cmd_settings)

    p = sub.add_parser("contract", help="print the data contract as Markdown")
    p.set_defaults(func=_cmd_contract)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``zgw`` with ``argv`` and return its exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ZgwError as exc:
        print(f"zgw {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"zgw {args.command}: interrupted; nothing was replaced.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
