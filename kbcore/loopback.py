"""Local servers the project starts for itself (the app, `chroma run`): a free loopback port,
and waiting until the process listens on it or has died."""

from __future__ import annotations

import socket
import subprocess
import time


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_listening(port: int, process: subprocess.Popen, seconds: float, what: str) -> None:
    """Return once ``port`` accepts connections; raise RuntimeError naming ``what`` when the
    process exits first or ``seconds`` pass (the process is then killed)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"{what} avslutades vid start (kod {process.returncode})") from None
            if time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"{what} lyssnade inte på port {port} inom {seconds:g} s") from None
            time.sleep(0.2)
