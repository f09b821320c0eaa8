"""Check every sentence of a generated answer against the passages it cites.

A sentence is shown only when
- it cites only passages that were retrieved for this question (a sentence the model left
  uncited is attributed to the retrieved passage that supports it best, and marked so);
- every number in it (years, amounts, counts) occurs in a cited passage, digit for digit;
- every name in it (a capitalised word inside the sentence, an acronym) occurs there;
- and its content is in the cited passages: the share of its content words (Swedish
  Snowball stems, stop words left out) found there reaches ``min_support``, or, for an
  answer worded differently (an English answer to Swedish sources), the dense model finds
  a cited sentence at least ``min_similarity`` close.
Numbers and names are checked exactly whatever the similarity says: a paraphrase may
reword, never change a date, an amount or who did what.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from assistant.sentences import split_units
from assistant.stemming import SwedishStemmer
from kbcore.tuning import VerifierSettings

_CITATION = re.compile(r"\[(?:källa|source)?\s*(\d+(?:\s*(?:,|och|and|&)\s*\d+)*)\]", re.IGNORECASE)
_NUMBER = re.compile(r"\d(?:[\d\u00a0 ]*\d)?(?:[.,]\d+)?")
_WORD = re.compile(r"[^\W\d_][\w\-]*", re.UNICODE)
_ACRONYM = re.compile(r"^[A-ZÅÄÖ]{2,}$")
_WORD_IN_BRACKETS = re.compile(r"\[(?!\s*(?:källa|source)?\s*\d)([^\]]+)\]", re.IGNORECASE)

SentenceVectors = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class CheckedSentence:
    text: str  # without its citation markers
    cites: tuple[int, ...]  # 1-based, as the model wrote them
    support: float  # share of content words found in the cited passages
    reason: str | None  # None: supported; otherwise why it was removed (Swedish, for the user)
    evidence: dict[int, str] = field(default_factory=dict)  # cited passage -> its closest sentence
    attributed: bool = False  # the model cited nothing; the verifier found the source

    @property
    def kept(self) -> bool:
        return self.reason is None


class Verifier:
    def __init__(
        self,
        config: VerifierSettings,
        sentence_vectors: SentenceVectors | None = None,
    ) -> None:
        import bm25s.stopwords

        self._stemmer = SwedishStemmer()
        self._stop = set(bm25s.stopwords.STOPWORDS_SWEDISH) | set(bm25s.stopwords.STOPWORDS_EN)
        self._config = config
        self._vectors = sentence_vectors

    def sentences(self, answer: str) -> list[tuple[str, tuple[int, ...]]]:
        """The answer's sentences with the passage numbers each cites. Markers follow the
        sentence they source ("… 2025 [1]." or "… 2025. [1]"), unless the answer opens with
        a marker: then each marker introduces the text after it ("[1]. Styrgruppen …")."""
        pieces = _CITATION.split(_WORD_IN_BRACKETS.sub(r"\1", answer))
        texts, markers = pieces[0::2], [_numbers_in(m) for m in pieces[1::2]]
        for i in range(1, len(texts)):  # "… 2025 [1][2]. Nästa": the full stop ends "… 2025"
            stop = re.match(r"\s*[.!?:;,]+", texts[i])
            before = max((j for j in range(i) if re.search(r"\w", texts[j])), default=None)
            if stop and before is not None:
                texts[before] = texts[before].rstrip()
                if not texts[before].endswith((".", "!", "?", ":")):
                    texts[before] += stop.group().strip()
                texts[i] = texts[i][stop.end() :]
        prefix = bool(markers) and not re.search(r"\w", texts[0])
        segments: list[tuple[list[str], list[int]]] = []
        pending: list[int] = []
        for i, text in enumerate(texts):
            units = [unit.text for unit in split_units(text) if re.search(r"\w", unit.text)]
            own = (
                markers[i - 1] if prefix and i > 0 else markers[i] if not prefix and i < len(markers) else []
            )
            if not units:  # a marker beside another marker: "[1][2]"
                (pending.extend if prefix else _extend_last(segments))(own)
                continue
            segments.append((units, pending + own))
            pending = []
        result = []
        for units, cites in segments:
            for position, unit in enumerate(units):
                sourced = prefix or position == len(units) - 1
                result.append(
                    (
                        re.sub(r"\s+([.!?:,])", r"\1", unit).strip(),
                        tuple(dict.fromkeys(cites)) if sourced else (),
                    )
                )
        return result

    def check(self, text: str, cites: tuple[int, ...], passages: list[str]) -> CheckedSentence:
        """Whether one sentence is supported by the passages it cites (numbered from 1)."""
        if not cites:
            return self._attribute(text, passages)
        unknown = [n for n in cites if not 1 <= n <= len(passages)]
        if unknown:
            return CheckedSentence(text, cites, 0.0, f"hänvisar till källa {unknown[0]}, som inte hämtades")
        source = "\n".join(passages[n - 1] for n in cites)
        evidence = {n: self._closest(text, passages[n - 1]) for n in cites}
        support = self.support(text, source)
        missing_number = next((n for n in _numbers(text) if n not in _numbers(source)), None)
        if missing_number:
            return CheckedSentence(
                text, cites, support, f"talet {missing_number} står inte i källan", evidence
            )
        missing_name = next((name for name in _names(text) if not _mentions(source, name)), None)
        if missing_name:
            return CheckedSentence(
                text, cites, support, f"namnet {missing_name} står inte i källan", evidence
            )
        if len(self._content_stems(text)) + len(_numbers(text)) < self._config.min_claim_words:
            return CheckedSentence(text, cites, support, "för kort för att besvara frågan", evidence)
        if support >= self._config.min_support or self._similar(text, list(evidence.values())):
            return CheckedSentence(text, cites, support, None, evidence)
        return CheckedSentence(
            text, cites, support, f"bara {support:.0%} av innehållet står i källan", evidence
        )

    def _attribute(self, text: str, passages: list[str]) -> CheckedSentence:
        """An uncited sentence, checked against each passage; the best supporting one is cited."""
        if not passages:
            return CheckedSentence(text, (), 0.0, "saknar källhänvisning")
        checks = [self.check(text, (n,), passages) for n in range(1, len(passages) + 1)]
        best = max(checks, key=lambda c: (c.kept, c.support))
        if not best.kept:
            return CheckedSentence(text, (), best.support, f"saknar källhänvisning och {best.reason}")
        return CheckedSentence(text, best.cites, best.support, None, best.evidence, attributed=True)

    def support(self, sentence: str, source: str) -> float:
        """Share of the sentence's content stems that occur in the source. Names are left
        out: they are checked exactly on their own, and a sentence of names around an
        invented claim would otherwise look well supported."""
        names = {self._stemmer.stemWord(name.lower()) for name in _names(sentence)}
        content = [stem for stem in self._content_stems(sentence) if stem not in names]
        if not content:
            return 1.0
        present = set(self._stems(source))
        return sum(_inflection_of(stem, present) for stem in content) / len(content)

    def _similar(self, sentence: str, evidence: list[str]) -> bool:
        if self._vectors is None or not evidence:
            return False
        vectors = self._vectors([sentence, *evidence])
        return float(np.max(vectors[1:] @ vectors[0])) >= self._config.min_similarity

    def _closest(self, sentence: str, passage: str) -> str:
        """The passage sentence sharing most content with the generated one (marked in cards)."""
        units = [unit.text for unit in split_units(passage)] or [passage]
        content = set(self._content_stems(sentence))
        return max(units, key=lambda unit: len(content & set(self._stems(unit))))

    def _content_stems(self, text: str) -> list[str]:
        words = [word.lower() for word in _WORD.findall(text)]
        return list(dict.fromkeys(self._stemmer.stemWord(w) for w in words if w not in self._stop))

    def _stems(self, text: str) -> list[str]:
        return [self._stemmer.stemWord(word.lower()) for word in _WORD.findall(text)]


def _inflection_of(stem: str, present: set[str]) -> bool:
    """The stem, or a form Snowball leaves differently ("formella"/"formellt") in the source."""
    if stem in present:
        return True
    if len(stem) < 5:
        return False
    prefix = stem[: max(4, len(stem) - 2)]
    return any(word.startswith(prefix) for word in present)


def _numbers_in(marker: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", marker)]


def _extend_last(segments: list[tuple[list[str], list[int]]]):
    """Add citations to the last sentence so far (none yet: they are dropped)."""
    return segments[-1][1].extend if segments else (lambda cites: None)


def _numbers(text: str) -> set[str]:
    """Numbers with their digits only: "2 000", "2000" and "2\u00a0000" are one number."""
    return {re.sub(r"[\s\u00a0]", "", match.group()) for match in _NUMBER.finditer(text)}


def _names(text: str) -> list[str]:
    """Capitalised words after a sentence's first word, and acronyms anywhere."""
    words = _WORD.findall(text)
    return [
        word
        for position, word in enumerate(words)
        if _ACRONYM.match(word) or (position > 0 and word[0].isupper() and len(word) > 1)
    ]


def _mentions(source: str, name: str) -> bool:
    """The name in the source, also inflected ("Regionens", "Mittuniversitetets")."""
    stem = name[:-1] if name.endswith("s") and len(name) > 4 else name
    return re.search(rf"\b{re.escape(stem)}", source, re.IGNORECASE) is not None
