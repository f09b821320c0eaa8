"""Front matter as people write it: any case, Swedish or English key names, Swedish spellings.

Keys are matched case-insensitively against the known fields and their Swedish synonyms and
stored under the canonical English name. Access decides who may read a file, so anything
that looks like an access key but cannot be read refuses the file (with the key named)
rather than letting it be indexed at the default level.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from ingest.document import ReadError
from kbcore.settings import ACCESS_LEVELS
from kbcore.text import fold_key, normalize_text

# canonical field -> the spellings that mean it (compared after ``fold_key``)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "access": ("access", "atkomst", "behorighet", "atkomstniva", "behorighetsniva"),
    "title": ("title", "titel", "rubrik"),
    "date": ("date", "datum"),
    "owner": ("owner", "agare", "ansvarig"),
    "type": ("type", "typ", "dokumenttyp"),
}
_BY_SPELLING = {spelling: field for field, spellings in SYNONYMS.items() for spelling in spellings}
# fragments that make a key look like an access key even when misspelt or compounded
_ACCESS_LIKE = re.compile(
    r"^(?:acc?ess?|atkomst|behorig)|(?:acc?ess|atkomst|behorighet)$|sekretess|confidential"
)
# Swedish spellings of the levels (folded): 'öppen' and 'öppet' are 'oppen'
_LEVEL_SPELLINGS = {"oppet": "oppen", "open": "oppen", "public": "oppen", "partners": "partner"}


def canonical_front_matter(raw: dict[Any, Any]) -> tuple[dict[str, Any], list[str]]:
    """Front matter with known keys under their canonical names (values unchanged, strings
    NFC), and notices (unknown keys). Raises ReadError naming the key when a key looks like
    access but is not one of its spellings, or when two keys both give the access."""
    front: dict[str, Any] = {}
    origin: dict[str, str] = {}
    unknown: list[str] = []
    for key, value in raw.items():
        name = normalize_text(str(key)).strip()
        folded = fold_key(name)
        field = _BY_SPELLING.get(folded)
        if field is None and (
            _ACCESS_LIKE.search(folded) or difflib.get_close_matches(folded, SYNONYMS["access"], cutoff=0.75)
        ):
            raise ReadError(
                f"front matter-nyckeln '{name}' ser ut att gälla åtkomst men känns inte igen; "
                f"skriv 'access: <nivå>' (nivåer: {', '.join(ACCESS_LEVELS)})"
            )
        if field is None:
            unknown.append(name)
            front[name] = _normalized(value)
            continue
        if field in front:
            if field == "access":
                raise ReadError(f"åtkomsten anges två gånger i front matter ('{origin[field]}' och '{name}')")
            unknown.append(name)  # a second spelling of another field: kept as an extra field
            front[name] = _normalized(value)
            continue
        front[field] = _normalized(value)
        origin[field] = name
    if not unknown:
        return front, []
    return front, [f"okända fält i front matter sparas som extra metadata: {', '.join(unknown)}"]


def _normalized(value: Any) -> Any:
    if isinstance(value, str):
        return normalize_text(value).strip()
    if isinstance(value, list):
        return [_normalized(item) for item in value]
    return value


def access_level(value: Any, default: str) -> str:
    """The access level a front-matter value names, in any case and Swedish spelling
    ('Öppen', 'STYRGRUPP', a one-item list); ``default`` when the value is missing or empty.
    Raises ReadError for anything else, since a wrong level would leak the file."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if value is None or value == "" or value == []:
        return default
    if not isinstance(value, str):
        raise ReadError(
            f"åtkomsten i front matter ('access: {value}') är inte en nivå "
            f"(tillåtna: {', '.join(ACCESS_LEVELS)})"
        )
    folded = fold_key(value)
    level = _LEVEL_SPELLINGS.get(folded, folded)
    if level not in ACCESS_LEVELS:
        raise ReadError(f"okänd åtkomstnivå '{value}' i front matter (tillåtna: {', '.join(ACCESS_LEVELS)})")
    return level
