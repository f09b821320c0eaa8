"""Versions of one document: the named year's version answers, two quoted versions are
named, and the document list shows which documents are versions of one another."""

from __future__ import annotations

from assistant.catalog import DOCUMENT_COLUMNS, Catalog
from assistant.composition import Composer
from assistant.fusion import Fused
from assistant.sentences import split_units
from assistant.versions import prefer_named_version
from kbcore.schema import Chunk

PLAN = (
    "Projektet bygger ut bredband i glesbygden tillsammans med kommunerna i länet. "
    "Projektets budget är {} miljoner kronor, varav hälften kommer från regionen. "
    "Utbyggnaden ska vara klar i september och följs upp av styrgruppen varje kvartal."
)
PLANS = {
    "plan-2025.md": ("Projektplan bredband 2025", PLAN.format(12)),
    "plan-2026.md": ("Projektplan bredband 2026 (reviderad)", PLAN.format(14)),
    "mal.md": ("Mål för näringslivet", "Målet är fler etableringar i länet."),
}


def _fused(doc: str) -> Fused:
    title, text = PLANS[doc]
    return Fused(Chunk(f"{doc}::0", text, {"doc_id": doc, "title": title, "access": "oppen"}), 0.5)


def test_a_question_naming_a_year_keeps_that_version_only() -> None:
    passages = [_fused("plan-2025.md"), _fused("plan-2026.md"), _fused("mal.md")]
    kept = prefer_named_version("Vad är budgeten i planen för 2026?", passages)
    assert [p.chunk.doc_id for p in kept] == ["plan-2026.md", "mal.md"]
    assert prefer_named_version("Vad är budgeten?", passages) == passages


def test_two_quoted_versions_are_each_named() -> None:
    selections = [(p, list(enumerate(split_units(p.chunk.text)))) for p in map(_fused, PLANS)]
    text, _ = Composer({}, 0.8).compose(selections)
    assert "Enligt Projektplan bredband 2025: Projektet bygger" in text and "12 miljoner" in text
    # the sentences both versions share are said once; the differing figure under its version
    assert text.count("Projektet bygger") == 1
    assert "Enligt Projektplan bredband 2026 (reviderad): Projektets budget är 14" in text
    assert "Enligt Mål" not in text


def test_the_document_list_names_the_other_versions_near_duplicate_text_of_another_year() -> None:
    catalog = Catalog([p.chunk for p in map(_fused, PLANS)])
    rows = {row[0]: dict(zip(DOCUMENT_COLUMNS, row, strict=True)) for row in catalog.document_rows(3)}
    assert rows["plan-2025.md"]["Andra versioner"] == "Projektplan bredband 2026 (reviderad)"
    assert rows["plan-2026.md"]["Andra versioner"] == "Projektplan bredband 2025"
    assert rows["mal.md"]["Andra versioner"] == ""
