"""Forked kernels (zgwlib.publish.forkserver): real kernels forked from one server, and when they are not used.

The published pages are the same with forked kernels: tests/test_golden_pages.py compares the pages of a zgw run
that forks its kernels with the committed ones.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from jupyter_client.manager import KernelManager

from zgwlib.core.terms import FORK_KERNELS_ENV
from zgwlib.data.sources import resolve
from zgwlib.publish import forkserver
from zgwlib.publish.secrets import kernel_environment

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kernels are forked on Linux only")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purpose (its parent reaps it later).
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def wait_until(condition, seconds: float = 10.0) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[forkserver.ForkServer, list[str]]]:
    argv = forkserver.kernel_argv("python3")
    if argv is None or not forkserver.usable(argv, {}):
        pytest.skip("no forkable python3 kernel here")
    s = forkserver.ForkServer()
    assert s.start(argv, kernel_environment(), ["pandas", "zgwlib.core.nl"]), s.reason
    yield s, argv
    s.close()
    assert not s.process or s.process.poll() is not None
    assert not s.folder.exists()  # its socket folder is removed


@contextlib.contextmanager
def forked_kernel(server: forkserver.ForkServer, tmp_path: Path,
                  now: bool = False) -> Iterator[tuple[KernelManager, object]]:
    """A kernel forked from ``server`` in ``tmp_path``, ready, and its client; shut down afterwards."""
    class Forked(KernelManager):
        def format_kernel_cmd(self, extra_arguments=None):  # noqa: ANN001, ANN202
            return server.kernel_cmd(super().format_kernel_cmd(extra_arguments))

    km = Forked(kernel_name="python3")
    km.start_kernel(cwd=str(tmp_path), env={**kernel_environment(), "ZGW_TEST_MARK": "per kernel"})
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=30)
        yield km, kc
    finally:
        kc.stop_channels()
        if km.has_kernel:
            km.shutdown_kernel(now=now)


def evaluate(kc, code: str, timeout: float = 30) -> object:  # noqa: ANN001
    """The JSON value the kernel prints for ``code`` (one expression)."""
    printed: list[str] = []
    reply = kc.execute_interactive(f"import json as _j; print(_j.dumps({code}))", timeout=timeout,
                                   output_hook=lambda m: printed.append(m["content"].get("text", "")))
    assert reply["content"]["status"] == "ok", reply["content"]
    return json.loads("".join(printed))


@linux_only
def test_a_forked_kernel_is_a_child_of_the_server_with_its_modules_loaded_and_its_own_folder_and_environment(
        server, tmp_path: Path) -> None:
    s, _ = server
    with forked_kernel(s, tmp_path) as (_, kc):
        got = evaluate(kc, "[__import__('os').getppid(), 'pandas' in __import__('sys').modules, "
                           "__import__('os').getcwd(), __import__('os').environ.get('ZGW_TEST_MARK')]")
    assert got == [s.process.pid, True, str(tmp_path), "per kernel"]


@linux_only
def test_two_forked_kernels_draw_different_random_numbers(server, tmp_path: Path) -> None:
    # Forks share the server's memory; an unseeded generator must not give every report the same numbers.
    s, _ = server
    draws = []
    for i in range(2):
        (tmp_path / str(i)).mkdir()
        with forked_kernel(s, tmp_path / str(i)) as (_, kc):
            draws.append(evaluate(kc, "__import__('numpy').random.rand(3).tolist()"))
    assert draws[0] != draws[1]


@linux_only
def test_an_interrupt_reaches_a_forked_kernel(server, tmp_path: Path) -> None:
    s, _ = server
    with forked_kernel(s, tmp_path, now=True) as (km, kc):
        msg_id = kc.execute("import time; time.sleep(60)")
        time.sleep(0.5)
        start = time.monotonic()
        km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=20)
        assert reply["parent_header"]["msg_id"] == msg_id
        assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
        assert time.monotonic() - start < 10


@linux_only
def test_a_forked_kernel_stops_when_its_launcher_is_killed(server, tmp_path: Path) -> None:
    # zgw run kills the launcher it knows (Ctrl-C); the kernel it stands for must not live on.
    s, _ = server
    with forked_kernel(s, tmp_path, now=True) as (km, kc):
        pid = evaluate(kc, "__import__('os').getpid()")
        assert alive(pid)
        os.kill(km.provisioner.process.pid, signal.SIGKILL)
        assert wait_until(lambda: not alive(pid)), "the forked kernel outlived its launcher"


@linux_only
def test_a_kernel_shut_down_the_usual_way_ends_its_launcher(server, tmp_path: Path) -> None:
    s, _ = server
    with forked_kernel(s, tmp_path) as (km, kc):
        launcher = km.provisioner.process
        pid = evaluate(kc, "__import__('os').getpid()")
    assert launcher.poll() is not None and not alive(pid)


def test_forking_is_off_when_the_environment_says_0_or_the_kernel_is_another_program() -> None:
    python = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    assert forkserver.usable(python, {}) is sys.platform.startswith("linux")
    assert not forkserver.usable(python, {FORK_KERNELS_ENV: "0"})
    assert not forkserver.usable(["/usr/bin/R", "--slave", "-e", "IRkernel::main()"], {})
    assert not forkserver.usable(["/somewhere/else/python3", "-m", "ipykernel_launcher", "-f", "x"], {})
    assert not forkserver.usable([sys.executable, "-m", "other_kernel", "-f", "x"], {})


def test_the_server_preloads_what_the_notebooks_import_at_top_level(tmp_path: Path) -> None:
    nb = {"cells": [
        {"cell_type": "markdown", "source": "import nothing"},
        {"cell_type": "code", "source": ["import pandas as pd\n", "from zgwlib.core import nl, periods\n",
                                         "def f():\n", "    import json\n"]},
        {"cell_type": "code", "source": "%matplotlib inline\nimport os"},  # a magic: left to the kernel
        {"cell_type": "code", "source": "from . import relative"},
    ]}
    path = tmp_path / "rapport.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert forkserver.modules_of([path, tmp_path / "missing.ipynb"]) == [
        "pandas", "zgwlib.core", "zgwlib.core.nl", "zgwlib.core.periods"]


@linux_only
def test_a_server_that_cannot_start_is_reported_and_leaves_nothing_behind(tmp_path: Path) -> None:
    s = forkserver.ForkServer()
    # An interpreter flag that does not exist: the server exits at once.
    assert not s.start([sys.executable, "-X", "no_such_option=1", "--bad-flag", "-m", "ipykernel_launcher"],
                       kernel_environment(), [])
    assert s.reason
    assert not s.folder.exists()


@linux_only
def test_a_kernel_forked_from_a_server_given_the_runs_snapshot_takes_its_tables_from_the_server(
        tmp_path: Path) -> None:
    argv = forkserver.kernel_argv("python3")
    if argv is None or not forkserver.usable(argv, {}):
        pytest.skip("no forkable python3 kernel here")
    data = resolve("voorbeeld")
    s = forkserver.ForkServer()
    assert s.start(argv, kernel_environment(), ["zgwlib.data.snapshot"], data), s.reason
    try:
        with forked_kernel(s, tmp_path) as (_, kc):
            shared, zaken = evaluate(kc, "[len(__import__('zgwlib.data.snapshot').data.snapshot._PRELOADED), "
                                         "len(__import__('zgwlib').load_snapshot('voorbeeld', ['zaken'])['zaken'])]")
    finally:
        s.close()
    assert shared == len(list(data.glob("*.parquet")))  # every table, read by the server
    assert zaken == len(pd.read_parquet(data / "zaken.parquet", columns=["identificatie"]))
