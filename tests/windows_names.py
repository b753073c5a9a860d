"""Whether a file or folder name can be written to and opened from a Windows file share (SMB, NTFS).

The rules of Microsoft's "Naming Files, Paths, and Namespaces": none of ``<>:"/\\|?*`` nor a control
character; not a device name (``CON``, ``PRN``, ``AUX``, ``NUL``, ``COM0``-``COM9``, ``LPT0``-``LPT9``), also not
with an extension (``con.html``); no trailing dot or space; at most 255 characters per name. A whole path under
the share stays below the classic ``MAX_PATH`` of 260 characters when its part below the output root is short,
so the kit keeps that part under :data:`MAX_RELATIVE`.
"""

from __future__ import annotations

from pathlib import Path

FORBIDDEN = set('<>:"/\\|?*') | {chr(i) for i in range(32)}
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
#: Longest path below the output root: leaves 100 characters for the share and the output folder itself.
MAX_RELATIVE = 160


def windows_problem(name: str) -> str | None:
    """Why ``name`` (one path part) is not valid on a Windows share, or None when it is."""
    bad = sorted(set(name) & FORBIDDEN)
    if not name:
        return "empty name"
    if bad:
        return f"{name!r} has {''.join(bad)!r}"
    if name.split(".")[0].rstrip(" ").lower() in RESERVED:
        return f"{name!r} is a Windows device name"
    if name[-1] in ". ":
        return f"{name!r} ends in a dot or space"
    if len(name) > 255:
        return f"{name[:30]!r}... is longer than 255 characters"
    return None


def windows_problems(root: Path) -> list[str]:
    """Every file and folder below ``root`` whose name or relative path is not valid on a Windows share."""
    found = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        problem = windows_problem(path.name)
        if problem:
            found.append(f"{rel.as_posix()}: {problem}")
        elif len(rel.as_posix()) > MAX_RELATIVE:
            found.append(f"{rel.as_posix()}: longer than {MAX_RELATIVE} characters below the output folder")
    return found
