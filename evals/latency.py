"""Answer latency with a warm index: load the assistant once, ask every question of a set.

    python -m evals.latency [evals/sets/dev.jsonl] [--rounds 2]

Prints the start-up time (model, Chroma, BM25 view) and the median and p95 of `ask`,
measured in one run on this machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from kbcore.offline import apply_offline_environment
from kbcore.settings import get_settings


def main(argv: list[str] | None = None) -> int:
    apply_offline_environment()
    from assistant.service import Assistant

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", nargs="?", default="evals/sets/dev.jsonl")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    lines = Path(args.questions).read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in lines if line.strip()]

    started = time.perf_counter()
    assistant = Assistant(get_settings())
    startup = time.perf_counter() - started
    assistant.ask(questions[0])  # first answer after start-up warms the model's kernels
    timings = []
    for _ in range(args.rounds):
        for question in questions:
            began = time.perf_counter()
            assistant.ask(question)
            timings.append(time.perf_counter() - began)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    median = statistics.median(timings)
    print(
        f"start-up {startup:.1f} s; {len(timings)} answers: median {median * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {timings[-1] * 1000:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
