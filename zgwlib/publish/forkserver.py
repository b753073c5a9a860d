"""Forked kernels: every report of a run gets its own kernel process, without paying its start each time.

A kernel started the usual way spends a second or more of CPU before the notebook's first cell does anything
useful: the interpreter, ipykernel, then pandas, matplotlib and zgwlib, again for every department and report
(60 times in the sample's monthly run). ``zgw run`` therefore starts one *fork server* per run: a process that
imports those modules once, with the run's clean kernel environment, and then waits. For each report the kernel
manager starts :mod:`zgwlib.publish.kernel_launcher` instead of ``ipykernel_launcher``; the server forks a copy of
itself that becomes the report's kernel. Each report still runs in a process of its own, so nothing of one
report's state reaches another; only the imported code and the run's snapshot, read once by the server
(:func:`zgwlib.data.snapshot.preload`), are shared (copy-on-write).

Used only where it is safe and known to work: on Linux (``fork`` without an exec is unsafe with the system
frameworks of macOS and does not exist on Windows), for a kernel that is this same Python's ``ipykernel``, and
when the server starts within :data:`START_TIMEOUT` seconds with no thread running. Otherwise, or with the
environment variable :data:`~zgwlib.core.terms.FORK_KERNELS_ENV` set to ``0``, kernels start the usual way; the
reports are the same either way (``tests/test_golden_pages.py`` runs with forked kernels).
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import traceback
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from zgwlib.core.terms import FORK_KERNELS_ENV
from zgwlib.data import snapshot

#: Seconds to wait for the server's imports before starting kernels the usual way instead.
START_TIMEOUT = 60.0
#: What the server prints when it listens.
READY = "zgw-forkserver ready"
#: The inline backend Jupyter kernels set; set before matplotlib is imported so the forks draw inline.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
#: Always imported by the server: what every kernel loads before the first cell.
BASE_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.debugger", "IPython",
                "IPython.display",
                # The house style imports them at a report's first chart (zgwlib.style.apply_style), not at the top
                # of a notebook: without them here every forked kernel paid 0.2-0.7 s for it (borging, archief).
                "matplotlib.pyplot", "seaborn")
LAUNCHER = Path(__file__).with_name("kernel_launcher.py")


def modules_of(notebooks: Iterable[Path]) -> list[str]:
    """The modules the notebooks' code cells import at the top level (``import x``, ``from x import y``)."""
    found: dict[str, None] = {}
    for path in notebooks:
        try:
            cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError):
            continue
        for cell in cells:
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            try:
                tree = ast.parse("".join(source) if isinstance(source, list) else source)
            except SyntaxError:
                continue  # IPython magics; the kernel will say what is wrong
            for node in tree.body:
                if isinstance(node, ast.Import):
                    found.update(dict.fromkeys(alias.name for alias in node.names))
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found[node.module] = None
                    found.update(dict.fromkeys(f"{node.module}.{alias.name}" for alias in node.names))
    return list(found)


def kernel_argv(kernel_name: str) -> list[str] | None:
    """The ``argv`` of an installed kernel spec, or None when there is no such kernel."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        return list(KernelSpecManager().get_kernel_spec(kernel_name).argv)
    except NoSuchKernel:
        return None


def usable(kernel_argv: Sequence[str], environ: Mapping[str, str] | None = None) -> bool:
    """Whether kernels with this kernel spec ``argv`` can be forked here (see the module docstring)."""
    env = os.environ if environ is None else environ
    if env.get(FORK_KERNELS_ENV, "").strip() == "0" or not sys.platform.startswith("linux"):
        return False
    argv = list(kernel_argv)
    if "-m" not in argv or argv.index("-m") + 1 >= len(argv) or argv[argv.index("-m") + 1] != "ipykernel_launcher":
        return False
    exe = shutil.which(argv[0]) if argv else None
    return exe is not None and os.path.realpath(exe) == os.path.realpath(sys.executable)


class ForkServer:
    """One run's fork server: :meth:`start` it, give :meth:`kernel_cmd` to the kernel managers, :meth:`close` it."""

    def __init__(self) -> None:
        #: The kernel spec ``argv`` whose kernels this server forks (set by :meth:`start`).
        self.kernel_argv: list[str] = []
        self.folder: Path | None = None
        self.process: subprocess.Popen[str] | None = None
        self.reason = ""

    @property
    def socket_path(self) -> Path:
        assert self.folder is not None
        return self.folder / "s"

    def start(self, kernel_argv: Sequence[str], env: Mapping[str, str], modules: Sequence[str],
              data: Path | None = None) -> bool:
        """Start the server with the kernel's interpreter and flags; False (and :attr:`reason`) when not ready.

        ``data``: the run's snapshot folder, whose tables the server reads once for every kernel
        (:func:`zgwlib.data.snapshot.preload`).
        """
        argv = self.kernel_argv = list(kernel_argv)
        self.folder = Path(tempfile.mkdtemp(prefix="zgw-forkserver-"))
        cmd = [*argv[:argv.index("-m")], "-m", "zgwlib.publish.forkserver", str(self.socket_path),
               *(["--data", str(data)] if data is not None else []), *modules]
        self.process = subprocess.Popen(cmd, cwd=self.folder, env=dict(env), stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        start_new_session=True)
        first_line: list[str] = []
        reader = threading.Thread(target=lambda: first_line.append(self.process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(START_TIMEOUT)
        if first_line and first_line[0].strip() == READY:
            # Keep reading its output, so a full pipe never blocks it.
            threading.Thread(target=self.process.stdout.read, daemon=True).start()
            threading.Thread(target=self.process.stderr.read, daemon=True).start()
            return True
        if not first_line:
            self.reason = f"no answer within {START_TIMEOUT:g} s"
        elif first_line[0].strip():
            self.reason = first_line[0].strip()
        else:  # end of its output: it stopped; say why
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                pass
            said = self.process.stderr.read().strip() if self.process.returncode is not None else ""
            self.reason = said[-300:] or f"it stopped with exit code {self.process.returncode}"
        self.close()
        return False

    def serves(self, kernel_argv: Sequence[str]) -> bool:
        """Whether kernels of this kernel spec ``argv`` are forked from this server."""
        return bool(self.kernel_argv) and list(kernel_argv) == self.kernel_argv

    def kernel_cmd(self, kernel_argv: Sequence[str]) -> list[str]:
        """The command that gets a forked kernel: the launcher, the socket, then the kernel's own arguments."""
        argv = list(kernel_argv)
        rest = argv[argv.index("-m") + 2:]
        return [argv[0], "-S", str(LAUNCHER), str(self.socket_path), *rest]

    def close(self) -> None:
        """Stop the server (the kernels it forked run in sessions of their own) and remove its folder."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdout, self.process.stderr) if self.process is not None else ():
            if stream is not None:
                stream.close()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


# -- the server process ----------------------------------------------------------------------------------------


def _import_modules(modules: Sequence[str]) -> None:
    """Import what the kernels will import; a module that fails is left to the kernel to report."""
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    for name in (*BASE_MODULES, *modules):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - 'from x import name' names functions too; the kernel imports for real
            pass
    # Loaded only in a kernel, where it hooks itself into the kernel's shell when imported.
    sys.modules.pop("matplotlib_inline.backend_inline", None)
    if "matplotlib" in sys.modules:
        _warm_matplotlib()


def _warm_matplotlib() -> None:
    """Draw one small chart off-screen, so every fork finds the fonts loaded and their glyph caches filled.

    A report's first chart otherwise spends a tenth of a second on it. Drawn on a canvas of its own, without
    pyplot: no figure is left behind and matplotlib's settings are not touched.
    """
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot()
    ax.bar(["jan", "feb"], [1.0, 2.5], label="aantal")
    ax.set_title("Zaken per maand", fontweight="bold")
    ax.set_xlabel("maand")
    ax.legend()
    FigureCanvasAgg(fig).print_png(io.BytesIO())


def _receive(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
    data, fds, _flags, _addr = socket.recv_fds(conn, 1 << 16, 3)
    while len(data) < 4 or len(data) < 4 + struct.unpack("!I", data[:4])[0]:
        more = conn.recv(1 << 16)
        if not more:
            raise ConnectionError("the launcher went away")
        data += more
    size = struct.unpack("!I", data[:4])[0]
    return json.loads(data[4:4 + size]), list(fds)


def _watch(conn: socket.socket) -> None:
    """In the kernel: pass on the launcher's signals; stop when the launcher is gone."""
    while True:
        try:
            data = conn.recv(64)
        except OSError:
            data = b""
        if not data:
            os._exit(1)
        for signum in data:
            os.kill(os.getpid(), signum)


def _become_kernel(conn: socket.socket, request: dict[str, Any], fds: list[int]) -> None:
    """In the forked child: the launcher's streams, folder and environment, then ipykernel as usual."""
    os.setsid()
    for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, signal.SIG_DFL)
    for target, fd in zip((0, 1, 2), fds):
        os.dup2(fd, target)
        os.close(fd)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    sys.argv = ["ipykernel_launcher", *request["argv"]]
    if request["env"].get("JPY_PARENT_PID", "").isdigit():
        # The kernel app read its parent from the server's environment when it was imported; this kernel's
        # parent is the run's process (without it, ipykernel prints a note on Ctrl-C into the kernel's log).
        sys.argv.append(f"--IPKernelApp.parent_handle={request['env']['JPY_PARENT_PID']}")
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()  # a fresh process's global generator, not the server's copy
    threading.Thread(target=_watch, args=(conn,), daemon=True).start()
    importlib.import_module("ipykernel.kernelapp").launch_new_instance()  # imported already by _import_modules


def serve(path: str, modules: Sequence[str], data: str | None = None) -> None:
    """Import (and read the snapshot ``data``), listen at ``path``, and fork a kernel for every launcher that
    connects, until the run ends."""
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # as ipykernel_launcher does: the kernel's folder is added by the kernel itself
    _import_modules(modules)
    if data is not None:
        snapshot.preload(data)
    if threading.active_count() > 1:
        print("a module started a thread; forking would be unsafe", flush=True)
        return
    parent = os.getppid()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    listener.settimeout(1.0)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernels are reaped by the system
    print(READY, flush=True)
    while os.getppid() == parent:  # the run that started us is still there
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            continue
        conn.settimeout(None)
        try:
            request, fds = _receive(conn)
        except (OSError, ValueError):
            conn.close()
            continue
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                listener.close()
                _become_kernel(conn, request, fds)
                code = 0
            except BaseException:  # noqa: BLE001 - said in the kernel's log, which the run shows when it fails
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        conn.close()
        for fd in fds:
            os.close(fd)


if __name__ == "__main__":
    if sys.argv[2:3] == ["--data"]:
        serve(sys.argv[1], sys.argv[4:], sys.argv[3])
    else:
        serve(sys.argv[1], sys.argv[2:])
