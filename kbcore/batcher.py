"""Micro-batching: requests that arrive within a few milliseconds of each other share one call.

The pattern of text-embeddings-inference's and Triton's dynamic batchers. Each request puts
its texts on a queue and waits; one worker thread takes the first waiting request, gathers
whatever else arrives within ``max_wait_s`` (or until ``max_batch`` texts), encodes them all in
one forward pass and hands each request its rows. On 2 cores one forward pass of 8 short
questions costs little more than one of a single question, so under load the service time per
request falls; alone, a request waits at most ``max_wait_s`` extra.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future

import numpy as np

Encode = Callable[[list[str]], np.ndarray]


class MicroBatcher:
    """Gathers concurrent ``encode`` calls into one; thread-safe.

    ``encode(texts) -> (len(texts), dim) float32`` is only ever called from the batcher's own
    thread, so the model sees one forward pass at a time. A request of more than ``max_batch``
    texts (an ingest) is encoded on its own. An error in ``encode`` is raised in every request
    of that batch; the worker goes on with the next. ``max_wait_s`` may be changed while it
    runs (the measurement in evals/batching.py does).
    """

    def __init__(self, encode: Encode, max_wait_s: float, max_batch: int) -> None:
        self._encode = encode
        self.max_wait_s = max_wait_s
        self._max_batch = max_batch
        self._waiting: queue.SimpleQueue[tuple[list[str], Future]] = queue.SimpleQueue()
        self._worker: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def __call__(self, texts: list[str]) -> np.ndarray:
        """The rows of ``encode(texts)``, computed in a batch with whatever else is waiting."""
        future: Future = Future()
        self._waiting.put((list(texts), future))
        self._ensure_worker()
        return future.result()

    def _ensure_worker(self) -> None:
        with self._start_lock:
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._run, name="inbaddning-batch", daemon=True)
                self._worker.start()

    def _gather(self) -> list[tuple[list[str], Future]]:
        batch = [self._waiting.get()]
        size = len(batch[0][0])
        deadline = time.monotonic() + self.max_wait_s
        while size < self._max_batch:
            remaining = deadline - time.monotonic()
            try:
                item = self._waiting.get(timeout=remaining) if remaining > 0 else self._waiting.get_nowait()
            except queue.Empty:
                break
            batch.append(item)
            size += len(item[0])
        return batch

    def _run(self) -> None:
        while True:
            batch = self._gather()
            texts = [text for request, _ in batch for text in request]
            try:
                vectors = self._encode(texts)
            except BaseException as error:  # each waiting request gets the error, none hangs
                for _, future in batch:
                    future.set_exception(error)
                continue
            start = 0
            for request, future in batch:
                future.set_result(vectors[start : start + len(request)])
                start += len(request)
