"""Errors a user can act on.

Every error the kit raises on purpose derives from :class:`ZgwError`. The
command line (:mod:`zgwlib.cli`) prints these as a short message without a
traceback and exits with the class's ``exit_code``; anything else is a bug and
keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Longest value a message shows; a 10 MB field must not make a 10 MB message.
MAX_SHOWN = 80


def shorten(text: str, limit: int = MAX_SHOWN) -> str:
    """``text`` cut to about ``limit`` characters, saying how long it was when cut."""
    if len(text) <= limit:
        return text
    return f"{text[:limit - 1]}… ({len(text):,} characters)"


class ZgwError(Exception):
    """Base class of every error meant for the user, not the developer.

    Attributes
    ----------
    exit_code : int
        Process exit code the CLI uses for this error.
    """

    exit_code: int = 1


class UsageError(ZgwError):
    """A command or function was called with arguments that cannot work."""

    exit_code = 2


class InputFileError(ZgwError):
    """A source file cannot be read at all (missing, wrong format, unreadable encoding)."""

    exit_code = 2


@dataclass
class Problem:
    """One finding of validation or import, described so a person can fix it.

    Parameters
    ----------
    table : str
        Contract table the problem is in (``zaken``, ``statussen``, ...).
    message : str
        What is wrong, in plain language.
    column : str, optional
        Column concerned, if any.
    rows : list of int
        Row numbers as a person sees them in the source (1 = first data row),
        at most a handful; ``count`` gives the full number.
    values : list of str
        A few example values that are wrong.
    count : int
        How many rows have this problem.
    file : str, optional
        Source file the table came from.
    severity : {"error", "warning"}
        Errors make a snapshot unusable; warnings are suspicious but usable.
    """

    table: str
    message: str
    column: str | None = None
    rows: list[int] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    count: int = 0
    file: str | None = None
    severity: str = "error"

    def describe(self) -> str:
        """Return the problem as one readable line (English, like the CLI)."""
        where = self.file or self.table
        place = f"{where}, table {self.table}" if self.file else f"table {self.table}"
        if self.column:
            place += f", column {self.column}"
        text = f"{place}: {self.message}"
        if self.count:
            text += f" ({self.count} row{'s' if self.count != 1 else ''}"
            if self.rows:
                shown = ", ".join(str(r) for r in self.rows)
                more = ", ..." if self.count > len(self.rows) else ""
                text += f"; row {shown}{more}"
            text += ")"
        if self.values:
            # Values are cut where they are found (validate.example_values); this catches any other, with room
            # for the "(n characters)" of one cut already.
            text += "; e.g. " + ", ".join(shorten(repr(v), MAX_SHOWN + 40) for v in self.values)
        return text


class ValidationError(ZgwError):
    """A snapshot or import breaks the data contract.

    Parameters
    ----------
    problems : list of Problem
        Every problem found, errors and warnings; ``str()`` lists them all.
    """

    exit_code = 2

    def __init__(self, problems: list[Problem], source: str | None = None) -> None:
        self.problems = problems
        self.source = source
        super().__init__(self._render())

    @property
    def errors(self) -> list[Problem]:
        """The problems with severity ``error``."""
        return [p for p in self.problems if p.severity == "error"]

    def _render(self) -> str:
        errors = self.errors
        head = f"{len(errors)} problem{'s' if len(errors) != 1 else ''} in {self.source or 'the data'}:"
        lines = [head] + [f"  - {p.describe()}" for p in errors]
        warnings = [p for p in self.problems if p.severity != "error"]
        if warnings:
            lines.append(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}:")
            lines += [f"  - {p.describe()}" for p in warnings]
        return "\n".join(lines)


class OutputError(ZgwError):
    """An output (``--out``) cannot be written, or writing it would destroy something the kit did not write.

    Raised by :mod:`zgwlib.core.files` for every command that writes a folder or file: a folder of other files, a
    different kind of output, the command's own source, a file where a folder is wanted, a read-only place,
    a full disk.
    """

    exit_code = 2


class SnapshotError(ZgwError):
    """A snapshot directory is missing, incomplete or of an unknown contract version."""

    exit_code = 2


class ApiError(ZgwError):
    """A ZGW API answered in a way the client cannot use (auth, URL, schema, timeouts)."""

    exit_code = 3


class RunError(ZgwError):
    """One or more report runs failed; the others were published."""

    exit_code = 4
