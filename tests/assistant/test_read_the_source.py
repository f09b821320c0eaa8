"""Records derived from one document (front matter ``source``) that crowd the top passages
bring that document's best passage up among them (``fusion.read_the_source``)."""

from __future__ import annotations

from assistant.fusion import Fused, read_the_source
from kbcore.schema import Chunk
from kbcore.tuning import FusionSettings


def _passage(name: str, score: float, source: str = "") -> Fused:
    metadata = {"path": f"corpus/{name}", **({"fm_source": source} if source else {})}
    return Fused(Chunk(f"{name}::0", "text", metadata), score)


def _names(fused: list[Fused]) -> list[str]:
    return [item.chunk.chunk_id.split("::")[0] for item in fused]


SUMMARY = "sammanfattning.md"


def test_the_source_of_three_crowding_records_is_read_third() -> None:
    fused = [
        _passage("aktorer/a.md", 0.99, SUMMARY),
        _passage("aktorer/b.md", 0.98, SUMMARY),
        _passage("beslut/c.md", 0.97),
        _passage("aktorer/d.md", 0.96, SUMMARY),
        _passage("aktorer/e.md", 0.95, SUMMARY),
        _passage("annat.md", 0.70),
        _passage(SUMMARY, 0.60),
    ]
    ranked = _names(read_the_source(fused, FusionSettings()))
    assert ranked[:4] == ["aktorer/a.md", "aktorer/b.md", SUMMARY, "beslut/c.md"]
    assert len(ranked) == len(fused)


def test_no_move_when_the_source_is_already_near_the_top_or_few_records_crowd() -> None:
    present = [_passage("aktorer/a.md", 0.99, SUMMARY), _passage("aktorer/b.md", 0.98, SUMMARY)]
    present += [_passage(SUMMARY, 0.97), _passage("aktorer/d.md", 0.96, SUMMARY)]
    assert _names(read_the_source(present, FusionSettings())) == _names(present)
    two = [_passage("aktorer/a.md", 0.99, SUMMARY), _passage("beslut/c.md", 0.98)]
    two += [_passage("aktorer/b.md", 0.97, SUMMARY), _passage("annat.md", 0.9), _passage(SUMMARY, 0.5)]
    assert _names(read_the_source(two, FusionSettings())) == _names(two)
    absent = [_passage(f"aktorer/{n}.md", 0.9, SUMMARY) for n in "abc"]  # the source not retrieved
    assert _names(read_the_source(absent, FusionSettings())) == _names(absent)
