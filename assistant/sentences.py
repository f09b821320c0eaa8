"""Split a passage into whole sentences and list items, in source order.

The platform material comes from presentations: lines break mid-sentence, lists have
no markers, and a line ending in ':' introduces the items below it. A unit is a whole
sentence or list item, never a fragment, so a quoted answer always reads as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BULLET = re.compile(r"^\s*(?:[•\-*–]\s+|\d+[.)]\s+|[A-ZÅÄÖ],\s)")
_HEADING = re.compile(r"^\s*#+\s")
_TABLE_LINE = re.compile(r"^\|.*\|$")
_TABLE_RULE = re.compile(r"^\|[\s:|-]+\|$")
# Common Swedish abbreviations that end in a full stop but do not end a sentence.
_ABBREVIATIONS = (
    "t.ex",
    "bl.a",
    "m.m",
    "s.k",
    "d.v.s",
    "dvs",
    "inkl",
    "ca",
    "nr",
    "kap",
    "jfr",
    "resp",
    "m.fl",
    "fr.o.m",
    "t.o.m",
    "p.g.a",
    "o.d",
    "etc",
    "st",
    "e.g",
    "i.e",
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"”'(]?[A-ZÅÄÖ0-9•])")


@dataclass(frozen=True)
class Unit:
    text: str
    introduces_list: bool  # ends with ':' - the following items belong to it
    is_item: bool
    table_header: str = ""  # a table row: its table's header row ("| Kommun | Belopp |")

    @property
    def is_table_row(self) -> bool:
        return bool(self.table_header)


def _logical_lines(text: str) -> list[tuple[str, bool]]:
    """Join lines that continue a sentence; keep list items and headings on their own.
    Returns (line, is_item); a list runs from a line ending in ':' to the next blank line."""
    lines: list[tuple[str, bool]] = []
    in_list = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or _HEADING.match(line):  # headings travel as chunk metadata
            lines.append(("", False))
            in_list = False
            continue
        starts_item = bool(_BULLET.match(line))
        previous = lines[-1][0] if lines else ""
        if previous and not starts_item and not previous.endswith((".", "!", "?", "”", '"', ":")):
            lines[-1] = (f"{previous} {line}", lines[-1][1])
        else:
            lines.append((line, starts_item or in_list))
        in_list = in_list or line.endswith(":")
    return lines


def _sentences(line: str) -> list[str]:
    protected = line
    for abbreviation in _ABBREVIATIONS:
        protected = re.sub(
            rf"\b{re.escape(abbreviation)}\.",
            abbreviation.replace(".", "\u2024") + "\u2024",
            protected,
            flags=re.IGNORECASE,
        )
    return [part.replace("\u2024", ".").strip() for part in _SENTENCE_END.split(protected) if part.strip()]


def split_units(text: str) -> list[Unit]:
    """The passage's sentences, list items and table rows, in source order. A markdown
    table's rows are units of their own, each with its table's header row, so that a
    question about one row is answered by that row (the header row and the rule under it
    are not units)."""
    units: list[Unit] = []
    prose: list[str] = []
    header = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not _TABLE_LINE.match(line):
            prose.append(raw)
            header = ""
            continue
        units += _prose_units("\n".join(prose))
        prose = []
        if not header:
            header = line
        elif not _TABLE_RULE.match(line):
            units.append(Unit(line, False, False, header))
    return units + _prose_units("\n".join(prose))


def _prose_units(text: str) -> list[Unit]:
    units: list[Unit] = []
    for line, is_item in _logical_lines(text):
        if not line:
            continue
        for part in _sentences(line):
            units.append(Unit(part, part.endswith(":"), is_item))
    return units
