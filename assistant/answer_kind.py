"""What kind of thing a question asks for, and whether a sentence holds such a thing.

Two uses. Exact rules (``can_answer``): "Hur många kronor ...?" wants a number, "Vilket år
...?" a year, "Vilket telefonnummer ...?" or "Hur når jag honom?" a contact detail; quoting
sentences that hold none of these would answer with confidence a question the material
cannot answer. And features for the learned answer-sentence selector (``assistant/selection.py``): "Vem ..."
asks for a person or an organisation, "När ..." for a date, month or year, "Hur många ..."
for a number, "Var ..." for a place, "Vad står LOI för?" for an expansion. A sentence that
holds the kind asked for is more likely the answer. The patterns are deliberately broad:
the selector learns how much each match is worth (weights in ``assistant/models/``).
"""

from __future__ import annotations

import re
from enum import StrEnum


class AnswerKind(StrEnum):
    """The kinds of answer a question's wording can ask for."""

    PERSON = "person"
    DATE = "date"
    QUANTITY = "quantity"
    PLACE = "place"
    EXPANSION = "expansion"
    REASON = "reason"
    LIST = "list"


_ASKS: tuple[tuple[AnswerKind, re.Pattern[str]], ...] = (
    (AnswerKind.EXPANSION, re.compile(r"\bstår\b.*\bför\b|\bstand for\b|\bförkortning|\babbreviat", re.I)),
    (
        AnswerKind.QUANTITY,
        re.compile(r"\bhur (många|mycket|stor\w*|lång\w*)|\bhow (many|much|long|large)", re.I),
    ),
    (
        AnswerKind.DATE,
        re.compile(
            r"^\s*(och\s+)?när\b|\bsedan när|\bvilket (år|datum)|\bvilken (dag|månad)"
            r"|\bwhen\b|\bwhat (year|date)",
            re.I,
        ),
    ),
    (AnswerKind.PERSON, re.compile(r"^\s*(och\s+)?(vem|vilka personer)\b|\bwho\b|\bvem\b", re.I)),
    (
        AnswerKind.PLACE,
        re.compile(r"^\s*(och\s+)?(var|vart|varifrån)\b|\bi vilken (kommun|stad|ort)|\bwhere\b", re.I),
    ),
    (AnswerKind.REASON, re.compile(r"\bvarför\b|\bwhy\b|\bi vilket syfte\b", re.I)),
    (AnswerKind.LIST, re.compile(r"^\s*(och\s+)?vilka\b|\bwhich\b.*\b(are|were)\b|\bwhat are\b", re.I)),
)

_MONTHS = (
    r"januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|dec|vår|höst|sommar|vinter|kvartal"
)
_DATE = re.compile(rf"\b(1[89]|20)\d\d\b|\b\d{{1,2}}(:e|/\d{{1,2}})|\b({_MONTHS})\w*\b", re.I)
_NUMBER = re.compile(
    r"\d|\b(två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|tjugo|hundra|tusen|miljon\w*|miljard\w*)\b", re.I
)
# Two capitalised words in a row ("Magnus Aspegren") or a word that names an organisation.
_NAME = re.compile(r"\b[A-ZÅÄÖ][a-zåäöé]+\s+[A-ZÅÄÖ][a-zåäöé]+")
_ORGANISATION = re.compile(
    r"\b\w*(region|kommun|förbund|styrelse|universitet|kammare|myndighet|verket|departement|"
    r"grupp|bolag|företag|ledare|direktör|chef|minister|regering)\w*\b",
    re.I,
)
_PLACE = re.compile(r"\b(i|på|från|till|vid)\s+[A-ZÅÄÖ][a-zåäö]+")
_EXPANSION = re.compile(r"\b[A-ZÅÄÖ][\w-]+(\s+[\w-]+){0,5}\s*\([A-ZÅÄÖ]{2,}\)|\b[A-ZÅÄÖ]{2,}\s*\(")
_REASON = re.compile(r"\b(eftersom|därför|för att|syfte|syftet|behöver|behövs|så att|leda till)\b", re.I)


def asked_kind(question: str) -> AnswerKind | None:
    """The first kind the question's wording asks for, or None ("Vad är ...?")."""
    for kind, pattern in _ASKS:
        if pattern.search(question):
            return kind
    return None


def holds_kind(kind: AnswerKind | None, sentence: str) -> bool:
    """Whether ``sentence`` holds something of ``kind``; False for None and LIST (a list
    shows in the sentence's shape, not its words)."""
    if kind is AnswerKind.PERSON:
        return bool(_NAME.search(sentence) or _ORGANISATION.search(sentence))
    if kind is AnswerKind.DATE:
        return bool(_DATE.search(sentence))
    if kind is AnswerKind.QUANTITY:
        return bool(_NUMBER.search(sentence))
    if kind is AnswerKind.PLACE:
        return bool(_PLACE.search(sentence))
    if kind is AnswerKind.EXPANSION:
        return bool(_EXPANSION.search(sentence))
    if kind is AnswerKind.REASON:
        return bool(_REASON.search(sentence))
    return False


# The exact rules.

_NUMBER_WORDS = (
    r"två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|tjugo|hundra|tusen|miljon\w*|miljard\w*|"
    r"two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|million\w*|billion\w*"
)
_QUANTITY = re.compile(
    r"\b(?:hur (?:många|mycket|stor|stort|stora|lång|långt)|how (?:many|much|large|big|long))\s+(\w+)?", re.I
)
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_FIGURE = re.compile(rf"(\d[\d\s.,]*\d|\d)|\b({_NUMBER_WORDS})\b", re.I)
# Words after "hur många" that are not the counted thing ("Hur många ska ingå?").
_NOT_A_UNIT = {
    "ska",
    "skall",
    "har",
    "är",
    "var",
    "blir",
    "kan",
    "får",
    "finns",
    "de",
    "det",
    "som",
    "of",
    "are",
}
_REFERENCE = re.compile(r"\b(avsnitt|kapitel|kap\.|sida|sidan|s\.|§|punkt|bilaga|section|page)\s*$", re.I)
_DATE_QUESTION = re.compile(r"\b(vilket (år|datum)|vilken dag|what (year|date)|which (year|date))\b", re.I)
_EXACT_DATE = re.compile(
    r"\b(1[89]|20)\d\d\b|\b\d{1,2}(:e|/\d{1,2}| (jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec))", re.I
)
_CONTACT_QUESTION = re.compile(
    r"telefon|\bnummer\b|e-?post|mejl|mail|adress|phone|e-?mail|address|\bnår (jag|man|vi)\b|kontakt|"
    r"\breach\b|\bcontact\b",
    re.I,
)
_CONTACT = re.compile(r"@|\+?\d[\d\s-]{5,}\d|www\.|https?://|\bgatan\b|\bvägen\b|\bbox \d", re.I)


_PAST_OR_PASSIVE = re.compile(r"(ades|ade|des|tes|dde|tte)$", re.I)


def _not_a_unit(word: str) -> bool:
    """ "Hur många ska ingå?", "Hur mycket söktes?": the word after "hur många/mycket" is a
    verb, not the counted thing."""
    return word.casefold() in _NOT_A_UNIT or (len(word) > 4 and bool(_PAST_OR_PASSIVE.search(word)))


# "Hur mycket pengar ...?" is answered by an amount in any currency unit.
_MONEY = re.compile(r"(pengar|medel|kronor|kr|belopp|budget|kostnad|summa|money|funding)\b", re.I)
_CURRENCY = re.compile(r"\b(kr|kronor|sek|mkr|mnkr|msek|tkr|miljon\w*|miljard\w*|euro|eur|€|\$)", re.I)


def _holds_quantity(text: str, unit: str | None) -> bool:
    """A figure that is not a year or a reference ("avsnitt 8"), followed closely by the
    counted thing when one is named."""
    for match in _FIGURE.finditer(text):
        if _YEAR.match(match.group(0).strip()) or _REFERENCE.search(text[: match.start()]):
            continue
        if unit is None:
            return True
        following = text[match.end() : match.end() + 30].casefold()
        if unit[:5].casefold() in following:
            return True
        if _MONEY.match(unit) and _CURRENCY.search(following):
            return True
    return False


def can_answer(question: str, quoted: list[str]) -> bool:
    """False when the question asks for a quantity, date or contact detail and no quoted
    sentence holds one."""
    quantity = _QUANTITY.search(question)
    if quantity:
        unit = quantity.group(1)
        english = quantity.group(0).casefold().startswith("how")  # its unit is not in Swedish text
        unit = None if english or unit is None or _not_a_unit(unit) else unit
        return any(_holds_quantity(text, unit) for text in quoted)
    if _DATE_QUESTION.search(question):
        return any(_EXACT_DATE.search(text) for text in quoted)
    if _CONTACT_QUESTION.search(question):
        return any(_CONTACT.search(text) for text in quoted)
    return True


# The material's own statements that something is not stated or not yet decided
# ("Kontaktuppgifter anges inte i materialet."): when one is the best match for a question,
# it is the answer, and the assistant declines with it as the citation.
_STATES_ABSENCE = re.compile(
    r"\b(framgår|anges|nämns|står) inte\b|\binte (beslutat|beslutade|bestämt)\b", re.I
)


def states_absence(sentence: str) -> bool:
    """Whether the sentence says something is not stated or not decided."""
    return bool(_STATES_ABSENCE.search(sentence))


# What a "not stated" sentence names when it says that the kind of thing asked for is missing.
_ABSENT_KIND = {
    "contact": re.compile(r"kontakt|telefon|e-?post|adress", re.I),
    "date": re.compile(r"\bår(et)?\b|datum|tidpunkt|\bnär\b|månad", re.I),
    "quantity": re.compile(r"belopp|antal|budget|kostnad|summa|kronor|storlek|omfattning", re.I),
}


def absence_of_asked(question: str, sentence: str) -> bool:
    """Whether ``sentence`` says that the contact detail, date or amount the question asks
    for is not given ("Vilket år sammanträdet hålls anges inte i materialet.")."""
    if not states_absence(sentence):
        return False
    if _CONTACT_QUESTION.search(question):
        kind = "contact"
    elif _DATE_QUESTION.search(question) or asked_kind(question) is AnswerKind.DATE:
        kind = "date"
    elif _QUANTITY.search(question):
        kind = "quantity"
    else:
        return False
    return bool(_ABSENT_KIND[kind].search(sentence))
