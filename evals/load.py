"""A bounded load test of the app's `/chat` on loopback: N clients ask through gradio_client
(the same path as any API user) for S seconds, and the server's memory is sampled from /proc
meanwhile. Two profiles: the closed loop (each client asks again as soon as it has its answer)
and think time (each user asks, then reads for a random 10-30 s, as people in a meeting do;
the first question comes at a random moment within the first think time).

`assistant loadtest` starts its own server on the current index unless given a URL.
"""

from __future__ import annotations

import contextlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evals.summary import percentile
from kbcore.loopback import free_port, wait_until_listening


@dataclass
class _Tally:
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _rss_mb(pid: int, key: str) -> float:
    """VmRSS (now) or VmHWM (peak since start) of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _client_loop(
    url: str,
    auth,
    questions: list[str],
    offset: int,
    deadline: float,
    tally: _Tally,
    think_s: tuple[float, float] | None,
) -> None:
    from gradio_client import Client

    client = Client(url, auth=auth, verbose=False)
    pause = random.Random(offset)
    n = offset
    if think_s:
        time.sleep(min(pause.uniform(0, think_s[1]), max(0.0, deadline - time.monotonic())))
    while time.monotonic() < deadline:
        question = questions[n % len(questions)]
        n += 1
        started = time.perf_counter()
        try:
            result = client.predict(question, [], api_name="/chat")
            if "answer" not in result:
                raise ValueError(f"svar utan 'answer': {str(result)[:80]}")
        except Exception as error:  # every failure counts, whatever its kind
            with tally.lock:
                tally.errors.append(f"{type(error).__name__}: {error}"[:200])
        else:
            with tally.lock:
                tally.latencies_ms.append((time.perf_counter() - started) * 1000)
        if think_s:
            time.sleep(min(pause.uniform(*think_s), max(0.0, deadline - time.monotonic())))


def load_test(
    url: str,
    clients: int,
    seconds: float,
    questions: list[str],
    auth=None,
    server_pid: int | None = None,
    think_s: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """Run the load for ``seconds`` (requests in flight then finish); ``think_s`` (min, max)
    seconds between a user's questions, None for the closed loop. Latencies in ms."""
    tally = _Tally()
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=_client_loop, args=(url, auth, questions, i, deadline, tally, think_s), daemon=True
        )
        for i in range(clients)
    ]
    sampled_peak = 0.0
    started = time.monotonic()
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        if server_pid:
            sampled_peak = max(sampled_peak, _rss_mb(server_pid, "VmRSS"))
        time.sleep(0.25)
    elapsed = time.monotonic() - started
    ordered = sorted(tally.latencies_ms)

    def pct(share: float) -> float | None:
        return round(percentile(ordered, share)) if ordered else None

    return {
        "profile": f"betänketid {think_s[0]:g}-{think_s[1]:g} s" if think_s else "sluten slinga",
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": len(ordered),
        "errors": len(tally.errors),
        "error_examples": sorted(set(tally.errors))[:3],
        "requests_per_s": round(len(ordered) / elapsed, 2),
        "p50_ms": round(statistics.median(ordered)) if ordered else None,
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "server_rss_peak_mb": round(sampled_peak, 1) if server_pid else None,
        "server_rss_hwm_mb": round(_rss_mb(server_pid, "VmHWM"), 1) if server_pid else None,
    }


@contextlib.contextmanager
def start_local_app(settings) -> Iterator[tuple[str, int]]:
    """`assistant serve` on a free loopback port over the current index, without login."""
    port = free_port()
    env = os.environ | {
        "ASSISTANT_INDEX_DIR": str(settings.index_dir),
        "ASSISTANT_APP_PORT": str(port),
        "ASSISTANT_USERS_FILE": str(Path(tempfile.gettempdir()) / "loadtest-inga-anvandare.json"),
    }
    server = subprocess.Popen([sys.executable, "-m", "app.cli", "serve"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_until_listening(port, server, 180, "appen")
        yield f"http://127.0.0.1:{port}/", server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def markdown(result: dict[str, Any]) -> str:
    return (
        "| profil | klienter | sekunder | förfrågningar | fel | förfr./s | p50 ms | p95 ms | p99 ms "
        "| server RSS topp MB |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        f"| {result['profile']} | {result['clients']} | {result['seconds']} | {result['requests']} "
        f"| {result['errors']} "
        f"| {result['requests_per_s']} | {result['p50_ms']} | {result['p95_ms']} | {result['p99_ms']} "
        f"| {result['server_rss_hwm_mb']} |\n"
    )
