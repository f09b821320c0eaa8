"""When to say "Det framgår inte av materialet." instead of answering.

Three signals, tuned on the corpus dev questions (evals/sets/dev.jsonl, table in
evals/README.md):
- the best cosine similarity between the question and the top passages (EmbeddingGemma);
- the share of the question's content (IDF-weighted) made of words that the documents of
  those passages never use (compounds of their words count as known): "budget", "lön",
  "telefonnummer" are the words of questions they cannot answer. The documents, not the
  whole index: once reference material sits beside the platform's own, some document
  knows every word, and "Var ligger plattformens kontor?" would pass;
- how much of the question's meaning those unknown words carry: one minus the cosine
  between the question and the question without them. "Vilken lön får processledaren?"
  means something else without "lön" (0.16); "Vilken inriktning har styrgruppen ställt sig
  bakom?" means nearly the same without "ställt" and "bakom" (0.04). Everyday words the
  material happens not to use are incidental; the thing asked about is not. Words common in
  Swedish at large ("två", "nästa", "igång"; ``assistant.everyday``) are left in the
  question for this measure: taking them out changes its wording, not what it asks. A
  question whose only unknown words are such everyday words, and carry little of its meaning
  ("Varför räcker det inte med de nätverk som redan finns?"; not "Får barn vara med?"), has
  no unknown share: it is in the material's words, and the familiar bar applies
  (``ExtractiveWriter.only_incidental_unknown``).
The fewer unknown words, or the less they carry, the lower the similarity bar: a question
in the material's own words ("Hur ska länet växa?") is answered even at a low cosine, one
whose asked thing is foreign only at a clearly high one. A Swedish question that fails its
bar is still answered when one sentence of the top passages is clearly close to it: the
question is then the material's statement in other words ("maktskifte" for "politiska
mandatperioder tar slut"), and a passage's cosine is diluted by its other sentences; not when
the noun it asks for an instance or count of is foreign ("Vilken konsultbyrå …?"). English
questions match Swedish text with lower similarity, so they have their own bar and no
vocabulary test. After this gate, the writer still declines when the material says the
thing is not stated, or when the question asks for a number, year or contact detail that no
chosen sentence holds (``answer_type``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kbcore.tuning import AbstentionSettings

# The material's own statements that something is not stated or not yet decided
# ("Kontaktuppgifter anges inte i materialet."): when one of them is the best match for a
# question, it is the answer, and the assistant declines with it as the citation.
_NOT_STATED = re.compile(r"\b(framgår|anges|nämns|står) inte\b", re.I)
_NOT_DECIDED = re.compile(r"\binte (beslutat|beslutade|bestämt)\b", re.I)
# A question whether something is decided yet, or what it will be: "Är organisationsformen
# spikad?", "Har vi landat i en organisationsform än?", "Blir det ett bolag?", "… eller vad
# blir det för sorts organisation?", "Vad ska det bli?". The material's "vilken form som väljs
# är inte beslutat" answers it: no, not yet.
_ASKS_IF_DECIDED = re.compile(
    r"\b(bestämd|bestämt|bestämda|beslutad|beslutat|beslutade|spikad|spikat|klubbad|klubbat|"
    r"avgjord|avgjort|fastställd|fastställt|landat)\b|\b(blir det|ska det bli|kommer det att bli)\b",
    re.I,
)


def states_absence(sentence: str, question: str = "") -> bool:
    """Whether ``sentence`` is the material's own word that something is not stated or not
    decided. A "not decided" sentence is no absence for a ``question`` that asks whether the
    thing is decided: it answers it."""
    if _NOT_STATED.search(sentence):
        return True
    return bool(_NOT_DECIDED.search(sentence)) and not _ASKS_IF_DECIDED.search(question)


def should_answer(
    policy: AbstentionSettings,
    language: str,
    similarity: float,
    unknown_share: float,
    unknown_load: Callable[[], float],
    answer_known: bool = False,
    sentence_similarity: Callable[[], float] = lambda: 0.0,
) -> bool:
    """Whether the best passage's cosine ``similarity`` is high enough to answer, given the
    question's ``language`` ("sv"/"en"), the share (0-1, IDF-weighted) of its words that
    the documents of the top passages never use, and ``unknown_load``: the share (0-1) of
    its meaning those words carry, asked for only when the share reaches
    ``max_unknown_share`` (it costs one embedding).

    ``answer_known``: the top passages hold lines known to answer a Swedish question: a line
    defining the term it asks the meaning of ("Kompetensattraktion – ..."), or the background
    section of the document whose subject it asks the reason for ("Utgångspunkt /
    Utmaningen"). The similarity bar is then waived, since the everyday words around the
    term ("i det här sammanhanget") or the reason's other words lower the cosine, but not the
    vocabulary test: "Vad är syftet med fotbollsklubben?" finds "Syfte: ..." and is still
    declined, its topic being foreign to the documents.

    ``sentence_similarity``: the best cosine (0-1) between the question and one sentence or
    list item of the top passages, asked for only when a Swedish question fails its passage
    bar (it may embed sentences not seen before). A question in other words than the
    material's ("Lever organisationen kvar efter ett maktskifte?" against "... lever kvar
    även när ... politiska mandatperioder tar slut") has unknown words that carry its meaning
    and a passage cosine diluted by the passage's other sentences; one sentence as close as
    ``strong_sentence_similarity`` answers it all the same."""
    if language == "en":
        return similarity >= policy.english_similarity
    if unknown_share <= policy.familiar_unknown_share:
        passes = answer_known or similarity >= policy.familiar_similarity
    elif unknown_share < policy.max_unknown_share or unknown_load() < policy.max_unknown_load:
        passes = answer_known or similarity >= policy.weak_similarity
    else:
        passes = similarity >= policy.strong_similarity
    return passes or sentence_similarity() >= policy.strong_sentence_similarity
