"""Access levels are applied inside both searches: a lower role never gets a restricted chunk,
not even ranked low, from BM25 or from Chroma."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.service import Assistant
from ingest.sync import run_ingest
from kbcore.settings import ACCESS_LEVELS
from tests.conftest import front_matter_doc, write_files

pytestmark = pytest.mark.core  # also run against a `chroma run` server (TEST_CHROMA=server)

FACTS = {
    "oppen": "Tillväxtmotorn presenteras öppet på länets webbplats.",
    "partner": "Remisspartner skickar investerare till kontaktpunkten Norrsken.",
    "intern": "Medarbetarnas interna kodord för projektet är Fjällräven.",
    "styrgrupp": "Styrgruppen budgeterar 42 miljoner kronor för Tillväxtmotorn.",
}


@pytest.fixture
def assistant(tmp_path: Path, settings, embedder) -> Assistant:
    corpus = write_files(
        tmp_path / "korpus",
        {
            f"{level}.md": front_matter_doc(f"Dokument {level}", level, f"# Tillväxtmotorn\n\n{fact}")
            for level, fact in FACTS.items()
        },
    )
    run_ingest([str(corpus)], settings, embedder)
    return Assistant(settings)


@pytest.mark.parametrize("role_level", ACCESS_LEVELS)
def test_each_role_sees_only_its_level_and_below_in_both_channels(
    assistant: Assistant, role_level: str
) -> None:
    rank = ACCESS_LEVELS.index(role_level)
    for level, fact in FACTS.items():
        dense = assistant.store.query(assistant.embedder.embed_queries([fact])[0], 10, rank)
        lexical = assistant.bm25.search(fact, 10, rank)
        allowed = ACCESS_LEVELS.index(level) <= rank
        for channel in (dense, lexical):
            assert all(int(r.chunk.metadata["access_rank"]) <= rank for r in channel)
            assert any(fact in r.chunk.text for r in channel) == allowed


def test_answers_citations_and_retrieved_never_carry_restricted_text(assistant: Assistant) -> None:
    answer = assistant.ask("Hur mycket budgeterar styrgruppen för Tillväxtmotorn?", role="remisspartner")
    dumped = str(answer.to_json())
    assert "42 miljoner" not in dumped
    full = assistant.ask("Hur mycket budgeterar styrgruppen för Tillväxtmotorn?", role="styrgrupp")
    assert "42 miljoner" in str(full.to_json())


def test_unknown_role_is_refused(assistant: Assistant) -> None:
    with pytest.raises(ValueError, match="Okänd roll"):
        assistant.ask("Vad är Tillväxtmotorn?", role="gäst")
