"""A quoted sentence brings the next one when that one goes on from it ("… ett
uppföljningsansvar. Det handlar om …"), and a "När …?" is answered by the case something
holds in ("Om …") when that sentence restates the question; real index, MiniLM."""

from __future__ import annotations

from pathlib import Path

from assistant.service import Assistant
from ingest.sync import run_ingest
from tests.conftest import front_matter_doc, write_files

FOLLOW_UP = (
    "Plattformen har ett uppföljningsansvar för varje etablering i länet. "
    "Det handlar om att besöka företaget och fråga hur många som har anställts."
)
REFERENCE_GROUP = (
    "Referensgruppen består av företrädare för näringslivet. "
    "Om styrgruppen behöver förankra ett beslut om organisationsform sammankallas referensgruppen extra."
)


def _assistant(tmp_path: Path, settings, embedder) -> Assistant:
    corpus = write_files(
        tmp_path / "korpus",
        {
            "uppfoljning.md": front_matter_doc("Uppföljning", "intern", f"# Uppföljning\n\n{FOLLOW_UP}"),
            "referensgrupp.md": front_matter_doc(
                "Referensgruppen", "intern", f"# Referensgruppen\n\n{REFERENCE_GROUP}"
            ),
        },
    )
    report = run_ingest([str(corpus)], settings, embedder)
    assert not [result for result in report.results if result.status == "fel"]
    return Assistant(settings)


def test_the_sentence_that_goes_on_from_a_quoted_one_is_quoted_with_it(
    tmp_path: Path, settings, embedder
) -> None:
    assistant = _assistant(tmp_path, settings, embedder)
    answer = assistant.ask("Vad innebär plattformens uppföljningsansvar?")
    assert not answer.abstained
    assert "ett uppföljningsansvar för varje etablering" in answer.answer
    assert "Det handlar om att besöka företaget" in answer.answer


def test_a_when_question_is_answered_by_the_case_it_holds_in_and_declined_without_one(
    tmp_path: Path, settings, embedder
) -> None:
    assistant = _assistant(tmp_path, settings, embedder)
    answer = assistant.ask("När sammankallas referensgruppen extra?")
    assert not answer.abstained
    assert "Om styrgruppen behöver förankra ett beslut om organisationsform" in answer.answer
    # the same clause does not say when the group was formed: it restates another question
    assert assistant.ask("När bildades referensgruppen?").abstained
