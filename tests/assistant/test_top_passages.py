"""The writer reads the top passages, and after them the ones tied with the last
(``ExtractiveSettings.tied_passage_share``, ``max_tied_passages``)."""

from __future__ import annotations

from assistant.extractive import top_passages
from assistant.fusion import Fused
from kbcore.schema import Chunk
from kbcore.tuning import ExtractiveSettings


def _ranked(*scores: float) -> list[Fused]:
    return [
        Fused(Chunk(f"beslut/{i}.md", "text", {"path": f"beslut/{i}.md"}), s) for i, s in enumerate(scores)
    ]


def _count(config: ExtractiveSettings, *scores: float) -> int:
    return len(top_passages(_ranked(*scores), config))


def test_passages_tied_with_the_last_are_read_too_up_to_the_limit() -> None:
    config = ExtractiveSettings()  # 3 passages, up to 2 tied more at 0.97 of the one before
    assert _count(config, 0.99, 0.95, 0.95, 0.80, 0.70) == 3  # a clear gap after the third
    assert _count(config, 0.99, 0.95, 0.948, 0.946, 0.60) == 4  # the fourth is tied
    assert _count(config, 0.99, 0.95, 0.948, 0.946, 0.945, 0.944) == 5  # at most two more
    assert _count(config, 0.9, 0.8) == 2  # fewer than three retrieved
    # measured against the third, not each against the one before it
    assert _count(config, 0.70, 0.68, 0.66, 0.65, 0.63) == 4


def test_exact_ties_only_or_none() -> None:
    exact = ExtractiveSettings(tied_passage_share=1.0)
    assert _count(exact, 0.99, 0.95, 0.948, 0.948, 0.946) == 4
    assert _count(ExtractiveSettings(max_tied_passages=0), 0.99, 0.95, 0.948, 0.948) == 3
