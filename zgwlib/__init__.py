"""zgwlib: the reporting kit for zaakgericht werken.

The functions a notebook or a process specialist needs most are importable from
here; each lives in one focused module (see ``docs/`` and the module docstrings).
"""

from .errors import ZgwError
from .snapshot import Snapshot, load_snapshot, write_snapshot

__all__ = ["Snapshot", "ZgwError", "load_snapshot", "write_snapshot"]
__version__ = "0.1.0"
