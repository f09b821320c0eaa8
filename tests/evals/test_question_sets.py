"""The checked-in question sets are what the issue asks for, and every gold quote is really
in its gold document (a typo would silently score as a system miss)."""

from __future__ import annotations

from collections import Counter

import pytest

from evals.questions import load_question_file, normalise
from evals.runner import CORPUS_SETS, SETS_DIR, corpus_questions
from ingest.readers import read_file
from tests.conftest import REPO

GROUPS = ("nyanstalld", "styrgrupp", "remisspartner")


def _body(doc_id: str) -> str:
    """The document's indexed text (front matter removed), as the reader gives it."""
    document = read_file(REPO / doc_id, max_bytes=10**7, pdf_options={})
    return normalise(" ".join(page.text for page in document.pages))


def test_corpus_sets_have_the_required_kinds_of_question():
    questions = corpus_questions()
    answerable_per_group = Counter(q.group for q in questions if q.answerable and q.language == "sv")
    assert all(answerable_per_group[group] >= 25 for group in GROUPS), answerable_per_group
    assert sum(not q.answerable for q in questions) >= 12
    assert sum(q.language == "en" for q in questions) >= 12
    assert sum(q.follow_up for q in questions) >= 10
    assert len({q.id for q in questions}) == len(questions), "ids must be unique"


@pytest.mark.parametrize("path", sorted(CORPUS_SETS.glob("*.jsonl")) + [SETS_DIR / "dev.jsonl"], ids=str)
def test_every_gold_quote_is_in_its_document(path):
    for question in load_question_file(path):
        assert question.answerable == bool(question.gold), question.id
        for gold in question.gold:
            docs = (
                sorted(p.relative_to(REPO).as_posix() for p in (REPO / gold.doc).glob("*.md"))
                if gold.doc.endswith("/")
                else [gold.doc]
            )
            assert any(normalise(gold.quote) in _body(doc) for doc in docs), (question.id, gold)
        assert all(fact.strip() for fact in question.key_facts), question.id


def test_a_gold_quote_in_front_matter_is_citable_from_the_record_card_and_a_typo_is_refused():
    from evals.questions import GoldPassage, Question, QuestionFileError
    from evals.runner import _check_gold_exists
    from kbcore.schema import Chunk

    chunks = [
        Chunk("b.md::x::00000", "Arbetet förbereds.", {"doc_id": "b.md", "title": "B", "fm_status": "pågår"})
    ]

    def question(quote: str) -> Question:
        return Question("q", "styrgrupp", "sv", "Hur går det?", True, gold=(GoldPassage("b.md", quote),))

    _check_gold_exists([question("status: pågår")], chunks)  # the card says "Status: pågår"
    with pytest.raises(QuestionFileError, match="q"):
        _check_gold_exists([question("status: klar")], chunks)
