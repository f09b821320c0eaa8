"""How fast the app answers: start `assistant serve` on the current index, time the first
/chat answer from process start, then the warm answers to every question of a set.

    python -m evals.app_timing [evals/sets/dev.jsonl] [--port 7870]

Measured through gradio_client on loopback, so the figures include the app and its queue.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from evals.questions import load_question_file
from evals.summary import percentile
from kbcore.loopback import wait_until_listening
from kbcore.offline import apply_offline_environment


def main(argv: list[str] | None = None) -> int:
    apply_offline_environment()
    from gradio_client import Client

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", nargs="?", default="evals/sets/dev.jsonl")
    parser.add_argument("--port", type=int, default=7870)
    args = parser.parse_args(argv)
    questions = load_question_file(Path(args.questions))
    env = {**os.environ, "ASSISTANT_APP_PORT": str(args.port)}
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "app.cli", "serve"], env=env)
    try:
        wait_until_listening(args.port, server, 300, "appen")
        listening = time.perf_counter() - started
        client = Client(f"http://127.0.0.1:{args.port}/", verbose=False)
        client.predict(questions[0].question, [], api_name="/chat")
        first = time.perf_counter() - started
        timings = []
        for question in questions:
            began = time.perf_counter()
            client.predict(question.question, list(question.history), api_name="/chat")
            timings.append(time.perf_counter() - began)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"app listening after {listening:.1f} s; first answer {first:.1f} s after start; "
        f"{len(timings)} warm answers: median {statistics.median(timings) * 1000:.0f} ms, "
        f"p95 {percentile(timings, 0.95) * 1000:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
