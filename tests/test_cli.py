"""The CLI contract other tools build on: `assistant ingest` and `assistant ask --json/--jsonl`,
run as a user runs them, in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import front_matter_doc, minilm_path, write_files

CITATION_KEYS = {"n", "doc_id", "title", "path", "page", "heading", "text"}
RETRIEVED_KEYS = {"doc_id", "path", "score", "text"}


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def indexed(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("cli")
    corpus = write_files(
        root / "korpus",
        {
            "uppdrag.md": front_matter_doc(
                "Plattformens uppdrag",
                "partner",
                "# Uppdrag\n\nPlattformen har tre uppdrag: investeringsfrämjande, kompetensattraktion "
                "och innovationsfrämjande.",
            ),
            "styrgrupp.md": front_matter_doc(
                "Styrgruppens budget", "styrgrupp", "Budgeten är 42 miljoner kronor."
            ),
            "trasig.pdf": "inte en pdf",
        },
    )
    env = os.environ | {
        "ASSISTANT_EMBED_MODEL": minilm_path(),
        "ASSISTANT_EMBED_DTYPE": "float32",
        "ASSISTANT_INDEX_DIR": str(root / "index"),
        "ASSISTANT_ABSTENTION__STRONG_SIMILARITY": "0.2",
    }
    result = run_cli("ingest", str(corpus), "--json", env=env)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    statuses = {Path(f["path"]).name: f["status"] for f in report["files"]}
    assert statuses == {"uppdrag.md": "ny", "styrgrupp.md": "ny", "trasig.pdf": "fel"}
    return root, env


def test_ask_json_has_the_contract_fields(indexed) -> None:
    _, env = indexed
    result = run_cli("ask", "--json", "Vilka uppdrag har plattformen?", "--top-k", "2", env=env)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert {"question", "answer", "abstained", "citations", "retrieved"} <= set(answer)
    assert answer["question"] == "Vilka uppdrag har plattformen?"
    assert answer["abstained"] is False
    assert answer["citations"] and set(answer["citations"][0]) >= CITATION_KEYS
    assert "[1]" in answer["answer"]
    assert answer["citations"][0]["path"].endswith("korpus/uppdrag.md")
    assert len(answer["retrieved"]) <= 2 and set(answer["retrieved"][0]) >= RETRIEVED_KEYS
    scores = [item["score"] for item in answer["retrieved"]]
    assert scores == sorted(scores, reverse=True)


def test_ask_jsonl_answers_every_line_with_its_role(indexed, tmp_path: Path) -> None:
    _, env = indexed
    questions = tmp_path / "frågor.jsonl"
    questions.write_text(
        json.dumps({"question": "Hur stor är budgeten?", "role": "styrgrupp"})
        + "\n"
        + json.dumps({"question": "Hur stor är budgeten?", "role": "remisspartner"})
        + "\n",
        encoding="utf-8",
    )
    result = run_cli("ask", "--jsonl", str(questions), env=env)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2
    assert "42 miljoner" in json.dumps(lines[0], ensure_ascii=False)
    assert "42 miljoner" not in json.dumps(lines[1], ensure_ascii=False)


def test_ask_jsonl_reports_a_bad_line_by_file_and_number_and_answers_the_rest(
    indexed, tmp_path: Path
) -> None:
    _, env = indexed
    questions = tmp_path / "frågor.jsonl"
    chat = [
        {"role": "user", "content": "Vilka uppdrag har plattformen?"},
        {"role": "assistant", "content": "…"},
    ]
    questions.write_text(
        "\n".join(
            [
                json.dumps({"question": "Och det första?", "history": chat}, ensure_ascii=False),
                '{"question": "Hur stor',
                json.dumps({"fråga": "Hur stor är budgeten?"}, ensure_ascii=False),
                json.dumps({"question": "Hur stor är budgeten?", "history": [1, 2]}),
                json.dumps({"question": "Vilka uppdrag har plattformen?"}, ensure_ascii=False),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    result = run_cli("ask", "--jsonl", str(questions), env=env)
    assert result.returncode == 1
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["question"] for a in answers] == ["Och det första?", "Vilka uppdrag har plattformen?"]
    errors = result.stderr.strip().splitlines()
    assert [line.split(": ", 1)[0] for line in errors] == [f"{questions}:{n}" for n in (2, 3, 4)]
    assert "ingen giltig JSON" in errors[0] and '"question"' in errors[1] and '"history"' in errors[2]
    assert "Traceback" not in result.stderr


def test_ingest_of_nothing_readable_exits_non_zero(tmp_path: Path, indexed) -> None:
    _, env = indexed
    bad = write_files(tmp_path / "dåligt", {"tom.txt": ""})
    result = run_cli("ingest", str(bad), "--index", str(tmp_path / "index2"), env=env)
    assert result.returncode == 1
    assert "tom.txt: tom fil" in result.stderr


def test_an_error_is_one_line_and_verbose_adds_its_stack_trace() -> None:
    args = ("user", "add", "x", "--role", "okänd", "--password-stdin")
    quiet, verbose = run_cli(*args, env=dict(os.environ)), run_cli("-v", *args, env=dict(os.environ))
    assert quiet.returncode == verbose.returncode == 2
    assert quiet.stderr.strip() == verbose.stderr.strip().splitlines()[-1] and "Okänd roll" in quiet.stderr
    assert "Traceback" in verbose.stderr and "Traceback" not in quiet.stderr


@pytest.mark.parametrize(
    "args,message",
    [
        (["serve", "--workers", "0"], "--workers måste vara minst 1"),
        (["loadtest", "--workers", "0"], "--workers måste vara minst 1"),
        (["loadtest", "--url", "http://127.0.0.1:9/", "--workers", "2"], "går inte med --url"),
        (["loadtest", "--url", "http://127.0.0.1:9/", "--seconds", "60"], "svarar inte"),
    ],
)
def test_serve_and_loadtest_refuse_what_cannot_run_at_once(args: list[str], message: str) -> None:
    """Refused in Swedish with exit code 2 before anything starts: no model is loaded and no
    load runs against an app that is not there."""
    result = run_cli(*args, env=os.environ.copy())
    assert result.returncode == 2 and message in result.stderr, result.stderr
