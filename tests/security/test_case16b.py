"""Field case 16b (../shared/field_cases/case16b): a word known only from a restricted
document. `medarbetare` asking "Vad är budgetramen för 2027?" must get the abstention phrase,
exactly as if the steering group's document did not exist; the steering group gets the figure.
Fast with MiniLM; once more with the product's model (slow)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.service import Assistant
from assistant.texts import ABSTAIN_SV
from ingest.sync import run_ingest
from kbcore.embedder import get_embedder
from kbcore.settings import Settings
from kbcore.tuning import AbstentionSettings
from tests.conftest import front_matter_doc, minilm_settings, write_files

BUDGET = front_matter_doc(
    "Styrgruppens budgetram", "styrgrupp", "Budgetramen för 2027 är preliminärt 21 miljoner kronor."
)
FOLLOW_UP = front_matter_doc(
    "Projektuppföljning", "intern", "Underskottet i projektet Fjällstart är 2,3 miljoner kronor."
)
QUESTION = "Vad är budgetramen för 2027?"


def _assistants(root: Path, settings_for) -> tuple[Assistant, Assistant]:
    """The case's corpus indexed whole, then (the same folder, so every path is the same)
    without the steering group's document."""
    corpus = write_files(root / "corpus", {"budgetram.md": BUDGET, "uppfoljning.md": FOLLOW_UP})
    built = []
    for name in ("hel", "utan"):
        if name == "utan":
            (corpus / "budgetram.md").unlink()
        settings = settings_for(root / name)
        run_ingest([str(corpus)], settings, get_embedder(settings))
        built.append(Assistant(settings))
    return built[0], built[1]


def _check(whole: Assistant, without: Assistant) -> None:
    staff = whole.ask(QUESTION, "medarbetare")
    assert staff.abstained and staff.answer == ABSTAIN_SV and staff.citations == []
    assert staff.to_json() == without.ask(QUESTION, "medarbetare").to_json()
    rent = whole.ask("Vad är hyran för kontoret?", "medarbetare")
    assert rent.abstained and rent.answer == ABSTAIN_SV
    steering = whole.ask(QUESTION, "styrgrupp")
    assert not steering.abstained and "21 miljoner kronor" in steering.answer


def _minilm(root: Path) -> Settings:
    """MiniLM with its low bar for questions in the material's words and a bar no passage
    reaches for questions of unknown words: the vocabulary decides, as in the case."""
    bars = AbstentionSettings(
        strong_similarity=0.95, weak_similarity=0.95, familiar_similarity=0.2, english_similarity=0.2
    )
    return minilm_settings(root, abstention=bars)


def test_case16b_staff_get_the_abstention_phrase_with_minilm(tmp_path):
    _check(*_assistants(tmp_path, _minilm))


@pytest.mark.slow
def test_case16b_staff_get_the_abstention_phrase_with_the_product_model(tmp_path):
    _check(*_assistants(tmp_path, lambda root: Settings(index_dir=root / "index")))
