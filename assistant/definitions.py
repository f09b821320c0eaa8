"""Questions that ask what a term means, and the material's own definitions of terms.

Presentation material defines its terms as "Term – what it is" or "Term: what it is":
"Kompetensattraktion – stärka regionens förmåga att attrahera och behålla kompetens",
"Syfte: Öka länets gemensamma kapacitet ...". A question that asks what such a term
means ("Vad innebär kompetensattraktion?", "Vad är syftet med Tillväxtmotorn?") is
answered by that line, however few words the two share beyond the term and whatever
everyday words the question wraps it in ("i det här sammanhanget", "rent konkret"); the
abstention gate still decides whether to answer at all (``abstention.should_answer``,
``answer_known``), and an English question ("What does investeringsfrämjande mean?") must
still pass the English bar.
"""

from __future__ import annotations

import re

# "Vad innebär/betyder/menas med/avses med/ingår i X", "Vad är X", "Vad står X för",
# "X – vad menas med det?", and the English forms.
_ASKS_MEANING = re.compile(
    r"\b(vad\s+(innebär|innebar|betyder|menas|avses|ingår|omfattar|är|står)|"
    r"what\s+(does|do|is|are)|what's|meaning\s+of|stands?\s+for)\b",
    re.I,
)
# "Term – ...", "Term - ..." or "Term: ..." at the start of a line or list item: a term of one
# to four words, the first before the dash ("Innovations – och entreprenörskapsfrämjande –
# ..." defines "Innovations", which "innovationsfrämjande" does not match).
_DEFINED = re.compile(r"^\W*(?P<term>[^\W\d_][\w/-]*(?: [\w/-]+){0,3}?)(?:\s+[-–—]|:)\s+\S")


def asks_meaning(question: str) -> bool:
    """Whether the question asks what something is or means."""
    return bool(_ASKS_MEANING.search(question))


def defined_term(unit: str) -> str | None:
    """The term a line defines ("Kompetensattraktion – stärka ..." -> "Kompetensattraktion"),
    or None when it defines none."""
    match = _DEFINED.match(unit)
    return match.group("term") if match else None
