"""Why-questions and background sections (assistant.reasons)."""

from __future__ import annotations

import pytest

from assistant.reasons import REASON_WORDS, asks_why, is_background


@pytest.mark.parametrize(
    ("question", "why"),
    [
        ("Varför behövs en gemensam investeringsplattform?", True),
        ("och varför ska den finnas?", True),
        ("Vilket problem ska plattformen lösa?", True),
        ("Vad är poängen med en egen organisation?", True),
        # English: which document's subject it names is judged by the Swedish title's words
        ("What problem does the platform solve?", False),
        ("Why was the platform set up?", False),
        ("Vad ska plattformen göra?", False),
        ("Vad är syftet med plattformen?", False),  # the material's "Syfte:" line answers it
        ("Vilka organisationer var med?", False),
    ],
)
def test_a_question_asking_why_or_what_problem_is_known(question: str, why: bool) -> None:
    assert asks_why(question) is why


@pytest.mark.parametrize(
    ("heading", "background"),
    [
        ("1. Utgångspunkt / Utmaningen", True),
        ("Bakgrund", True),
        ("Problembeskrivning", True),
        ("Background and rationale", True),
        ("2. Vad vi vill åstadkomma", False),
        ("4. Insikter, inriktning och uppdrag:", False),
    ],
)
def test_a_background_heading_is_known(heading: str, background: bool) -> None:
    assert is_background(heading) is background


def test_the_words_naming_a_reason_are_not_the_subject() -> None:
    assert REASON_WORDS.findall("Vilket problem ska investeringsplattformen lösa?") == ["problem", "lösa"]
    assert REASON_WORDS.findall("Varför ska plattformen ha mandat?") == []
