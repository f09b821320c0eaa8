"""The access levels, from least to most restricted: a role sees its level and all below.

The values are the words written in front matter and stored with every chunk; ``label`` is
what users are shown."""

from __future__ import annotations

from enum import StrEnum


class AccessLevel(StrEnum):
    """One access level; equal to its stored (Swedish, ASCII) value, e.g. ``"oppen"``."""

    PUBLIC = "oppen"
    PARTNER = "partner"
    INTERNAL = "intern"
    STEERING_GROUP = "styrgrupp"

    @property
    def rank(self) -> int:
        """0 for PUBLIC up to 3 for STEERING_GROUP."""
        return ACCESS_LEVELS.index(self)

    @property
    def label(self) -> str:
        """The level as users read it (Swedish)."""
        return _LABELS[self]


ACCESS_LEVELS: tuple[AccessLevel, ...] = tuple(AccessLevel)
"""Least to most restricted; ``ACCESS_LEVELS.index(level)`` is a level's rank."""

_LABELS = {
    AccessLevel.PUBLIC: "öppen",
    AccessLevel.PARTNER: "partner",
    AccessLevel.INTERNAL: "intern",
    AccessLevel.STEERING_GROUP: "styrgrupp",
}
