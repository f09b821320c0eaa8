"""The field cases (tests/field_cases, copied from ../shared/field_cases): each README
expectation as a test, on the files users reported."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from assistant.service import Assistant
from assistant.versions import find_versions
from ingest.chunking import Chunker, DocumentIdentity
from ingest.readers import read_file
from ingest.sync import DUPLICATE, FAILED, run_ingest
from kbcore.embedder import get_embedder
from kbcore.settings import Settings

CASES = Path(__file__).resolve().parents[1] / "field_cases"
PDF_OPTIONS = {
    "cache_dir": Path("/nonexistent"),
    "ocr_enabled": False,
    "ocr_language": "swe",
    "max_pages": 50,
}


def read(case: str, name: str):
    return read_file(CASES / case / "corpus" / name, max_bytes=10**8, pdf_options=PDF_OPTIONS)


def questions(case: str, name: str = "questions.jsonl") -> list[dict]:
    return [json.loads(line) for line in (CASES / case / name).read_text().splitlines() if line.strip()]


def chunks_of(case: str, name: str, embedder, tokens: int = 200):
    chunker = Chunker(tokens, 20, embedder.count_tokens)
    return chunker.chunk(read(case, name), DocumentIdentity(name, "h" * 64, "r", name), "oppen")


def ingest_case(case: str, tmp_path: Path, settings, embedder):
    corpus = tmp_path / case
    shutil.copytree(CASES / case / "corpus", corpus)
    report = run_ingest([str(corpus)], settings, embedder)
    return report, Assistant(settings)


def _product_settings(tmp_path: Path) -> Settings:
    """The product's own model (EmbeddingGemma) on a fresh embedded index, as users run it."""
    return Settings(index_dir=tmp_path / "index", feedback_db=tmp_path / "feedback.sqlite3")


def second_index(settings, tmp_path: Path):
    """Settings for another, empty index (the control case's)."""
    if settings.chroma_host:
        return settings.__class__(**{**vars(settings), "collection": settings.collection + "c"})
    return settings.__class__(**{**vars(settings), "index_dir": tmp_path / "control-index"})


def answers(assistant: Assistant, case: str, name: str = "questions.jsonl") -> list[tuple[bool, str]]:
    return [
        (answer.abstained, answer.answer)
        for answer in (assistant.ask(q["question"], role=q.get("role")) for q in questions(case, name))
    ]


# case1 — ligatures (NFKC at extraction)
def test_case1_ligatures_read_as_the_control_reads() -> None:
    ligatures = read("case1", "finansieringsprogram.pdf").pages
    control = read("case1-control", "finansieringsprogram.pdf").pages
    assert [page.text for page in ligatures] == [page.text for page in control]
    assert "finansiera" in ligatures[0].text and "ﬁ" not in ligatures[0].text


def test_case1_answers_are_the_controls(tmp_path: Path, settings, embedder) -> None:
    _, assistant = ingest_case("case1", tmp_path / "a", settings, embedder)
    got = answers(assistant, "case1")
    control_settings = second_index(settings, tmp_path)
    _, control = ingest_case("case1-control", tmp_path / "b", control_settings, embedder)
    assert got == answers(control, "case1-control")
    assert not got[1][0] and not got[3][0]  # the two questions declined before


# case3 — line-end hyphens
def test_case3_hyphens_kept_where_they_belong_to_the_word() -> None:
    text = read("case3", "digitalisering.pdf").pages[0].text
    for kept in ("IT-säkerhet", "e-tjänster", "EU-projektet", "Region- och kommunsamverkan"):
        assert kept in text
    assert "kompetensförsörjning" in text
    assert "Beslut om digitalisering\n\n" in text  # the title is not glued to the first sentence


# case4 — running header/footer, a sentence across a page break
def test_case4_header_footer_dropped_and_sentence_joined_on_its_first_page() -> None:
    document = read("case4", "verksamhetsplan-2026.pdf")
    text = "\n".join(page.text for page in document.pages)
    assert "Sida 1 av 3" not in text and "INTERNT UTKAST" not in text
    first = document.pages[0]
    assert first.number == 1
    assert "fördelas mellan de åtta kommunerna efter antalet invånare." in first.text
    assert any("sidhuvud/sidfot" in notice for notice in document.notices)


def test_case4_the_joined_sentence_is_quoted_whole_with_its_start_page(tmp_path, settings, embedder) -> None:
    _, assistant = ingest_case("case4", tmp_path, settings, embedder)
    answer = assistant.ask("Hur fördelas budgeten för kompetensinsatser?")
    assert "efter antalet invånare" in answer.answer and "Sida" not in answer.answer
    assert answer.citations and answer.citations[0].page == 1


# case6 — DOCX tables in document order, merged cell once
def test_case6_tables_under_their_headings_merged_cell_once(embedder) -> None:
    chunks = chunks_of("case6", "arsplan.docx", embedder)
    budget = [c for c in chunks if c.metadata["heading"] == "Budget 2026" and "|" in c.text]
    plan = [c for c in chunks if c.metadata["heading"] == "Tidsplan" and "|" in c.text]
    assert budget and "| Kompetensattraktion | 4,5 miljoner kronor |" in budget[0].text
    assert budget[0].text.startswith("| Insatsområde | Belopp |")
    assert plan and "| Slutkonferens | 26 november |" in plan[0].text
    assert "\n".join(c.text for c in chunks).count("Summa 10 miljoner kronor") == 1


def test_case6_budget_and_date_rows_retrieved(tmp_path, settings, embedder) -> None:
    _, assistant = ingest_case("case6", tmp_path, settings, embedder)
    for question, row in (
        ("Hur mycket pengar går till kompetensattraktion?", "| Kompetensattraktion | 4,5 miljoner kronor |"),
        ("När hålls slutkonferensen?", "| Slutkonferens | 26 november |"),
    ):
        assert any(row in item.chunk.text for item in assistant.ask(question).retrieved)


def test_case6_date_question_answered_with_its_row(tmp_path, settings, embedder) -> None:
    _, assistant = ingest_case("case6", tmp_path, settings, embedder)
    answer = assistant.ask("När hålls slutkonferensen?").answer
    assert "| Aktivitet | Datum |" in answer and "| Slutkonferens | 26 november |" in answer
    assert "Budgetuppföljning" not in answer  # the asked row, not the whole table


@pytest.mark.slow
def test_case6_budget_and_date_questions_answered_by_the_product_model(tmp_path) -> None:
    """With EmbeddingGemma, as users run it: both questions answered with their rows. (With
    the test model MiniLM the budget table is not among the top passages of this file.)"""
    settings = _product_settings(tmp_path)
    _, assistant = ingest_case("case6", tmp_path, settings, get_embedder(settings))
    money = assistant.ask("Hur mycket pengar går till kompetensattraktion?").answer
    assert "| Kompetensattraktion | 4,5 miljoner kronor |" in money and "Investeringsfrämjande" not in money
    assert "| Slutkonferens | 26 november |" in assistant.ask("När hålls slutkonferensen?").answer
    # a table row is about its column names and heading too: the sum row under "Budget 2026"
    # answers the total, though "budget" and "2026" are in neither of its cells
    for question in ("Vad är den totala budgeten för 2026?", "Hur stor är den sammanlagda budgeten?"):
        total = assistant.ask(question)
        assert not total.abstained and "Summa 10 miljoner kronor" in total.answer, question
        assert "15 september" not in total.answer  # a date is no amount


# case8 — decomposed Unicode in text and file name
def test_case8_text_and_file_name_in_nfc(tmp_path, settings, embedder) -> None:
    report, assistant = ingest_case("case8", tmp_path, settings, embedder)
    assert "mål-för-näringslivet.md" in {Path(r.path).name for r in report.results}
    decomposed = next(path.name for path in (CASES / "case8/corpus").iterdir() if path.name.startswith("ma"))
    assert decomposed != "mål-för-näringslivet.md"  # the file on disk is in decomposed form
    assert "företagsetableringar" in read("case8", decomposed).pages[0].text
    got = answers(assistant, "case8")
    assert not got[0][0]
    control_settings = second_index(settings, tmp_path)
    _, control = ingest_case("case8-control", tmp_path / "c", control_settings, embedder)
    control_answers = dict(
        zip((q["question"] for q in questions("case8-control")), answers(control, "case8-control"))
    )
    for q, answer in zip(questions("case8"), got):
        if q["question"] in control_answers:
            assert answer == control_answers[q["question"]]


# case10 — a 40-row table
def test_case10_rows_never_split_and_header_in_every_chunk(embedder, caplog, capsys) -> None:
    with caplog.at_level(logging.WARNING):
        chunks = [c for c in chunks_of("case10", "projektlista.md", embedder, tokens=120) if "|" in c.text]
    assert len(chunks) > 1
    for chunk in chunks:
        lines = chunk.text.splitlines()
        assert lines[0] == "| Kommun | Projekt | Belopp | Status |"
        assert all(line.count("|") == 5 for line in lines)
    ragunda = [c for c in chunks if "| Ragunda | Laddinfrastruktur 2024 |" in c.text]
    assert len(ragunda) == 1
    assert "Token indices sequence length" not in caplog.text + "".join(capsys.readouterr())


def _ragunda_answer(tmp_path, settings, embedder):
    """The answer to the Ragunda question and the amount in its row; the row must be retrieved
    with the table's column names."""
    _, assistant = ingest_case("case10", tmp_path, settings, embedder)
    answer = assistant.ask("Hur mycket söktes för projektet Laddinfrastruktur 2024 i Ragunda?")
    row = next(
        line
        for line in (CASES / "case10/corpus/projektlista.md").read_text().splitlines()
        if "Ragunda | Laddinfrastruktur 2024" in line
    )
    amount = row.split("|")[3].strip()
    assert any(row in item.chunk.text and "| Belopp |" in item.chunk.text for item in answer.retrieved)
    return answer, amount


def test_case10_row_retrieved_with_its_column_names(tmp_path, settings, embedder) -> None:
    _ragunda_answer(tmp_path, settings, embedder)


def test_case10_row_is_quoted(tmp_path, settings, embedder) -> None:
    answer, amount = _ragunda_answer(tmp_path, settings, embedder)
    assert amount in answer.answer and "| Kommun | Projekt | Belopp | Status |" in answer.answer
    assert answer.answer.count("| Ragunda |") <= 2  # the asked row, not the 40-row table


# case11 — a heading with '/'
def test_case11_slash_heading_stays_one_heading(embedder) -> None:
    headings = {c.metadata["heading"] for c in chunks_of("case11", "verksamhetsplan.md", embedder)}
    assert "Mål 2025/2026 › Delmål för besöksnäringen" in headings
    assert "Jour 24/7" in headings


# case12 — identical copy and versions
def test_case12_identical_copy_reported_and_indexed_once(tmp_path, settings, embedder) -> None:
    report, assistant = ingest_case("case12", tmp_path, settings, embedder)
    copy = next(r for r in report.results if "kopia av" in r.path)
    assert copy.status == DUPLICATE and "samma innehåll som" in copy.message
    assert "projektplan-bredband-2026.md" in copy.message
    answer = assistant.ask("Vem leder bredbandsprojektet?")
    texts = [c.text for c in assistant.store.all_chunks()]
    assert sum("30 september 2026" in text for text in texts) == 1
    assert answer.answer.count("bredbandsgrupp") <= 2  # at most once per version


def test_case12_versions_found() -> None:
    docs = {}
    for name in ("projektplan-bredband-2025.md", "projektplan-bredband-2026.md"):
        document = read("case12", name)
        docs[name] = (
            document.front_matter["title"],
            str(document.front_matter["date"]),
            document.pages[0].text,
        )
    versions = find_versions(docs)
    assert versions == {
        "projektplan-bredband-2025.md": ["projektplan-bredband-2026.md"],
        "projektplan-bredband-2026.md": ["projektplan-bredband-2025.md"],
    }


def test_case12_the_version_named_answers(tmp_path, settings, embedder) -> None:
    _, assistant = ingest_case("case12", tmp_path, settings, embedder)
    answer_2026 = assistant.ask("Vad är budgeten i projektplanen för bredband 2026?").answer
    answer_2025 = assistant.ask("Vad var budgeten i 2025 års projektplan för bredband?").answer
    assert "14 miljoner" in answer_2026 and "12 miljoner" not in answer_2026
    assert "12 miljoner" in answer_2025 and "14 miljoner" not in answer_2025


# case16 — front matter keys spelled another way
def test_case16_access_keys_and_levels_honoured(tmp_path, settings, embedder) -> None:
    report, assistant = ingest_case("case16", tmp_path, settings, embedder)
    assert not [r for r in report.results if r.status == FAILED]
    levels = {
        c.metadata["path"].rsplit("/", 1)[-1]: c.metadata["access"] for c in assistant.store.all_chunks()
    }
    assert levels == {
        "a-versal-nyckel.md": "styrgrupp",
        "b-versalt-varde.md": "styrgrupp",
        "c-lista.md": "styrgrupp",
        "d-diakrit.md": "oppen",
        "e-agare-lista.md": "oppen",
        "f-atkomst-svenska.md": "styrgrupp",
    }
    owner = next(c.metadata["owner"] for c in assistant.store.all_chunks() if "e-agare" in c.metadata["path"])
    assert owner == "Regionen; Länsstyrelsen"
    secrets = ("58 000", "21 miljoner", "2,3 miljoner")
    for q in questions("case16"):
        answer = assistant.ask(q["question"], role=q["role"])
        if q["role"] in ("medarbetare", "remisspartner"):
            assert not any(secret in answer.answer for secret in secrets)
            assert all(item.chunk.metadata["access"] != "styrgrupp" for item in answer.retrieved)
    assert "4 juni" in assistant.ask("När är det öppet hus?", role="allmanhet").answer


# case16b — access non-interference: tests/security/test_case16b.py (with the product's
# model, whose abstention bars the answer depends on) and tests/security/test_noninterference.py


# case15 — blank and Nordic questions
def test_case15_blank_questions_get_no_passages(tmp_path, settings, embedder) -> None:
    _, assistant = ingest_case("case16b", tmp_path, settings, embedder)
    for question in ("   ", "???"):
        answer = assistant.ask(question)
        assert answer.abstained and not answer.retrieved


def test_case15_nordic_questions_get_the_swedish_phrase(tmp_path, settings, embedder) -> None:
    _, assistant = ingest_case("case16b", tmp_path, settings, embedder)
    for q in questions("case15", "questions-nordic.jsonl"):
        assert assistant.ask(q["question"], role="medarbetare").language == "sv"


# case17 — question words are not content
def _pairs_agree(assistant: Assistant) -> None:
    """Each question with a question word is answered, exactly as its twin without it."""
    pairs = questions("case17")
    for with_word, without in zip(pairs[::2], pairs[1::2]):
        got = assistant.ask(with_word["question"])
        assert not got.abstained, with_word["question"]
        assert got.answer == assistant.ask(without["question"]).answer


def test_case17_question_words_do_not_change_the_answer(tmp_path, settings, embedder) -> None:
    _pairs_agree(ingest_case("case17", tmp_path, settings, embedder)[1])


@pytest.mark.slow
def test_case17_question_words_do_not_change_the_answer_of_the_product_model(tmp_path) -> None:
    """The same pairs with EmbeddingGemma, whose abstention bars the answer depends on."""
    settings = _product_settings(tmp_path)
    _pairs_agree(ingest_case("case17", tmp_path, settings, get_embedder(settings))[1])
