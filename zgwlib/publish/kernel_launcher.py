"""The kernel process Jupyter starts when the run's kernels are forked (:mod:`zgwlib.publish.forkserver`).

Run as ``python -S kernel_launcher.py SOCKET ARG...`` in place of ``python -m ipykernel_launcher ARG...``: it
imports only the standard library (a few milliseconds instead of a second), hands the fork server its working
folder, environment, arguments and standard streams, and then stands in for the kernel the server forked:

- a signal Jupyter sends it (interrupt, terminate) is passed on to the kernel;
- it exits when the kernel exits (the kernel's end of the connection closes);
- when it is killed outright, its end of the connection closes and the kernel stops itself.

Kept free of zgwlib imports on purpose: it must start fast, and ``-S`` leaves out site-packages.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import struct
import sys

#: Signals passed on to the kernel; each travels as one byte, its number.
RELAYED = ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2")


def main(argv: list[str]) -> int:
    """Ask the fork server at ``argv[0]`` for a kernel with the arguments ``argv[1:]``; wait until it ends."""
    path, kernel_args = argv[0], argv[1:]
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
    except OSError as exc:
        print(f"zgw kernel launcher: the fork server at {path} did not answer ({exc})", file=sys.stderr)
        return 1
    request = json.dumps({"argv": kernel_args, "cwd": os.getcwd(), "env": dict(os.environ)}).encode()
    socket.send_fds(conn, [struct.pack("!I", len(request)) + request], [0, 1, 2])

    def relay(signum: int, _frame: object) -> None:
        try:
            conn.send(bytes([signum]))
        except OSError:
            pass  # the kernel has gone already

    for name in RELAYED:
        signal.signal(getattr(signal, name), relay)
    while True:
        try:
            if not conn.recv(64):
                return 0  # the kernel ended
        except InterruptedError:
            continue


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
