"""The support test for generated sentences: citations parsed however the model writes them,
numbers and names exact, content measured after Swedish stemming."""

from __future__ import annotations

import pytest

from assistant.verifier import Verifier
from kbcore.tuning import VerifierSettings

PASSAGES = [
    "Magnus Aspegren och Martin Söderström tar fram underlag för formellt beslut. "
    "Underlaget presenteras vid styrgruppens sammanträde i januari 2026.",
    "Tillväxtmotorn ska attrahera investeringar i grön omställning. Budgeten är 2 000 000 kronor.",
]


@pytest.fixture(scope="module")
def verifier() -> Verifier:
    return Verifier(VerifierSettings())


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("A gäller [1]. B gäller [2].", [("A gäller.", (1,)), ("B gäller.", (2,))]),
        ("A gäller. [1] B gäller. [1, 2]", [("A gäller.", (1,)), ("B gäller.", (1, 2))]),
        ("A gäller [1][2].", [("A gäller.", (1, 2))]),
        ("[1]. A gäller. [2]. B gäller.", [("A gäller.", (1,)), ("B gäller.", (2,))]),
        ("A gäller. B gäller [källa 2].", [("A gäller.", ()), ("B gäller.", (2,))]),
        ("[1], [2], [3].", []),
        ("Svaret är [Tillväxtmotorn].", [("Svaret är Tillväxtmotorn.", ())]),
    ],
)
def test_citations_are_read_as_the_model_writes_them(verifier: Verifier, reply: str, expected) -> None:
    assert verifier.sentences(reply) == expected


def test_a_paraphrase_with_inflected_words_is_supported(verifier: Verifier) -> None:
    checked = verifier.check(
        "Underlagen för det formella beslutet tas fram av Magnus Aspegren.", (1,), PASSAGES
    )
    assert checked.kept and checked.support >= 0.5
    assert checked.evidence == {1: PASSAGES[0].split(". ")[0] + "."}


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("Underlaget presenteras i januari 2027.", "talet 2027 står inte i källan"),
        ("Budgeten är 3 000 000 kronor.", "talet 3000000 står inte i källan"),
        ("Underlaget tas fram av Anna Berg.", "namnet Anna står inte i källan"),
        ("Underlaget granskas av FOI.", "namnet FOI står inte i källan"),
        ("Kommunerna finansierar satsningen på vätgas och batterier.", "bara 0% av innehållet står i källan"),
    ],
)
def test_changed_numbers_names_and_new_content_are_caught(verifier: Verifier, sentence: str, reason) -> None:
    source = 2 if "Budget" in sentence or "vätgas" in sentence else 1
    checked = verifier.check(sentence, (source,), PASSAGES)
    assert not checked.kept and checked.reason == reason


def test_numbers_match_however_they_are_spaced(verifier: Verifier) -> None:
    assert verifier.check("Budgeten är 2000000 kronor.", (2,), PASSAGES).kept


def test_a_true_sentence_citing_the_wrong_passage_is_removed(verifier: Verifier) -> None:
    assert not verifier.check(
        "Tillväxtmotorn ska attrahera investeringar i grön omställning.", (1,), PASSAGES
    ).kept


def test_a_citation_outside_the_retrieved_passages_is_rejected(verifier: Verifier) -> None:
    checked = verifier.check("Tillväxtmotorn ska attrahera investeringar.", (3,), PASSAGES)
    assert checked.reason == "hänvisar till källa 3, som inte hämtades"


def test_an_uncited_sentence_is_attributed_to_the_passage_that_supports_it(verifier: Verifier) -> None:
    checked = verifier.check("Tillväxtmotorn ska attrahera investeringar i grön omställning.", (), PASSAGES)
    assert checked.kept and checked.attributed and checked.cites == (2,)
    invented = verifier.check("Tillväxtmotorn har sju anställda i Sundsvall.", (), PASSAGES)
    assert not invented.kept and invented.reason.startswith("saknar källhänvisning och")


def test_a_bare_subject_is_not_an_answer(verifier: Verifier) -> None:
    assert verifier.check("Tillväxtmotorn.", (2,), PASSAGES).reason == "för kort för att besvara frågan"
