"""Follow-up questions: "Och vem förbereder det?" means nothing to a search index on its own.

Without a language model the previous question supplies the missing subject: a question
that leans on the conversation (it opens with a conjunction, or is short and points back
with a pronoun) is searched together with the previous question's own search text. A
question that stands on its own is searched as asked, so a change of topic is not dragged
back.
"""

from __future__ import annotations

import re

_OPENERS = {"och", "men", "samt", "än", "plus", "and", "but", "also", "so"}
_POINTERS = {
    # Swedish pronouns and adverbs that point back
    "det", "den", "dem", "de", "denna", "detta", "dessa", "han", "hon", "honom", "henne",
    "hans", "hennes", "dess", "deras", "där", "då", "dit", "sådan", "sådana", "samma",
    # English
    "it", "its", "they", "them", "their", "he", "him", "his", "she", "her", "that", "this",
    "those", "these", "there", "then",
}  # fmt: skip
_SHORT = 7  # words; longer questions usually name their own subject
_WORD = re.compile(r"[\wåäöÅÄÖ-]+")


def is_follow_up(question: str) -> bool:
    words = [w.casefold() for w in _WORD.findall(question)]
    if not words:
        return False
    if words[0] in _OPENERS or question.rstrip().casefold().endswith((" då?", " då")):
        return True
    return len(words) <= _SHORT and any(w in _POINTERS for w in words)


def context_of(question: str, history: list[str] | tuple[str, ...] = ()) -> str:
    """The earlier conversation's search text when the question leans on it, else "".

    ``history`` holds the earlier questions, oldest first; a chain of follow-ups carries
    the subject of the question that started it.
    """
    if not history or not is_follow_up(question):
        return ""
    return search_text(history[-1], history[:-1])


def search_text(question: str, history: list[str] | tuple[str, ...] = ()) -> str:
    """The text to search for: the question, joined to the conversation when it needs it."""
    return f"{context_of(question, history)} {question}".strip()
