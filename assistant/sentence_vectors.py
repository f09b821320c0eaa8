"""Sentence embeddings computed once per process: the same passages answer many questions."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kbcore.embedder import Embedder


class SentenceVectorCache:
    """``cache(texts)`` -> shape (len(texts), dim) unit-normalised document embeddings; past
    ``capacity`` sentences the cache starts afresh."""

    def __init__(self, embedder: Embedder, capacity: int) -> None:
        self._embedder = embedder
        self._capacity = capacity
        self._vectors: dict[str, np.ndarray] = {}

    def __call__(self, texts: list[str]) -> np.ndarray:
        missing = [text for text in dict.fromkeys(texts) if text not in self._vectors]
        if missing:
            if len(self._vectors) + len(missing) > self._capacity:
                self._vectors.clear()
            self._vectors.update(zip(missing, self._embedder.embed_documents(missing)))
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self._vectors[text] for text in texts])

    def save(self, path: Path) -> None:
        """Write the cached vectors to an .npz file (training re-reads them instead of
        embedding the same sentences again)."""
        texts = list(self._vectors)
        vectors = np.stack([self._vectors[t] for t in texts]) if texts else np.zeros((0, 1), np.float32)
        np.savez(path, texts=np.array("\x00".join(texts)), vectors=vectors)

    def load(self, path: Path) -> None:
        """Add the vectors saved by ``save``; a missing file adds nothing."""
        if not path.is_file():
            return
        with np.load(path) as data:
            texts = str(data["texts"]).split("\x00") if len(data["vectors"]) else []
            self._vectors.update(zip(texts, data["vectors"]))
