"""Users file, answer ratings and the catalog tables, without a server."""

from __future__ import annotations

import json

import pytest

from assistant.catalog import Catalog, filter_rows
from assistant.feedback import FeedbackStore
from kbcore.schema import Chunk
from kbcore.settings import get_settings
from kbcore.users import UserStore


def test_users_are_stored_with_salted_hashes_and_checked(tmp_path):
    users = UserStore(tmp_path / "users.json")
    assert not users.enabled
    users.add("åsa", "rätt lösen", "styrgrupp", admin=True)
    users.add("per", "rätt lösen", "remisspartner")
    stored = json.loads((tmp_path / "users.json").read_text(encoding="utf-8"))
    assert "rätt lösen" not in json.dumps(stored, ensure_ascii=False)
    assert stored["åsa"]["password_hash"] != stored["per"]["password_hash"]  # salted
    assert users.enabled and users.authenticate("åsa", "rätt lösen")
    assert not users.authenticate("åsa", "fel lösen") and not users.authenticate("okänd", "rätt lösen")
    assert users.get("per").role == "remisspartner" and not users.get("per").admin


def test_an_api_key_is_shown_once_stored_hashed_and_replaced_by_the_next(tmp_path, capsys):
    from app.cli import main

    users = UserStore(tmp_path / "users.json")
    users.add("per", "rätt lösen", "remisspartner")
    first = users.create_key("per")
    assert users.by_key(first).name == "per"
    stored = (tmp_path / "users.json").read_text(encoding="utf-8")
    secret = first.split("-", 2)[2]  # the secret may itself hold "-" (URL-safe base64)
    assert first not in stored and secret not in stored  # only its scrypt hash is kept
    users.add("per", "nytt lösen", "medarbetare")  # a new password and role keep the key
    assert users.by_key(first).role == "medarbetare"
    for wrong in (first + "x", first.replace("pa-", "pb-"), "pa--", "", "nonsens"):
        assert users.by_key(wrong) is None

    settings_env = {"ASSISTANT_USERS_FILE": str(tmp_path / "users.json")}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in settings_env.items():
            patch.setenv(name, value)
        get_settings.cache_clear()  # the CLI reads the settings once per process: not an earlier test's
        try:
            assert main(["user", "key", "per"]) == 0
            second = capsys.readouterr().out.splitlines()[-1]
            assert main(["user", "key", "okänd"]) == 2
            assert "finns inte" in capsys.readouterr().err
        finally:
            get_settings.cache_clear()
    assert users.by_key(second).name == "per" and users.by_key(first) is None


def _answer(question: str, abstained: bool = False) -> dict:
    citation = {
        "doc_id": "corpus/a.md",
        "heading": "Uppdrag",
        "quoted": ["Styrgruppen utser en referensgrupp."],
    }
    return {
        "question": question,
        "answer": "Styrgruppen utser en referensgrupp. [1]",
        "abstained": abstained,
        "language": "sv",
        "citations": [] if abstained else [citation],
    }


def test_ratings_are_stored_and_exported_as_an_eval_set_draft(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.record(_answer("Vem utser referensgruppen?"), 1, "Bra", "åsa", "styrgrupp", [])
    store.record(
        _answer("Och när?"), -1, "Saknar datum", "per", "remisspartner", ["Vem utser referensgruppen?"]
    )
    assert store.export_draft(tmp_path / "utkast.jsonl") == 2
    good, poor = [
        json.loads(line) for line in (tmp_path / "utkast.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert good["gold"] == [{"doc": "corpus/a.md", "quote": "Styrgruppen utser en referensgrupp."}]
    assert good["answerable"] is True and good["group"] == "styrgrupp"
    assert (
        poor["history"] == ["Vem utser referensgruppen?"]
        and "gold" not in poor
        and poor["comment"] == "Saknar datum"
    )


def _chunk(doc_id: str, rank: int, doc_type: str, **fields: str) -> Chunk:
    meta = {"doc_id": doc_id, "title": doc_id, "doc_type": doc_type, "access_rank": rank, "chunk_index": 0}
    return Chunk(doc_id, "text", meta | {f"fm_{k}": v for k, v in fields.items()})


def test_the_tables_follow_the_front_matter_and_the_access_level():
    catalog = Catalog(
        [
            _chunk("beslut/a.md", 1, "beslut", decision="Underteckna LOI", status="planerat"),
            _chunk("beslut/b.md", 3, "beslut", decision="Budget", decided_by="Styrgruppen"),
            _chunk("aktorer/c.md", 1, "aktor", organisation="Mittuniversitetet", mandate="Framgår inte."),
        ]
    )
    partner = catalog.decision_rows(max_rank=1)
    assert [row[0] for row in partner] == ["Underteckna LOI"]
    assert partner[0][2] == "Framgår inte av materialet."  # no decided_by in the record
    assert len(catalog.decision_rows(max_rank=3)) == 2
    assert catalog.actor_rows(max_rank=1)[0][0] == "Mittuniversitetet"
    assert catalog.document("beslut/b.md", max_rank=1) is None
    assert filter_rows(catalog.decision_rows(3), "budget styrgruppen") == [catalog.decision_rows(3)[1]]
