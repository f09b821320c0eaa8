"""The dense embedding model, loaded once per process and shared by ingest and retrieval.

Queries and passages are encoded with the model's own prompts
(``encode_query`` / ``encode_document``), which EmbeddingGemma needs for its
retrieval quality; models without prompts encode both the same way.
"""

from __future__ import annotations

import logging
import os
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from kbcore.batcher import MicroBatcher
from kbcore.settings import Settings
from kbcore.weights import stored_as

log = logging.getLogger(__name__)


def resolve_dtype(dtype: str) -> str:
    """'auto' -> bfloat16 only where the CPU computes it natively (measured here: on an
    AVX2-only EPYC bf16 was 5x slower than float32, on a bf16 CPU 2.5x faster)."""
    if dtype != "auto":
        return dtype
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return "float32"
    return "bfloat16" if ("avx512_bf16" in flags or "amx_bf16" in flags) else "float32"


class EmbedderUnavailable(RuntimeError):
    """The configured embedding model cannot be loaded."""


class Embedder:
    """A sentence-transformers model with normalised outputs and a token counter.

    The weights load on first use, so an ingest that finds nothing changed never pays
    the ~10 s it takes to load them. Short requests (a question, a passage's sentences) from
    concurrent threads are micro-batched: gathered for ``batch_wait_ms`` and encoded in one
    forward pass (kbcore/batcher.py); requests of more than ``max_batch`` texts (an ingest)
    are encoded directly. ``threads`` caps torch's intra-op threads (0: the usable cores).
    ``weights_cache``: where a bfloat16 copy of float32 weights is kept (None: cast at load).
    """

    def __init__(
        self,
        model_path: str,
        dtype: str,
        max_seq_length: int,
        batch_size: int,
        batch_wait_ms: float = 0.0,
        max_batch: int = 32,
        threads: int = 0,
        weights_cache: Path | None = None,
    ) -> None:
        if Path(model_path).is_absolute() and not Path(model_path).is_dir():
            raise EmbedderUnavailable(
                f"Inbäddningsmodellen saknas: {model_path}. Kör 'make setup' "
                "(eller 'python -m kbcore.model_fetch') för att hämta och verifiera den."
            )
        self.name = model_path
        self._dtype = dtype
        self._max_seq_length = max_seq_length
        self.batch_size = batch_size
        self._max_batch = max_batch
        self._threads = threads
        self._weights_cache = weights_cache
        self.query_batcher = MicroBatcher(self.encode_queries, batch_wait_ms / 1000, max_batch)
        self._documents = MicroBatcher(self.encode_documents, batch_wait_ms / 1000, max_batch)

    @property
    def identity(self) -> str:
        """The model's name as the index records it: the same on every machine."""
        return Path(self.name.rstrip("/")).name

    def weights_folder(self) -> Path:
        """The folder the model loads from: its weights already in the dtype it runs in,
        copied once (kbcore/weights.py), since a float32 file cast at load time leaves the
        process 0.6 GB larger for good. The model's own folder when the copy cannot be
        written (logged) or is not needed."""
        folder = Path(self.name)
        if self._weights_cache is None or not folder.is_dir():
            return folder
        try:
            return stored_as(folder, resolve_dtype(self._dtype), self._weights_cache)
        except OSError as error:  # a read-only cache: cast at load, as before
            log.warning("Kunde inte spara vikterna i bfloat16 (%s): de gjuts om vid laddningen", error)
            return folder

    @cached_property
    def model(self):
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # a "Loading weights" bar on every start
        log.info("Laddar inbäddningsmodellen %s", self.name)
        # One forward pass at a time per batcher, each on every core: more threads than cores
        # (torch's default counts hyperthreads) only makes the passes wait for each other.
        torch.set_num_threads(self._threads or len(os.sched_getaffinity(0)))
        torch_dtype = torch.bfloat16 if resolve_dtype(self._dtype) == "bfloat16" else torch.float32
        model = SentenceTransformer(
            str(self.weights_folder()),
            device="cpu",
            trust_remote_code=False,
            model_kwargs={"torch_dtype": torch_dtype},
        )
        model.max_seq_length = self._max_seq_length
        return model

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension() or 0)

    def count_tokens(self, text: str) -> list[int]:
        """Token ids without special tokens: the unit chunk sizes are measured in. Texts longer
        than the model's window are counted whole, without the tokenizer's length warning."""
        return self.model.tokenizer.encode(text, add_special_tokens=False, verbose=False)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Questions -> (len(texts), dim) float32 unit rows, batched with concurrent callers."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self.query_batcher(texts) if len(texts) <= self._max_batch else self.encode_queries(texts)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        """Passages -> (len(texts), dim) float32 unit rows; a few (an answer's sentences) are
        batched with concurrent callers, many (an ingest) are encoded directly."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self._documents(texts) if len(texts) <= self._max_batch else self.encode_documents(texts)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Questions in one direct call, without micro-batching (the batcher's own encoder)."""
        return self.model.encode_query(
            texts, normalize_embeddings=True, convert_to_numpy=True, batch_size=32
        ).astype(np.float32)

    def encode_documents(self, texts: list[str]) -> np.ndarray:
        """Passages in one direct call, shortest first so batches carry little padding."""
        order = np.argsort([len(text) for text in texts])
        encoded = self.model.encode_document(
            [texts[i] for i in order],
            normalize_embeddings=True,
            convert_to_numpy=True,
            batch_size=self.batch_size,
            show_progress_bar=False,
        ).astype(np.float32)
        result = np.empty_like(encoded)
        result[order] = encoded
        return result


@lru_cache(maxsize=2)
def _load(*args) -> Embedder:
    return Embedder(*args)


def get_embedder(settings: Settings) -> Embedder:
    """The process-wide embedder for these settings (loaded on first use)."""
    return _load(
        settings.embed_model_path,
        settings.embed_dtype,
        settings.embed_max_seq_length,
        settings.embed_batch_size,
        settings.embed_batch_wait_ms,
        settings.embed_max_batch,
        settings.torch_threads,
        settings.weights_cache_dir,
    )
