"""The default answer writer: quote the sentences of the top passages that answer the
question, with numbered citations, or abstain.

It needs no language model and cannot state anything the material does not say.
Sentences are scored by the learned selector (``assistant.sentence_selection``) from how
much of the question's content (stemmed, IDF-weighted) they cover, their cosine with the
question, their passage's rank and score and what they hold. When to abstain is decided by
``abstention.should_answer`` and by what the chosen sentences hold.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from assistant.abstention import should_answer, states_absence
from assistant.answer import Answer, Citation
from assistant.answer_type import (
    absence_off_kind,
    asked_noun,
    asks_detail,
    asks_when,
    asks_who,
    can_answer,
    holds_condition,
    holds_time,
    kind_test,
    kind_words,
    names_asked_kind,
    names_time,
)
from assistant.bm25_view import Bm25View
from assistant.composition import (
    CONTINUES_PREVIOUS,
    LEANS_ON_PREVIOUS,
    Composer,
    derived_from_section,
    is_primary,
    restates_item,
)
from assistant.definitions import asks_meaning, defined_term
from assistant.fusion import Fused
from assistant.query import Query
from assistant.reasons import EXISTENCE_WORDS, REASON_WORDS, asks_why, is_background, points_at_the_whole
from assistant.record_fields import (
    DECISION,
    WHEN,
    asked_field,
    asks_decisions_taken,
    card_passage,
    decision_taken,
    decision_text,
    field_units,
    named_at,
)
from assistant.sentence_selection import Candidate, SentenceSelector
from assistant.sentences import Unit, split_units
from assistant.texts import abstention_phrase
from assistant.versions import prefer_named_version
from assistant.vocabulary import MIN_PART, Vocabulary
from kbcore.embedder import Embedder
from kbcore.schema import Chunk
from kbcore.tuning import AbstentionSettings, ExtractiveSettings

# A question asking which ones, plural: an enumeration, which one sentence of the records'
# source may make at once (``_with_naming_sentence``); "Vem från Kommunförbundet är
# inblandad?" is answered by the person's own record, not by the summary's sentence about two
# people's task.
_ASKS_WHICH_ONES = re.compile(r"\b(vilka|which)\b", re.I)
# a question about the decisions taken that asks when as well
_ALSO_WHEN = re.compile(r"\bnär\b", re.I)


@dataclass(frozen=True)
class _Scored:
    unit: Unit
    score: float
    position: int


def _stating(
    question: str, selections: list[tuple[Fused, list[tuple[int, Unit]]]]
) -> list[tuple[Fused, Unit]]:
    """The chosen sentences that state something (not the material's "not stated" as far as
    ``question`` goes, ``abstention.states_absence``), each with its passage."""
    return [
        (item, unit)
        for item, units in selections
        for _, unit in units
        if not states_absence(unit.text, question)
    ]


def _about(item: Fused, unit: Unit) -> str:
    """What ``unit`` of ``item``'s passage is about, as words to match a question against: a
    running sentence is about its own words; a table row also about its table's column names
    and the heading the table stands under ("| Summa | 10 miljoner kronor |" under "Budget
    2026", below "| Insatsområde | Belopp |", answers "Vad är den totala budgeten för 2026?")."""
    if not unit.is_table_row:
        return unit.text
    return f"{item.chunk.metadata.get('heading', '')} {unit.table_header} {unit.text}"


_FIRST_WORD = re.compile(r"[^\W\d_]+")
# A preposition that opens a sentence before what it is about: "I arbetet ingår att maskera …"
# goes on from "… krävs ett noggrant grundarbete" as "Arbetet" would, "I detta ingår …" as
# "Detta" would. After it only a demonstrative points back: "Under de senaste åren …", "I det
# nya programmet …" start afresh.
_OPENING_PREPOSITION = re.compile(
    r"(i|på|för|under|vid|inom|efter|med|av|till|utöver|genom|bland|från|in|for|during|at|by)\s+", re.I
)
_DEMONSTRATIVE = re.compile(
    r"(detta|dessa|denna|dem|dess|det här|den här|de här|this|these|that|those)\b", re.I
)


def goes_on(unit: Unit, after: Unit, bm25: Bm25View) -> bool:
    """Whether the sentence ``after`` goes on from the quoted sentence ``unit`` right before it:
    it opens with a pronoun or an adverb pointing back (``CONTINUES_PREVIOUS``: "Det", "Då",
    "De", "Man"), or with an inflected form of a word that ``unit`` uses, as is or as the last
    part of a compound (``Vocabulary.knows``: "… ett avtal som kallas Montrealprotokollet.
    Avtalet ställer krav …"), both as ``bm25`` stems them; either may come after an opening
    preposition ("I utbildningen ingår …", "I detta ingår …"). A table row, a list item or a list's
    introduction never goes on from a sentence, nor does a sentence saying that something is
    not stated ("… anges inte"): it is about something else, and the answer's stated gaps
    come from ``_with_stated_gaps``."""
    if unit.is_table_row or after.is_item or after.introduces_list or after.is_table_row:
        return False
    if states_absence(after.text):
        return False
    if CONTINUES_PREVIOUS.match(after.text):
        return True
    opening = _OPENING_PREPOSITION.match(after.text)  # "I utbildningen ingår …", "I detta …"
    rest = after.text[opening.end() :] if opening else after.text
    if opening and _DEMONSTRATIVE.match(rest):
        return True
    first = _FIRST_WORD.match(rest)
    if first is None or not (opening or first.group(0)[:1].isupper()):
        return False
    word = first.group(0).casefold()
    stem = next(iter(bm25.stems(word)), word)
    if stem == word or len(stem) < MIN_PART:  # not inflected: "Styrgruppen" is, "Region" is not
        return False
    return bm25.text_vocabulary(unit.text).knows(stem)


def top_passages(ranked: list[Fused], config: ExtractiveSettings) -> list[Fused]:
    """The first ``config.max_passages`` of ``ranked`` (fused order), and after them up to
    ``config.max_tied_passages`` more whose fused score is at least ``tied_passage_share`` of
    the last of those: "Vad ska Magnus Aspegren och Martin Söderström ta fram?" ranks the
    decision record that answers it fourth, at 0.946 against the third's 0.948."""
    count = min(config.max_passages, len(ranked))
    if count == 0:
        return []
    bar = config.tied_passage_share * ranked[count - 1].score
    limit = min(len(ranked), config.max_passages + config.max_tied_passages)
    while count < limit and ranked[count].score >= bar:
        count += 1
    return ranked[:count]


class ExtractiveWriter:
    """Writes quoted answers from one index snapshot's BM25 view (its vocabulary and IDF)."""

    def __init__(
        self,
        bm25: Bm25View,
        embedder: Embedder,
        config: ExtractiveSettings,
        abstention: AbstentionSettings,
        selector: SentenceSelector,
    ) -> None:
        self._bm25 = bm25
        self._embedder = embedder
        self._config = config
        self._abstention = abstention
        self._selector = selector
        self._vectors: dict[str, np.ndarray] = {}
        self._composer = Composer(bm25.titles_by_file(), config.duplicate_overlap)

    def content_terms(self, question: str, context: str = "") -> dict[str, float]:
        """The question's stemmed content words with their IDF weights; the words of the
        conversation it follows up (``context``) join at half weight."""
        terms = self._content(question)
        for term, weight in self._content(context).items():
            terms.setdefault(term, self._config.context_weight * weight)
        return terms

    def _content(self, text: str) -> dict[str, float]:
        return self._bm25.content_terms(text) if text else {}

    def unknown_share(self, terms: dict[str, float], vocabulary: Vocabulary) -> float:
        """Share of the question's content (IDF-weighted) in words ``vocabulary`` never uses."""
        total = sum(terms.values())
        if total <= 0:
            return 0.0
        return sum(weight for term, weight in terms.items() if not vocabulary.knows(term)) / total

    def only_incidental_unknown(self, query: Query, terms: dict[str, float], vocabulary: Vocabulary) -> bool:
        """Whether the question is in the material's words but for how it is put: every one of
        its words ``vocabulary`` never uses is common in Swedish at large (``everyday_zipf``,
        ``Bm25View.everyday_stems``), and together they carry less than ``max_unknown_load``
        of its meaning (``unknown_load`` with them taken out). "När började man med det här
        arbetet?" ("började"), "Varför räcker det inte med de nätverk som redan finns?"; not
        "Får barn vara med på workshoparna?", where the everyday noun is the asked thing.
        Costs one embedding when every unknown word is everyday, none otherwise."""
        everyday = self._bm25.everyday_stems(query.question, self._abstention.everyday_zipf)
        unknown = [term for term in terms if not vocabulary.knows(term)]
        if not unknown or any(term not in everyday for term in unknown):
            return False
        return self.unknown_load(query, vocabulary, keep_everyday=False) < self._abstention.max_unknown_load

    def unknown_load(self, query: Query, vocabulary: Vocabulary, keep_everyday: bool = True) -> float:
        """Share (0-1) of the question's meaning carried by its words ``vocabulary`` never
        uses: 1 - cosine(search text, search text without them). The search text is the
        question with the conversation it follows up, as ``content_terms`` weighs them, and
        its vector is the query's own. Words common in Swedish at large (``everyday_zipf``,
        ``assistant.everyday``: "två", "nästa", "igång", "frågan") are not taken out: they
        say how the question is put, and taking them out changes its wording more than its
        meaning; with ``keep_everyday`` False they are taken out too (``only_incidental_unknown``).
        0.0 when no word is unknown; 1.0 when nothing but unknown words is left."""
        text = query.search_text
        bar = self._abstention.everyday_zipf if keep_everyday else None
        unknown = self._bm25.unknown_words(text, vocabulary, bar)
        if not unknown:
            return 0.0
        pattern = r"\b(?:" + "|".join(re.escape(word) for word in unknown) + r")\b"
        rest = re.sub(r"\s+", " ", re.sub(pattern, " ", text)).strip()
        if not any(ch.isalnum() for ch in rest):
            return 1.0
        whole = query.embedding if query.embedding is not None else self._embedder.embed_queries([text])[0]
        without = self._embedder.embed_queries([rest])[0]
        return float(np.clip(1.0 - whole @ without, 0.0, 1.0))

    def supported(
        self, terms: dict[str, float], passages: list[Fused], query: Query, answer_known: bool = False
    ) -> bool:
        """The abstention gate (``abstention.should_answer``) over the top passages. A word
        counts as known when the documents of those passages use it, not merely some
        document of the index: reference material added beside the platform's own (the
        distractor set) knows "kontor", "budget" and "moderator", which the platform's
        documents never answer. ``answer_known``: the passages hold lines known to answer
        (a definition of the asked term, ``_definitions``; the background a why-question asks
        for, ``_background_lines``)."""
        similarity = max((item.dense or 0.0) for item in passages)
        vocabulary = self._bm25.document_vocabulary(item.chunk.doc_id for item in passages)
        return should_answer(
            self._abstention,
            query.language,
            similarity,
            0.0
            if self.only_incidental_unknown(query, terms, vocabulary)
            else self.unknown_share(terms, vocabulary),
            lambda: self.unknown_load(query, vocabulary),
            answer_known,
            lambda: self.sentence_similarity(passages, query, vocabulary),
        )

    def sentence_similarity(self, passages: list[Fused], query: Query, vocabulary: Vocabulary) -> float:
        """The highest cosine (0-1) between ``query`` (embedded) and one unit (sentence or list
        item) of ``passages``: the gate's evidence for a question in other words than the
        material's. 0.0 when they hold no unit, or when the noun the question asks for an
        instance or a count of is a word their documents (``vocabulary``) never use
        (``answer_type.asked_noun``): in "Vilken konsultbyrå ledde workshoparna?" the asked
        thing itself is foreign, and a sentence about the rest of the question does not
        answer it. Embeds the units not seen before (~29 ms each here), once per process."""
        noun = asked_noun(query.question)
        if noun is not None and self._bm25.unknown_words(noun, vocabulary):
            return 0.0
        texts = [unit.text for item in passages for unit in split_units(item.chunk.text)]
        return float(np.max(self.sentence_vectors(texts) @ query.embedding)) if texts else 0.0

    def write_stream(self, query: Query, retrieved: list[Fused]) -> Iterator[Answer]:
        """The Writer protocol: the quoted answer is ready at once, so it is the only item."""
        yield self.write(query, retrieved)

    def write(self, query: Query, retrieved: list[Fused]) -> Answer:
        """Quote the sentences of the top passages that answer ``query`` (embedded), or abstain.
        A front-matter field the question asks for (``_record_field``) is quoted first; it
        answers alone when the sentences decline, unless the decline cites the material's own
        sentence that the thing is not stated. A record that says the asked field is not
        stated declines with that line. A question about what a term means also reads the
        passage that defines it (``_with_definition``), one asking why a document's subject
        exists its background section (``_with_background``)."""
        ranked = prefer_named_version(query.question, retrieved)
        decisions = self._decisions_taken(query, ranked)
        if decisions:
            return self._compose(query, decisions, retrieved)
        why_topic = self._why_topic(query)
        passages = self._with_definition(query.question, ranked, top_passages(ranked, self._config))
        passages = self._with_source_section(ranked, self._with_background(why_topic, passages))
        card = self._record_field(query, passages)
        if card is not None and all(states_absence(unit.text) for _, unit in card[1]):
            # The record the question is about says the asked field is not stated ("Mandat:
            # Framgår inte av materialet."): a sentence elsewhere would answer about another.
            return self._decline(query, retrieved, (card[0], card[1][0][1]))
        chosen = self._choose(query, retrieved, passages, why_topic)
        if isinstance(chosen, Answer):
            return chosen if card is None or chosen.citations else self._compose(query, [card], retrieved)
        return self._compose(query, [card, *chosen] if card else chosen, retrieved)

    def _choose(
        self, query: Query, retrieved: list[Fused], passages: list[Fused], why_topic: list[str] | None
    ) -> Answer | list[tuple[Fused, list[tuple[int, Unit]]]]:
        """The units of ``passages`` (the top of ``retrieved``) that answer ``query``, per
        passage, or the declining Answer; ``why_topic`` is ``_why_topic(query)``."""
        question = query.question
        terms = self.content_terms(question, query.context)
        units = [split_units(item.chunk.text) for item in passages]
        # the lines known to answer: a definition of the asked term, or the background of the
        # document whose subject a why-question names
        known = self._definitions(question, units) or self._background_lines(why_topic, passages, units)
        answer_known = bool(known) or self._top_passage_says_when(query, terms, passages, units)
        if not passages or not self.supported(terms, passages, query, answer_known=answer_known):
            return self._decline(query, retrieved)
        selections = self._select(question, terms, passages, units, query.embedding, known)
        if not selections:
            return self._decline(query, retrieved)
        # What is asked is the follow-up's own question when it names something the material
        # knows ("Vilket mandat har den?"); "Och när ska det ske?" needs its conversation.
        names_something = any(self._bm25.knows(term) for term in self._content(question))
        own = query.context and names_something
        asked = self._embedder.embed_queries([question])[0] if own else query.embedding
        absent = [
            (item, u)
            for item, passage in zip(passages, units)
            for u in passage
            if states_absence(u.text, question)
        ]
        stating = _stating(question, selections)
        asked_terms = self._content(question) if own else terms
        # the words naming the kind asked for ("år", "organisationer") and the values offered
        # to choose between ("2026 eller 2027") are not what it is about
        subject = self._subject(question, asked_terms)
        if asks_detail(question) and query.language == "sv":  # lexical: Swedish words only
            # an amount or a date in a sentence about something else answers another question;
            # a table row is about its column names and heading as well (``_about``)
            stating = [pair for pair in stating if self._on_subject(subject, *pair)]
        if not can_answer(question, [unit.text for _, unit in stating]):
            # The asked kind of thing (an amount, a date, a contact) is in no chosen sentence
            # (a "not stated" sentence holds none, though "Referensgruppens" looks like a name):
            # the top passages' sentence that holds it, or the material's own sentence that it
            # is not stated ("Belopp ... anges inte", never "Datum ... anges inte").
            about_kind = [pair for pair in absent if names_asked_kind(question, pair[1].text)]
            holds_kind = kind_test(question)  # not None: a kind is asked; parsed once for every unit
            holding = self._holding(
                passages,
                units,
                # a name or an amount about the question's subject, not any other one
                lambda item, unit: holds_kind(unit.text) and self._on_subject(subject, item, unit),
                about_kind,
                asked,
            )
            if not isinstance(holding, list):
                return self._decline(query, retrieved, holding)
            selections = holding
            stating = _stating(question, selections)
        if asks_when(question) and not any(self._says_when(question, subject, unit) for _, unit in stating):
            about_time = [pair for pair in absent if names_time(pair[1].text)]
            timed = self._holding(
                passages, units, lambda _, unit: self._says_when(question, subject, unit), about_time, asked
            )
            if not isinstance(timed, list):
                return self._decline(query, retrieved, timed)
            selections = timed
        absence = self._stated_absence(question, subject, absent, selections, asked)
        if absence is not None:
            return self._decline(query, retrieved, absence)
        if subject != asked_terms:
            selections = self._off_subject_dropped(subject, selections)
        passage_units = {id(item): units_of for item, units_of in zip(passages, units)}
        return self._with_stated_gaps(question, subject, selections, passage_units)

    def _says_when(self, question: str, subject: dict[str, float], unit: Unit) -> bool:
        """Whether ``unit`` answers the when-question: it says when (``holds_time``), or it
        says in which case (``holds_condition``: "Om du flyttar måste du meddela …") and
        restates the question, holding ``condition_coverage`` of its ``subject`` words. The
        two compete as equals (``_holding`` takes the one closest to the question): trying
        times first and cases only without one gave answer span 0.785 on SweQUAD-MC train's 945
        questions against 0.793 side by side, a time in another sentence of the passages
        ("tisdag 29 oktober", "Efter beslut") beating the case that restates the question
        (evals/README.md, 2026-12-04, stopp 33)."""
        return holds_time(unit.text, question) or (
            holds_condition(unit.text, question)
            and self._bm25.coverage(subject, unit.text) >= self._config.condition_coverage
        )

    def _on_subject(self, terms: dict[str, float], item: Fused, unit: Unit) -> bool:
        """Whether ``unit`` of ``item``'s passage shares a word with the question's ``terms``
        (stem -> IDF weight), reading a table row with its heading and column names
        (``_about``): an amount or a date answers only about what its sentence is about."""
        return self._bm25.coverage(terms, _about(item, unit)) > 0

    def _holding(
        self,
        passages: list[Fused],
        units: list[list[Unit]],
        holds: Callable[[Fused, Unit], bool],
        unstated: list[tuple[Fused, Unit]],
        query_embedding: np.ndarray,
    ) -> list[tuple[Fused, list[tuple[int, Unit]]]] | tuple[Fused, Unit] | None:
        """For a question whose chosen sentences lack what it asks for (a time, a name, an
        amount): the sentence of the top passages that ``holds`` it (called with the passage
        and the sentence) and is closest to the question (dense), as the selection ("Sedan
        när har man arbetat med workshopserien?": "Sedan augusti har vi …", which shares no
        word with it). The material's own "not stated" sentence about it (``unstated``:
        "Datum för beslutet anges inte") declines instead when its passage ranks at or above
        that sentence's (of several in the best such passage, the closest); with neither, the
        decline without a citation (None)."""
        rank = {id(item): i for i, item in enumerate(passages)}
        found = [
            (item, position, unit)
            for item, passage in zip(passages, units)
            for position, unit in enumerate(passage)
            if holds(item, unit) and not states_absence(unit.text)
        ]
        if unstated:
            top = min(rank[id(item)] for item, _ in unstated)
            if not found or top <= min(rank[id(item)] for item, _, _ in found):
                return self._closest([pair for pair in unstated if rank[id(pair[0])] == top], query_embedding)
        if not found:
            return None
        item, position, unit = found[self._nearest([unit.text for _, _, unit in found], query_embedding)]
        return [(item, [(position, unit)])]

    def _record_field(
        self, query: Query, passages: list[Fused]
    ) -> tuple[Fused, list[tuple[int, Unit]]] | None:
        """The front-matter field the question asks for (``record_fields.asked_field``), as
        its document's record card with the field's lines chosen. The document is the record
        among ``passages`` (a document with a card) that the question names first by its
        title ("Vilket mandat har Länsstyrelsen i Tillväxtmotorn?": Länsstyrelsen, not the
        platform), else the best-ranked one that the question, without the words that ask
        for the field ("status", "hur ligger vi till"), passes the abstention gate on
        (``supported`` over that passage alone). None when no field is
        asked, or no record passes. A record that says the field is not stated ("Framgår inte
        av materialet.") is returned as well: that is its answer, and a lower-ranked record's
        field would answer about something else."""
        asked = asked_field(query.question)
        if asked is None:
            return None
        record_field, rest = asked
        terms = self.content_terms(rest, query.context)
        if not terms:
            return None
        records = [(item, card) for item in passages if (card := card_passage(item)) is not None]
        named = [
            (position, i)
            for i, (item, _) in enumerate(records)
            if (position := named_at(query.question, item.chunk)) is not None
        ]
        if named:
            record = records[min(named)[1]]
        else:
            record = next(
                ((item, card) for item, card in records if self.supported(terms, [item], query)), None
            )
        if record is None:
            return None
        units = field_units(record[0].chunk, record_field)
        return (record[1], units) if units else None

    def _decisions_taken(
        self, query: Query, ranked: list[Fused]
    ) -> list[tuple[Fused, list[tuple[int, Unit]]]]:
        """A Swedish question asking which decisions are taken ("Vad har styrgruppen beslutat
        hittills?", ``record_fields.asks_decisions_taken``) is answered from the decision
        register: the documents among ``ranked`` (rank order, each once, at most
        ``max_list_items``) whose front-matter status says their decision is taken
        (``record_fields.decision_taken``), each by its own sentence stating the decision
        (``_decision_said``), and by its card's "När:" line when the question asks when as
        well ("Vad har styrgruppen beslutat och när?"). A record answers only when its card holds
        every word of what the question is about that the index knows ("styrgruppen"; not
        "referensgruppen" in "Vad har styrgruppen beslutat om referensgruppen?"), and the
        question, without the words that ask, passes the abstention gate on those records
        ("Vad har fotbollsklubben beslutat?" does not). [] when the question asks something
        else or no record answers it: the sentences are then chosen as for any question.
        Before this, the sentence selector quoted the steps still to come ("Underlag för
        formellt beslut … tas fram") for what was decided."""
        rest = asks_decisions_taken(query.question) if query.language == "sv" else None
        if rest is None:
            return []
        terms = self.content_terms(rest)
        about = {term: weight for term, weight in self._topic(rest, terms).items() if self._bm25.knows(term)}
        records: dict[str, tuple[Fused, Fused]] = {}
        for item in ranked:
            if item.chunk.doc_id in records or not decision_taken(item.chunk):
                continue
            card = card_passage(item)
            # the card holds every word of what the question is about, or it names nothing
            if card is not None and (not about or self._bm25.coverage(about, card.chunk.text) == 1.0):
                records[item.chunk.doc_id] = (item, card)
        found = [item for item, _ in records.values()]
        if not found or (terms and not self.supported(terms, found, query)):
            return []
        chosen: list[tuple[Fused, list[tuple[int, Unit]]]] = []
        for item, card in list(records.values())[: self._config.max_list_items]:
            chosen.append(self._decision_said(item, card))
            if _ALSO_WHEN.search(rest):  # "Vad har styrgruppen beslutat och när?"
                chosen.append((card, field_units(card.chunk, WHEN)))
        return [(item, units) for item, units in chosen if units]

    def _decision_said(self, item: Fused, card: Fused) -> tuple[Fused, list[tuple[int, Unit]]]:
        """The unit of the record's passage ``item`` that says its decision (the one covering
        most of the front matter's ``decision``, the first of equals), or the card's
        "Beslut:" line when no unit of the passage shares a word with it."""
        wanted = self._content(decision_text(item.chunk))
        units = split_units(item.chunk.text)
        coverage = [self._bm25.coverage(wanted, unit.text) for unit in units]
        if not units or max(coverage) <= 0:
            return card, field_units(card.chunk, DECISION)
        best = coverage.index(max(coverage))
        return item, [(best, units[best])]

    def _with_definition(self, question: str, ranked: list[Fused], passages: list[Fused]) -> list[Fused]:
        """``passages`` (the top of ``ranked``), and, when the question asks what a term means
        and none of them defines it, the best-ranked further passage of ``ranked`` that does:
        "Vad menas med investeringsfrämjande?" ranks the platform's record, which names the
        term, above the summary's list that defines it."""
        if not asks_meaning(question) or self._definitions(
            question, [split_units(p.chunk.text) for p in passages]
        ):
            return passages
        for item in ranked[len(passages) :]:
            if self._definitions(question, [split_units(item.chunk.text)]):
                return [*passages, item]
        return passages

    def _with_source_section(self, ranked: list[Fused], passages: list[Fused]) -> list[Fused]:
        """``passages`` (the top of ``ranked``), and the first further passage of ``ranked``
        that two or more records among them were derived from (``derived_from_section``),
        so that their source's list can be quoted whole in their stead (``_with_source_list``):
        "Lista stegen i förberedelsefasen efter beslutet" ranks two step records first and
        the summary's list of the steps fifth."""
        records = [item for item in passages if not is_primary(item)]
        if len(records) < 2:
            return passages
        for item in ranked:
            taken = any(item is passage for passage in passages)
            if not taken and sum(derived_from_section(item, record) for record in records) >= 2:
                return [*passages, item]
        return passages

    def _with_background(self, topic: list[str] | None, passages: list[Fused]) -> list[Fused]:
        """``passages``, and, when the question asks why the subject of one of their documents
        exists (``topic``: ``_why_topic``) and none of them is that document's background
        section (``_answers_why``), that section: "Varför behövs en gemensam
        investeringsplattform?" ranks the summary's sections naming the platform first, not
        "Utgångspunkt / Utmaningen", which says why.
        The section is read from the document's chunks in the asker's view, so it need not
        be among the retrieved passages."""
        if topic is None or any(self._answers_why(topic, item.chunk) for item in passages):
            return passages
        for doc_id in dict.fromkeys(item.chunk.doc_id for item in passages):
            for chunk in self._bm25.document_chunks(doc_id):
                if self._answers_why(topic, chunk):
                    return [*passages, Fused(chunk, score=0.0)]
        return passages

    def _why_topic(self, query: Query) -> list[str] | None:
        """What a Swedish why-question asks the reason for, read once per question for all
        the chunks ``_answers_why`` tests: the stems of its topic (``_topic``, without the words naming a
        reason: "problem", "lösa"); [] when it points at the whole thing ("det här",
        "överhuvudtaget", ``reasons.points_at_the_whole``) and has no word but those of a
        reason or of being started or needed (``reasons.EXISTENCE_WORDS``: "Varför har man
        startat det här överhuvudtaget?"), which asks why the material's subject exists ("Varför
        är det här försenat?" names "försenat", which no title holds); None for a question
        that is not a Swedish why-question or names no topic."""
        if query.language != "sv" or not asks_why(query.question):
            return None
        terms = self.content_terms(query.question, query.context)
        reasons = set(self._bm25.stems(" ".join(REASON_WORDS.findall(query.question))))
        existence = set(self._bm25.stems(" ".join(EXISTENCE_WORDS.findall(query.question))))
        if points_at_the_whole(query.question) and terms and all(t in existence | reasons for t in terms):
            return []
        topic = [term for term in self._topic(query.question, terms) if term not in reasons]
        return topic or None

    def _answers_why(self, topic: list[str], chunk: Chunk) -> bool:
        """Whether the chunk stands under a background heading (``reasons.is_background``) of
        the document whose subject the why-question's ``topic`` (``_why_topic``) names: every
        word of it is in the document's title, and there is one; an empty topic (the whole
        thing) is every background section's. "Varför behövs en gemensam plattform
        överhuvudtaget?" names "Workshopserien om en gemensam investeringsplattform";
        "Varför ska plattformen ha mandat?" and "Varför ska investeringsplattformen leva
        vidare efter valet?" ask about things the title does not name."""
        if not is_background(str(chunk.metadata.get("heading", ""))):
            return False
        title = self._bm25.text_vocabulary(str(chunk.metadata.get("title", "")))
        return all(title.knows(term) for term in topic)

    def _top_passage_says_when(
        self, query: Query, terms: dict[str, float], passages: list[Fused], units: list[list[Unit]]
    ) -> bool:
        """Whether a Swedish when-question is answered by the first passage: one of its
        sentences says when (``holds_time``) and the sentence with the passage's heading holds
        every word of the question's topic (``_topic``, without everyday words). "När började
        man med det här arbetet?" and "Sedan augusti har vi gemensamt tagit fram …" under "Vad
        har vi gjort hittills i arbetet" share no word, and their cosine (0.32) is below the
        gate's bar; the gate then waives the bar as for a definition, not the vocabulary test."""
        if query.language != "sv" or not passages or not asks_when(query.question):
            return False
        topic = self._topic(query.question, terms)
        heading = str(passages[0].chunk.metadata.get("heading", ""))
        return any(
            holds_time(unit.text, query.question)
            and not states_absence(unit.text)
            and self._bm25.coverage(topic, f"{heading} {unit.text}") == 1.0
            for unit in units[0]
        )

    def _background_lines(
        self, topic: list[str] | None, passages: list[Fused], units: list[list[Unit]]
    ) -> set[tuple[int, int]]:
        """(passage index, unit position) of the sentences of the background section that
        answers a why-question of ``topic`` (``_why_topic``, ``_answers_why``), at most
        ``max_units`` of them; empty when none does."""
        if topic is None:
            return set()
        for i, item in enumerate(passages):
            if self._answers_why(topic, item.chunk):
                sentences = [position for position, unit in enumerate(units[i]) if not unit.is_item]
                return {(i, position) for position in sentences[: self._config.max_units]}
        return set()

    def _definitions(self, question: str, units: list[list[Unit]]) -> set[tuple[int, int]]:
        """(passage index, unit position) of each line of the passages that defines a term
        the question asks the meaning of: "Vad innebär kompetensattraktion rent konkret?"
        and "Kompetensattraktion – stärka regionens förmåga ...". The term's every content
        word must be in the question."""
        if not asks_meaning(question):
            return set()
        found = set()
        for i, passage in enumerate(units):
            for position, unit in enumerate(passage):
                term = defined_term(unit.text)
                term_terms = self._content(term) if term else {}
                if term_terms and self._bm25.coverage(term_terms, question) == 1.0:
                    found.add((i, position))
        return found

    def _with_stated_gaps(
        self,
        question: str,
        terms: dict[str, float],
        selections: list[tuple[Fused, list[tuple[int, Unit]]]],
        passage_units: dict[int, list[Unit]],
    ) -> list[tuple[Fused, list[tuple[int, Unit]]]]:
        """Each quoted passage's "not stated" sentence that names an asked word no quoted
        sentence holds joins the answer: "Vilket mandat har Länsstyrelsen?" is answered with
        what Länsstyrelsen did and that its mandate is not stated. One the selector chose
        leaves it when it says another kind of thing than the asked one is not stated
        (``answer_type.absence_off_kind``): "Vem utser referensgruppen?" is answered with who
        appoints it, not with "Referensgruppens sammansättning anges inte". ``passage_units``:
        each passage's units (keyed by ``id`` of its Fused), as already split for the
        selection. A passage left with no unit is dropped; when none is left, the selection
        stands as it was."""
        missing = self._missing(terms, [u for _, units in selections for _, u in units])

        def stays(unit: Unit) -> bool:
            return not (states_absence(unit.text) and absence_off_kind(question, unit.text))

        completed = []
        for item, units in selections:
            kept = {p: u for p, u in units if stays(u)}
            if missing:  # the passage's "not stated" sentences naming an asked word no quoted one holds
                kept |= {
                    p: u
                    for p, u in enumerate(passage_units[id(item)])
                    if states_absence(u.text) and self._bm25.coverage(missing, u.text) > 0
                }
            if kept:
                completed.append((item, sorted(kept.items(), key=lambda pair: pair[0])))
        return completed or selections

    def _missing(self, terms: dict[str, float], quoted: list[Unit]) -> dict[str, float]:
        """The question's ``terms`` (stem -> IDF weight) that none of the ``quoted`` units holds."""
        text = " ".join(u.text for u in quoted)
        return {t: w for t, w in terms.items() if self._bm25.coverage({t: w}, text) == 0}

    def _decline(
        self, query: Query, retrieved: list[Fused], evidence: tuple[Fused, Unit] | None = None
    ) -> Answer:
        """The abstention phrase; cites the passage when the material itself says the thing
        is not stated."""
        citations = [Citation.from_fused(1, evidence[0], (evidence[1].text,))] if evidence else []
        return Answer.of(query, abstention_phrase(query.language), True, citations, retrieved)

    def _stated_absence(
        self,
        question: str,
        terms: dict[str, float],
        absent: list[tuple[Fused, Unit]],
        selections: list[tuple[Fused, list[tuple[int, Unit]]]],
        query_embedding: np.ndarray,
    ) -> tuple[Fused, Unit] | None:
        """A "not stated" sentence of the top passages that is about the asked thing. It names
        the kind of thing asked for and covers as much of the question's words as the chosen
        sentences ("Vilka ska sitta i referensgruppen?": "Referensgruppens sammansättning
        anges inte" beats "Styrgruppen utser en referensgrupp"; when no chosen sentence shares
        a word with the question, as for an English one, when the dense model finds it closer
        than each: "Who sits on the steering group?" and "Vilka som sitter i styrgruppen
        anges inte"); or it names an asked word
        that no chosen sentence holds and covers more of the question than every one of them
        ("Vilket mandat har Länsstyrelsen?": "Organisationens mandat ... anges inte" beats
        "Länsstyrelsen deltog ..."), or as much and the dense model finds it closer. A
        sentence that shares only words the answer holds too is no decline: "Kommunförbundets
        mandat anges inte" says nothing about "Vilka kommuner var med via Kommunförbundet?",
        which "Kommunförbundet deltog ... med kommunrepresentation från Krokom" answers.
        ``terms`` are the question's subject (``_subject``): the words naming the kind asked
        for count for neither: "Vilket år sammanträdet hålls anges inte" shares only "år" with "Vilket år ska
        verksamhetsplanen gälla för?", and "Organisationens mandat ... anges inte" only
        "organisationer" with "Vilka organisationer var med i workshopserien?"."""
        chosen = [u for _, units in selections for _, u in units if not states_absence(u.text, question)]
        if not absent or not chosen:
            return self._closest(absent, query_embedding)
        best_coverage = max(self._bm25.coverage(terms, u.text) for u in chosen)
        coverage = [self._bm25.coverage(terms, u.text) for _, u in absent]
        of_kind = [
            pair
            for pair, c in zip(absent, coverage)
            if c >= best_coverage and names_asked_kind(question, pair[1].text)
        ]
        if best_coverage > 0 and of_kind:
            return self._closest(of_kind, query_embedding)
        # no word of the question in any chosen sentence (as for an English one): the dense
        # model judges whether the one of the asked kind is closer
        closer = self._closer(of_kind, chosen, query_embedding) if best_coverage == 0 else None
        if closer is not None:
            return closer
        missing = self._missing(terms, chosen)
        adding = (
            [(pair, c) for pair, c in zip(absent, coverage) if self._bm25.coverage(missing, pair[1].text) > 0]
            if missing
            else []
        )
        if not adding:
            return None
        top_pair, top_coverage = max(adding, key=lambda pc: pc[1])
        if top_coverage > best_coverage:
            return top_pair
        about = [pair for pair, c in adding if c >= best_coverage]
        return self._closer(about, chosen, query_embedding)

    def _closer(
        self, candidates: list[tuple[Fused, Unit]], chosen: list[Unit], query_embedding: np.ndarray
    ) -> tuple[Fused, Unit] | None:
        """Of the "not stated" ``candidates`` (passage, sentence), the one the dense model finds
        closest to the question, when it is closer than every ``chosen`` sentence; else None."""
        if not candidates:
            return None
        vectors = self.sentence_vectors([u.text for _, u in candidates] + [u.text for u in chosen])
        similarity = (vectors @ query_embedding).tolist()
        best = max(range(len(candidates)), key=lambda i: similarity[i])
        return candidates[best] if similarity[best] > max(similarity[len(candidates) :]) else None

    def _off_subject_dropped(
        self, subject: dict[str, float], selections: list[tuple[Fused, list[tuple[int, Unit]]]]
    ) -> list[tuple[Fused, list[tuple[int, Unit]]]]:
        """``selections`` without the "not stated" sentences that share no ``subject`` term
        with the question (``_subject``): "Vilket år sammanträdet hålls anges inte" in the
        answer to "Vilket år ska verksamhetsplanen gälla för?" is about another thing.
        Passages left with no sentence drop out."""
        kept = [
            (
                item,
                [
                    (p, u)
                    for p, u in units
                    if not states_absence(u.text) or self._bm25.coverage(subject, u.text) > 0
                ],
            )
            for item, units in selections
        ]
        return [(item, units) for item, units in kept if units]

    def _subject(self, question: str, terms: dict[str, float]) -> dict[str, float]:
        """``terms`` without the stems of the words that name the kind of thing asked for
        (``answer_type.kind_words``: "år", "organisationer", the offered "2026 eller 2027");
        ``terms`` itself when the question has no such word among them, or nothing else."""
        kind = set(self._bm25.stems(" ".join(kind_words(question)))) & terms.keys()
        subject = {term: weight for term, weight in terms.items() if term not in kind}
        return subject if kind and subject else terms

    def _closest(
        self, absent: list[tuple[Fused, Unit]], query_embedding: np.ndarray
    ) -> tuple[Fused, Unit] | None:
        """The "not stated" sentence closest to the question (dense), or None when there is none."""
        return absent[self._nearest([u.text for _, u in absent], query_embedding)] if absent else None

    def _nearest(self, texts: list[str], query_embedding: np.ndarray) -> int:
        """The index of the text (of at least one) closest to the question (dense)."""
        return int(np.argmax(self.sentence_vectors(texts) @ query_embedding))

    def _select(
        self,
        question: str,
        terms: dict[str, float],
        passages: list[Fused],
        units: list[list[Unit]],
        query_embedding: np.ndarray,
        known: set[tuple[int, int]],
    ) -> list[tuple[Fused, list[tuple[int, Unit]]]]:
        """Per passage (rank order), the chosen units with their positions in the passage:
        those whose selector probability (``candidates``) reaches ``sentence_cutoff`` of the
        best one's; a chosen list item under a heading about the question brings the rest of
        its list ("Vad händer efter beslutet?": every step, not the two likeliest). The lines in
        ``known`` (passage index, position: a definition, ``_definitions``, or a background,
        ``_background_lines``) are the answer alone; only the lines they bring along
        (``_in_context``) join them."""
        if known:  # the answer is known: no selector, no sentence embeddings
            scored = [
                [_Scored(unit, float((i, position) in known), position) for position, unit in enumerate(pu)]
                for i, pu in enumerate(units)
            ]
        else:
            candidates = self.candidates(question, terms, passages, units, query_embedding)
            probabilities = self._selector.score(question, candidates, [p.score for p in passages])
            scored = [
                [_Scored(unit, p, position) for position, (unit, p) in enumerate(zip(pu, ps))]
                for pu, ps in zip(units, probabilities)
            ]
        best = max((s.score for passage in scored for s in passage), default=0.0)
        cutoff = self._config.sentence_cutoff * best
        topic = self._topic(question, terms)
        chosen: list[tuple[Fused, list[tuple[int, Unit]]]] = []
        budget = self._config.max_units
        for item, passage_scored in zip(passages, scored):
            relevant = sorted(
                (s for s in passage_scored if s.score >= cutoff and s.score > 0), key=lambda s: -s.score
            )
            sentences = [s for s in relevant if not s.unit.is_item][:budget]
            if item is passages[0] and not known and self._names_the_asked_ones(question, topic, item):
                sentences = [s for s in passage_scored if not s.unit.is_item][: self._config.max_list_items]
            items = [s for s in relevant if s.unit.is_item]
            if items and not known and self._answering_heading(topic, item):
                items = self._heading_lists(topic, passage_scored)  # the lists the heading answers with
            items = items[: self._config.max_list_items]
            if not sentences and not items:
                continue
            budget -= max(1, len(sentences))
            chosen.append((item, self._in_context(passage_scored, sentences + items)))
            if budget <= 0:
                break
        if known or asks_when(question):  # a "när"-question's records say their step's time
            return chosen
        chosen = self._with_source_list(passages, scored, chosen)
        return (
            self._with_naming_sentence(passages, scored, chosen)
            if _ASKS_WHICH_ONES.search(question)
            else chosen
        )

    def _with_naming_sentence(
        self,
        passages: list[Fused],
        scored: list[list[_Scored]],
        chosen: list[tuple[Fused, list[tuple[int, Unit]]]],
    ) -> list[tuple[Fused, list[tuple[int, Unit]]]]:
        """For a question asking which ones (``_ASKS_WHICH_ONES``): when two or more records in ``chosen``
        were derived from one passage among ``passages`` (``derived_from_section``) and a
        sentence of that passage names every one of them by title, that sentence is quoted
        in the stead of what the records state (their "not stated" sentences stay).
        "Vilka organisationer var med i workshopserien?" quoted three actor records'
        "… deltog med högsta ledningsnivå i workshopserien" while the summary's sentence they
        were derived from names all seven organisations."""
        for item, passage_scored in zip(passages, scored):
            records = [rec for rec, _ in chosen if not is_primary(rec) and derived_from_section(item, rec)]
            if len(records) < 2:
                continue
            naming = next(
                (
                    s
                    for s in passage_scored
                    if all(named_at(s.unit.text, rec.chunk) is not None for rec in records)
                ),
                None,
            )
            if naming is None:
                continue
            return self._naming_instead(chosen, records, item, passage_scored, naming)
        return chosen

    def _naming_instead(
        self,
        chosen: list[tuple[Fused, list[tuple[int, Unit]]]],
        records: list[Fused],
        source: Fused,
        source_scored: list[_Scored],
        naming: _Scored,
    ) -> list[tuple[Fused, list[tuple[int, Unit]]]]:
        """``chosen`` with ``naming`` (a unit of ``source``) quoted, beside what was chosen of
        ``source``, and only the "not stated" units left of ``records``."""
        kept: list[tuple[Fused, list[tuple[int, Unit]]]] = []
        for entry, units in chosen:
            if any(entry is record for record in records):
                units = [(p, u) for p, u in units if states_absence(u.text)]
            if units:
                kept.append((entry, units))
        return self._quoting(kept, source, source_scored, [naming])

    def _quoting(
        self,
        chosen: list[tuple[Fused, list[tuple[int, Unit]]]],
        item: Fused,
        passage_scored: list[_Scored],
        extra: list[_Scored],
    ) -> list[tuple[Fused, list[tuple[int, Unit]]]]:
        """``chosen`` with the units ``extra`` of ``item``'s passage (``passage_scored``)
        quoted beside what was chosen of it, in context (``_in_context``): its entry replaced
        in place, or appended when it had none."""
        at = next((i for i, (entry, _) in enumerate(chosen) if entry is item), None)
        already = [passage_scored[position] for position, _ in chosen[at][1]] if at is not None else []
        entry = (item, self._in_context(passage_scored, already + extra))
        return [*chosen, entry] if at is None else [*chosen[:at], entry, *chosen[at + 1 :]]

    def _with_source_list(
        self,
        passages: list[Fused],
        scored: list[list[_Scored]],
        chosen: list[tuple[Fused, list[tuple[int, Unit]]]],
    ) -> list[tuple[Fused, list[tuple[int, Unit]]]]:
        """``chosen`` with the list its records were derived from, whole: the decision records
        "Efter beslut: ..." each restate one step of the summary's list of what happens after
        the decision, and "Vilka är stegen i förberedelsefasen?" chose three of them instead of
        the five steps. When chosen sentences of records restate two or more items of one list
        among ``passages``, each sentence one item (``composition.restates_item``: the records
        name its document and heading as their ``source`` and ``source_section``), that
        passage joins (or replaces its own entry in) ``chosen`` with all its items (at most
        ``max_list_items``) beside its chosen units, and the composer quotes the items in the
        records' stead (not beside a definition line, nor for a question asking when: "När
        ska organisationsformen beslutas?" is answered by the record's "Ett av stegen i
        förberedelsefasen …", not by the list). Records restating one item, or one sentence
        naming two ("Vem utser referensgruppen?": the steering group's record says it appoints
        the reference group and forms itself), answer for themselves."""
        said = [(item, unit.text) for item, units in chosen if not is_primary(item) for _, unit in units]
        overlap = self._config.duplicate_overlap
        for item, passage_scored in zip(passages, scored):
            items = [s for s in passage_scored if s.unit.is_item]
            restated: set[int] = set()
            for record, text in said:
                found = [s.position for s in items if restates_item(item, s.unit, record, text, overlap)]
                if len(found) == 1:  # a record of one item; one naming two is about both
                    restated.update(found)
            if len(restated) >= 2:
                chosen = self._quoting(chosen, item, passage_scored, items[: self._config.max_list_items])
        return chosen

    def candidates(
        self,
        question: str,
        terms: dict[str, float],
        passages: list[Fused],
        units: list[list[Unit]],
        query_embedding: np.ndarray,
    ) -> list[list[Candidate]]:
        """Each unit of ``passages`` (``units``, per passage) as the selector's candidate.
        Coverage is the share of ``terms`` the unit holds; list items under a heading that
        answers the question ("Vad som händer efter beslut") share the heading's coverage.
        Similarity is the unit's cosine with the question, computed for the
        ``similarity_units`` units of highest coverage (ties: passage rank, then position);
        the rest get the lowest computed one: embedding a new sentence costs ~29 ms here.
        """
        topic = self._topic(question, terms)
        coverage = [self._coverages(terms, topic, item, passage) for item, passage in zip(passages, units)]
        ranked = sorted(
            ((rank, i) for rank, covered in enumerate(coverage) for i in range(len(covered))),
            key=lambda place: (-coverage[place[0]][place[1]], place),
        )
        wanted = [units[rank][i].text for rank, i in ranked[: self._config.similarity_units]]
        similarity = dict(zip(wanted, self.sentence_vectors(wanted) @ query_embedding)) if wanted else {}
        lowest = min(similarity.values(), default=0.0)
        return [
            [
                Candidate(unit.text, rank, i, len(passage_units), c, float(similarity.get(unit.text, lowest)))
                for i, (unit, c) in enumerate(zip(passage_units, covered))
            ]
            for rank, (passage_units, covered) in enumerate(zip(units, coverage))
        ]

    def question_candidates(
        self, query: Query, retrieved: list[Fused]
    ) -> tuple[list[Fused], list[list[Candidate]]]:
        """The passages the writer reads for ``query`` (embedded) from ``retrieved`` and their
        units as the selector's candidates, per passage: what ``evals.train_selector`` learns from."""
        passages = top_passages(prefer_named_version(query.question, retrieved), self._config)
        units = [split_units(item.chunk.text) for item in passages]
        terms = self.content_terms(query.question, query.context)
        return passages, self.candidates(query.question, terms, passages, units, query.embedding)

    def _topic(self, question: str, terms: dict[str, float]) -> dict[str, float]:
        """``terms`` without the stems of the question's words common in Swedish at large
        (``everyday_zipf``), or ``terms`` when nothing else is asked: what a heading or a
        list's label would name. "Vilka insikter kom workshopserien fram till?" is about
        "insikter" (the heading "Insikter, inriktning och uppdrag"), not "kom" and "fram"."""
        everyday = self._bm25.everyday_stems(question, self._abstention.everyday_zipf)
        return {term: weight for term, weight in terms.items() if term not in everyday} or terms

    def _answering_heading(self, topic: dict[str, float], item: Fused) -> float:
        """The coverage of the question's ``topic`` (``_topic``) by the passage's heading when
        it reaches ``heading_answers`` (the heading is about the question, "Vad som händer
        efter beslut"), else 0."""
        heading = self._bm25.coverage(topic, str(item.chunk.metadata.get("heading", "")))
        return heading if heading >= self._config.heading_answers else 0.0

    def _names_the_asked_ones(self, question: str, topic: dict[str, float], item: Fused) -> bool:
        """Whether a which-question (``_ASKS_WHICH_ONES``) is answered by the whole passage: its
        heading holds every word of the question's ``topic``. "Vilka exempel finns på vad
        plattformen ska göra?" and "5. Exempel på vad den gemensamma plattformen ska göra:",
        whose four lines are sentences, not list items: the selector chose one of them."""
        return bool(_ASKS_WHICH_ONES.search(question)) and self._answering_heading(topic, item) == 1.0

    def _heading_lists(self, topic: dict[str, float], passage: list[_Scored]) -> list[_Scored]:
        """The items (in position order) of the passage's lists that its heading answers with.
        A list led by a label line of its own ("Uppdrag:") is that label's: the lists whose
        label shares a word with the question's ``topic`` come alone ("Vilka uppdrag …?": the
        three missions); else the lists without a label ("Vilka insikter …?" under "Insikter,
        inriktning och uppdrag": the lines A-C, not the missions); else every item."""
        labelled: list[_Scored] = []
        unlabelled: list[_Scored] = []
        run: list[_Scored] | None = unlabelled
        for previous, current in zip([None, *passage], passage):
            if not current.unit.is_item:
                continue
            if previous is None or not previous.unit.is_item:  # a list starts
                if previous is None or not previous.unit.introduces_list:
                    run = unlabelled
                elif self._bm25.coverage(topic, previous.unit.text) > 0:
                    run = labelled
                else:
                    run = None  # a label off the topic: its list is left out
            if run is not None:
                run.append(current)
        return labelled or unlabelled or [s for s in passage if s.unit.is_item]

    def _coverages(
        self, terms: dict[str, float], topic: dict[str, float], item: Fused, units: list[Unit]
    ) -> list[float]:
        heading = self._answering_heading(topic, item)
        return [
            max(self._bm25.coverage(terms, unit.text), heading if unit.is_item else 0.0) for unit in units
        ]

    def sentence_vectors(self, texts: list[str]) -> np.ndarray:
        """Sentence embeddings, each computed once: the same passages answer many questions."""
        missing = [text for text in dict.fromkeys(texts) if text not in self._vectors]
        if missing:
            if len(self._vectors) + len(missing) > self._config.max_cached_sentences:
                self._vectors.clear()
            self._vectors.update(zip(missing, self._embedder.embed_documents(missing)))
        return np.stack([self._vectors[text] for text in texts])

    def _in_context(self, passage: list[_Scored], picked: list[_Scored]) -> list[tuple[int, Unit]]:
        """Source order, with what a chosen unit needs to be read alone: a line that
        introduces a list brings its items; a sentence that opens with a pronoun ("Han",
        "Dess uppdrag") or a joining word ("Men", "Därför", ``LEANS_ON_PREVIOUS``) brings the
        sentence before it, which names what it refers to or says what it answers; a
        sentence brings the one after it when that one goes on from it (``goes_on``: "… har
        förmedlaren ett uppföljningsansvar. Det kan handla om att följa upp en
        praktikplats"), where the answer to a question naming the subject often is. On
        SweQUAD-MC train (two folds, the selector fitted on the other half, cutoff 0.4) the
        units chosen held the answer for 0.806 of the questions, 2.71 units each; with the
        sentences opening with a word pointing back 0.850, 3.10 units; with ``goes_on`` of
        stop 33 0.857, 3.26 units; with "Man" and an opening preposition as well 0.867, 3.34
        units (evals/README.md, 2026-12-04, stopp 33 and 34)."""
        positions = {s.position for s in picked}
        for s in picked:
            if s.unit.introduces_list:
                following = passage[s.position + 1 :]
                for item in following[: self._config.max_list_items]:
                    if not item.unit.is_item:
                        break
                    positions.add(item.position)
                continue
            if s.unit.is_item:
                continue
            if s.position > 0 and LEANS_ON_PREVIOUS.match(s.unit.text):
                before = passage[s.position - 1]
                if not before.unit.is_item:
                    positions.add(before.position)
            after = passage[s.position + 1] if s.position + 1 < len(passage) else None
            if after is not None and goes_on(s.unit, after.unit, self._bm25):
                positions.add(after.position)
        return [(p, passage[p].unit) for p in sorted(positions)]

    def _compose(
        self, query: Query, selections: list[tuple[Fused, list[tuple[int, Unit]]]], retrieved: list[Fused]
    ) -> Answer:
        """The quoted answer; like sentences of several records are one fact unless the
        question asks who or which ones, or names one of those records ("Deltog
        Handelskammaren?")."""
        names_record = any(
            named_at(query.question, item.chunk) is not None for item, _ in selections if not is_primary(item)
        )
        text, citations = self._composer.compose(selections, asks_who(query.question) or names_record)
        return Answer.of(query, text, False, citations, retrieved)
