"""`python -m evals.batching`: service time per request at 1, 4, 8 and 16 concurrent requests,
for each micro-batching wait, so the wait (``embed_batch_wait_ms``) and the app's concurrency
limit are chosen from figures measured on this machine.

Two rows per setting: ``embed`` is the question's embedding alone (what the batcher gathers);
``ask`` is a whole ``Assistant.ask`` over the current index (embedding, BM25, Chroma, writer).
Service time per request = wall time / requests; latency is each request's own time.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from collections.abc import Callable
from typing import Any

from evals.summary import percentile
from kbcore.settings import get_settings

CONCURRENCY = (1, 4, 8, 16)
WAITS_MS = (0.0, 2.0, 5.0, 10.0)


def concurrent_run(call: Callable[[str], object], questions: list[str], clients: int, rounds: int) -> dict:
    """``clients`` threads each make ``rounds`` calls (different questions); figures in ms."""
    latencies: list[float] = []
    lock = threading.Lock()

    def client(offset: int) -> None:
        for n in range(rounds):
            started = time.perf_counter()
            call(questions[(offset * rounds + n) % len(questions)])
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall_ms = (time.perf_counter() - started) * 1000
    return {
        "service_ms": round(wall_ms / len(latencies), 1),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(percentile(sorted(latencies), 0.95), 1),
        "per_s": round(len(latencies) / wall_ms * 1000, 2),
    }


def measure(kinds: tuple[str, ...], rounds: int) -> list[dict[str, Any]]:
    """One row per (kind, wait, concurrency); the model is loaded once."""
    from assistant.service import Assistant
    from evals.runner import corpus_questions

    settings = get_settings()
    assistant = Assistant(settings)
    embedder = assistant.embedder
    questions = [q.question for q in corpus_questions() if not q.history]
    embedder.encode_queries(questions[:4])  # warm
    rows = []
    for wait in WAITS_MS:
        embedder.query_batcher.max_wait_s = wait / 1000  # for the whole request too
        for kind in kinds:
            call = (lambda q: embedder.embed_queries([q])) if kind == "embed" else assistant.ask
            for clients in CONCURRENCY:
                row = concurrent_run(call, questions, clients, max(2, rounds // clients))
                rows.append({"kind": kind, "wait_ms": wait, "clients": clients, **row})
                print(_line(rows[-1]), flush=True)
    return rows


HEADER = (
    "| mätt | väntan ms | samtidiga | tjänstetid ms/förfr. | p50 ms | p95 ms | förfr./s |\n"
    "|---|---:|---:|---:|---:|---:|---:|"
)


def _line(row: dict[str, Any]) -> str:
    return (
        f"| {row['kind']} | {row['wait_ms']:g} | {row['clients']} | {row['service_ms']} "
        f"| {row['p50_ms']} | {row['p95_ms']} | {row['per_s']} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kinds", default="embed,ask", help="embed, ask eller båda")
    parser.add_argument("--rounds", type=int, default=32, help="förfrågningar per mätning (ungefär)")
    args = parser.parse_args()
    print(HEADER, flush=True)
    measure(tuple(args.kinds.split(",")), args.rounds)


if __name__ == "__main__":
    from kbcore.offline import apply_offline_environment

    apply_offline_environment()
    main()
