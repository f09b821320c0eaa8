"""The material's "Term – definition" lines, and questions that ask what a term means."""

from __future__ import annotations

import pytest

from assistant.definitions import asks_meaning, defined_term


@pytest.mark.parametrize(
    ("line", "term"),
    [
        ("Kompetensattraktion – stärka regionens förmåga att behålla kompetens.", "Kompetensattraktion"),
        ("Syfte: Öka länets gemensamma kapacitet att attrahera investeringar.", "Syfte"),
        ("Innovations – och entreprenörskapsfrämjande – stärka ekosystemet.", "Innovations"),
        ("Lokal nytta: jobb och skatteintäkter som stannar i länet.", "Lokal nytta"),
        (
            "Investeringsfrämjande - attrahera investeringar (ett bindestreck efter konvertering).",
            "Investeringsfrämjande",
        ),
    ],
)
def test_a_line_that_opens_with_a_term_and_a_dash_or_colon_defines_it(line: str, term: str) -> None:
    assert defined_term(line) == term


@pytest.mark.parametrize(
    "line",
    [
        "Jämtland Härjedalen har starka tillgångar som efterfrågas i både grön omställning samt civil- och "
        "militär säkerhet – energi, mark och kompetens.",
        "Det ska ge:",
        "Enligt avsnitt 7 i sammanfattningen förbereder han för uppbyggnadsfasen.",
        "2027 – strategi och verksamhetsplan.",
    ],
)
def test_a_long_opening_a_list_introduction_or_a_figure_defines_nothing(line: str) -> None:
    assert defined_term(line) is None


def test_questions_about_meaning_are_told_from_others() -> None:
    assert asks_meaning("Vad innebär kompetensattraktion rent konkret?")
    assert asks_meaning("Vad är syftet med Tillväxtmotorn?")
    assert asks_meaning("Lokal nytta – vad menas med det?")
    assert asks_meaning("What does investeringsfrämjande mean?")
    assert not asks_meaning("Vem förbereder uppbyggnadsfasen?")
    assert not asks_meaning("När ska beslutet fattas?")
