"""A bounded load test of the app's `/chat` on loopback: N clients ask through Gradio's HTTP
API (the same path as any API user) for S seconds, and the server's memory is sampled from /proc
meanwhile. Two profiles: the closed loop (each client asks again as soon as it has its answer)
and think time (each user asks, then reads for a random 10-30 s, as people in a meeting do;
the first question comes at a random moment within the first think time).

`assistant loadtest` starts its own server on the current index unless given a URL.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from evals.summary import percentile
from kbcore.loopback import app_process_env, free_port, wait_until_listening
from kbcore.settings import Settings


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


def _cpu_s(pid: int | None = None) -> float:
    """CPU seconds (user + system) used so far by process ``pid``, or by this whole process
    (the load clients' threads, and anything else it runs: pytest in the tests) when None."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


class ChatApi:
    """One user of the app's ``/chat`` over Gradio's documented HTTP API (POST
    ``/gradio_api/call/chat``, then GET the event's server-sent stream until ``complete``).

    Not gradio_client: measured on this 2-core machine, its threads and polling took ~70 ms of
    CPU per question on the load's side, as much as the server spent answering it, so the
    load starved the server it measured. One httpx client per user keeps the login's session
    cookie and nginx's sticky ``arbetare`` cookie, as a browser does. ``auth``: (name,
    password) or None; raises ``httpx.HTTPStatusError`` when the login is refused.
    ``timeout_s``: seconds one question may take in all (Gradio's heartbeats every 15 s
    would otherwise keep a stuck answer's stream open for ever). ``transport``: httpx's, for
    tests; None for the network. Use it as a context manager, or ``close`` it.
    """

    def __init__(
        self,
        url: str,
        auth: tuple[str, str] | None = None,
        timeout_s: float = 120.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._timeout_s = timeout_s
        self._http = httpx.Client(base_url=url, timeout=timeout_s, transport=transport)
        if auth:
            try:
                self._http.post("/login", data={"username": auth[0], "password": auth[1]}).raise_for_status()
            except httpx.HTTPError:
                self._http.close()
                raise

    def __enter__(self) -> ChatApi:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def ask(self, question: str) -> dict[str, Any]:
        """The `/chat` answer object for a new conversation's ``question``. Raises
        RuntimeError with the app's message when the event ends in an error or the stream
        ends without an answer, TimeoutError after ``timeout_s``, httpx errors on HTTP ones."""
        deadline = time.monotonic() + self._timeout_s
        joined = self._http.post("/gradio_api/call/chat", json={"data": [question, []]})
        joined.raise_for_status()
        event = ""
        with self._http.stream("GET", f"/gradio_api/call/chat/{joined.json()['event_id']}") as stream:
            stream.raise_for_status()
            for line in stream.iter_lines():
                if time.monotonic() > deadline:
                    raise TimeoutError(f"inget svar på {self._timeout_s:g} s")
                if not line:  # a blank line ends an event
                    event = ""
                elif line.startswith("event:"):
                    event = line.removeprefix("event:").strip()
                elif line.startswith("data:") and event in ("complete", "error"):
                    data = line.removeprefix("data:").strip()
                    if event == "error":
                        raise RuntimeError(_error_message(data))
                    return json.loads(data)[0]
        raise RuntimeError("svarsströmmen slutade utan svar")


def unreachable(url: str) -> str | None:
    """Why the app at ``url`` cannot be load-tested (no answer, or an HTTP error on its
    page), in a few words; None when its page answers."""
    try:
        httpx.get(url, timeout=10).raise_for_status()
    except httpx.HTTPStatusError as error:
        return f"HTTP {error.response.status_code}"
    except httpx.HTTPError as error:
        return type(error).__name__
    return None


def _error_message(data: str) -> str:
    """The app's own message from an error event's data: Gradio sends ``{"error": "...",
    "duration": ..., ...}`` (JSON, so "å" arrives as ``\\u00e5``), or null when it has none."""
    try:
        payload = json.loads(data)
    except json.JSONDecodeError:
        return data
    if isinstance(payload, dict) and payload.get("error"):
        return str(payload["error"])
    return str(payload) if payload else "appen svarade med ett fel utan meddelande"


def _client_loop(
    url: str,
    auth: tuple[str, str] | None,
    questions: list[str],
    offset: int,
    deadline: float,
    tally: _Tally,
    think_s: tuple[float, float] | None,
) -> None:
    def failed(error: Exception) -> None:
        with tally.lock:
            tally.errors.append(f"{type(error).__name__}: {error}"[:200])

    try:
        client = ChatApi(url, auth)
    except Exception as error:  # a refused login or connection is a failure too
        failed(error)
        return
    pause = random.Random(offset)
    n = offset
    with client:
        if think_s:
            time.sleep(min(pause.uniform(0, think_s[1]), max(0.0, deadline - time.monotonic())))
        while time.monotonic() < deadline:
            question = questions[n % len(questions)]
            n += 1
            started = time.perf_counter()
            try:
                result = client.ask(question)
                if "answer" not in result:
                    raise ValueError(f"svar utan 'answer': {str(result)[:80]}")
            except Exception as error:  # every failure counts, whatever its kind
                failed(error)
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
    auth: tuple[str, str] | None = None,
    server_pids: Sequence[int] = (),
    think_s: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """Run the load for ``seconds`` (requests in flight then finish); ``think_s`` (min, max)
    seconds between a user's questions, None for the closed loop. Latencies in ms.
    ``server_pids``: the app's processes (one, or each worker behind nginx), whose memory
    is sampled (the RSS figures are the largest single process's, in MB) and whose CPU
    seconds are summed; empty when the app runs elsewhere."""
    tally = _Tally()
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=_client_loop, args=(url, auth, questions, i, deadline, tally, think_s), daemon=True
        )
        for i in range(clients)
    ]
    sampled_peak = 0.0
    cpu_before = (_cpu_s(), sum(_cpu_s(pid) for pid in server_pids))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        for pid in server_pids:
            sampled_peak = max(sampled_peak, _rss_mb(pid, "VmRSS"))
        time.sleep(0.25)
    elapsed = time.monotonic() - started
    clients_cpu = _cpu_s() - cpu_before[0]
    server_cpu = sum(_cpu_s(pid) for pid in server_pids) - cpu_before[1] if server_pids else None
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
        "server_processes": len(server_pids),
        "server_rss_peak_mb": round(sampled_peak, 1) if server_pids else None,
        "server_rss_hwm_mb": max((round(_rss_mb(pid, "VmHWM"), 1) for pid in server_pids), default=None),
        "cores": len(os.sched_getaffinity(0)),
        "clients_cpu_s": round(clients_cpu, 1),
        "server_cpu_s": round(server_cpu, 1) if server_cpu is not None else None,
        "server_cpu_ms_per_request": round(1000 * server_cpu / len(ordered), 1)
        if server_cpu and ordered
        else None,
    }


# A load test's own app has no users file, so no login.
NO_USERS = Path(tempfile.gettempdir()) / "loadtest-inga-anvandare.json"


@contextlib.contextmanager
def load_app_settings(settings: Settings) -> Iterator[Settings]:
    """``settings`` for a load test's own app: no users, and a feedback database of its own
    (removed on exit), so the load's thousands of questions stay out of the real audit log
    and conversation lists."""
    with tempfile.TemporaryDirectory(prefix="loadtest-") as folder:
        feedback_db = Path(folder) / "feedback.sqlite3"
        yield settings.model_copy(update={"users_file": NO_USERS, "feedback_db": feedback_db})


@contextlib.contextmanager
def start_local_app(settings: Settings) -> Iterator[tuple[str, list[int]]]:
    """`assistant serve` on a free loopback port over the current index, without login.
    Yields (url, [its pid]). (`assistant loadtest --workers N` starts the cluster instead.)"""
    port = free_port()
    with load_app_settings(settings) as local:
        env = app_process_env(local, port)
        server = subprocess.Popen([sys.executable, "-m", "app.cli", "serve"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            wait_until_listening(port, server, 180, "appen")
            yield f"http://127.0.0.1:{port}/", [server.pid]
        finally:
            server.terminate()
            server.wait(timeout=30)


def markdown(result: dict[str, Any]) -> str:
    """``load_test``'s result as the Markdown tables that `assistant loadtest` prints."""
    return (
        "| profil | klienter | sekunder | förfrågningar | fel | förfr./s | p50 ms | p95 ms | p99 ms "
        "| server RSS topp MB (största process) |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        f"| {result['profile']} | {result['clients']} | {result['seconds']} | {result['requests']} "
        f"| {result['errors']} "
        f"| {result['requests_per_s']} | {result['p50_ms']} | {result['p95_ms']} | {result['p99_ms']} "
        f"| {result['server_rss_hwm_mb']} |\n" + _cpu_table(result)
    )


def _cpu_table(result: dict[str, Any]) -> str:
    """Where the machine's CPU went: the server's CPU time per answered request (its service
    time), the load clients' share, and the server's limit if it had every core to itself
    (cores / CPU per request), against what it achieved beside the clients."""
    per_request = result.get("server_cpu_ms_per_request")
    if not per_request:
        return f"\nLastklienternas CPU: {result['clients_cpu_s']} s.\n"
    used = result["server_cpu_s"] + result["clients_cpu_s"]
    limit = result["cores"] * 1000 / per_request
    return (
        "\n| server CPU s | klienternas CPU s | klienternas andel | server CPU ms/förfr. "
        "| gräns förfr./s (kärnor / CPU per förfr.) | uppnått / gräns |\n"
        "|---:|---:|---:|---:|---:|---:|\n"
        f"| {result['server_cpu_s']} | {result['clients_cpu_s']} | {result['clients_cpu_s'] / used:.0%} "
        f"| {per_request} | {limit:.1f} | {result['requests_per_s'] / limit:.2f} |\n"
    )
