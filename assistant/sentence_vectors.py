"""Sentence embeddings computed once per process: the same passages answer many questions."""

from __future__ import annotations

import numpy as np

from kbcore.embedder import Embedder

MAX_CACHED_SENTENCES = 20_000
"""About 60 MB of 768-dimensional float32 vectors; past it the cache starts afresh."""


class SentenceVectorCache:
    """``cache(texts)`` -> shape (len(texts), dim) unit-normalised document embeddings."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._vectors: dict[str, np.ndarray] = {}

    def __call__(self, texts: list[str]) -> np.ndarray:
        missing = [text for text in dict.fromkeys(texts) if text not in self._vectors]
        if missing:
            if len(self._vectors) + len(missing) > MAX_CACHED_SENTENCES:
                self._vectors.clear()
            self._vectors.update(zip(missing, self._embedder.embed_documents(missing)))
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self._vectors[text] for text in texts])
