"""The Swedish stemmer (``assistant.stemming``); no model needed."""

from __future__ import annotations

import pytest

from assistant.stemming import SwedishStemmer


@pytest.mark.parametrize(
    "forms",
    [
        ("syfte", "syftet", "syften"),
        ("mål", "målet", "målen"),
        ("arbete", "arbetet"),
        ("beslut", "beslutet"),
        ("uppdrag", "uppdraget"),
        ("län", "länet"),
        ("samhälle", "samhället"),
    ],
)
def test_every_form_of_a_neuter_noun_has_one_stem_the_definite_singular_too(forms):
    stemmer = SwedishStemmer()
    assert len(set(stemmer.stemWords(list(forms)))) == 1
    assert {stemmer.stemWord(form) for form in forms} == set(stemmer.stemWords(list(forms)))


def test_a_short_word_keeps_its_et():
    assert SwedishStemmer().stemWords(["det", "vet", "plattformen"]) == ["det", "vet", "plattform"]


def test_a_word_whose_own_ending_is_et_keeps_it_in_every_form():
    stemmer = SwedishStemmer()
    for forms in (("kvalitet", "kvaliteten"), ("budget", "budgeten"), ("raket", "raketen")):
        assert len(set(stemmer.stemWords(list(forms)))) == 1


def test_a_compound_loses_its_et_as_its_last_part_does():
    stemmer = SwedishStemmer()
    assert stemmer.stemWord("mittuniversitetet").endswith(stemmer.stemWord("universitetet"))
    assert stemmer.stemWord("samsynsbeslutet") == "samsynsbeslut"
