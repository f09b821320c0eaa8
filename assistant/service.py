"""The assistant as one object: load the model once, hold the current index snapshot, and
answer any number of questions, each on the snapshot it started with."""

from __future__ import annotations

from collections.abc import Iterator

from assistant.answer import Answer
from assistant.bm25_view import Bm25View
from assistant.catalog import Catalog
from assistant.query import Query
from assistant.retrieval import HybridRetriever
from assistant.snapshot import Snapshot
from assistant.texts import NEEDS_LANGUAGE_MODEL
from assistant.writer import Writer
from kbcore.embedder import get_embedder
from kbcore.settings import Settings
from kbcore.store import ChunkIndex


class Assistant:
    """Answers questions over the current index snapshot; ``reload`` swaps in a new one."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.embedder = get_embedder(settings)
        self.reload()

    def reload(self) -> None:
        """Build a new snapshot of the index (e.g. after an ingest) and swap it in at once;
        requests already running finish on the snapshot they started with."""
        self._snapshot = Snapshot.build(self.settings, self.embedder)

    @property
    def snapshot(self) -> Snapshot:
        """The current snapshot; take it once per request and use only it."""
        return self._snapshot

    @property
    def catalog(self) -> Catalog:
        return self._snapshot.catalog

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
        snapshot = self._snapshot  # this request's index, whatever a reload does meanwhile
        max_rank = self.settings.access_rank(role)  # before retrieval: no model sees more
        query = Query.ask(question, history, max_rank, self.settings.followups)
        view = snapshot.level(max_rank)  # every decision over what this asker may read
        result = view.retriever.retrieve(query, top_k or self.settings.fusion.top_k)
        writer: Writer = view.writer
        if self.settings.generative if generative is None else generative:
            if view.generator is None:
                raise ValueError(NEEDS_LANGUAGE_MODEL)
            writer = view.generator
        yield from writer.write_stream(result.query, result.fused)
