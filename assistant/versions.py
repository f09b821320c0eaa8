"""Versions of one document among the retrieved passages: the same title but for its years
("Projektplan bredband 2025" / "... 2026"). A question that names a year is answered from
that year's version only; when two versions are quoted, each is named."""

from __future__ import annotations

import re

from assistant.fusion import Fused

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_REMARK = re.compile(r"\([^)]*\)")  # "(reviderad)", "(utkast)": how a version is marked


def title_key(title: str) -> str:
    """A document title without its years and bracketed remarks, case-folded: versions share
    it ("Projektplan bredband 2026 (reviderad)" -> "projektplan bredband")."""
    return " ".join(_YEAR.sub(" ", _REMARK.sub(" ", title)).split()).casefold()


def version_key(item: Fused) -> str:
    """The ``title_key`` of the passage's document."""
    return title_key(str(item.chunk.metadata.get("title", "")))


def _years(item: Fused) -> set[str]:
    meta = item.chunk.metadata
    return set(_YEAR.findall(f"{meta.get('title', '')} {meta.get('date', '')}"))


def prefer_named_version(question: str, passages: list[Fused]) -> list[Fused]:
    """``passages`` (rank order) without those of another version of a document whose
    version of the year the question names is among them: "budgeten i projektplanen 2026"
    is not answered from the 2025 plan. Unchanged when the question names no year."""
    named = set(_YEAR.findall(question))
    if not named:
        return passages
    matching = {version_key(item) for item in passages if _years(item) & named}
    return [
        item
        for item in passages
        if version_key(item) not in matching or _years(item) & named or not _years(item)
    ]


def versions_among(passages: list[Fused]) -> set[int]:
    """Indexes of the passages whose documents are versions of one another (same
    ``version_key``, different documents)."""
    documents: dict[str, set[str]] = {}
    for item in passages:
        documents.setdefault(version_key(item), set()).add(item.chunk.doc_id)
    shared = {key for key, docs in documents.items() if key and len(docs) > 1}
    return {i for i, item in enumerate(passages) if version_key(item) in shared}
