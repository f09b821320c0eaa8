"""The Swedish BM25 view of the chunks in Chroma (bm25s + Snowball Swedish stemmer).

Hand-written instead of llama-index's BM25Retriever, which here (0.8.0) defaults to an
English stemmer, loses the stemmer when loaded from disk, fixes its metadata filter when
the retriever is built (so one asker's access level would need one retriever each) and
raises when a filter leaves no document. This view takes the access level per query as a
bm25s weight mask, so restricted chunks never enter the scoring, and it drops the
zero-score rows bm25s returns for masked documents.

No stopword list: measured here, Snowball without stopwords was as good on SweQUAD-MC
(MRR@10 0.821 vs 0.823) and better on paraphrased SweFAQ (0.603 vs 0.578).
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Iterable

import numpy as np

from assistant.everyday import is_everyday, zipf
from assistant.stemming import SwedishStemmer
from assistant.vocabulary import MIN_PART, Vocabulary, inflected
from kbcore.schema import Chunk, file_name
from kbcore.store import ScoredChunk

_WORD = re.compile(r"(?u)\b\w\w+\b")  # bm25s's default splitter: the words the index sees


def _matches(term: str, stems: set[str], words: set[str]) -> bool:
    """``term``, an inflection of it among ``stems``, or a compound among ``words`` (the text's
    words, case-folded) that starts with it (see ``Bm25View.coverage``)."""
    if term in stems:
        return True
    if len(term) < MIN_PART + 2:
        return False
    prefix = term[: max(MIN_PART, len(term) - 3)]
    inflection = any(
        stem.startswith(prefix) and abs(len(stem) - len(term)) <= 3 and inflected(term, stem)
        for stem in stems
    )
    return inflection or any(_compound_of(term, word) for word in words)


# The last part of a compound is a Swedish word at least this common (Zipf, wordfreq):
# "representation" (3.4) in "kommunrepresentation"; not "ikation" in "kommunikation" (0).
# Not tuned: set before measuring, below the material's rarer words.
_COMPOUND_PART_ZIPF = 2.5
# ... and at least this long: "mera" (4.8) is no part of "programmera". Not tuned.
_MIN_COMPOUND_PART = MIN_PART + 1


def _compound_of(term: str, word: str) -> bool:
    """Whether ``word`` is a compound whose first part is the stem ``term`` ("kommun" +
    "representation"), its last part (after a linking s) a word of ``_MIN_COMPOUND_PART``
    letters or more that Swedish uses (``_COMPOUND_PART_ZIPF``). Only stems of
    ``MIN_PART`` + 2 letters or more get here (``_matches``)."""
    if not word.startswith(term) or len(word) - len(term) < _MIN_COMPOUND_PART:
        return False
    rest = word[len(term) :]
    parts = (rest, rest[1:]) if rest.startswith("s") and len(rest) > _MIN_COMPOUND_PART else (rest,)
    return any(zipf(part) >= _COMPOUND_PART_ZIPF for part in parts)


def _quiet_bm25s() -> None:
    # bm25s sets its own logger to DEBUG; its progress output is not for our users.
    logging.getLogger("bm25s").setLevel(logging.WARNING)


def _chunk_terms(tokens) -> list[set[str]]:
    """Per chunk, its distinct stemmed terms (bm25s keeps only ids)."""
    id_to_term = {index: term for term, index in tokens.vocab.items()}
    return [{id_to_term[index] for index in ids} for ids in tokens.ids]


# Words that say what kind of answer is wanted, not what it is about. bm25s's Swedish
# list lacks "ska"; then question and filler words, degree and frequency words ("många",
# "ofta", "stor", "länge"), the light verbs of questions ("går", "hålls"), and the nouns that
# name the kind of answer ("pengar", "belopp": an amount; "personer": a name; "förkortningen":
# an expansion), which answer_type checks for instead. Left out by their stems.
_QUESTION_WORDS = (
    "ska skall finns gör göra görs får fick enligt materialet material står framgår "
    "berätta beskriv förklara vet veta kallas heter handlar "
    "många ofta stor stort stora länge lång långt går gick gått hålls hölls "
    "pengar belopp summa person personer förkortning förkortningen"
)
# The particles and hedges of spoken Swedish ("bara", "nåt", "i slutändan",
# "överhuvudtaget", "kort och gott"): they say how a question is put, never what it asks
# about. Left out only as written, not by stem: "sen" shares its stem with "senast" and
# "senare", "typ" with "typer", "kort" with "korta". Not "redan": "har redan etablerat sig"
# asks whether something has happened (evals/README.md, 2026-12-03).
_PARTICLE_WORDS = (
    "bara ännu nåt nån nånting sen typ liksom väl nog också även egentligen faktiskt alls ens "
    "överhuvudtaget slutändan hittills idag korthet kort gott rent gärna ordentligt"
)
# Prepositions, conjunctions and sentence adverbs that bm25s's Swedish stopword list lacks
# ("Vilka kommuner var med via Kommunförbundet?": "via" weighed more than "kommun", being
# rare in the material). Left out as written too, so "införa" and "införs" stay words of the
# question (the present tense "inför" goes with the preposition). Not "per": a first name.
_FUNCTION_WORDS = (
    "via utöver genom hos kring bland trots före inför angående beträffande gällande längs "
    "runt bakom framför ovanför samt dock ändå alltså"
)
_PARTICLES = frozenset(_PARTICLE_WORDS.split() + _FUNCTION_WORDS.split())
_PARTICLE = re.compile(r"(?iu)\b(?:" + "|".join(sorted(_PARTICLES)) + r")\b")


class Bm25View:
    def __init__(self, chunks: list[Chunk]) -> None:
        import bm25s
        import bm25s.stopwords

        _quiet_bm25s()
        self._bm25s = bm25s
        self._stemmer = SwedishStemmer()
        self._chunks = chunks
        self._ranks = np.array([int(c.metadata.get("access_rank", 0)) for c in chunks])
        self._index = None
        self._vocabulary: set[str] = set()
        self._document_stems: dict[str, set[str]] = {}
        self._document_chunks: dict[str, list[Chunk]] = {}
        for chunk in chunks:
            self._document_chunks.setdefault(chunk.doc_id, []).append(chunk)
        if chunks:
            tokens = bm25s.tokenize(
                [chunk.search_text for chunk in chunks],
                stopwords=None,
                stemmer=self._stemmer,
                show_progress=False,
            )
            self._index = bm25s.BM25()
            self._index.index(tokens, show_progress=False)
            self._vocabulary = set(self._index.vocab_dict)
            chunk_terms = _chunk_terms(tokens)
            # term -> chunks holding it (IDF), and document id -> its terms (document_vocabulary)
            self._document_frequency = dict(Counter(term for terms in chunk_terms for term in terms))
            for chunk, terms in zip(chunks, chunk_terms):
                self._document_stems.setdefault(chunk.doc_id, set()).update(terms)
        words = " ".join(bm25s.stopwords.STOPWORDS_SWEDISH) + " " + _QUESTION_WORDS
        self._stop_stems = set(self.stems(words))
        self._known = Vocabulary(self._vocabulary, self._stem)
        zipf("och")  # loads wordfreq's Swedish list now (~1 s), not during the first question

    def __len__(self) -> int:
        return len(self._chunks)

    def titles_by_file(self) -> dict[str, str]:
        """{file name: document title} of the documents in this view (for a record's
        "enligt avsnitt 4" to name its source; only documents this view's askers may read)."""
        return {
            file_name(c.metadata.get("path")): str(c.metadata.get("title", ""))
            for c in self._chunks
            if c.metadata.get("path")
        }

    def stems(self, text: str) -> list[str]:
        """Lower-cased, stemmed words of a text (``assistant.stemming``), as the index sees them."""
        return self._bm25s.tokenize(
            [text], stopwords=None, stemmer=self._stemmer, return_ids=False, show_progress=False
        )[0]

    def tokens(self, text: str) -> list[str]:
        """The stemmed query terms that occur in the index. (Leaving the question words out
        of them, "hur", "vilka", "många", was measured: dev hit@5 fell from 0.852 to 0.778.)"""
        return [term for term in self.stems(text) if term in self._vocabulary]

    def weighted_terms(self, text: str) -> dict[str, float]:
        """The text's distinct stems with their IDF: rare words weigh more."""
        return {term: self.idf(term) for term in self.stems(text)}

    def content_terms(self, text: str) -> dict[str, float]:
        """As weighted_terms, without stop and question words and spoken particles: what the
        text is about. ("vad", "för" are absent from most passages and would otherwise weigh
        as rare.)"""
        return {
            term: w
            for term, w in self.weighted_terms(_PARTICLE.sub(" ", text)).items()
            if term not in self._stop_stems
        }

    def unknown_words(
        self, text: str, vocabulary: Vocabulary | None = None, everyday_bar: float | None = None
    ) -> list[str]:
        """The text's words, as written, whose stems are content that ``vocabulary`` (the
        whole material when None) never uses: "Vad har styrgruppen ställt sig bakom?" ->
        ["ställt", "bakom"]. With ``everyday_bar`` (Zipf, ``assistant.everyday``), words at
        least that common in Swedish at large are left out: they do not say what is asked."""
        known = self._known if vocabulary is None else vocabulary
        return [
            word
            for word, stem in self._word_stems(text)
            if stem not in self._stop_stems
            and word.casefold() not in _PARTICLES
            and not known.knows(stem)
            and (everyday_bar is None or not is_everyday(word, everyday_bar))
        ]

    def everyday_stems(self, text: str, bar: float) -> set[str]:
        """The stems of the text's words at least ``bar`` common in Swedish at large (Zipf,
        ``assistant.everyday``): "Hur ligger vi till inför mötet?" -> {"ligg", "inför", ...}."""
        return {stem for word, stem in self._word_stems(text) if is_everyday(word, bar)}

    def _word_stems(self, text: str) -> list[tuple[str, str]]:
        """(word as written, its stem) for each word of the text the index would see."""
        words = _WORD.findall(text)
        if not words:
            return []
        stems = self._bm25s.tokenize(  # each word as its own text, in one call
            words, stopwords=None, stemmer=self._stemmer, return_ids=False, show_progress=False
        )
        return [(word, found[0]) for word, found in zip(words, stems) if found]

    def coverage(self, terms: dict[str, float], text: str) -> float:
        """Share of the weighted terms that occur in the text, a term also matching an
        inflection that Snowball leaves apart ("slutkonferensen" / "slutkonferens",
        "tillväxtmotorn" / "tillväxtmotor", "beslutet" / "beslut"): the same letters but for
        the last three, at most three letters longer or shorter, and differing only by
        Swedish endings ("kommun" is not "kommande"); or a compound that starts with it
        ("kommun" in "kommunrepresentation", not in "kommunikation": ``_compound_of``)."""
        total = sum(terms.values())
        if total <= 0:
            return 0.0
        present = set(self.stems(text))
        words = {word.casefold() for word in _WORD.findall(text)}
        return sum(weight for term, weight in terms.items() if _matches(term, present, words)) / total

    def knows(self, term: str) -> bool:
        """Whether the material uses the stemmed word: as is, inflected or in a compound
        (``Vocabulary.knows``)."""
        return self._known.knows(term)

    def document_vocabulary(self, doc_ids: Iterable[str]) -> Vocabulary:
        """The words of some documents (those an answer would quote), with their titles and
        headings, as the index stems them; unknown document ids add nothing."""
        return Vocabulary(
            (stem for doc_id in set(doc_ids) for stem in self._document_stems.get(doc_id, ())), self._stem
        )

    def document_chunks(self, doc_id: str) -> list[Chunk]:
        """The chunks of one document in this view, in index order; [] for an unknown id."""
        return self._document_chunks.get(doc_id, [])

    def text_vocabulary(self, text: str) -> Vocabulary:
        """The words of one text (a title), as the index stems them."""
        return Vocabulary(self.stems(text), self._stem)

    def _stem(self, word: str) -> str:
        stems = self.stems(word)
        return stems[0] if stems else word

    def idf(self, term: str) -> float:
        """BM25's inverse document frequency; a term the index lacks counts as rare."""
        n = len(self._chunks)
        df = self._document_frequency.get(term, 0) if self._index is not None else 0
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def search(self, query: str, k: int, max_rank: int) -> list[ScoredChunk]:
        """Top-k chunks the asker may read, scored by BM25; none when no term matches."""
        if self._index is None or k <= 0:
            return []
        terms = self.tokens(query)
        if not terms:
            return []
        mask = (self._ranks <= max_rank).astype(np.float32)
        k = min(k, len(self._chunks))
        indexes, scores = self._index.retrieve(
            [terms], k=k, weight_mask=mask, show_progress=False, n_threads=1
        )
        return [
            ScoredChunk(self._chunks[int(i)], float(s))
            for i, s in zip(indexes[0], scores[0])
            if s > 0 and mask[int(i)] > 0
        ]
