"""Facts a document gives in its front matter (a status, a mandate, who decides, who
prepares, a contact), quoted when the question asks for that field.

"Hur ligger vi till med förberedelserna inför uppbyggnadsfasen?" is answered by the decision
record's ``status: pågår``, which no sentence of its text says. The fields are kept as chunk
metadata (``fm_<key>``, ``ingest.chunking``) and are not indexed as text: indexed, every
actor's "Mandat: Framgår inte av materialet." became a "not stated" sentence that declined
questions about the actor (evals/README.md). Here a field is quoted only when the wording
asks for it, from the document's record card: a passage holding its labelled fields, one per
line ("Status: pågår"), cited like any passage under the heading "Dokumentuppgifter".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.fusion import Fused
from kbcore.schema import EXTRA_PREFIX, Chunk, MetadataValue
from kbcore.text import fold_key

HEADING = "Dokumentuppgifter"
# metadata key marking a record card (its lines name their document when quoted)
CARD = "record_card"


@dataclass(frozen=True)
class RecordField:
    """One kind of front-matter fact: its Swedish label, the keys that hold it (folded with
    ``kbcore.text.fold_key``, Swedish and English spellings) and the wording that asks for it."""

    label: str
    keys: tuple[str, ...]
    asked: re.Pattern[str]


_YES_NO = r"^\W*(är|har|blev|is|has|have|was)\b"
FIELDS: tuple[RecordField, ...] = (
    RecordField(
        "Status",
        ("status", "lage"),
        re.compile(
            r"\bstatus\b|\bhur (ligger|går det)\b|\bhur långt\b|\bwhere do (we|things) stand\b|"
            + _YES_NO
            + r".*\b(?P<state>påbörja\w*|fattad?e?|fattats|planera\w*|klar\w*|färdig\w*|genomför\w*|start\w*|"
            r"igång|avgjor\w*|beslutad?e?|beslutats|undertecknad?e?|underskriv\w*|tag(it|et)|"
            r"decided|started|planned|done|finished|taken|signed|begun)\b",
            re.I,
        ),
    ),
    RecordField(
        "Beslutsfattare",
        ("decidedby", "beslutatav", "beslutasav", "beslutsfattare"),
        re.compile(
            r"\bvem (som )?(beslutar|beslutade|fattar|fattade|har beslutat|har fattat|ska besluta"
            r"|ska fatta)\b|"
            r"\bbeslutsfattare\b|\bwho (decides|decided|will decide|makes|made|will make|takes|took)\b",
            re.I,
        ),
    ),
    RecordField(
        "Förbereds av",
        ("preparedby", "forberedsav", "forbereddav", "beretts", "bereddav"),
        re.compile(
            r"\b(vem|vilka) (som )?(förbereder|förberedde|ska förbereda|tar fram|tog fram|ska ta fram"
            r"|bereder)\b|"
            r"\bwho (prepares|prepared|is preparing|will prepare)\b",
            re.I,
        ),
    ),
    RecordField(
        "När",
        ("when", "nar", "tidpunkt"),
        re.compile(r"^\W*(och\s+)?(när|sedan när|when|since when)\b|\bvilken tidpunkt\b", re.I),
    ),
    RecordField("Mandat", ("mandate", "mandat"), re.compile(r"\bmandat\w*|\bmandates?\b", re.I)),
    RecordField(
        "Kontakt",
        ("contact", "kontakt", "kontaktuppgifter"),
        re.compile(r"\bkontakt\w*|\bnår (jag|man|vi)\b|\bcontact\b|\breach (him|her|them)\b", re.I),
    ),
)


def asked_field(question: str) -> tuple[RecordField, str] | None:
    """The field the question asks for and the question without the words that ask it
    ("Hur ligger vi till med förberedelserna?" -> Status, " vi till med förberedelserna?";
    of a yes/no question only its state word: "Är strategin påbörjad?" -> "Är strategin ?"),
    or None."""
    for record_field in FIELDS:
        match = record_field.asked.search(question)
        if match:
            start, end = match.span("state") if match.groupdict().get("state") else match.span()
            return record_field, question[:start] + " " + question[end:]
    return None


def _fields(metadata: dict[str, MetadataValue]) -> dict[str, tuple[RecordField, str]]:
    """{label: (field, value)} of the document's labelled front-matter fields, in FIELDS order."""
    by_key = {
        fold_key(key[len(EXTRA_PREFIX) :]): str(value).strip()
        for key, value in metadata.items()
        if key.startswith(EXTRA_PREFIX) and str(value).strip()
    }
    found = {}
    for record_field in FIELDS:
        value = next((by_key[key] for key in record_field.keys if key in by_key), None)
        if value:
            found[record_field.label] = (record_field, value)
    return found


def field_line(record_field: RecordField, value: str) -> str:
    """The card's line for a field: "Status: pågår"."""
    return f"{record_field.label}: {value}"


def record_card(chunk: Chunk) -> Chunk | None:
    """The record card of ``chunk``'s document: a passage with its title and its labelled
    fields, one line each, and the document's metadata under the heading
    "Dokumentuppgifter"; None when the document has none of the fields."""
    fields = _fields(chunk.metadata)
    if not fields:
        return None
    title = str(chunk.metadata.get("title", ""))
    lines = [f"Titel: {title}"] if title else []
    text = "\n".join(lines + [field_line(f, value) for f, value in fields.values()])
    metadata = {**chunk.metadata, "heading": HEADING, CARD: True}
    return Chunk(f"{chunk.doc_id}::{HEADING}", text, metadata)


def field_value(chunk: Chunk, record_field: RecordField) -> str | None:
    """The value ``chunk``'s document gives for the field, or None."""
    found = _fields(chunk.metadata).get(record_field.label)
    return found[1] if found else None


def card_passage(item: Fused) -> Fused | None:
    """``item``'s document's record card as a retrieved passage, ranked as ``item``."""
    card = record_card(item.chunk)
    return None if card is None else Fused(card, item.score, item.bm25, item.dense)
