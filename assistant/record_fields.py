"""Facts a document gives in its front matter (a status, a mandate, who decides, who
prepares, a contact), quoted when the question asks for that field.

"Hur ligger vi till med förberedelserna inför uppbyggnadsfasen?" is answered by the decision
record's ``status: pågår``, which no sentence of its text says. The fields are kept as chunk
metadata (``fm_<key>``, ``ingest.chunking``) and are not indexed as text: indexed, every
actor's "Mandat: Framgår inte av materialet." became a "not stated" sentence that declined
questions about the actor (evals/README.md). Here a field is quoted only when the wording
asks for it, from the document's record card: a passage holding its labelled fields, a field
per line ("Status: pågår"; a value's further sentences on lines of their own), cited like any
passage under the heading "Dokumentuppgifter".
Which document, and whether the question is about it at all, the writer decides
(``ExtractiveWriter._record_field``, by the abstention gate).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer_type import PROGRESS_QUESTION
from assistant.fusion import Fused
from assistant.sentences import Unit, split_units
from kbcore.schema import EXTRA_PREFIX, Chunk, MetadataValue
from kbcore.text import fold_key

HEADING = "Dokumentuppgifter"
# metadata key marking a record card (its lines name their document when quoted)
CARD = "record_card"


@dataclass(frozen=True)
class RecordField:
    """One kind of front-matter fact: its Swedish label (as in the decision table of
    ``assistant.catalog``), the keys that hold it (folded with ``kbcore.text.fold_key``,
    Swedish and English spellings) and the wording that asks for it (None: shown on the
    card, never asked for; a record's "när" is the time of its own step, not of whatever a
    "när"-question asks about)."""

    label: str
    keys: tuple[str, ...]
    asked: re.Pattern[str] | None


# A yes/no question that ends on the state it asks about: "Är strategin påbörjad?", "Är
# beslutet redan fattat eller bara planerat?", "Is the LOI signed yet?". Not "Är det klart vem
# som deltar?" (asks who) or "Har Mittuniversitetet tagit fram något?".
_STATE = (
    r"(påbörja|fatta|beslutat?|underteckna|planera|starta)(d|de|t|ts|des)?|beslutats?|genomför(d|da|t|ts)|"
    r"klar[ta]?|färdig[ta]?|avgjor[dt]|igång|decided|started|planned|done|finished|signed|begun"
)
_STATUS_QUESTION = (
    r"\bstatus\b|\bhur ligger (vi|ni|det|man|arbetet)\b.*\btill\b|\bhur går det (med|för)\b|"
    rf"{PROGRESS_QUESTION}|"
    r"\bwhere do (we|things) stand\b|"
    rf"^\W*(och\s+)?(är|har|blev|is|has|have|was)\b.*\b(?P<state>{_STATE})\W*"
    r"(än|ännu|redan|nu|yet|already)?\W*$"
)
DECIDED_BY = RecordField(
    "Beslutat av",
    ("decidedby", "beslutatav", "beslutasav", "beslutsfattare"),
    re.compile(
        r"\bvem (som )?(beslutar|beslutade|har beslutat|ska besluta|fattar|fattade|har fattat|ska fatta"
        r"|tar|tog|ska ta) beslut\w*|\bvem (som )?(beslutar|beslutade|har beslutat|ska besluta)\b|"
        r"\bbeslutsfattare\b|\bwho (decides|decided|will decide)\b|"
        r"\bwho (makes|made|takes|took|will make|will take) (the |a |this )?(\w+ )?decision",
        re.I,
    ),
)
DECISION = RecordField("Beslut", ("decision", "beslut"), None)
WHEN = RecordField("När", ("when", "nar", "tidpunkt"), None)
STATUS = RecordField("Status", ("status", "lage"), re.compile(_STATUS_QUESTION, re.I))
FIELDS: tuple[RecordField, ...] = (
    DECISION,
    STATUS,
    DECIDED_BY,
    RecordField(
        "Förbereds av",
        ("preparedby", "forberedsav", "forbereddav", "bereddav"),
        re.compile(
            r"\b(vem|vilka) (som )?(förbereder|förberedde|ska förbereda|tar fram|tog fram|ska ta fram"
            r"|bereder)\b|\bwho (prepares|prepared|is preparing|will prepare)\b",
            re.I,
        ),
    ),
    WHEN,
    # a mandate by any name: "Har Östersunds kommun rätt att förhandla …?", "Får Handelskammaren
    # förhandla för plattformens räkning?", "Does Länsstyrelsen get a veto …?" (not "Får jag …?",
    # which asks what the asker may do, nor "Får Tillväxtmotorn ett kontor?", what it receives,
    # nor "Which authority is responsible …?", a public body)
    RecordField(
        "Mandat",
        ("mandate", "mandat"),
        re.compile(
            r"\bmandat\w*|\bmandates?\b|\brätt(igheten?)? att\b|\bbefogenhet\w*|\bbehörig\w*|"
            r"\bvetorätt\w*|\bveto(es)?\b|\bauthority (to|over)\b|\bauthori[sz]ed\b|\ballowed to\b|"
            r"\bentitled to\b|\bthe right to\b|"
            # "Får" + its subject (one to three capitalised words or a definite noun) + a verb
            # in the infinitive: "Får Region Jämtland Härjedalen pengar …?" asks what it receives
            r"^\W*(och\s+)?(?P<state>får)\s+(?!(jag|vi|man|ni|du|dom|de|det|den)\b)"
            r"(((?-i:[A-ZÅÄÖ])[\w-]*\s+){1,3}?|[\w-]+(na|en|et)\s+)(?-i:[a-zåäö]+a|ta|ha|ge|gå|se|stå|dra|be)\b",
            re.I,
        ),
    ),
    RecordField(
        "Kontakt",
        ("contact", "kontakt", "kontaktuppgifter"),
        re.compile(
            r"\bkontakt(uppgift\w*|person\w*)?\b|\bcontact\b"
            r"|\bnå (honom|henne|dem)\b|\breach (him|her|them)\b",
            re.I,
        ),
    ),
)


def asked_field(question: str) -> tuple[RecordField, str] | None:
    """The field the question asks for and the question without the words that ask it
    ("Hur ligger vi till med förberedelserna?" -> Status, " med förberedelserna?"; of a
    yes/no question only its state word: "Är strategin påbörjad?" -> "Är strategin ?",
    "Får Handelskammaren förhandla?" -> Mandat, " Handelskammaren förhandla?"), or None."""
    for record_field in FIELDS:
        match = record_field.asked.search(question) if record_field.asked else None
        if match:
            start, end = match.span("state") if match.groupdict().get("state") else match.span()
            return record_field, question[:start] + " " + question[end:]
    return None


# A wh-question about the decisions already taken: "Vad har styrgruppen beslutat hittills?",
# "Vilka beslut har fattats?", "Vilka beslut är tagna?", "Vad kom styrgruppen fram till
# senast?". Not a yes/no question about one state ("Är organisationsformen beslutad?", the
# record's status), nor one about a decision still to come ("Vad ska beslutas i januari?").
_PARTICIPLES = r"beslutat|beslutats|bestämt|bestämts|fattat|fattats"
_PASTS = r"beslutade|beslutades|beslöt|bestämde|bestämdes|fattade|fattades"
_TAKEN_VERB = rf"(har|hade|är|blev)\b.*?\b({_PARTICIPLES})|{_PASTS}|kom(mit)?\b.*?\bfram till"
# "tagit", "tagits", "togs", "tagna" are about decisions only in a question with the word:
# "Vilka beslut har tagits?", not "Vad har projektet tagit fram?"
_TAKE = r"tagit|tagits|togs|tagna"
_DECISION_WORD = re.compile(r"\bbeslut", re.I)
# "vilka"/"vilket" ask for decisions only with the word itself: "Vilket datum beslutade vi
# om samsynen?" asks for a date (which the record says is not given). A question with "inte"
# asks for the decisions not yet taken ("Vad har inte beslutats ännu?").
_TAKEN_QUESTION = re.compile(
    rf"^(?!.*\b(inte|ej|icke)\b)\W*(och\s+)?(vad|(vilka|vilket|vilken) beslut\w*)\b.*?"
    rf"\b(?P<verb>{_TAKEN_VERB}|(har|hade|är|blev)?\b.*?\b(?P<take>{_TAKE}))\b",
    re.I,
)
# the words that ask (verbs, "beslut" in its own forms, not "beslutsunderlaget") and the time
# words around them ("hittills", "senast"): not what the decisions are about
_ASKING_WORDS = re.compile(
    rf"\b(har|hade|är|blev|beslut|beslutet|besluten|{_PARTICIPLES}|{_PASTS}|{_TAKE}|"
    r"kom|kommit|fram till|hittills|senast|redan|faktiskt|egentligen|än|ännu|nu|alltså)\b",
    re.I,
)
# A record's status once its decision is taken (folded, ``kbcore.text.fold_key``).
_TAKEN_STATUS = re.compile(
    r"^(fattat|fattad|beslutat|beslutad|taget|tagen|antaget|antagen|decided|taken|adopted)$"
)


def asks_decisions_taken(question: str) -> str | None:
    """What a question asking for the decisions already taken is about: the question without
    the words that ask it ("Vad har styrgruppen beslutat hittills?" -> "Vad styrgruppen ?",
    spaces aside), or None when it asks something else (``_TAKEN_QUESTION``)."""
    match = _TAKEN_QUESTION.search(question)
    if match is None or (match["take"] and not _DECISION_WORD.search(question)):
        return None
    return _ASKING_WORDS.sub(" ", question)


def decision_taken(chunk: Chunk) -> bool:
    """Whether ``chunk``'s document records a decision (front matter ``decision``) whose
    ``status`` says it is taken ("fattat", "beslutat", ...; not "planerat" or "pågår")."""
    fields = _fields(chunk.metadata)
    status = fields.get(STATUS.label)
    return DECISION.label in fields and status is not None and bool(_TAKEN_STATUS.match(fold_key(status[1])))


def decision_text(chunk: Chunk) -> str:
    """The decision ``chunk``'s document records (front matter ``decision``), "" when none."""
    found = _fields(chunk.metadata).get(DECISION.label)
    return found[1] if found else ""


def _fields(metadata: dict[str, MetadataValue]) -> dict[str, tuple[RecordField, str]]:
    """{label: (field, value)} of the document's labelled front-matter fields, in FIELDS order."""
    by_key = {  # one line each: a YAML block value keeps its line breaks
        fold_key(key[len(EXTRA_PREFIX) :]): " ".join(str(value).split())
        for key, value in metadata.items()
        if key.startswith(EXTRA_PREFIX) and not isinstance(value, bool) and str(value).strip()
    }
    found = {}
    for record_field in FIELDS:
        value = next((by_key[key] for key in record_field.keys if key in by_key), None)
        if value:
            found[record_field.label] = (record_field, value)
    return found


def _lines(metadata: dict[str, MetadataValue]) -> list[tuple[RecordField | None, str]]:
    """The card's lines: "Titel: …", then per field "Label: its first sentence" and each
    further sentence of the value on a line of its own (so each can be compared with the
    text's sentences on its own), with the field each line belongs to (None for the title)."""
    title = str(metadata.get("title", ""))
    lines: list[tuple[RecordField | None, str]] = [(None, f"Titel: {title}")] if title else []
    for record_field, value in _fields(metadata).values():
        sentences = [unit.text for unit in split_units(value)] or [value]
        lines.append((record_field, f"{record_field.label}: {sentences[0]}"))
        lines.extend((record_field, sentence) for sentence in sentences[1:])
    return lines


def record_card(chunk: Chunk) -> Chunk | None:
    """The record card of ``chunk``'s document: a passage with its title and its labelled
    fields (``_lines``) and the document's metadata under the heading "Dokumentuppgifter";
    None when the document has none of the fields."""
    if not _fields(chunk.metadata):
        return None
    text = "\n".join(line for _, line in _lines(chunk.metadata))
    # not the chunk's page: the card is the document's, not one page's
    metadata = {key: value for key, value in chunk.metadata.items() if key != "page"}
    metadata |= {"heading": HEADING, CARD: True}
    # an id of its own, never looked up: the card is not in the index
    return Chunk(f"{chunk.doc_id}::{HEADING}", text, metadata)


def field_units(chunk: Chunk, record_field: RecordField) -> list[tuple[int, Unit]]:
    """The lines of ``chunk``'s document's card that give the field, as units with their
    positions on the card ([] when the document does not give it)."""
    return [
        (position, Unit(line, introduces_list=False, is_item=False))
        for position, (owner, line) in enumerate(_lines(chunk.metadata))
        if owner is record_field
    ]


def without_label(line: str) -> tuple[str, bool]:
    """A card line's text without its field label, and whether it had one: ("pågår", True)
    for "Status: pågår"; a value's further sentence comes back as is."""
    for record_field in FIELDS:
        prefix = f"{record_field.label}: "
        if line.startswith(prefix):
            return line[len(prefix) :], True
    return line, False


_ALIAS = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<alias>[^()]+)\)\s*$")


# A person's name before the title's first comma ("Magnus Aspegren, regional …").
_PERSON = re.compile(r"^[A-ZÅÄÖÉ][\w-]+( [A-ZÅÄÖÉ][\w-]+)+$")
# An alias is a proper name of some length: not "(reviderad)", "(EU)" or "(Åre)", which
# folded would be found inside other words ("Europa", "deltagare").
_MIN_ALIAS = 5


def _names(title: str) -> list[str]:
    """The names a title gives its document: the title; for "Den gemensamma plattformen
    (Tillväxtmotorn)" also the name before the parentheses and the alias within (when it is
    capitalised and at least ``_MIN_ALIAS`` letters); for a person's record, "Magnus
    Aspegren, regional utvecklingsdirektör, Region …", the name before the first comma."""
    names = [title]
    match = _ALIAS.match(title)
    if match and match["alias"][:1].isupper() and len(fold_key(match["alias"])) >= _MIN_ALIAS:
        names += [match["name"], match["alias"]]
    person = title.split(",")[0].strip()
    if "," in title and _PERSON.match(person):
        names.append(person)
    return names


def named_at(question: str, chunk: Chunk) -> int | None:
    """Where ``question`` first names ``chunk``'s document by its title or an alias the title
    gives in parentheses (an offset in the folded question, ``fold_key``: case, accents and
    spaces left out, so "Länsstyrelsens" names "Länsstyrelsen"), or None when it does not."""
    folded = fold_key(question)
    names = [fold_key(name) for name in _names(str(chunk.metadata.get("title", "")))]
    found = [at for name in names if name and (at := folded.find(name)) >= 0]
    return min(found) if found else None


def card_passage(item: Fused) -> Fused | None:
    """``item``'s document's record card as a retrieved passage, ranked as ``item``."""
    card = record_card(item.chunk)
    return None if card is None else Fused(card, item.score, item.bm25, item.dense)
