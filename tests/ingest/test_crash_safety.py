"""Crash safety of the index: `assistant ingest` killed with SIGKILL at several points, two
ingests at once, and an ingest while the assistant answers.

After every kill the next ingest must leave: no duplicate chunks, one version per document,
no chunks of documents removed meanwhile, BM25 (built from Chroma) in step with Chroma, and
every document answerable.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from assistant.service import Assistant
from ingest.sync import run_ingest
from kbcore.store import open_index
from tests.conftest import front_matter_doc, write_files

pytestmark = pytest.mark.slow

# When to kill, by what the dying ingest has written: nothing yet (during start-up), its first
# chunk, then 10 and 25 more. Each run resumes where the last one died.
KILL_AFTER_NEW_CHUNKS = (0, 1, 10, 25)
NAMES = (  # noqa: SIM905 - three lines of names read better than forty
    "Alfa Bravo Charlie Delta Echo Foxtrot Golf Hotell India Juliett Kilo Lima Mike November Oscar "
    "Papa Quebec Romeo Sierra Tango Uniform Victor Whiskey Xray Yankee Zulu Lodjur Järv Älgen Ripan "
    "Örnen Björnen Vargen Räven Haren Bävern Lämmeln Mården Ekorren Tjädern"
).split()


def _corpus(root: Path, count: int) -> Path:
    return write_files(
        root,
        {
            f"etableringar/{NAMES[i]}.md": front_matter_doc(
                f"Etablering {NAMES[i]}",
                "oppen",
                f"# Etablering {NAMES[i]}\n\n"
                f"Etableringen {NAMES[i]} gäller en investering i grön omställning i Jämtland. "
                + "Plattformen följer upp investeringen och rapporterar till styrgruppen. "
                * 12,
            )
            for i in range(count)
        },
    )


def _environment(settings) -> dict[str, str]:
    return os.environ | {
        "ASSISTANT_INDEX_DIR": str(settings.index_dir),
        "ASSISTANT_EMBED_MODEL": settings.embed_model,
        "ASSISTANT_EMBED_DTYPE": settings.embed_dtype,
        "ASSISTANT_EMBED_MAX_SEQ_LENGTH": str(settings.embed_max_seq_length),
        "ASSISTANT_CHUNK_TOKENS": str(settings.chunk_tokens),
        "ASSISTANT_CHUNK_OVERLAP_TOKENS": str(settings.chunk_overlap_tokens),
    }


def _start_ingest(corpus: Path, settings) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "ingest", str(corpus)],
        env=_environment(settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _check_consistent(settings, embedder, expected: set[str]) -> None:
    store = open_index(settings, embedder.identity, for_writing=False)
    chunks = store.all_chunks()
    ids = Counter(chunk.chunk_id for chunk in chunks)
    assert not [cid for cid, n in ids.items() if n > 1], "duplicate chunks"
    versions = {doc: len(v) for doc, v in store.document_versions().items()}
    assert all(n == 1 for n in versions.values()), f"documents with several versions: {versions}"
    assert {chunk.doc_id for chunk in chunks} == expected
    assistant = Assistant(settings)
    assert len(assistant.bm25) == store.count() == len(chunks)
    for doc_id in sorted(expected):
        answer = assistant.ask(f"Vad gäller för etableringen {Path(doc_id).stem} i Jämtland?")
        assert not answer.abstained and answer.citations[0].doc_id == doc_id, (doc_id, answer.answer)


def _chunks_written(settings) -> int:
    """Rows in Chroma's SQLite file, read-only from outside the ingest process."""
    path = Path(settings.index_dir) / "chroma" / "chroma.sqlite3"
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as db:
            return db.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0]
    except sqlite3.OperationalError:  # the table is not created yet
        return 0


def _kill_after(corpus: Path, settings, new_chunks: int) -> str:
    before = _chunks_written(settings)
    process = _start_ingest(corpus, settings)
    started = time.monotonic()
    if new_chunks == 0:
        time.sleep(1.0)  # still importing and loading the model
    while new_chunks and _chunks_written(settings) < before + new_chunks and process.poll() is None:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    return f"efter {time.monotonic() - started:.1f} s: {before} -> {_chunks_written(settings)} chunkar"


def test_sigkill_at_several_points_then_rerun_leaves_a_consistent_index(tmp_path, settings, embedder) -> None:
    corpus = _corpus(tmp_path / "korpus", 40)
    expected = {f"korpus/etableringar/{name}.md" for name in NAMES}
    for round_number, new_chunks in enumerate(KILL_AFTER_NEW_CHUNKS):
        if round_number == 2:  # a document removed and one changed between a kill and the re-run
            (corpus / "etableringar/Tjädern.md").unlink()
            expected.discard("korpus/etableringar/Tjädern.md")
            changed = corpus / "etableringar/Alfa.md"
            changed.write_text(changed.read_text(encoding="utf-8") + "\nNytt stycke.\n", encoding="utf-8")
        print(f"SIGKILL {_kill_after(corpus, settings, new_chunks)}")
    report = run_ingest([str(corpus)], settings, embedder)
    assert not [r for r in report.results if r.status == "fel"]
    _check_consistent(settings, embedder, expected)


def test_a_second_ingest_at_once_is_refused_with_a_message(tmp_path, settings, embedder) -> None:
    corpus = _corpus(tmp_path / "korpus", 30)
    first = _start_ingest(corpus, settings)
    lock = Path(settings.index_dir) / "ingest.lock"
    deadline = time.monotonic() + 60
    while not lock.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    second = subprocess.run(
        [sys.executable, "-m", "app.cli", "ingest", str(corpus)],
        env=_environment(settings),
        capture_output=True,
        text=True,
    )
    first.wait(timeout=300)
    assert second.returncode == 3
    assert "En annan indexering pågår redan" in second.stderr
    assert first.returncode == 0
    _check_consistent(settings, embedder, {f"korpus/etableringar/{name}.md" for name in NAMES[:30]})


def test_answers_keep_coming_while_the_corpus_is_ingested(tmp_path, settings, embedder) -> None:
    corpus = _corpus(tmp_path / "korpus", 10)
    run_ingest([str(corpus)], settings, embedder)
    assistant = Assistant(settings)
    more = _corpus(tmp_path / "korpus", 40)  # 30 new documents beside the first 10
    ingest = threading.Thread(target=run_ingest, args=([str(more)], settings, embedder))
    ingest.start()
    answered = 0
    while ingest.is_alive():
        answer = assistant.ask("Vad gäller etableringen Delta?")
        assert not answer.abstained and answer.citations[0].doc_id == "korpus/etableringar/Delta.md"
        answered += 1
    ingest.join()
    print(f"{answered} svar under indexeringen")
    assert answered >= 3
    assistant.reload()
    assert assistant.ask("Vad gäller etableringen Ekorren?").citations[0].doc_id.endswith("Ekorren.md")
