"""The assistant as one object: load the model once, hold the current index snapshot, and
answer any number of questions, each on the snapshot it started with.

Several processes may serve one index (`assistant serve --workers N` over a `chroma run`
server): each request first checks, at most once per ``index_check_s``, whether the index's
version has moved (another process ingested) and if so reloads before answering.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator

from assistant.answer import Answer
from assistant.bm25_view import Bm25View
from assistant.catalog import Catalog
from assistant.query import Query, has_content
from assistant.retrieval import HybridRetriever, Retrieval
from assistant.sentence_selection import SentenceSelector
from assistant.snapshot import LevelView, Snapshot
from assistant.texts import EMPTY_QUESTION, NEEDS_LANGUAGE_MODEL
from assistant.writer import Writer
from kbcore.embedder import get_embedder
from kbcore.settings import Settings
from kbcore.store import ChunkIndex, IndexUnavailable

log = logging.getLogger(__name__)


class Assistant:
    """Answers questions over the current index snapshot; ``reload`` swaps in a new one."""

    def __init__(self, settings: Settings, selector: SentenceSelector | None = None) -> None:
        """``selector``: the answer-sentence selector (default: the checked-in one,
        ``SentenceSelector.load``, which raises ValueError for a stale file)."""
        self.settings = settings
        self.embedder = get_embedder(settings)
        self._selector = selector or SentenceSelector.load()
        self._checked = time.monotonic()
        self._checking = threading.Lock()
        self.reload()

    def reload(self) -> None:
        """Build a new snapshot of the index (e.g. after an ingest) and swap it in at once;
        requests already running finish on the snapshot they started with."""
        self._snapshot = Snapshot.build(self.settings, self.embedder, self._selector)

    @property
    def snapshot(self) -> Snapshot:
        """The current snapshot; take it once per request and use only it."""
        return self._snapshot

    def refresh(self) -> Snapshot:
        """The snapshot for a new request: reloaded first if the index's version moved since
        it was built. Checked at most once per ``settings.index_check_s`` and by one request
        at a time (the others go on with the current snapshot); an unreachable server keeps
        the current one, and the request's own search then reports it."""
        now = time.monotonic()
        if now - self._checked >= self.settings.index_check_s and self._checking.acquire(blocking=False):
            try:
                self._checked = now
                if self._snapshot.store.version() != self._snapshot.version:
                    log.info("Indexet har ändrats av en annan process: laddar om")
                    self.reload()
            except IndexUnavailable:
                log.warning("Indexservern svarar inte; fortsätter med det inlästa indexet")
            finally:
                self._checking.release()
        return self._snapshot

    @property
    def catalog(self) -> Catalog:
        """The current snapshot's catalog, refreshed like a question's (the app's tables and
        document viewer then show another process's upload too)."""
        return self.refresh().catalog

    @property
    def store(self) -> ChunkIndex:
        return self._snapshot.store

    @property
    def bm25(self) -> Bm25View:
        return self._snapshot.bm25

    @property
    def retriever(self) -> HybridRetriever:
        """The full-access retriever (evals, benchmarks); answers use their level's."""
        return self._snapshot.level(len(self._snapshot.levels) - 1).retriever

    def ask(
        self,
        question: str,
        role: str | None = None,
        top_k: int | None = None,
        history: list[str] | tuple[str, ...] = (),
        generative: bool | None = None,
    ) -> Answer:
        """Answer from the passages the role may read; ``role=None`` means full access.

        ``history`` holds the conversation's earlier questions, oldest first: a follow-up
        ("Och vem förbereder det?") is searched together with them. ``generative`` picks the
        writer; None follows the settings.
        """
        *_, answer = self.ask_stream(question, role, top_k, history, generative)
        assert isinstance(answer, Answer)
        return answer

    def ask_stream(
        self,
        question: str,
        role: str | None = None,
        top_k: int | None = None,
        history: list[str] | tuple[str, ...] = (),
        generative: bool | None = None,
    ) -> Iterator[str | Answer]:
        """As ``ask``, but a generated answer's verified text is yielded as it grows; the
        last item is always the Answer."""
        if not has_content(question):  # "   ", "???": nothing to search for, no index to ask
            self.settings.access_rank(role)  # an unknown role is still refused
            yield Answer(question, EMPTY_QUESTION, True, [], [], "sv", notice=EMPTY_QUESTION)
            return
        snapshot = self.refresh()  # this request's index, whatever a reload does meanwhile
        view, result = self._retrieve(snapshot, question, role, top_k, history)
        writer: Writer = view.writer
        if self.settings.generative if generative is None else generative:
            if view.generator is None:
                raise ValueError(NEEDS_LANGUAGE_MODEL)
            writer = view.generator
        yield from writer.write_stream(result.query, result.fused)

    def search(
        self,
        question: str,
        role: str | None = None,
        top_k: int | None = None,
        history: list[str] | tuple[str, ...] = (),
    ) -> Retrieval:
        """The ``top_k`` passages the role may read that best match the question, best first,
        without writing an answer (``role=None`` means full access)."""
        return self._retrieve(self.refresh(), question, role, top_k, history)[1]

    def _retrieve(
        self,
        snapshot: Snapshot,
        question: str,
        role: str | None,
        top_k: int | None,
        history: list[str] | tuple[str, ...],
    ) -> tuple[LevelView, Retrieval]:
        """The asker's level view and what its retriever found: every decision after this
        is made over the documents the asker may read only."""
        max_rank = self.settings.access_rank(role)  # before retrieval: no model sees more
        query = Query.ask(question, history, max_rank, self.settings.followups)
        view = snapshot.level(max_rank)
        return view, view.retriever.retrieve(query, top_k or self.settings.fusion.top_k)
