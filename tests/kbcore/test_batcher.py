"""The micro-batcher: concurrent requests share one encode call, each gets its own rows, and
an error in the encoder reaches every waiting request instead of leaving it hanging."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from kbcore.batcher import MicroBatcher


def test_concurrent_requests_share_calls_and_get_their_own_rows() -> None:
    calls: list[int] = []
    gate = threading.Event()

    def encode(texts: list[str]) -> np.ndarray:
        gate.wait(5)  # the first call holds the worker until the others are queued
        calls.append(len(texts))
        return np.array([[float(len(text))] for text in texts], dtype=np.float32)

    batcher = MicroBatcher(encode, max_wait_s=0.05, max_batch=32)
    texts = ["a" * n for n in range(1, 13)]
    with ThreadPoolExecutor(12) as pool:
        futures = [pool.submit(batcher, [text]) for text in texts]
        gate.set()
        rows = [future.result(timeout=10) for future in futures]
    assert [row[0][0] for row in rows] == [float(len(text)) for text in texts]
    assert sum(calls) == len(texts) and len(calls) < len(texts)


def test_an_encoder_error_reaches_every_request_and_the_batcher_goes_on() -> None:
    def encode(texts: list[str]) -> np.ndarray:
        if "trasig" in texts:
            raise RuntimeError("modellen föll")
        return np.zeros((len(texts), 2), dtype=np.float32)

    batcher = MicroBatcher(encode, max_wait_s=0.001, max_batch=4)
    with pytest.raises(RuntimeError, match="modellen föll"):
        batcher(["trasig"])
    assert batcher(["hel", "också"]).shape == (2, 2)
