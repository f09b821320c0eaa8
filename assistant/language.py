"""Is a question Swedish or English? Answers and the abstention phrase (``texts``) follow it."""

from __future__ import annotations

import re

_SWEDISH = set(
    [
        "och",
        "att",
        "det",
        "som",
        "en",
        "ett",
        "är",
        "på",
        "för",
        "av",
        "med",
        "till",
        "den",
        "inte",
        "om",
        "har",
        "vad",
        "vem",
        "vilka",
        "vilken",
        "vilket",
        "när",
        "hur",
        "varför",
        "var",
        "ska",
        "kan",
        "finns",
        "vi",
        "ni",
        "de",
        "sig",
        "hos",
        "från",
        "eller",
        "också",
        "än",
        "efter",
    ]
)
_ENGLISH = set(
    [
        "the",
        "and",
        "is",
        "are",
        "what",
        "who",
        "which",
        "when",
        "how",
        "why",
        "where",
        "does",
        "do",
        "did",
        "of",
        "to",
        "in",
        "for",
        "on",
        "with",
        "a",
        "an",
        "be",
        "will",
        "can",
        "should",
        "has",
        "have",
        "by",
        "from",
        "about",
        "this",
        "that",
    ]
)


def detect_language(text: str) -> str:
    """'en' when the words are clearly English, otherwise 'sv' (Swedish first)."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    if any(char in text.lower() for char in "åäö"):
        return "sv"
    english = sum(word in _ENGLISH for word in words)
    swedish = sum(word in _SWEDISH for word in words)
    return "en" if english > swedish else "sv"
