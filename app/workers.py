"""`assistant serve --workers N`: N app processes over one `chroma run` server behind nginx.

One command starts and stops the whole: the Chroma server on the index folder's store (unless
``ASSISTANT_CHROMA_HOST`` names one already running), N `assistant serve` workers on free
loopback ports, and nginx (Debian's, scripts/system-deps.sh) on ``app_host:app_port``.

nginx rather than a Python proxy: it is the reverse proxy operators already run, it streams
Gradio's server-sent events with buffering off, and it retries a refused connection on the
next worker. Sessions are sticky, which Gradio's queue needs (a question's join and its event
stream must reach the same worker): nginx hashes a cookie ``arbetare`` it sets itself on the
first response, so browsers and gradio_client (which keeps the config response's cookies)
stay with one worker. Open-source nginx has no ``sticky cookie``; ``ip_hash`` would send every
user behind one NAT, and everything on loopback, to one worker.

Each worker notices another's ingest through the index version (assistant/service.py).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kbcore.loopback import (
    app_process_env,
    ensure_port_free,
    free_port,
    start_chroma_server,
    wait_until_listening,
)
from kbcore.settings import Settings

NGINX_CONF = """\
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
{user}
events {{ worker_connections 2048; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    client_max_body_size {max_body_mb}m;

    # Sticky sessions: the cookie if the client has one, else this request's id, which the
    # response then sets as the cookie; the hash sends both to the same worker.
    map $cookie_arbetare $arbetare {{ "" $request_id; default $cookie_arbetare; }}
    map $cookie_arbetare $ny_arbetare {{
        "" "arbetare=$request_id; Path=/; HttpOnly; SameSite=Lax";
        default "";
    }}
    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}

    upstream arbetare {{
        hash $arbetare consistent;
{servers}
    }}
    server {{
        listen {host}:{port};
        location / {{
            proxy_pass http://arbetare;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_buffering off;
            proxy_read_timeout 300s;
            proxy_connect_timeout 2s;
            # A worker that dies: its requests go to another (a repeated join or upload is
            # harmless: the queue takes it anew, an ingest is idempotent).
            proxy_next_upstream error timeout non_idempotent;
            add_header Set-Cookie $ny_arbetare always;
        }}
    }}
}}
"""


@dataclass
class Worker:
    """One `assistant serve` process and its loopback port."""

    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


@dataclass
class Cluster:
    """The running whole: ``url`` is nginx's; the parts are there to inspect and to stop."""

    url: str
    chroma_port: int
    workers: list[Worker]
    chroma: subprocess.Popen | None
    chroma_path: Path | None
    nginx: subprocess.Popen
    start_worker: Callable[[int], subprocess.Popen]  # a worker process on a port
    processes: list[subprocess.Popen] = field(default_factory=list)  # stopped on exit, last first

    def restart_chroma(self) -> None:
        """Start the Chroma server this cluster started again, on the same port and store
        (after it stopped or was killed)."""
        assert self.chroma_path is not None, "Chroma-servern startades inte av klustret"
        self.chroma, _ = start_chroma_server(self.chroma_path, self.chroma_port)
        self.processes.append(self.chroma)

    def replace_dead_workers(self) -> list[int]:
        """Start a new process on the port of each worker that has exited (killed, crashed),
        saying so on stderr in Swedish; nginx sends to it again once it listens (its
        ``fail_timeout``). Returns the ports of the workers started anew."""
        replaced = []
        for worker in self.workers:
            code = worker.process.poll()
            if code is None:
                continue
            notice = f"Arbetaren på port {worker.port} avslutades (kod {code}); en ny startas."
            print(notice, file=sys.stderr, flush=True)
            worker.process = self.start_worker(worker.port)
            self.processes.append(worker.process)
            replaced.append(worker.port)
        return replaced


def _nginx() -> str:
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if not nginx:
        raise RuntimeError("nginx saknas: installera Debian-paketet nginx-light (scripts/system-deps.sh).")
    return nginx


def worker_threads(settings: Settings, workers: int) -> int:
    """torch intra-op threads per worker: ``settings.torch_threads`` when set, else the usable
    cores shared out (at least 1). Two workers on 2 cores with 2 threads each made the forward
    passes of the two processes preempt each other: 20 clients, 60 s, three runs each, the
    same hour (evals/README.md, 2026-12-04): 2 threads per worker 27-31 req/s, p95 1.11-1.25 s;
    1 thread per worker 32-36 req/s, p95 0.85-0.97 s."""
    return settings.torch_threads or max(1, len(os.sched_getaffinity(0)) // workers)


def _worker_env(settings: Settings, chroma_port: int, port: int, threads: int) -> dict[str, str]:
    return app_process_env(settings, port) | {
        "ASSISTANT_TORCH_THREADS": str(threads),
        "ASSISTANT_CHROMA_HOST": settings.chroma_host or "127.0.0.1",
        "ASSISTANT_CHROMA_PORT": str(chroma_port),
    }


def _write_nginx_conf(folder: Path, settings: Settings, ports: list[int]) -> Path:
    for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / temp).mkdir(parents=True, exist_ok=True)
    user = ""
    if os.geteuid() == 0:  # nginx's workers drop to nobody: let them write their temp files
        user = "user nobody nogroup;"
        for path in [folder, *folder.iterdir()]:
            shutil.chown(path, "nobody", "nogroup")
    servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in ports)
    conf = folder / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            prefix=folder,
            user=user,
            servers=servers,
            host=settings.app_host,
            port=settings.app_port,
            max_body_mb=settings.max_file_mb * 4,
        ),
        encoding="utf-8",
    )
    return conf


@contextlib.contextmanager
def run_cluster(settings: Settings, workers: int, start_seconds: float = 300) -> Iterator[Cluster]:
    """Start the Chroma server (unless settings name one), ``workers`` app processes and nginx;
    stop them all on exit. Raises RuntimeError naming the part that did not start. Worker logs
    are in the temporary folder while it runs."""
    nginx = _nginx()
    ensure_port_free(settings.app_host, settings.app_port)  # else nginx fails after the workers load
    folder = Path(tempfile.mkdtemp(prefix="assistant-arbetare-"))
    started: list[subprocess.Popen] = []
    try:
        chroma, chroma_path = None, None
        chroma_port = settings.chroma_port
        if not settings.chroma_host:
            chroma_path = Path(settings.index_dir) / "chroma"
            chroma, chroma_port = start_chroma_server(chroma_path)
            started.append(chroma)
        threads = worker_threads(settings, workers)

        def start_worker(port: int) -> subprocess.Popen:
            with (folder / f"arbetare-{port}.log").open("a") as log:
                return subprocess.Popen([sys.executable, "-m", "app.cli", "serve"],
                                        env=_worker_env(settings, chroma_port, port, threads),
                                        stdout=log, stderr=subprocess.STDOUT)  # fmt: skip

        pool = []
        for _ in range(workers):
            port = free_port()
            process = start_worker(port)
            started.append(process)
            pool.append(Worker(port, process))
        for worker in pool:  # they load the model side by side
            wait_until_listening(worker.port, worker.process, start_seconds, f"arbetaren på {worker.port}")
        conf = _write_nginx_conf(folder, settings, [worker.port for worker in pool])
        proxy = subprocess.Popen([nginx, "-p", str(folder), "-c", str(conf), "-g", "daemon off;"])
        started.append(proxy)
        wait_until_listening(settings.app_port, proxy, 30, "nginx")
        url = f"http://{settings.app_host}:{settings.app_port}/"
        yield Cluster(url, chroma_port, pool, chroma, chroma_path, proxy, start_worker, started)
    finally:
        for process in reversed(started):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(folder, ignore_errors=True)


def serve_workers(settings: Settings, workers: int) -> None:
    """`assistant serve --workers N`: run until Ctrl-C or SIGTERM, then stop every part; a
    worker that exits meanwhile is started anew on its port (checked every 2 s)."""
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop as on Ctrl-C
    with run_cluster(settings, workers) as cluster:
        print(
            f"Plattformsassistenten: {cluster.url} ({workers} arbetare bakom nginx, "
            f"Chroma på port {cluster.chroma_port}; Ctrl-C stoppar allt)",
            flush=True,
        )
        with contextlib.suppress(KeyboardInterrupt):
            while cluster.nginx.poll() is None:
                cluster.replace_dead_workers()
                time.sleep(2)
