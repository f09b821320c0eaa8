"""Follow-up questions: "Och vem förbereder det?" means nothing to a search index on its own.

Without a language model the previous question supplies the missing subject: a question
that leans on the conversation (it opens with a conjunction, or is short and points back
with a pronoun) is searched together with the previous question's own search text. A
question that stands on its own is searched as asked, so a change of topic is not dragged
back.
"""

from __future__ import annotations

import re

from kbcore.tuning import FollowupSettings

_OPENERS = {"och", "men", "samt", "än", "plus", "and", "but", "also", "so"}
_POINTERS = {
    # Swedish pronouns and adverbs that point back
    "det", "den", "dem", "de", "denna", "detta", "dessa", "han", "hon", "honom", "henne",
    "hans", "hennes", "dess", "deras", "där", "då", "dit", "sådan", "sådana", "samma",
    # English
    "it", "its", "they", "them", "their", "he", "him", "his", "she", "her", "that", "this",
    "those", "these", "there", "then",
}  # fmt: skip
_WORD = re.compile(r"[\wåäöÅÄÖ-]+")


def is_follow_up(question: str, short_words: int) -> bool:
    """Whether ``question`` leans on its conversation: it opens with a conjunction, or has at
    most ``short_words`` words and one of them points back."""
    words = [w.casefold() for w in _WORD.findall(question)]
    if not words:
        return False
    if words[0] in _OPENERS or question.rstrip().casefold().endswith((" då?", " då")):
        return True
    return len(words) <= short_words and any(w in _POINTERS for w in words)


def context_of(question: str, history: list[str] | tuple[str, ...], config: FollowupSettings) -> str:
    """The earlier conversation's search text when the question leans on it, else "".

    ``history`` holds the earlier questions, oldest first; a chain of follow-ups carries
    the subject of the question that started it.
    """
    if not history or not is_follow_up(question, config.short_question_words):
        return ""
    earlier = history[-1]
    return f"{context_of(earlier, history[:-1], config)} {earlier}".strip()
