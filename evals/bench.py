"""`assistant bench`: speed and memory with figures, beside a naive llama-index baseline
measured in the same run.

Every phase runs in its own process, so its peak RSS is its own:
- encode: the embedding model alone on real passages (the floor under any ingest);
- ingest: `run_ingest` on the first N documents of ../shared/data/regeringen/md, then the
  same again (a no-op re-ingest: only hashes are compared);
- baseline_ingest: `VectorStoreIndex.from_documents` with llama-index's defaults and the same
  embedding model, and its retriever's query latency;
- scale (per size): an index of 1k / 10k / 50k chunks; the real chunks from the ingest phase,
  and beyond them copies whose vectors are the real ones plus 5 % noise (synthetic, said in
  the report); retrieval and full-answer latency, and the throughput of 16 concurrent askers
  (micro-batched) against the single-request limit, cores / service time;
- baseline_scale: the same chunks and vectors in a llama-index VectorStoreIndex, its
  retrieval latency.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from evals.batching import concurrent_run
from evals.datasets import DATA
from evals.summary import percentile
from kbcore.settings import Settings, get_settings

SOURCE = DATA / "regeringen" / "md"
QUESTIONS = Path(__file__).resolve().parent / "sets" / "corpus" / "styrgrupp.jsonl"
CONCURRENT = 16  # askers at once in the throughput measurement: the app's concurrency limit


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _latencies(run, items: list) -> dict[str, float]:
    run(items[0])  # warm: first-call costs are not query latency
    times = []
    for item in items:
        started = time.perf_counter()
        run(item)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
    }


def _documents(count: int) -> list[Path]:
    return sorted(SOURCE.glob("*.md"))[:count]


def _questions(count: int) -> list[str]:
    lines = QUESTIONS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()][:count]


# -- phases (each in its own process) ------------------------------------------------------
def phase_encode(settings: Settings, args: dict) -> dict:
    from kbcore.embedder import get_embedder

    embedder = get_embedder(settings)
    texts = [
        p.strip() for doc in _documents(args["docs"]) for p in doc.read_text(encoding="utf-8").split("\n\n")
    ]
    texts = [t for t in texts if len(t) > 80][: args["passages"]]
    embedder.embed_documents(texts[:4])
    started = time.perf_counter()
    embedder.embed_documents(texts)
    seconds = time.perf_counter() - started
    tokens = sum(len(embedder.count_tokens(t)) for t in texts)
    return {"passages": len(texts), "passages_per_s": round(len(texts) / seconds, 2),
            "tokens_per_s": round(tokens / seconds), "peak_rss_mb": _peak_rss_mb()}  # fmt: skip


def phase_ingest(settings: Settings, args: dict) -> dict:
    import chromadb  # noqa: F401 - imported and loaded before the clock starts, as in the baseline

    from ingest.sync import run_ingest
    from kbcore.embedder import get_embedder
    from kbcore.store import open_index

    embedder = get_embedder(settings)
    embedder.embed_documents(["uppvärmning"])
    paths = [str(p) for p in _documents(args["docs"])]
    first = run_ingest(paths, settings, embedder)
    again = run_ingest(paths, settings, embedder)
    chunks = sum(r.chunks for r in first.results)
    store = open_index(settings, embedder.identity, for_writing=False)
    tokens = sum(len(embedder.count_tokens(chunk.search_text)) for chunk in store.all_chunks())
    return {
        "docs": len(paths),
        "chunks": chunks,
        "tokens": tokens,
        "seconds": round(first.seconds, 2),
        "docs_per_s": round(len(paths) / first.seconds, 3),
        "chunks_per_s": round(chunks / first.seconds, 3),
        "noop_seconds": round(again.seconds, 3),
        "peak_rss_mb": _peak_rss_mb(),
    }


def _baseline_embedding(settings: Settings):
    from llama_index.core import Settings as LlamaSettings
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    LlamaSettings.llm = None
    return HuggingFaceEmbedding(model_name=settings.embed_model_path, device="cpu")


def phase_baseline_ingest(settings: Settings, args: dict) -> dict:
    from llama_index.core import SimpleDirectoryReader, VectorStoreIndex

    embedding = _baseline_embedding(settings)
    paths = [str(p) for p in _documents(args["docs"])]
    started = time.perf_counter()
    index = VectorStoreIndex.from_documents(
        SimpleDirectoryReader(input_files=paths).load_data(), embed_model=embedding
    )
    seconds = time.perf_counter() - started
    nodes = len(index.docstore.docs)
    return {"docs": len(paths), "chunks": nodes, "seconds": round(seconds, 2),
            "docs_per_s": round(len(paths) / seconds, 3), "chunks_per_s": round(nodes / seconds, 3),
            "peak_rss_mb": _peak_rss_mb()}  # fmt: skip


def _grown(settings: Settings, args: dict) -> tuple[list, np.ndarray, int]:
    """``size`` chunks: the real ones, then noisy copies; returns chunks, vectors, real count."""
    from kbcore.schema import Chunk
    from kbcore.store import open_index

    source = settings.model_copy(update={"index_dir": Path(args["source_index"])})
    store = open_index(source, args["identity"], for_writing=False)
    size = args["size"]
    real, vectors = store.chunks_with_vectors()
    rng = np.random.default_rng(7)
    chunks, grown = [], []
    for i in range(size):
        base = real[i % len(real)]
        copy = i // len(real)
        meta = dict(base.metadata) | ({"doc_id": f"{base.doc_id}#kopia{copy}"} if copy else {})
        chunks.append(Chunk(f"{base.chunk_id}-{copy}", base.text, meta))
        vector = vectors[i % len(real)] + (rng.normal(0, 0.05, vectors.shape[1]) if copy else 0)
        grown.append(vector / np.linalg.norm(vector))
    return chunks, np.asarray(grown, dtype=np.float32), len(real)


def phase_scale(settings: Settings, args: dict) -> dict:
    from assistant.query import Query
    from assistant.service import Assistant
    from kbcore.store import open_index

    chunks, vectors, real = _grown(settings, args)
    target = settings.model_copy(update={"index_dir": Path(args["index_dir"])})
    store = open_index(target, args["identity"], for_writing=True)
    store.upsert(chunks, vectors)
    assistant = Assistant(target)
    questions = _questions(args["queries"])
    rank, top_k = target.access_rank(None), target.fusion.top_k

    def retrieve(question: str) -> object:
        return assistant.retriever.retrieve(Query.ask(question, (), rank, target.followups), top_k)

    return {
        "chunks": store.count(),
        "real_chunks": min(real, len(chunks)),
        "retrieval": _latencies(retrieve, questions),
        "answer": _latencies(assistant.ask, questions),
        "concurrent": concurrent_run(assistant.ask, questions, CONCURRENT, 2) | {"clients": CONCURRENT},
        "cores": len(os.sched_getaffinity(0)),
        "peak_rss_mb": _peak_rss_mb(),
    }


def phase_baseline_scale(settings: Settings, args: dict) -> dict:
    from llama_index.core import VectorStoreIndex
    from llama_index.core.schema import TextNode

    chunks, vectors, _ = _grown(settings, args)
    embedding = _baseline_embedding(settings)
    nodes = [TextNode(text=c.text, id_=c.chunk_id, embedding=v.tolist()) for c, v in zip(chunks, vectors)]
    retriever = VectorStoreIndex(nodes, embed_model=embedding).as_retriever(
        similarity_top_k=settings.fusion.top_k
    )
    return {
        "chunks": len(nodes),
        "retrieval": _latencies(retriever.retrieve, _questions(args["queries"])),
        "peak_rss_mb": _peak_rss_mb(),
    }


PHASES = {
    "encode": phase_encode,
    "ingest": phase_ingest,
    "baseline_ingest": phase_baseline_ingest,
    "scale": phase_scale,
    "baseline_scale": phase_baseline_scale,
}


# -- the run -------------------------------------------------------------------------------
def _phase(name: str, settings: Settings, args: dict) -> dict:
    overrides = {"index_dir": str(settings.index_dir), "embed_model": settings.embed_model}
    process = subprocess.run(
        [sys.executable, "-m", "evals.bench", name, json.dumps(args | {"settings": overrides})],
        capture_output=True,
        text=True,
    )
    if process.returncode != 0:
        raise RuntimeError(f"bench-fasen {name} misslyckades: {process.stderr.strip().splitlines()[-1:]}")
    return json.loads(process.stdout.strip().splitlines()[-1])


def run_bench(settings: Settings, docs: int, sizes: list[int], queries: int) -> dict[str, Any]:
    from kbcore.embedder import get_embedder

    scratch = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        ingest_settings = settings.model_copy(update={"index_dir": scratch / "ingest"})
        identity = get_embedder(settings).identity
        result: dict[str, Any] = {"model": settings.embed_model_path, "docs": docs, "queries": queries}
        result["encode"] = _phase("encode", settings, {"docs": docs, "passages": 64})
        result["ingest"] = _phase("ingest", ingest_settings, {"docs": docs})
        result["baseline_ingest"] = _phase("baseline_ingest", settings, {"docs": docs})
        result["scale"] = []
        for size in sizes:
            args = {"size": size, "queries": queries, "source_index": str(scratch / "ingest"),
                    "index_dir": str(scratch / f"scale-{size}"), "identity": identity}  # fmt: skip
            ours = _phase("scale", settings, args)
            baseline = _phase("baseline_scale", settings, args)
            result["scale"].append({"size": size, "ours": ours, "baseline": baseline})
        return result
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "–"


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def markdown(result: dict[str, Any]) -> str:
    enc, ours, base = result["encode"], result["ingest"], result["baseline_ingest"]
    # The model's share of the ingest: the chunks' tokens at the model's own encode rate.
    model_share = ours["tokens"] / enc["tokens_per_s"] / ours["seconds"] if ours["seconds"] else 0
    lines = [
        f"# Bench ({result['model']}, {result['docs']} dokument ur regeringen/md, "
        f"{result['queries']} frågor)",
        "",
        f"Inbäddningsmodellen ensam: {enc['passages_per_s']} passager/s, {enc['tokens_per_s']} token/s "
        f"(topp-RSS {enc['peak_rss_mb']} MB). Modellen står för ~{model_share:.0%} av indexeringstiden.",
        "",
        _row("indexering", "dokument/s", "chunkar/s", "chunkar", "sekunder", "utan ändring", "RSS MB"),
        "|---|---:|---:|---:|---:|---:|---:|",
        _row("vår pipeline", ours["docs_per_s"], ours["chunks_per_s"], ours["chunks"], ours["seconds"],
             f"{ours['noop_seconds']} s", ours["peak_rss_mb"]),
        _row("llama-index, standard", base["docs_per_s"], base["chunks_per_s"], base["chunks"],
             base["seconds"], f"{base['seconds']} s (bygger om allt)", base["peak_rss_mb"]),
        _row("kvot vår/baslinje", _ratio(ours["docs_per_s"], base["docs_per_s"]),
             _ratio(ours["chunks_per_s"], base["chunks_per_s"]), "", "",
             _ratio(ours["noop_seconds"], base["seconds"]), _ratio(ours["peak_rss_mb"], base["peak_rss_mb"])),
        "",
        _row("chunkar (varav verkliga)", "sökning p50/p95 ms", "helt svar p50/p95 ms", "RSS MB",
             "baslinje sökning p50/p95 ms", "baslinje RSS MB", "sökning p50 baslinje/vår"),
        "|---|---:|---:|---:|---:|---:|---:|",
    ]  # fmt: skip
    for row in result["scale"]:
        o, b = row["ours"], row["baseline"]
        lines.append(
            _row(
                f"{o['chunks']} ({o['real_chunks']})",
                f"{o['retrieval']['p50_ms']} / {o['retrieval']['p95_ms']}",
                f"{o['answer']['p50_ms']} / {o['answer']['p95_ms']}",
                o["peak_rss_mb"],
                f"{b['retrieval']['p50_ms']} / {b['retrieval']['p95_ms']}",
                b["peak_rss_mb"],
                _ratio(b["retrieval"]["p50_ms"], o["retrieval"]["p50_ms"]),
            )
        )
    lines += [
        "",
        _row("chunkar", "tjänstetid ensam ms/förfr.", "kärnor", "gräns förfr./s (kärnor / tjänstetid)",
             "samtidiga", "tjänstetid samtidigt ms/förfr.", "uppnått förfr./s", "uppnått / gräns"),
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]  # fmt: skip
    for row in result["scale"]:
        o = row["ours"]
        limit = o["cores"] * 1000 / o["answer"]["p50_ms"]
        c = o["concurrent"]
        lines.append(
            _row(o["chunks"], o["answer"]["p50_ms"], o["cores"], f"{limit:.2f}", c["clients"],
                 c["service_ms"], c["per_s"], f"{c['per_s'] / limit:.2f}")
        )  # fmt: skip
    lines += [
        "",
        "Chunkar utöver de verkliga är kopior vars vektorer är de verkliga plus 5 % brus (syntetiska).",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    from kbcore.offline import apply_offline_environment

    apply_offline_environment()
    name, raw = argv
    args = json.loads(raw)
    overrides = {key: value for key, value in args.pop("settings").items() if value}
    settings = get_settings().model_copy(
        update={k: Path(v) if k == "index_dir" else v for k, v in overrides.items()}
    )
    print(json.dumps(PHASES[name](settings, args)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
