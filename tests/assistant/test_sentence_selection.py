"""The learned answer-sentence selector: its checked-in weights, its features, its file errors."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from assistant.sentence_selection import FEATURES, MODEL_FILE, Candidate, SentenceSelector, feature_rows
from evals.datasets import EXTERNAL_SETS
from evals.runner import SETS_DIR


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_checked_in_selector_was_trained_on_the_data_as_it_is_now() -> None:
    stored = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    trained = stored["trained"]
    assert trained["command"] == "assistant train"
    swequad = EXTERNAL_SETS["swequad_mc"]
    assert trained["data_sha256"] == {
        "swequad_mc/qa.jsonl": _sha256(swequad.questions),
        "swequad_mc/passages.jsonl": _sha256(swequad.passages),
        "evals/sets/dev.jsonl": _sha256(SETS_DIR / "dev.jsonl"),
    }, "the training data changed: run `assistant train` and commit assistant/sentence_selector.json"
    assert set(trained["questions"]) == {"swequad_mc_train", "dev"}  # never a judging set
    assert tuple(stored["features"]) == FEATURES


def _candidate(text: str, rank: int, position: int, coverage: float, similarity: float) -> Candidate:
    return Candidate(text, rank, position, 4, coverage, similarity)


def test_feature_rows_relate_each_unit_to_the_best_candidate_and_its_passage() -> None:
    candidates = [
        _candidate("Beslutet fattas i januari.", 0, 0, 0.5, 0.6),
        _candidate("Styrgruppen består av länets aktörer.", 1, 2, 1.0, 0.4),
    ]
    rows = feature_rows("När fattas beslutet?", candidates, [2.0, 1.0])
    assert rows.shape == (2, len(FEATURES))
    column = {name: rows[:, i].tolist() for i, name in enumerate(FEATURES)}
    assert column["coverage_share"] == [0.5, 1.0]
    assert column["similarity_gap"] == pytest.approx([0.0, -0.2])
    assert column["passage_score_share"] == [1.0, 0.5]
    assert column["position_share"] == [0.0, 0.5]
    assert column["opens_passage"] == [1.0, 0.0]
    assert column["says_when"] == [1.0, 0.0]  # "i januari" answers "När"
    assert column["holds_asked_kind"] == [0.0, 0.0]  # "När" is says_when's
    who = feature_rows(
        "Vem förbereder beslutet?",
        [
            _candidate("Magnus Aspegren förbereder beslutet.", 0, 0, 1.0, 0.5),
            _candidate("Det finns samsyn kring inriktningen.", 0, 1, 0.0, 0.2),
        ],
        [1.0],
    )
    assert who[:, FEATURES.index("holds_asked_kind")].tolist() == [1.0, 0.0]
    assert feature_rows("Vad?", [], [1.0]).shape == (0, len(FEATURES))


def test_the_trained_selector_prefers_the_unit_that_meets_the_question() -> None:
    selector = SentenceSelector.load()
    candidates = [
        _candidate("Underlaget tas fram till sammanträdet i januari.", 0, 1, 0.9, 0.62),
        _candidate("Workshopserien omfattade 14 timmar.", 0, 2, 0.1, 0.31),
        _candidate("Underlaget tas fram till sammanträdet i januari.", 2, 1, 0.9, 0.62),
    ]
    p = selector.probabilities(feature_rows("När tas underlaget fram?", candidates, [1.0, 0.9, 0.6]))
    assert p.shape == (3,) and np.all((p > 0) & (p < 1))
    assert p[0] > p[2] > p[1]  # the same sentence weighs more in the better-ranked passage


def test_a_selector_file_of_other_features_or_not_json_is_named_in_the_error(tmp_path: Path) -> None:
    other = tmp_path / "väljare.json"
    other.write_text(json.dumps({"features": ["coverage"], "weights": [1.0], "intercept": 0.0}), "utf-8")
    with pytest.raises(ValueError, match=r"väljare\.json.*assistant train"):
        SentenceSelector.load(other)
    broken = tmp_path / "trasig.json"
    broken.write_text("{inte json", "utf-8")
    with pytest.raises(ValueError, match=r"trasig\.json"):
        SentenceSelector.load(broken)
