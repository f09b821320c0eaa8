"""The parts of answer selection that need no model: answer kinds, the model file, composing
an answer with each fact once, pronouns and section references resolved."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.answer_kind import AnswerKind, asked_kind, holds_kind
from assistant.composer import Composer
from assistant.fusion import Fused
from assistant.language import detect_language
from assistant.linear_model import LinearModel, ModelFileError
from assistant.selection import Candidate, candidates_of
from kbcore.schema import Chunk
from kbcore.tuning import ExtractiveSettings


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Vem förbereder uppbyggnadsfasen?", AnswerKind.PERSON),
        ("Who is preparing the build-up phase?", AnswerKind.PERSON),
        ("Sedan när har man arbetat med workshopserien?", AnswerKind.DATE),
        ("När ska Letter of Intent undertecknas?", AnswerKind.DATE),
        ("Hur många timmar workshops genomfördes?", AnswerKind.QUANTITY),
        ("Vad står förkortningen LOI för?", AnswerKind.EXPANSION),
        ("Varför behövs en gemensam plattform?", AnswerKind.REASON),
        ("Vilka organisationer är med i arbetet?", AnswerKind.LIST),
        ("Vad är syftet med Tillväxtmotorn?", None),
    ],
)
def test_the_kind_a_question_asks_for(question: str, kind: AnswerKind | None) -> None:
    assert asked_kind(question) == kind


def test_sentences_hold_the_kind_asked_for() -> None:
    assert holds_kind(AnswerKind.DATE, "Sedan augusti har vi gemensamt tagit fram en riktning.")
    assert not holds_kind(AnswerKind.DATE, "Vi har kartlagt nuläget.")
    assert holds_kind(AnswerKind.PERSON, "Magnus Aspegren och Martin Söderström förbereder.")
    assert holds_kind(AnswerKind.EXPANSION, "undertecknande av Letter of Intent (LOI) i januari")
    assert holds_kind(AnswerKind.QUANTITY, "workshops motsvarande 14 timmar")
    assert not holds_kind(None, "Magnus Aspegren")


def test_english_questions_with_swedish_names_are_english_and_nordic_ones_swedish() -> None:
    assert detect_language("What is the growth engine (Tillväxtmotor)?") == "en"
    assert detect_language("Hva er budsjettet for plattformen?") == "sv"
    assert detect_language("Hvem leder arbejdet?") == "sv"
    assert detect_language("Vem är Magnus Aspegren?") == "sv"


def test_a_model_file_round_trips_and_refuses_other_features(tmp_path: Path) -> None:
    model = LinearModel(("a", "b"), np.zeros(2), np.ones(2), np.array([1.0, -1.0]), 0.0, {"set": "x"})
    path = tmp_path / "m.json"
    model.save(path)
    loaded = LinearModel.load(path, ("a", "b"))
    assert loaded.probabilities(np.array([[2.0, 0.0]]))[0] == pytest.approx(1 / (1 + np.exp(-2.0)))
    with pytest.raises(ModelFileError, match="andra särdrag"):
        LinearModel.load(path, ("a", "c"))
    path.write_text(json.dumps({"features": ["a"]}), encoding="utf-8")
    with pytest.raises(ModelFileError, match="kan inte läsas"):
        LinearModel.load(path, ("a",))
    with pytest.raises(ValueError):
        loaded.logits(np.zeros((1, 3)))


def _passage(doc: str, text: str, rank_score: float, **meta) -> Fused:
    metadata = {"doc_id": doc, "title": meta.pop("title", doc), "path": doc, "access_rank": 1} | meta
    return Fused(Chunk(f"{doc}::0", text, metadata), rank_score)


def _vectors(texts: list[str]) -> np.ndarray:
    """Orthogonal stand-in vectors: only word overlap can make two sentences one statement."""
    return np.eye(len(texts), max(len(texts), 1), dtype=np.float32)


def _compose(passages: list[Fused], picks: list[tuple[int, int]], titles=None):
    candidates = candidates_of(passages)
    by_key = {(c.passage_rank, c.position): c for c in candidates}
    composer = Composer(ExtractiveSettings(), _vectors, titles or {})
    return composer.compose([by_key[k] for k in picks], candidates)


SUMMARY = (
    "Magnus Aspegren och Martin Söderström förbereder för uppbyggnadsfasen samt tar fram underlag "
    "för formellt beslut och undertecknande av Letter of Intent (LOI) vid styrgruppens sammanträde i januari."
)
RECORD = (
    "Magnus Aspegren och Martin Söderström tar fram underlag för formellt beslut och undertecknande "
    "av Letter of Intent (LOI) vid styrgruppens sammanträde i januari."
)


def test_one_fact_from_two_documents_is_quoted_once_from_the_primary_with_both_sources() -> None:
    record = _passage("corpus/beslut/03.md", RECORD, 0.9, fm_source="sammanfattning.md")
    summary = _passage("corpus/sammanfattning.md", SUMMARY, 0.8)
    text, citations = _compose([record, summary], [(0, 0), (1, 0)])
    assert text.count("Letter of Intent") == 1
    assert "förbereder för uppbyggnadsfasen" in text  # the primary document's sentence
    assert {c.doc_id for c in citations} == {"corpus/beslut/03.md", "corpus/sammanfattning.md"}
    assert "[1][2]" in text


def test_a_sentence_opening_with_a_pronoun_brings_its_antecedent() -> None:
    actor = _passage(
        "corpus/aktorer/magnus.md",
        "Magnus Aspegren är regional utvecklingsdirektör. Han förbereder uppbyggnadsfasen.",
        0.9,
    )
    text, _ = _compose([actor], [(0, 1)])
    assert text.startswith("Magnus Aspegren är regional utvecklingsdirektör. Han förbereder")


def test_a_first_sentence_opening_with_a_pronoun_gets_the_title() -> None:
    actor = _passage(
        "corpus/aktorer/x.md", "Dess uppdrag är att samordna investeringar.", 0.9, title="Tillväxtmotorn"
    )
    text, _ = _compose([actor], [(0, 0)])
    assert text.startswith("[Tillväxtmotorn] Dess uppdrag")


def test_a_section_reference_names_its_document() -> None:
    record = _passage(
        "corpus/aktorer/lansstyrelsen.md",
        "Länsstyrelsen deltog, som enligt avsnitt 3 omfattade 14 timmar.",
        0.9,
        fm_source="workshopserien-sammanfattning.md",
    )
    titles = {"workshopserien-sammanfattning.md": ("Workshopserien – sammanfattning", 1)}
    text, _ = _compose([record], [(0, 0)], titles)
    assert "avsnitt 3 [i Workshopserien – sammanfattning]" in text
    hidden = {"workshopserien-sammanfattning.md": ("Hemlig titel", 3)}
    text, _ = _compose([record], [(0, 0)], hidden)
    assert "Hemlig titel" not in text  # a source the record's readers may not see stays unnamed


def test_candidates_cover_every_unit_of_every_passage() -> None:
    passages = [_passage("a.md", "Ett. Två.", 1.0), _passage("b.md", "Tre:\n- fyra\n- fem", 0.5)]
    candidates: list[Candidate] = candidates_of(passages)
    assert [(c.passage_rank, c.position, c.unit.text) for c in candidates] == [
        (0, 0, "Ett."),
        (0, 1, "Två."),
        (1, 0, "Tre:"),
        (1, 1, "- fyra"),
        (1, 2, "- fem"),
    ]


def test_a_quoted_table_row_brings_its_header_row() -> None:
    table = (
        "Tabellen listar ansökningarna.\n\n| Kommun | Projekt | Belopp |\n|---|---|---|\n"
        "| Berg | Laddinfrastruktur 2020 | 0,87 mnkr |\n| Ragunda | Laddinfrastruktur 2024 | 3,1 mnkr |\n"
    )
    text, citations = _compose([_passage("projekt.md", table, 1.0)], [(0, 3)])
    assert text.startswith(
        "| Kommun | Projekt | Belopp |\n|---|---|---|\n| Ragunda | Laddinfrastruktur 2024 | 3,1 mnkr |"
    )
    assert "Berg" not in text and text.endswith("[1]")
    assert citations[0].quoted == ("| Ragunda | Laddinfrastruktur 2024 | 3,1 mnkr |",)


def test_a_verb_after_hur_mycket_is_no_unit_but_a_missing_figure_still_declines() -> None:
    from assistant.answer_kind import can_answer

    assert can_answer("Hur mycket söktes för projektet?", ["| Ragunda | Laddinfrastruktur 2024 | 3,1 mnkr |"])
    assert not can_answer("Hur många anställda har Mittuniversitetet?", ["workshops motsvarande 14 timmar"])


class _CountingEmbedder:
    """Stand-in for the embedding model that counts what it is asked to embed."""

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        self.embedded += texts
        return np.ones((len(texts), 3), np.float32) * np.arange(1, len(texts) + 1)[:, None]


def test_sentence_vectors_are_computed_once_and_survive_a_save(tmp_path: Path) -> None:
    from assistant.sentence_vectors import SentenceVectorCache

    embedder = _CountingEmbedder()
    cache = SentenceVectorCache(embedder, capacity=100)
    first = cache(["Två meningar.", "Å ä ö här."])
    again = cache(["Å ä ö här."])
    assert embedder.embedded == ["Två meningar.", "Å ä ö här."]
    assert np.array_equal(again[0], first[1])
    cache.save(tmp_path / "v.npz")
    fresh_embedder = _CountingEmbedder()
    restored = SentenceVectorCache(fresh_embedder, capacity=100)
    restored.load(tmp_path / "v.npz")
    assert np.array_equal(restored(["Å ä ö här."])[0], first[1]) and fresh_embedder.embedded == []


def test_a_money_question_is_answered_by_an_amount_in_any_currency_unit() -> None:
    from assistant.answer_kind import can_answer

    assert can_answer(
        "Hur mycket pengar går till kompetensattraktion?", ["| Kompetens | 4,5 miljoner kronor |"]
    )
    assert not can_answer("Hur mycket pengar går till kompetensattraktion?", ["Arbetet pågår i 14 timmar."])
