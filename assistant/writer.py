"""What every answer writer offers the service: one stream per query."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from assistant.answer import Answer
from assistant.fusion import Fused
from assistant.query import Query


class Writer(Protocol):
    """Writes the answer to an embedded ``Query`` from its fused passages (best first).

    The stream yields the verified answer text as it grows (``str``, possibly none at all) and
    always ends with the ``Answer``. Implemented by ``ExtractiveWriter`` and ``GenerativeWriter``.
    """

    def write_stream(self, query: Query, retrieved: list[Fused]) -> Iterator[str | Answer]: ...
