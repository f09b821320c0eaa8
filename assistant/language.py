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


# Norwegian and Danish question and function words: a Scandinavian question is answered
# like a Swedish one (field case 15).
_SCANDINAVIAN = {"hva", "hvem", "hvilke", "hvilken", "hvilket", "hvor", "hvordan", "hvorfor", "hvornår",
                 "ikke", "jeg", "og", "er", "skal", "blir", "bliver", "af", "til"}  # fmt: skip


def detect_language(text: str) -> str:
    """'en' when English function words outnumber Swedish (and Norwegian/Danish) ones,
    otherwise 'sv' (Swedish first). A Swedish name in an English question ("What is the
    growth engine (Tillväxtmotor)?") does not make it Swedish."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    english = sum(word in _ENGLISH for word in words)
    swedish = sum(word in _SWEDISH or word in _SCANDINAVIAN for word in words)
    return "en" if english > swedish else "sv"
