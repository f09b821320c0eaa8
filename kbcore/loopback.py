"""Local servers the project starts for itself (the app, `chroma run`): a free loopback port,
and waiting until the process listens on it or has died."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from kbcore.settings import Settings


def app_process_env(settings: Settings, port: int) -> dict[str, str]:
    """The environment of an `assistant serve` process on ``127.0.0.1:port`` over
    ``settings``' index, users file and feedback database (conversations, ratings, audit
    log): this process's environment plus those variables."""
    return os.environ | {
        "ASSISTANT_INDEX_DIR": str(settings.index_dir),
        "ASSISTANT_USERS_FILE": str(settings.users_file),
        "ASSISTANT_FEEDBACK_DB": str(settings.feedback_db),
        "ASSISTANT_APP_HOST": "127.0.0.1",
        "ASSISTANT_APP_PORT": str(port),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ensure_port_free(host: str, port: int) -> None:
    """Raise RuntimeError (in Swedish, naming ASSISTANT_APP_PORT) when ``port`` is taken."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise RuntimeError(
                f"Porten {port} på {host} används redan ({error.strerror}). Stäng programmet som "
                "använder den eller välj en annan port med --port eller ASSISTANT_APP_PORT."
            ) from None


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


def start_chroma_server(data_dir: Path, port: int | None = None) -> tuple[subprocess.Popen, int]:
    """A `chroma run` server over the store in ``data_dir`` on loopback (a free port unless
    given), listening when this returns: (process, port)."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent))
    if not chroma:
        raise RuntimeError("chroma-kommandot saknas (det kommer med paketet chromadb)")
    port = port or free_port()
    process = subprocess.Popen(
        [chroma, "run", "--path", str(data_dir), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_until_listening(port, process, 60, "chroma run")
    return process, port
