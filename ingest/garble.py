"""Detect text that a PDF's broken font encoding turned into garbage.

One of the real PDFs here extracts as ``QlUPDVW\\x03 HIWHU\\x03 GHW`` ("närmast efter det": glyph codes 29
below the letters, spaces as control characters) on some lines of some pages, while
the rest of the page is fine. Such lines must not be indexed as Swedish: they would
match nothing and pollute answers. We drop such lines (a quarter or more of their words
garbled), strip stray control characters from the rest, and report how many we dropped.
"""

from __future__ import annotations

import re

_CONTROL = "".join(chr(code) for code in range(32) if chr(code) not in "\t\r\n")
_LETTER_PIPE_LETTER = re.compile(r"[^\W\d_][|\\][^\W\d_]")
_EDGE = _CONTROL + ".,;:!?()[]\"'’”-–"


def _implausible(word: str) -> bool:
    """A capital after a small letter inside a word ('QlUPDVW'): real words almost never."""
    return any(a.islower() and b.isupper() for a, b in zip(word, word[1:]))


def _garbled_token(token: str) -> bool:
    core = token.strip(_EDGE)
    if not core:
        return any(char in _CONTROL for char in token)  # a token of control characters only
    return (
        any(char in _CONTROL for char in core)  # '\x03' standing in for a space inside a word
        or bool(_LETTER_PIPE_LETTER.search(core))  # '|' standing in for 'ö': '-|QN|SLQJ'
        or _implausible(core)
    )


def is_garbled_line(line: str) -> bool:
    tokens = line.split()
    garbled = sum(_garbled_token(token) for token in tokens)
    return garbled > 0 and garbled / len(tokens) >= 0.25


def drop_garbled_lines(text: str) -> tuple[str, int]:
    """The text without garbled lines (stray control characters removed from the rest),
    and how many lines were dropped."""
    kept, dropped = [], 0
    for line in text.splitlines():
        if is_garbled_line(line):
            dropped += 1
        else:
            kept.append(line.translate({ord(char): None for char in _CONTROL}))
    return "\n".join(kept), dropped
