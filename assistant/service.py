"""The assistant as one object: load the model, the index and the BM25 view once, then
answer any number of questions."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import replace

from assistant.answer import Answer
from assistant.bm25_view import Bm25View
from assistant.catalog import Catalog
from assistant.extractive import ExtractiveWriter, WriterConfig
from assistant.followup import context_of
from assistant.fusion import FusionConfig
from assistant.generative import GenerationConfig, GenerativeWriter
from assistant.language import detect_language
from assistant.retrieval import HybridRetriever
from kbcore.embedder import get_embedder
from kbcore.settings import Settings
from kbcore.store import IndexStore

log = logging.getLogger(__name__)


class Assistant:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.embedder = get_embedder(settings)
        self.reload()

    def reload(self) -> None:
        """(Re)open the index and rebuild the BM25 view and catalog, e.g. after an ingest."""
        started = time.perf_counter()
        store, _ = IndexStore.open(self.settings, self.embedder.identity, for_writing=False)
        chunks = store.all_chunks()
        bm25 = Bm25View(chunks)
        self.store = store
        self.bm25 = bm25
        self.catalog = Catalog(chunks)
        self.retriever = HybridRetriever(
            store, bm25, self.embedder, FusionConfig.from_settings(self.settings), self.settings.candidates
        )
        self.writer = ExtractiveWriter(
            bm25, self.embedder, WriterConfig(answer_threshold=self.settings.answer_threshold)
        )
        self.generator = self._generator() if self.settings.llm_base_url else None
        log.info("Index laddat på %.1f s (%d chunkar)", time.perf_counter() - started, len(bm25))

    def _generator(self) -> GenerativeWriter:
        from assistant.llm import ChatModel
        from assistant.verifier import Verifier

        settings = self.settings
        verifier = Verifier(
            settings.verify_min_support, settings.verify_min_similarity, self.writer.sentence_vectors
        )
        config = GenerationConfig(passages=settings.llm_passages, min_kept=settings.verify_min_kept)
        return GenerativeWriter(ChatModel(settings), verifier, self.writer, config)

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
        max_rank = self.settings.access_rank(role)  # before retrieval: no model sees more
        question = question.strip()
        language = detect_language(question)
        earlier = tuple(turn.strip() for turn in history if turn.strip())
        context = context_of(question, list(earlier))
        query = f"{context} {question}".strip()
        result = self.retriever.retrieve(query, max_rank, top_k or self.settings.top_k)
        if self.settings.generative if generative is None else generative:
            if self.generator is None:
                raise ValueError("Det generativa svaret kräver en språkmodell: sätt ASSISTANT_LLM_BASE_URL.")
            stream = self.generator.write_stream(
                question, result.fused, language, result.query_embedding, context, earlier
            )
        else:
            stream = iter(
                [self.writer.write(question, result.fused, language, result.query_embedding, context)]
            )
        for item in stream:
            if isinstance(item, Answer) and context:
                item = replace(item, extra=item.extra | {"search_text": query})
            yield item
