"""Questions that ask why a thing exists or what problem it solves, and the section of a
document that gives its background.

A document about a thing states why the thing is needed in a section of its own, under a
heading such as "Bakgrund", "Utgångspunkt / Utmaningen" or "Problembeskrivning". "Varför
behövs en gemensam investeringsplattform?" asks why the summary's own subject exists; its
answer ("Men värdet av dem skapas ofta någon annanstans …") shares no word with the
question and ranks below the sections that name the platform. Which document's subject a
question names, the writer decides (``ExtractiveWriter._answers_why``); "Varför ska
plattformen ha mandat?" asks about a thing the title does not name and is answered as any
other question.
"""

from __future__ import annotations

import re

# "Varför …?", "Vilket problem ska … lösa?", "Vad är poängen/vitsen med …?". Swedish only: which
# document's subject the question names is judged by the words of its (Swedish) title.
_WHY_QUESTION = re.compile(
    r"^\W*(och\s+)?varför\b|"
    r"\b(vilket|vilka|vad är|vad var) (det för )?(problem(et|en)?|behov(et|en)?|poäng(en)?|vits(en)?|"
    r"anledning(en|ar|arna)?|orsak(en|er|erna)?|skäl(et|en)?)\b",
    re.I,
)
# The words of such a question that name the kind of answer (a reason), not its subject.
REASON_WORDS = re.compile(
    r"\b(problem\w*|behov\w*|poäng\w*|vits\w*|anledning\w*|orsak\w*|skäl\w*|lösa|löser)\b",
    re.I,
)
# Headings of a background section.
_BACKGROUND = re.compile(
    r"bakgrund|utgångspunkt|utmaning|problem|motiv|behov|orsak|skäl|varför|background|rationale|challenge|why",
    re.I,
)


# "Varför har man dragit igång det här överhuvudtaget?": a why-question pointing at the whole
# thing the material is about rather than naming it, and asking why it exists (is started,
# needed, done), not why something happens to it ("Varför är det här försenat?").
_THE_WHOLE_THING = re.compile(r"\b(det här|detta|det hela|överhuvudtaget|över huvud taget)\b", re.I)
# ("alls", "ens", "typ", "överhuvudtaget" are spoken particles the question's terms never hold:
# bm25_view leaves them out.)
EXISTENCE_WORDS = re.compile(
    r"\b(behövs|behövdes|behöver|start\w*|dra\w* igång|drog igång|igång|bild\w*|inrätta\w*|grej\w*|"
    r"över huvud taget|man|vill)\b",
    re.I,
)


def points_at_the_whole(question: str) -> bool:
    """Whether the question points at the whole thing it asks about ("det här",
    "överhuvudtaget") instead of naming it."""
    return bool(_THE_WHOLE_THING.search(question))


def asks_why(question: str) -> bool:
    """Whether the (Swedish) question asks why something is, or what problem or need it answers."""
    return bool(_WHY_QUESTION.search(question))


def is_background(heading: str) -> bool:
    """Whether a section heading names the background of the document's subject:
    "1. Utgångspunkt / Utmaningen", "Bakgrund", "Problembeskrivning"."""
    return bool(_BACKGROUND.search(heading))
