"""The answer groups of the settings: read from the environment with ``__``, recorded whole,
and a moved flat name refused rather than ignored."""

from __future__ import annotations

import pytest

from evals.evaluate import settings_record
from kbcore.access import ACCESS_LEVELS, AccessLevel
from kbcore.settings import Settings
from kbcore.tuning import ANSWER_GROUPS


def test_a_group_field_is_read_from_its_nested_environment_name(monkeypatch) -> None:
    monkeypatch.setenv("ASSISTANT_ABSTENTION__STRONG_SIMILARITY", "0.61")
    monkeypatch.setenv("ASSISTANT_FUSION__TOP_K", "7")
    settings = Settings()
    assert settings.abstention.strong_similarity == 0.61 and settings.fusion.top_k == 7
    assert settings.abstention.weak_similarity == 0.40  # the rest of the group keeps its defaults


def test_a_moved_flat_name_is_refused_with_its_new_name(monkeypatch) -> None:
    monkeypatch.setenv("ASSISTANT_ABSTAIN_STRONG_SIMILARITY", "0.61")
    with pytest.raises(ValueError, match="ASSISTANT_ABSTENTION__STRONG_SIMILARITY"):
        Settings()


def test_the_report_records_every_answer_group_whole() -> None:
    settings = Settings()
    record = settings_record(settings)
    for group in ANSWER_GROUPS:
        assert record[group] == getattr(settings, group).model_dump()


def test_every_tuned_number_says_where_it_came_from() -> None:
    for group in ANSWER_GROUPS:
        for name, field in type(getattr(Settings(), group)).model_fields.items():
            assert field.description and (
                "Tuned" in field.description
                or "Not tuned" in field.description
                or "Chosen" in field.description
            ), f"{group}.{name}"


def test_access_levels_have_english_names_stored_values_and_swedish_labels() -> None:
    assert [level.rank for level in ACCESS_LEVELS] == [0, 1, 2, 3]
    assert AccessLevel.PUBLIC == "oppen" and AccessLevel.PUBLIC.label == "öppen"
    settings = Settings()
    assert settings.access_rank("remisspartner") == AccessLevel.PARTNER.rank
    assert settings.access_rank(None) == AccessLevel.STEERING_GROUP.rank
