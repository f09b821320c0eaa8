"""Which language a question is answered in: English questions get English, even with a
Swedish name in them; Norwegian and Danish questions are answered as Swedish ones."""

from __future__ import annotations

import pytest

from assistant.language import detect_language


@pytest.mark.parametrize(
    "question",
    [
        "What is the growth engine (Tillväxtmotor)?",
        "Who is preparing the build-up phase?",
        "What does Region Jämtland Härjedalen do in the platform?",
    ],
)
def test_english_questions_are_english_even_with_swedish_names(question: str) -> None:
    assert detect_language(question) == "en"


@pytest.mark.parametrize(
    "question",
    [
        "Vad är Tillväxtmotorn?",
        "Vem förbereder underlaget för Letter of Intent?",
        "Hva er budsjettet for 2027?",  # Norwegian
        "Hvem har ansvaret for platformen?",  # Danish
    ],
)
def test_swedish_and_other_scandinavian_questions_are_swedish(question: str) -> None:
    assert detect_language(question) == "sv"
