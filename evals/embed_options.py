"""`python -m evals.embed_options`: the embedding model's faster paths, measured here.

For each option: ms per question (one at a time, as a request embeds it), passages/s on the
SweFAQ dev passages (233 short passages: an ingest's speed on short text), and dense MRR@10
on SweFAQ dev's 110 questions (the passage's own vectors, cosine, no BM25), twice: with the
option's passage vectors (a re-embedded index) and with today's (bf16) passage vectors (the
option's questions against an existing index: are the vectors compatible?).

Options: float32; bfloat16 (today's, ``embed_dtype=auto`` on a CPU with AVX512-BF16);
torch dynamic int8 quantization of the Linear layers (float32 activations); bfloat16 with
questions capped at 64 tokens. SweQUAD-MC is not measured here: its 2,000 long passages take
~25 minutes to embed once on this machine.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from evals.datasets import EXTERNAL_SETS
from evals.questions import read_jsonl
from kbcore.settings import get_settings


def _load(path: str, dtype: str, max_seq_length: int):
    import torch
    from sentence_transformers import SentenceTransformer

    torch_dtype = torch.bfloat16 if dtype == "bfloat16" else torch.float32
    model = SentenceTransformer(path, device="cpu", model_kwargs={"torch_dtype": torch_dtype})
    model.max_seq_length = max_seq_length
    return model


def _int8(model):
    import torch

    return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


def _mrr(questions: np.ndarray, passages: np.ndarray, gold: list[int]) -> float:
    ranks = np.argsort(-(questions @ passages.T), axis=1)[:, :10]
    return float(np.mean([1 / (list(row).index(g) + 1) if g in row else 0.0 for row, g in zip(ranks, gold)]))


def measure(option: str, make: Callable, query_cap: int | None, timed: int, baseline: np.ndarray | None):
    """One row: load with ``make``, embed passages and questions, score; ``baseline`` is
    today's passage vectors (None: this option is today's)."""
    dataset = EXTERNAL_SETS["swefaq_dev"]
    passages = list(read_jsonl(dataset.passages))
    ids = [row["id"] for row in passages]
    questions = dataset.load()
    gold = [ids.index(q.gold[0].doc.removeprefix("corpus/").removesuffix(".txt")) for q in questions]
    model = make()
    encode_args = {"normalize_embeddings": True, "convert_to_numpy": True}
    model.encode_query(["uppvärmning"], **encode_args)
    started = time.perf_counter()
    passage_vectors = model.encode_document([row["passage"] for row in passages], batch_size=8, **encode_args)
    passages_per_s = len(passages) / (time.perf_counter() - started)
    if query_cap:
        model.max_seq_length = query_cap
    texts = [q.question for q in questions]
    started = time.perf_counter()
    for text in texts[:timed]:
        model.encode_query([text], **encode_args)
    query_ms = (time.perf_counter() - started) * 1000 / timed
    query_vectors = model.encode_query(texts, batch_size=32, **encode_args).astype(np.float32)
    passage_vectors = passage_vectors.astype(np.float32)
    existing = baseline if baseline is not None else passage_vectors
    row = {
        "option": option,
        "query_ms": round(query_ms, 1),
        "passages_per_s": round(passages_per_s, 2),
        "mrr_reembedded": round(_mrr(query_vectors, passage_vectors, gold), 4),
        "mrr_existing_index": round(_mrr(query_vectors, existing, gold), 4),
    }
    return row, passage_vectors


HEADER = (
    "| alternativ | ms/fråga | passager/s | MRR@10 omindexerat | MRR@10 mot dagens index |\n"
    "|---|---:|---:|---:|---:|"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timed", type=int, default=40, help="frågor i tidsmätningen (en i taget)")
    args = parser.parse_args()
    settings = get_settings()
    path, cap = settings.embed_model_path, settings.embed_max_seq_length
    options = [
        ("bfloat16 (dagens)", lambda: _load(path, "bfloat16", cap), None),
        ("float32", lambda: _load(path, "float32", cap), None),
        ("int8 dynamisk (Linear), float32", lambda: _int8(_load(path, "float32", cap)), None),
        ("bfloat16, frågor högst 64 token", lambda: _load(path, "bfloat16", cap), 64),
    ]
    print(HEADER, flush=True)
    baseline = None
    for name, make, query_cap in options:
        row, vectors = measure(name, make, query_cap, args.timed, baseline)
        baseline = vectors if baseline is None else baseline
        print(
            f"| {row['option']} | {row['query_ms']} | {row['passages_per_s']} | {row['mrr_reembedded']} "
            f"| {row['mrr_existing_index']} |",
            flush=True,
        )


if __name__ == "__main__":
    from kbcore.offline import apply_offline_environment

    apply_offline_environment()
    main()
