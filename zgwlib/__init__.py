"""zgwlib: the reporting kit for zaakgericht werken.

The functions a notebook or a process specialist needs most are importable from
here; each lives in one focused module (see ``docs/`` and the module docstrings):

- :func:`load_snapshot` reads a snapshot (``load_snapshot()`` = the built-in sample);
- :func:`build_sample` writes the sample municipality "Gemeente Voorbeeld";
- :func:`import_export` turns CSV, Excel or Parquet exports into a snapshot;
- :func:`validate_snapshot` lists what is wrong with a snapshot.
"""

from zgwlib.core.errors import ZgwError
from zgwlib.data.imports import export_snapshot, import_export
from zgwlib.data.sample import build_sample
from zgwlib.data.snapshot import Snapshot, write_snapshot
from zgwlib.data.sources import load_snapshot
from zgwlib.data.validate import validate_snapshot

__all__ = [
    "Snapshot",
    "ZgwError",
    "build_sample",
    "export_snapshot",
    "import_export",
    "load_snapshot",
    "validate_snapshot",
    "write_snapshot",
]
__version__ = "0.1.0"
