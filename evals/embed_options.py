"""`python -m evals.embed_options`: the embedding model's faster paths, measured here.

For each option: ms per question (one at a time, as a request embeds it), passages/s on the
SweFAQ dev passages (233 short passages: an ingest's speed on short text), and dense MRR@10
on SweFAQ dev's 110 questions (the passage's own vectors, cosine, no BM25), twice: with the
option's passage vectors (a re-embedded index) and with today's (bf16) passage vectors (the
option's questions against an existing index: are the vectors compatible?).

Options: float32; bfloat16 (today's, ``embed_dtype=auto`` on a CPU with AVX512-BF16);
torch dynamic int8 quantization of the Linear layers (float32 activations); bfloat16 with
questions capped at 64 tokens. With ``--onnx DIR``: ONNX Runtime, float32 and int8 dynamic,
between two runs of today's (the model exported into DIR once; needs onnx and onnxscript).
``--set swequad_mc`` measures on SweQUAD-MC train+dev instead (516 passages of ~2,500
characters, cut at the model's 512 tokens; 1,067 questions), ~10 minutes per option here;
``--skip-onnx-float32`` leaves out the ONNX row that is slowest at ingest.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from evals.datasets import EXTERNAL_SETS
from evals.questions import read_jsonl
from kbcore.settings import get_settings


def _load(path: str, dtype: str, max_seq_length: int, attention: str | None = None):
    import torch
    from sentence_transformers import SentenceTransformer

    torch_dtype = torch.bfloat16 if dtype == "bfloat16" else torch.float32
    kwargs = {"torch_dtype": torch_dtype} | ({"attn_implementation": attention} if attention else {})
    model = SentenceTransformer(path, device="cpu", model_kwargs=kwargs)
    model.max_seq_length = max_seq_length
    return model


class _OnnxModel:
    """The whole sentence-transformers pipeline (Gemma3, mean pooling, the two dense layers)
    as one ONNX graph run by ONNX Runtime on the machine's cores; ``encode_query`` and
    ``encode_document`` as SentenceTransformer's (same prompts, same tokenizer), float32
    unit rows of shape (len(texts), 768)."""

    def __init__(self, model, model_file: Path) -> None:
        import os

        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = len(os.sched_getaffinity(0))
        self._st = model
        self._session = onnxruntime.InferenceSession(
            str(model_file), options, providers=["CPUExecutionProvider"]
        )

    def _encode(self, texts: list[str], prompt: str, batch_size: int) -> np.ndarray:
        """Longest first, as SentenceTransformer.encode sorts, so batches carry little padding;
        rows come back in the order of ``texts``."""
        order = np.argsort([-len(text) for text in texts], kind="stable")
        ordered = [texts[i] for i in order]
        rows = []
        for start in range(0, len(ordered), batch_size):
            tokens = self._st.tokenizer(
                [prompt + text for text in ordered[start : start + batch_size]],
                padding=True,
                truncation=True,
                max_length=self._st.max_seq_length,
                return_tensors="np",
            )
            feeds = {name: tokens[name].astype(np.int64) for name in ("input_ids", "attention_mask")}
            rows.append(self._session.run(None, feeds)[0])
        vectors = np.empty((len(texts), rows[0].shape[1]), dtype=np.float32)
        vectors[order] = np.concatenate(rows)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def encode_query(self, texts: list[str], batch_size: int = 32, **_) -> np.ndarray:
        return self._encode(texts, self._st.prompts.get("query", ""), batch_size)

    def encode_document(self, texts: list[str], batch_size: int = 32, **_) -> np.ndarray:
        return self._encode(texts, self._st.prompts.get("document", ""), batch_size)


def _onnx(path: str, max_seq_length: int, folder: Path, int8: bool) -> _OnnxModel:
    """The model exported once into ``folder`` (torch.onnx's dynamo exporter, opset 18, eager
    attention: the default attention builds its mask with vmap, which the exporter cannot
    trace), optionally with int8 dynamic quantization of its weights (onnxruntime's
    quantizer). Needs the packages onnx and onnxscript, which the project does not install."""
    import torch

    model = _load(path, "float32", max_seq_length, attention="eager")
    exported = folder / "model.onnx"
    if not exported.exists():
        folder.mkdir(parents=True, exist_ok=True)

        class Pipeline(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.model = model

            def forward(self, input_ids, attention_mask):
                return self.model({"input_ids": input_ids, "attention_mask": attention_mask})[
                    "sentence_embedding"
                ]

        sample = model.tokenize(
            ["Vad är Tillväxtmotorn?", "Styrgruppen bekräftar samsyn kring inriktningen."]
        )
        dynamic = {0: "batch", 1: "tokens"}
        with torch.no_grad():
            torch.onnx.export(
                Pipeline().eval(),
                (sample["input_ids"], sample["attention_mask"]),
                str(exported),
                input_names=["input_ids", "attention_mask"],
                output_names=["sentence_vector"],  # "embedding" names a node inside
                dynamic_axes={
                    "input_ids": dynamic,
                    "attention_mask": dynamic,
                    "sentence_vector": {0: "batch"},
                },
                opset_version=18,
                dynamo=True,
            )
    if not int8:
        return _OnnxModel(model, exported)
    quantized = folder / "model-int8.onnx"
    if not quantized.exists():
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(exported, quantized, weight_type=QuantType.QInt8, use_external_data_format=True)
    return _OnnxModel(model, quantized)


def _int8(model):
    import torch

    return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


def _mrr(questions: np.ndarray, passages: np.ndarray, gold: list[int]) -> float:
    ranks = np.argsort(-(questions @ passages.T), axis=1)[:, :10]
    return float(np.mean([1 / (list(row).index(g) + 1) if g in row else 0.0 for row, g in zip(ranks, gold)]))


# The questions each set is measured on: SweFAQ dev whole, SweQUAD-MC's train and dev.
SPLITS = {"swefaq_dev": None, "swequad_mc": ("train", "dev")}


def measure(
    option: str,
    make: Callable,
    query_cap: int | None,
    timed: int,
    baseline: np.ndarray | None,
    set_name: str = "swefaq_dev",
):
    """One row: load with ``make``, embed passages and questions of ``set_name`` (a key of
    SPLITS), score; ``baseline`` is today's passage vectors (None: this option is today's)."""
    dataset = EXTERNAL_SETS[set_name]
    passages = list(read_jsonl(dataset.passages))
    ids = [row["id"] for row in passages]
    questions = dataset.load(SPLITS[set_name])
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
    parser.add_argument(
        "--onnx",
        type=Path,
        metavar="MAPP",
        help="mät bara ONNX Runtime (float32 och int8) mot dagens, med modellen exporterad till MAPP "
        "(kräver paketen onnx och onnxscript)",
    )
    parser.add_argument("--set", choices=sorted(SPLITS), default="swefaq_dev", help="mängden att mäta på")
    parser.add_argument("--skip-onnx-float32", action="store_true", help="med --onnx: bara int8 mot dagens")
    args = parser.parse_args()
    if args.skip_onnx_float32 and not args.onnx:
        parser.error("--skip-onnx-float32 gäller bara med --onnx")
    settings = get_settings()
    path, cap = settings.embed_model_path, settings.embed_max_seq_length
    today = ("bfloat16 (dagens)", lambda: _load(path, "bfloat16", cap), None)
    if args.onnx:
        options = [
            today,
            *(
                []
                if args.skip_onnx_float32
                else [("ONNX Runtime, float32", lambda: _onnx(path, cap, args.onnx, int8=False), None)]
            ),
            ("ONNX Runtime, int8 dynamisk", lambda: _onnx(path, cap, args.onnx, int8=True), None),
            ("bfloat16 (dagens), igen", lambda: _load(path, "bfloat16", cap), None),
        ]
    else:
        options = [
            today,
            ("float32", lambda: _load(path, "float32", cap), None),
            ("int8 dynamisk (Linear), float32", lambda: _int8(_load(path, "float32", cap)), None),
            ("bfloat16, frågor högst 64 token", lambda: _load(path, "bfloat16", cap), 64),
        ]
    print(HEADER, flush=True)
    baseline = None
    for name, make, query_cap in options:
        row, vectors = measure(name, make, query_cap, args.timed, baseline, args.set)
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
