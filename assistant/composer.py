"""Chosen sentences -> the answer text and its citations, each fact said once.

- Two chosen sentences that say the same thing (the decision record repeats the summary,
  two actor records repeat each other) are quoted once, from the primary document (one
  that is not derived from another: no ``source`` in its front matter), with every source
  on that one sentence ("[1][2]"). Near-duplicate: most content words shared
  (``duplicate_overlap`` of the shorter sentence's words) or a dense similarity of at least
  ``duplicate_similarity`` (both in ``kbcore.tuning.ExtractiveSettings``).
- A sentence that opens with a pronoun ("Han", "Dess uppdrag", "De") brings the sentence
  before it in its passage; the first sentence of a passage gets its document's title in
  brackets instead.
- "enligt avsnitt 7" in a derived record names the document the section belongs to.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from assistant.answer import Citation
from assistant.selection import Candidate, version_key
from kbcore.tuning import ExtractiveSettings

_PRONOUN_START = re.compile(
    r"^(han|hon|hans|hennes|de|dem|deras|dess|denna|detta|dessa|den här|det här"
    r"|he|she|they|its|their|this)\b",
    re.I,
)
_SECTION = re.compile(r"\b(avsnitt|kapitel) (\d+)( i sammanfattningen)?", re.I)
_WORD = re.compile(r"[\wåäöÅÄÖ]+")

SentenceVectors = Callable[[list[str]], np.ndarray]


def _words(text: str) -> set[str]:
    return {w.casefold()[:6] for w in _WORD.findall(text) if len(w) > 3}


def restates(a: str, b: str, overlap: float) -> bool:
    """Whether two sentences share most content words: ``overlap`` (0-1) of the shorter
    one's words of four letters or more, compared on their first six letters so that
    inflections match."""
    wa, wb = _words(a), _words(b)
    return bool(wa and wb) and len(wa & wb) / min(len(wa), len(wb)) >= overlap


def _is_primary(candidate: Candidate) -> bool:
    return not candidate.passage.chunk.metadata.get("fm_source")


def _versions(firsts: list[Candidate]) -> set[int]:
    """Passage ranks of quoted passages whose documents are versions of one another."""
    by_key: dict[str, set[str]] = {}
    for c in firsts:
        by_key.setdefault(version_key(c.passage), set()).add(c.passage.chunk.doc_id)
    return {c.passage_rank for c in firsts if len(by_key[version_key(c.passage)]) > 1}


def _with_antecedents(chosen: list[Candidate], units: dict[tuple[int, int], Candidate]) -> list[Candidate]:
    """Each sentence that opens with a pronoun, preceded by the sentence before it."""
    keys = {(c.passage_rank, c.position) for c in chosen}
    for c in chosen:
        if c.unit.is_item or not _PRONOUN_START.match(c.unit.text):
            continue
        before = units.get((c.passage_rank, c.position - 1))
        if before is not None and not before.unit.is_item:
            keys.add((before.passage_rank, before.position))
    return [units[key] for key in sorted(keys) if key in units]


class Composer:
    """Composes answers; ``titles`` maps a file name to (title, access rank) of every
    indexed document, ``vectors`` embeds sentences (shape (n, dim), unit length)."""

    def __init__(
        self, config: ExtractiveSettings, vectors: SentenceVectors, titles: dict[str, tuple[str, int]]
    ) -> None:
        self._config = config
        self._vectors = vectors
        self._titles = titles

    def compose(self, chosen: list[Candidate], candidates: list[Candidate]) -> tuple[str, list[Citation]]:
        """The answer text ("sentences [n]" per passage, list items one per line) and its
        citations numbered in order. ``candidates`` are all of the question's candidates (for
        the sentence before a pronoun)."""
        units = {(c.passage_rank, c.position): c for c in candidates}
        chosen = _with_antecedents(chosen, units)
        kept, merged = self._deduplicate(chosen)
        by_passage: dict[int, list[Candidate]] = {}
        for c in kept:
            by_passage.setdefault(c.passage_rank, []).append(c)
        order = list(by_passage)
        for rank in merged.values():
            for extra in rank:
                if extra.passage_rank not in order:
                    order.append(extra.passage_rank)
        numbers = {rank: n for n, rank in enumerate(order, start=1)}
        quoted: dict[int, list[Candidate]] = {rank: list(by_passage.get(rank, [])) for rank in order}
        markers: dict[int, set[int]] = {rank: {numbers[rank]} for rank in by_passage}
        for key, extras in merged.items():
            for extra in extras:
                quoted[extra.passage_rank].append(extra)
                markers[key[0]].add(numbers[extra.passage_rank])
        paragraphs = []
        versions = _versions([members[0] for members in by_passage.values()])
        for rank, members in by_passage.items():
            marks = "".join(f"[{n}]" for n in sorted(markers[rank]))
            rendered = self._render(members)
            if rank in versions:  # two versions of one document: say which figure is whose
                rendered = f"Enligt {members[0].passage.chunk.metadata.get('title', '')}: {rendered}"
            paragraphs.append(f"{rendered}\n\n{marks}" if rendered.endswith("|") else f"{rendered} {marks}")
        citations = []
        for rank in order:
            first = quoted[rank][0] if quoted[rank] else next(c for c in chosen if c.passage_rank == rank)
            citations.append(
                Citation.from_fused(numbers[rank], first.passage, tuple(c.unit.text for c in quoted[rank]))
            )
        return "\n\n".join(paragraphs), citations

    def _deduplicate(
        self, chosen: list[Candidate]
    ) -> tuple[list[Candidate], dict[tuple[int, int], list[Candidate]]]:
        """The chosen sentences with each statement once, and for each kept sentence's key
        (passage rank, position) the duplicates it stands for."""
        sentences = [c for c in chosen if not c.unit.is_item]
        if len(sentences) < 2:
            return chosen, {}
        vectors = self._vectors([c.unit.text for c in sentences])
        similarity = vectors @ vectors.T
        index = {id(c): i for i, c in enumerate(sentences)}
        # Primary documents first, then rank order: the first of a group is the one quoted.
        preference = sorted(sentences, key=lambda c: (not _is_primary(c), c.passage_rank, c.position))
        groups: list[tuple[Candidate, list[Candidate]]] = []
        for c in preference:
            for head, members in groups:
                if head.passage_rank != c.passage_rank and self._same_statement(
                    head.unit.text, c.unit.text, float(similarity[index[id(head)], index[id(c)]])
                ):
                    members.append(c)
                    break
            else:
                groups.append((c, []))
        dropped = {id(c) for _, members in groups for c in members}
        kept = [c for c in chosen if id(c) not in dropped]
        return kept, {(head.passage_rank, head.position): members for head, members in groups if members}

    def _same_statement(self, a: str, b: str, similarity: float) -> bool:
        config = self._config
        return restates(a, b, config.duplicate_overlap) or similarity >= config.duplicate_similarity

    def _render(self, units: list[Candidate]) -> str:
        """Sentences as running text, list items one per line, table rows under their header
        row (a table's header on its own is dropped when its rows are quoted)."""
        headers = {c.unit.table_header for c in units if c.unit.is_table_row}
        parts: list[str] = []
        current_header: str | None = None
        for c in units:
            text = self._name_section(c)
            if c.unit.is_table_row:
                if c.unit.table_header != current_header:
                    current_header = c.unit.table_header
                    columns = current_header.count("|") - 1
                    parts.append("\n\n" + current_header + "\n" + "|---" * columns + "|")
                parts.append("\n" + text)
                continue
            current_header = None
            if text in headers:
                continue
            if not c.unit.is_item and c.position == 0 and _PRONOUN_START.match(text):
                text = f"[{c.passage.chunk.metadata.get('title', '')}] {text}"
            if c.unit.is_item:
                parts.append("\n- " + text.lstrip("•-*– ").strip())
            else:
                after_block = parts and (parts[-1].startswith("\n- ") or parts[-1].startswith("\n|"))
                parts.append(("\n\n" if after_block else " ") + text)
        return "".join(parts).strip()

    def _name_section(self, c: Candidate) -> str:
        """ "enligt avsnitt 7" -> "enligt avsnitt 7 [i «the source's title»]" in a derived record,
        when the source is indexed at a level no higher than the record's own."""
        source = str(c.passage.chunk.metadata.get("fm_source", ""))
        title, rank = self._titles.get(source.rsplit("/", 1)[-1], ("", 0))
        if not source or not title or rank > int(c.passage.chunk.metadata.get("access_rank", 0)):
            return c.unit.text
        return _SECTION.sub(lambda m: f"{m.group(0)} [i {title}]", c.unit.text, count=1)
