"""Everyday Swedish: words so common in Swedish at large that, when the material happens
not to use them, they say how a question is put rather than what it asks about.

"Vilka två personer förbereder nästa fas?", "Har vi kommit igång med färdplanen?": "två",
"nästa" and "igång" are absent from the material, yet the question is about its preparation
and its roadmap. "Vilken lön får processledaren?" asks about "lön", which is rarer. How
common a word is comes from wordfreq's Swedish list (Zipf scale: log10 of occurrences per
billion words; "bara" 6.5, "två" 6.1, "igång" 5.1, "lön" 4.9, "budget" 4.6). wordfreq's
Swedish list is built from Wikipedia, subtitles, web text, Twitter and Reddit; its data is
frozen (no further updates upstream) and licensed CC BY-SA 4.0. Common nouns ("barn" 5.9,
"jobb" 5.6) pass the bar too; they still count in the unknown share, so a question about one
the material lacks is judged on its share, as before.
"""

from __future__ import annotations

from functools import lru_cache

from wordfreq import zipf_frequency


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """How common ``word`` (as written, any case) is in Swedish: Zipf 0 (unseen) to ~7.5 ("och")."""
    return zipf_frequency(word, "sv")


def is_everyday(word: str, bar: float) -> bool:
    """Whether ``word`` is at least as common as ``bar`` on the Zipf scale (see ``zipf``).
    Only words of three letters or more: wordfreq pools all digit strings ("14" 5.3) and
    rates short abbreviations ("kl", "ok") high, and a number is usually what is asked."""
    return len(word) >= 3 and word.isalpha() and zipf(word) >= bar
