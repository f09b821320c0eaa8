"""Which words a body of text uses, forgiving Swedish inflection and compounding.

A question's word counts as used when the text has it as is, with a different ending
("syftet" / "syfte"; Snowball leaves some Swedish inflections unstemmed), as the last part
of a compound it uses ("universitetet" / "Mittuniversitetet"), or as a compound of two
words it uses ("säkerhetsområden", "innovationsfrämjande"): Swedish writes new
compounds freely, so a question's compound is often not the material's.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Callable, Iterable, Iterator

MIN_PART = 4  # shortest compound part; shorter splits find chance words ("tele", "kon")
# Shortest question word known as the last part of a compound. Not tuned: a stem of five
# letters or fewer ends words by chance ("grupp", "märk"); set before measuring.
MIN_WHOLE_TAIL = 6

# What Snowball may leave of an inflection, or cut of a stem, after a shared start:
# "tillväxtmot" / "tillväxtmotorn", "syft" / "syftet", "genomförd" / "genomfört". Not
# "un": "kommun" is no inflection of "komm" ("kommande"); nor "nad": "marknad" is not "mark".
# One ending, then at most one letter more ("or" + "n", "en" + "s").
_ENDING = re.compile(r"(?:arna|erna|orna|ande|ade|are|ast|het|ad|at|ar|as|er|en|et|es|or)?[adents]?")


def inflected(term: str, stem: str) -> bool:
    """Whether two stems differ only by endings (``_ENDING``) after their shared start."""
    shared = len(os.path.commonprefix([term, stem]))
    return bool(_ENDING.fullmatch(term[shared:]) and _ENDING.fullmatch(stem[shared:]))


def _with_prefix(sorted_words: list[str], prefix: str) -> Iterator[str]:
    """The words of ``sorted_words`` that start with ``prefix``."""
    start = bisect.bisect_left(sorted_words, prefix)
    for word in sorted_words[start:]:
        if not word.startswith(prefix):
            return
        yield word


def _has_prefix(sorted_words: list[str], prefix: str) -> bool:
    return next(_with_prefix(sorted_words, prefix), None) is not None


class Vocabulary:
    """The Snowball stems of a text (a whole index, or the documents an answer would quote).

    ``stem`` maps one word to its stem, as the stems were made ("säkerhets" -> "säker")."""

    def __init__(self, stems: Iterable[str], stem: Callable[[str], str]) -> None:
        self._stems = set(stems)
        self._sorted = sorted(self._stems)
        self._reversed = sorted(term[::-1] for term in self._stems)
        self._stem = stem

    def knows(self, term: str) -> bool:
        """Whether the text uses the stemmed word ``term``: as is, inflected, as the last
        part of one of its compounds, or as a compound of two of its words (see the module
        docstring)."""
        return (
            self._known_word(term, whole=True)
            or self._ends_a_compound(term)
            or any(
                self._known_head(term[:split]) and self._known_tail(term[split:])
                for split in range(MIN_PART, len(term) - MIN_PART + 1)
            )
        )

    def _ends_a_compound(self, term: str) -> bool:
        """A Swedish compound is a kind of its last part: "universitetet" is known from
        "Mittuniversitetet", "förbundet" from "Kommunförbundet". Only a term of
        ``MIN_WHOLE_TAIL`` letters or more, ending a word with a first part of ``MIN_PART``
        letters or more: "visionen" does not end "revision", nor "station" "prestationen"."""
        return len(term) >= MIN_WHOLE_TAIL and self._ends_a_word(term, MIN_PART)

    def _ends_a_word(self, part: str, min_front: int = 0) -> bool:
        """Whether a word of the text ends with ``part`` after at least ``min_front`` letters."""
        return any(len(word) - len(part) >= min_front for word in _with_prefix(self._reversed, part[::-1]))

    def _known_word(self, term: str, whole: bool = False) -> bool:
        """The term, a longer form of it (its letters but the last two start a word of the
        text), or a shorter stem of it (the text's word is the term minus up to three
        letters: Snowball stems "Slutkonferens" to "slutkonfer" but "slutkonferensen" to
        "slutkonferens"). A ``whole`` question word of at most ``MIN_PART + 1`` letters
        starts too many words ("kont", Snowball's stem of "kontor", starts "kontakt"): its
        longer form must be an inflection of it (``inflected``). A compound's part keeps the
        looser test, as its other part narrows it down."""
        if term in self._stems:
            return True
        prefix = term[: max(4, len(term) - 2)]
        if whole and len(term) <= MIN_PART + 1:
            if any(inflected(term, word) for word in _with_prefix(self._sorted, prefix)):
                return True
        elif _has_prefix(self._sorted, prefix):
            return True
        shortest = max(MIN_PART + 1, len(term) - 3)
        return any(term[:end] in self._stems for end in range(len(term) - 1, shortest - 1, -1))

    def _known_head(self, part: str) -> bool:
        """A compound's first part, with or without the linking s ("säkerhets-")."""
        candidates = (part, part[:-1]) if part.endswith("s") else (part,)
        return any(self._known_word(self._stem(candidate)) for candidate in candidates if candidate)

    def _known_tail(self, part: str) -> bool:
        """A compound's last part: a word of the text, or the end of one of its own
        compounds ("-främj" in "investeringsfrämj")."""
        return self._known_word(part) or self._ends_a_word(part)
