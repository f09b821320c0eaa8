"""Reference material added beside the platform's own documents (a folder named "referens",
or front matter "type: referens") ranks after them when both match alike
(``FusionSettings.reference_prior``)."""

from __future__ import annotations

from pathlib import Path

from assistant.fusion import Fused, prefer_own_material
from assistant.service import Assistant
from ingest.sync import run_ingest
from kbcore.schema import Chunk
from kbcore.tuning import FusionSettings
from tests.conftest import front_matter_doc, write_files


def _passage(path: str, score: float, doc_type: str = "ovrigt") -> Fused:
    return Fused(Chunk(path, "text", {"path": path, "doc_type": doc_type}), score)


def test_reference_material_ranks_after_the_platforms_own_when_they_match_alike() -> None:
    fused = [
        _passage("korpus/Referens/regeringen.md", 0.95),  # any level, any case
        _passage("korpus/rapporter/rapport.md", 0.93, doc_type="referens"),
        _passage("korpus/beslut/plattformen.md", 0.90),
        _passage("korpus/referensmaterial/svagare-referens.md", 0.80),
        _passage("korpus/beslut/svagare.md", 0.50),
    ]
    ranked = [item.chunk.chunk_id for item in prefer_own_material(fused, FusionSettings())]
    assert ranked == [
        "korpus/beslut/plattformen.md",
        "korpus/Referens/regeringen.md",
        "korpus/rapporter/rapport.md",
        "korpus/referensmaterial/svagare-referens.md",
        "korpus/beslut/svagare.md",
    ]
    # a clearly better match from reference material still comes first
    assert prefer_own_material([_passage("referens/a.md", 1.0), _passage("b.md", 0.5)], FusionSettings())[
        0
    ].chunk.chunk_id == ("referens/a.md")
    # without the prior, the order is the fusion's
    unchanged = FusionSettings(reference_prior=1.0)
    assert [item.chunk.chunk_id for item in prefer_own_material(fused, unchanged)] == [
        item.chunk.chunk_id for item in fused
    ]


def test_front_matter_type_referens_is_a_known_type_kept_through_ingest(
    tmp_path: Path, settings, embedder
) -> None:
    own = "# Finansiering\n\nTillväxtmotorn ska finansieras gemensamt av aktörerna i länet."
    reference = "# Finansiering\n\nRegeringen finansierar tillväxt i länen genom anslag."
    corpus = write_files(
        tmp_path / "korpus",
        {
            "plattformen.md": front_matter_doc("Plattformen", "intern", own),
            "anslag.md": front_matter_doc("Anslag", "intern", reference, doc_type="referens"),
        },
    )
    report = run_ingest([str(corpus)], settings, embedder)
    assert not any(result.message for result in report.results)  # "referens" is a known type
    assistant = Assistant(settings)
    retrieved = assistant.ask("Hur finansieras tillväxt?").retrieved
    assert {str(item.chunk.metadata["doc_type"]) for item in retrieved} == {"referens", "ovrigt"}
