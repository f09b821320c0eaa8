"""The generative writer: a language model words the answer, the verifier decides what of
it may be shown, and the extractive writer is the safety net.

Order of events for one question:
1. The extractive writer runs first (about 0.1 s). When it abstains, the material does not
   answer the question and no model is asked: a fluent answer to an unanswerable question
   is exactly what the steering group must never see.
2. The model gets the top passages (already filtered by the asker's access) as data.
3. Each sentence is verified the moment it is complete; only verified sentences stream out.
4. When too little survives, or the endpoint fails, is slow or answers garbage, the
   extractive answer is shown with a notice saying so.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace

from assistant.answer import Answer, Citation, Generation, Removed
from assistant.extractive import ExtractiveWriter
from assistant.fusion import Fused
from assistant.grounding import grounding_turns
from assistant.llm import ChatModel, LlmUnavailable
from assistant.query import Query
from assistant.record_fields import HEADING as CARD_HEADING
from assistant.texts import NOTICE_FAILED, NOTICE_REMOVED, NOTICE_UNSUPPORTED, abstention_phrase
from assistant.verifier import CheckedSentence, Verifier
from kbcore.tuning import GenerationSettings, VerifierSettings


class GenerativeWriter:
    def __init__(
        self,
        model: ChatModel,
        verifier: Verifier,
        fallback: ExtractiveWriter,
        generation: GenerationSettings,
        checks: VerifierSettings,
    ) -> None:
        self._model = model
        self._verifier = verifier
        self._fallback = fallback
        self._passages = generation.passages
        self._min_kept = checks.min_kept

    def write_stream(self, query: Query, retrieved: list[Fused]) -> Iterator[str | Answer]:
        """The Writer protocol: verified answer text as it grows, then the final Answer."""
        quoted = self._fallback.write(query, retrieved)
        # a record card's field is not among the model's passages: the quoted answer stands
        if quoted.abstained or any(c.heading == CARD_HEADING for c in quoted.citations):
            yield quoted
            return
        passages = retrieved[: self._passages]
        texts = [item.chunk.text for item in passages]
        phrase = abstention_phrase(query.language)
        turns, withheld = grounding_turns(query.question, passages, phrase, query.history)
        started = time.perf_counter()
        reply = ""
        verdicts: dict[tuple[str, tuple[int, ...]], CheckedSentence] = {}

        def checked(sentences: list[tuple[str, tuple[int, ...]]]) -> list[CheckedSentence]:
            for key in sentences:  # each sentence is checked once, however often it is re-read
                if key not in verdicts:
                    verdicts[key] = self._verifier.check(*key, texts)
            return [verdicts[key] for key in sentences]

        complete = 0
        try:
            for delta in self._model.stream(turns):
                reply += delta
                sentences = self._verifier.sentences(reply)[:-1]  # the last one may still grow
                if len(sentences) > complete:
                    complete = len(sentences)
                    yield _render(checked(sentences))[0]
        except LlmUnavailable as error:
            failure = Generation(self._model.name, error=str(error))
            yield _with_notice(quoted, NOTICE_FAILED.format(reason=error), (), failure)
            return
        final = checked(self._verifier.sentences(reply))
        generation = Generation(self._model.name, round(time.perf_counter() - started, 2), withheld)
        yield self._decide(query, quoted, final, passages, retrieved, generation)

    def _decide(
        self,
        query: Query,
        quoted: Answer,
        checked: list[CheckedSentence],
        passages: list[Fused],
        retrieved: list[Fused],
        generation: Generation,
    ) -> Answer:
        """The generated answer with its kept sentences, or the quoted one when too few held."""
        phrase = abstention_phrase(query.language).rstrip(".")
        answering = [c for c in checked if phrase.lower() not in c.text.lower()]
        kept = [c for c in answering if c.kept]
        removed = tuple(Removed(c.text, c.reason or "") for c in answering if not c.kept)
        attributed = tuple(c.text for c in kept if c.attributed)
        if not kept or len(kept) / len(answering) < self._min_kept:
            return _with_notice(quoted, NOTICE_UNSUPPORTED, removed, generation)
        text, numbering = _render(kept)
        citations = [
            Citation.from_fused(
                new,
                passages[old - 1],
                tuple(dict.fromkeys(c.evidence[old] for c in kept if old in c.cites)),
            )
            for old, new in numbering.items()
        ]
        notice = NOTICE_REMOVED.format(count=len(removed)) if removed else None
        return Answer.of(
            query,
            text,
            False,
            citations,
            retrieved,
            writer="generative",
            notice=notice,
            removed=removed,
            attributed=attributed,
            generation=generation,
        )


def _render(sentences: list[CheckedSentence]) -> tuple[str, dict[int, int]]:
    """The kept sentences with citations renumbered by first use: [1], [2], ..."""
    numbering: dict[int, int] = {}
    parts = []
    for sentence in sentences:
        if not sentence.kept:
            continue
        for n in sentence.cites:
            numbering.setdefault(n, len(numbering) + 1)
        markers = "".join(f"[{numbering[n]}]" for n in sentence.cites)
        body = sentence.text.rstrip(".!?")
        end = sentence.text[len(body) :] or "."
        parts.append(f"{body} {markers}{end}")
    return " ".join(parts), numbering


def _with_notice(quoted: Answer, notice: str, removed: tuple[Removed, ...], generation: Generation) -> Answer:
    """The extractive answer, saying why it stands in for the generated one."""
    return replace(quoted, notice=notice, removed=removed, generation=generation)
