"""The chosen sentences of each passage -> the quoted answer's text and its citations, each
fact said once and each sentence readable on its own.

- **Each fact once.** A sentence or list item that another unit covers (every
  name and number and most content words, ``restatement.covers`` with
  ``ExtractiveSettings.duplicate_overlap``) is not quoted; its passage's number joins the
  kept unit's markers ("... [1][2]"), so both sources stay cited. The unit that says more
  is kept; of two that say the same, the one from a primary document (no ``source`` in its
  front matter) before one from a record derived from another, then the better-ranked one;
  within one passage, the first, and a list item or table row always stays.
- **A list before its records.** Where a list of an original document is quoted with two or
  more items, a record derived from that section whose sentence restates one item adding
  only its frame ("Ett av stegen i förberedelsefasen är att besluta om organisationsform
  ...") is not quoted; its number joins the list's markers (``restates_item``). One item
  quoted alone goes for the record's sentence, which says what it is a step of.
- **One statement about several records, once.** Records derived from one document say
  its facts each about their own subject: "Länsstyrelsen deltog …, som enligt avsnitt 3
  omfattade workshops motsvarande 14 timmar." and "Handelskammaren deltog …" alike. Unless
  the question asks who or which ones (``answer_type.asks_who``) or names one of the
  records' subjects (then each subject is an answer), two such sentences that cover each
  other once each record's title is taken out as their subject are one fact: the
  better-ranked is quoted, with both markers.
- **No orphan pronoun.** A passage's first sentence that opens with a pronoun ("Dess
  uppdrag är ...", "Han ...") gets its document's title in front (the sentence before it,
  when there is one, is brought along by the writer's selection), and so does a sentence
  whose "han"/"hon" follows a fronted phrase ("Enligt avsnitt 7 förbereder han ...") when
  the sentence before it is not quoted.
- **The source before the record.** A quoted passage of an original document comes before
  the first quoted record derived from it, whatever their ranks.
- **Versions named.** When passages of two versions of one document are quoted (same title
  but for the year), each paragraph starts "Enligt «title»:".
- **Named sections.** "enligt avsnitt 4" in a derived record names the document it refers
  to when that document is one the asker may read: "enligt avsnitt 4 (i Workshopserien)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.answer import Citation
from assistant.fusion import Fused, file_of, source_of, source_sections, under_heading
from assistant.record_fields import CARD, without_label
from assistant.restatement import adds_particulars, covers
from assistant.sentences import Unit
from assistant.versions import versions_among

# Pronouns that stand for something named before them.
_POINTING_BACK = r"han|hon|hans|hennes|de|dem|deras|dess|denna|detta|dessa|he|she|they|its|their|this"
PRONOUN_START = re.compile(rf"^({_POINTING_BACK}|den här|det här)\b", re.I)
# A sentence that goes on from the one before it: it opens with a pronoun or an adverb that
# points back ("Det kan handla om att följa upp en praktikplats", "Då måste man räkna på
# investeringen", "De vägleder besökare ...") or with the generic "Man", whose doer the
# sentence before named ("Matroser arbetar med … Man hanterar trossar"; 6 more answers of 945
# on SweQUAD-MC train, none of the platform's seen answers changed). The answer is often
# there, after the sentence that names the question's subject ("... har förmedlaren ett
# uppföljningsansvar."), so a quoted sentence brings its continuation
# (``ExtractiveWriter._in_context``). Not the empty "Det finns …" nor a date ("Den 15 mars
# …"), which start afresh.
CONTINUES_PREVIOUS = re.compile(
    rf"^({_POINTING_BACK}|these|it|then|man|det(?!\s+finns\b)|den(?!\s+\d)|då|där|dit|därför|därefter)\b",
    re.I,
)
# A sentence that leans on the one before it: it opens with a pronoun (``PRONOUN_START``) or a
# word that joins it to what was said ("Men värdet av dem skapas ofta någon annanstans",
# "Därför bör vi samla våra krafter", "Dessutom …"): quoted alone it says "but", "therefore"
# or "them" of nothing shown, so the sentence before comes with it.
LEANS_ON_PREVIOUS = re.compile(
    rf"^({_POINTING_BACK}|den här|det här|men|och|därför|dessutom|alltså|således|samtidigt|däremot"
    r"|därmed|but|and|therefore|however)\b",
    re.I,
)
# "Enligt avsnitt 7 förbereder han ...": a "han"/"hon" right after the verb, the phrase before
# the verb naming no one (no capitalised word but the first), leans on the sentence before as
# surely as a pronoun that opens the sentence. "Magnus Aspegren leder arbetet och han ..."
# names its "han".
_INVERTED_PRONOUN = re.compile(
    r"^(?P<fronted>[^.!?]*?)\b(\w+r|ska|skall|kan|vill|måste|bör|får|fick|var|blev)\s+(han|hon)\b", re.I
)


def _opens_with_unnamed_pronoun(text: str) -> bool:
    """Whether the sentence's subject is a "han"/"hon" after a fronted phrase that names no one."""
    match = _INVERTED_PRONOUN.match(text)
    if not match:
        return False
    later_words = match.group("fronted").split()[1:]
    return not any(word[:1].isupper() for word in later_words)


# "avsnitt 4" naming no document; not "avsnitt 4 i sammanfattningen", which names its own.
_SECTION = re.compile(r"\b(avsnitt|kapitel) \d+\b(?!\s+i\s)", re.I)


@dataclass
class _Paragraph:
    """One passage's part of the answer: its quoted units, and the other passages whose
    restated sentences its sentences stand for."""

    item: Fused
    units: list[tuple[int, Unit]]  # (position in the passage, unit)
    restated_by: list[int] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def _with_subject(item: Fused, position: int, text: str, shown: set[int]) -> str:
    """The sentence at ``position`` of its passage, with its document's title in front when
    it leans on a sentence before it that is not among the ``shown`` positions: it opens
    the passage with a pronoun, or its subject is a "han"/"hon" after a fronted phrase
    ("Enligt avsnitt 7 förbereder han ..."). A record card's line always has it."""
    title = str(item.chunk.metadata.get("title", ""))
    if _is_card(item):  # "Status: pågår" says nothing of what; a value's next sentence follows it
        return f"{title} – {text}" if title and without_label(text)[1] else text
    leans = (position == 0 and PRONOUN_START.match(text)) or (
        position - 1 not in shown and _opens_with_unnamed_pronoun(text)
    )
    return f"{title}: {text}" if title and leans else text


def _is_card(item: Fused) -> bool:
    """A document's record card (``assistant.record_fields``), not a passage of its text."""
    return bool(item.chunk.metadata.get(CARD))


def _listed(unit: Unit) -> bool:
    """A list item or a table row, not a running sentence."""
    return unit.is_item or unit.is_table_row


def _without_subject(item: Fused, text: str) -> str:
    """``text`` without its record's title as the subject it opens with, or as the "Title: "
    put in front of it (``_with_subject``): "Handelskammaren deltog …" -> "deltog …". The
    title elsewhere ("samarbetar med Handelskammaren") stays: it is what the sentence says."""
    title = str(item.chunk.metadata.get("title", "")).strip()
    if not title:
        return text
    return re.sub(rf"^(\s*{re.escape(title)}\b:?\s*)+", "", text, flags=re.I)


def derived_from_list(source: Fused, unit: Unit, record: Fused) -> bool:
    """Whether ``record`` is derived from the section of ``source`` that holds the list item
    ``unit`` (front matter ``source``, ``source_section``), so a sentence of it may restate
    the item."""
    return unit.is_item and derived_from_section(source, record)


def derived_from_section(source: Fused, record: Fused) -> bool:
    """Whether ``record`` is derived from the section ``source`` is a passage of: its front
    matter's ``source`` names ``source``'s document and a ``source_section`` its heading."""
    return (
        is_primary(source)
        and source_of(record) == file_of(source)
        and any(under_heading(source, section) for section in source_sections(record))
    )


def restates_item(source: Fused, unit: Unit, record: Fused, sentence: str, overlap: float) -> bool:
    """Whether ``sentence`` (as written) of ``record`` restates the list item ``unit`` of
    ``source`` it was derived from, adding only its frame: "Ett av stegen i förberedelsefasen
    är att besluta om organisationsform och juridisk uppbyggnad." says the item "Besluta om
    organisationsform och juridisk uppbyggnad." (``overlap``: the restatement bar,
    ``restatement.covers``); a sentence that also names a body or gives a figure the item
    lacks ("..., där Regionen bidrar med 2 miljoner kronor.") says more."""
    return (
        derived_from_list(source, unit, record)
        and covers(unit.text, sentence, overlap)
        and not adds_particulars(sentence, unit.text)
    )


def is_primary(item: Fused) -> bool:
    """A passage of an original document, not of a record that names its ``source``."""
    return not source_of(item)


def _sources_first(paragraphs: list[_Paragraph], shown: list[int]) -> list[int]:
    """``shown`` (paragraph indices, rank order) with each paragraph of an original document
    moved up to just before the first record derived from it (several of one document keep
    their order): the source before the record."""
    derived_at: dict[str, int] = {}
    for index in shown:
        source = source_of(paragraphs[index].item)
        if source:
            derived_at.setdefault(source, index)

    def place(index: int) -> tuple[int, int]:
        item = paragraphs[index].item
        if not is_primary(item):
            return index, 1
        return min(index, derived_at.get(file_of(item), index)), 0

    return sorted(shown, key=place)


class Composer:
    """Composes the quoted answer. ``titles`` maps a document's file name to its title, for
    the documents the asker may read (the writer's level view); ``overlap`` is the
    restatement bar (``ExtractiveSettings.duplicate_overlap``)."""

    def __init__(self, titles: dict[str, str], overlap: float) -> None:
        self._titles = titles
        self._overlap = overlap

    def compose(
        self, selections: list[tuple[Fused, list[tuple[int, Unit]]]], keep_subjects: bool = False
    ) -> tuple[str, list[Citation]]:
        """``selections``: per passage, in rank order, its chosen units in source order with
        their positions in the passage; ``keep_subjects``: the question asks who or which
        ones, or names a record's subject, so like sentences about several records' subjects
        all stay. Returns the answer text (one paragraph per passage, "[n]" markers at its
        end, list items one per line) and the citations numbered as the markers."""
        paragraphs = [_Paragraph(item, list(units)) for item, units in selections]
        self._each_fact_once(paragraphs, keep_subjects)
        shown = _sources_first(paragraphs, [i for i, p in enumerate(paragraphs) if p.units])
        only_cited = [i for i, p in enumerate(paragraphs) if not p.units]
        numbers = {index: n for n, index in enumerate(shown + only_cited, start=1)}
        texts, citations = [], []
        versions = versions_among([paragraphs[index].item for index in shown])
        for order, index in enumerate(shown):
            paragraph = paragraphs[index]
            marks = sorted({numbers[index], *(numbers[other] for other in paragraph.restated_by)})
            text = self._render(paragraph)
            if order in versions:  # two versions of one document: say which figure is whose
                text = f"Enligt {paragraph.item.chunk.metadata.get('title', '')}: {text}"
            markers = "".join(f"[{n}]" for n in marks)
            texts.append(f"{text}\n\n{markers}" if text.endswith("|") else f"{text} {markers}")
        for index in shown + only_cited:
            paragraph = paragraphs[index]
            quoted = tuple(unit.text for _, unit in paragraph.units) or tuple(paragraph.dropped)
            citations.append(Citation.from_fused(numbers[index], paragraph.item, quoted))
        return "\n\n".join(texts), citations

    def _each_fact_once(self, paragraphs: list[_Paragraph], keep_subjects: bool) -> None:
        """Drop each unit that another unit covers (``restatement.covers``): the one that
        says more is kept; of two that say the same, the one from the preferred passage
        (primary documents first, then rank), or in one passage the first. A record's
        restatement of an item of its source's list quoted whole goes for the item. Unless
        ``keep_subjects``, sentences of two records derived from one document that say the same
        but for their records' titles are alike too. The dropped unit's passage is recorded
        on the paragraph of the unit that stands for it."""
        # a record card's line last: the text that says it is the better source
        preference = {
            index: order
            for order, index in enumerate(
                sorted(
                    range(len(paragraphs)),
                    key=lambda i: (_is_card(paragraphs[i].item), not is_primary(paragraphs[i].item), i),
                )
            )
        }
        units = [(index, unit) for index, p in enumerate(paragraphs) for _, unit in p.units]
        # Compared as shown, with the subject a pronoun leans on: "Magnus Aspegren ...: ...
        # förbereder han, tillsammans med Martin Söderström" says what Martin's record says.
        # A card's line by its value: "Styrgruppen" of "Beslutat av: Styrgruppen", without the
        # label and title that would make it cover every sentence naming the record.
        shown_text = {
            id(unit): without_label(unit.text)[0]
            if _is_card(p.item)
            else _with_subject(p.item, position, unit.text, {pos for pos, _ in p.units})
            for p in paragraphs
            for position, unit in p.units
        }

        order = {id(unit): j for j, (_, unit) in enumerate(units)}
        quoted_items = [sum(unit.is_item for _, unit in p.units) for p in paragraphs]

        def in_quoted_list(u: tuple[int, Unit]) -> bool:
            """Whether unit u is an item of a list quoted with two or more of its items."""
            return u[1].is_item and quoted_items[u[0]] >= 2

        def same_statement(i: int, j: int, a: str, b: str) -> bool:
            """Units of paragraphs i and j, shown as a and b: sentences of two records derived
            from one document that say the same but for the records' titles."""
            first, second = paragraphs[i].item, paragraphs[j].item
            source = source_of(first)
            if keep_subjects or not source or source != source_of(second):
                return False
            if _is_card(first) or _is_card(second):
                return False
            a, b = _without_subject(first, a), _without_subject(second, b)
            return covers(a, b, self._overlap) and covers(b, a, self._overlap)

        def redundant(u: tuple[int, Unit], v: tuple[int, Unit]) -> bool:
            """Whether unit u may go because v says it. Within one passage ("Styrgruppen har
            bekräftat samsyn kring plattformens inriktning." before the decision it quotes),
            the one that says more stays, and of two alike the first."""
            a, b = shown_text[id(u[1])], shown_text[id(v[1])]
            if u[1] is v[1]:
                return False
            # Where the list a record was derived from is quoted as a list, the record's
            # sentence that restates one of its items ("Ett av stegen i förberedelsefasen är
            # att besluta om organisationsform ...") goes for the item, though its framing says
            # more; never the item for the record. One item quoted alone goes for the record's
            # sentence, which says what the item is a step of.
            if in_quoted_list(u) and derived_from_list(paragraphs[u[0]].item, u[1], paragraphs[v[0]].item):
                return False
            if in_quoted_list(v) and restates_item(
                paragraphs[v[0]].item, v[1], paragraphs[u[0]].item, u[1].text, self._overlap
            ):
                return True
            if u[0] != v[0] and same_statement(u[0], v[0], a, b):
                return preference[v[0]] < preference[u[0]]
            if not covers(a, b, self._overlap):
                return False
            if u[0] == v[0]:
                # a list item or table row is a fact of its own list: it stays, and a running
                # sentence that it says may go
                if _listed(u[1]):
                    return False
                return not covers(b, a, self._overlap) or order[id(v[1])] < order[id(u[1])]
            return not covers(b, a, self._overlap) or preference[v[0]] < preference[u[0]]

        by_preference = sorted(range(len(units)), key=lambda j: preference[units[j][0]])
        stands_for: dict[int, int] = {}  # a dropped unit's index -> the index of the unit kept for it
        for i, u in enumerate(units):
            by = next((j for j in by_preference if redundant(u, units[j])), None)
            if by is not None:
                stands_for[i] = by
        dropped: set[int] = set()
        for i, by in stands_for.items():
            seen = {i}
            while by in stands_for and by not in seen:  # the unit that finally stays
                seen.add(by)
                by = stands_for[by]
            if by in stands_for:  # a circle of mutual covers: keep this one
                continue
            index, unit = units[i]
            paragraphs[units[by][0]].restated_by.append(index)
            paragraphs[index].dropped.append(unit.text)
            dropped.add(id(unit))
        for paragraph in paragraphs:
            paragraph.units = [(pos, unit) for pos, unit in paragraph.units if id(unit) not in dropped]

    def _render(self, paragraph: _Paragraph) -> str:
        """Sentences as running text, list items one per line, table rows as a table under
        their header row."""
        parts: list[str] = []
        header = ""
        shown = {position for position, _ in paragraph.units}
        for position, unit in paragraph.units:
            if unit.is_table_row:
                if unit.table_header != header:
                    header = unit.table_header
                    rule = "|---" * (header.count("|") - 1) + "|"
                    parts.append(f"\n\n{header}\n{rule}")
                parts.append("\n" + unit.text)
                continue
            after_block = bool(parts) and parts[-1].startswith(("\n- ", "\n|"))
            header = ""
            if unit.is_item:
                parts.append("\n- " + unit.text.lstrip("•-*– ").strip())
                continue
            # whether "han" leans on the sentence before is judged on the text as written,
            # before "avsnitt 7" gets its document's (capitalised) title
            text = self._named_sections(
                paragraph.item, _with_subject(paragraph.item, position, unit.text, shown)
            )
            parts.append(("\n\n" if after_block else " ") + text)
        return "".join(parts).strip()

    def _named_sections(self, item: Fused, text: str) -> str:
        title = self._titles.get(source_of(item))
        if not title:
            return text
        return _SECTION.sub(lambda m: f"{m.group(0)} (i {title})", text, count=1)
