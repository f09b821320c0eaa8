"""Sessions, the login throttle, the audit log and the user commands, without a server:
time is moved with a clock the tests own, never waited for."""

from __future__ import annotations

import sqlite3

import pytest

from app.cli import main
from app.web.login import Login
from app.web.sessions import LoginThrottle, SessionState, SessionStore
from assistant.answer import Answer, Citation
from assistant.audit import (
    LOGIN_FAILED,
    LOGIN_THROTTLED,
    QUESTION,
    SEARCH,
    AppCaller,
    AuditFilter,
    AuditLog,
    as_csv,
)
from assistant.fusion import Fused
from kbcore.schema import Chunk
from kbcore.settings import Settings
from kbcore.users import UserStore


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_session_ends_at_logout_after_idle_time_and_at_a_new_password():
    clock = Clock()
    sessions = SessionStore(idle_s=600, clock=clock)
    users = {"åsa": "hash-1"}
    token = sessions.open("åsa", "hash-1")
    assert sessions.check(token, users.get) == (SessionState.LIVE, "åsa")
    clock.now += 599  # activity keeps it alive
    assert sessions.check(token, users.get)[0] is SessionState.LIVE
    clock.now += 601
    assert sessions.check(token, users.get) == (SessionState.ENDED, None)

    second = sessions.open("åsa", "hash-1")
    sessions.end(second)
    assert sessions.check(second, users.get)[0] is SessionState.ENDED  # every tab holds this token

    third = sessions.open("åsa", "hash-1")
    users["åsa"] = "hash-2"  # `assistant user passwd`
    assert sessions.check(third, users.get)[0] is SessionState.ENDED
    fourth = sessions.open("åsa", "hash-2")
    del users["åsa"]  # `assistant user remove`
    assert sessions.check(fourth, users.get)[0] is SessionState.ENDED
    assert sessions.check("påhittad", users.get)[0] is SessionState.UNKNOWN
    assert sessions.check(None, users.get)[0] is SessionState.UNKNOWN


def test_the_throttle_waits_longer_after_each_further_failure_per_name_and_per_address():
    clock = Clock()
    throttle = LoginThrottle(free=5, wait_s=60, clock=clock)
    for _ in range(5):
        assert throttle.wait("åsa", "10.0.0.1") == 0
        throttle.failed("åsa", "10.0.0.1")
    assert throttle.wait("åsa", "10.0.0.1") == 60
    assert throttle.wait("ÅSA", "10.0.0.2") == 60  # the name, from any address
    assert throttle.wait("per", "10.0.0.1") == 60  # the address, for any name
    assert throttle.wait("per", "10.0.0.2") == 0
    clock.now += 60
    assert throttle.wait("åsa", "10.0.0.1") == 0
    throttle.failed("åsa", "10.0.0.1")
    assert throttle.wait("åsa", "10.0.0.1") == 120  # doubled
    clock.now += 120
    throttle.succeeded("åsa")
    assert throttle.wait("åsa", "10.0.0.2") == 0 and throttle.wait("per", "10.0.0.1") == 0


def test_the_sixth_wrong_password_within_a_minute_is_refused_without_checking_it(tmp_path):
    settings = Settings(users_file=tmp_path / "users.json", feedback_db=tmp_path / "f.sqlite3")
    users = UserStore(settings.users_file)
    users.add("åsa", "rätt lösen", "styrgrupp")
    audit = AuditLog(settings.feedback_db)
    clock = Clock()
    login = Login(settings, users, audit, clock)
    for attempt in range(5):
        clock.now += 5
        result = login.attempt("åsa", f"fel {attempt}", "192.0.2.7")
        assert (result.token, result.status, result.message) == (
            None,
            401,
            "Fel användarnamn eller lösenord.",
        )
    clock.now += 5
    sixth = login.attempt("åsa", "rätt lösen", "192.0.2.7")  # even the right one is not checked
    assert sixth.token is None and sixth.status == 429
    assert sixth.message == "För många misslyckade inloggningar. Försök igen om 55 sekunder."
    clock.now += 60
    assert login.attempt("åsa", "rätt lösen", "192.0.2.7").token
    events = [(row["event"], row["user"], row["address"]) for row in audit.rows()]
    assert events == [(LOGIN_FAILED, "åsa", "192.0.2.7")] * 5 + [(LOGIN_THROTTLED, "åsa", "192.0.2.7")]
    assert all(row["created"] for row in audit.rows())


def _answer(question: str, cited: str | None, retrieved: list[tuple[str, str]]) -> Answer:
    fused = [
        Fused(Chunk(f"{doc}::0", "text", {"doc_id": doc, "access": access}), 0.5) for doc, access in retrieved
    ]
    citations = [Citation(1, cited, cited, cited, None, "", "text")] if cited else []
    return Answer(question, "svar", cited is None, citations, fused, "sv")


def test_the_audit_log_records_answers_filters_them_and_cannot_be_changed(tmp_path):
    audit = AuditLog(tmp_path / "f.sqlite3")
    retrieved = [("corpus/a.md", "partner"), ("corpus/b.md", "styrgrupp"), ("corpus/a.md", "partner")]
    asa = AppCaller("åsa", "styrgrupp", "app", "192.0.2.1")
    audit.record_answer(asa, "Vad är budgeten?", (), _answer("Vad är budgeten?", "corpus/b.md", retrieved))
    per = AppCaller("per", "remisspartner", "api")
    audit.record_answer(
        per, "Vad är LOI?", ("Vad är plattformen?",), _answer("Vad är LOI?", None, retrieved[:1])
    )
    answer = _answer("Vem?", None, retrieved)
    audit.record_search(AppCaller("per", "remisspartner", "mcp"), "budget", answer.retrieved)
    first, second, search = audit.rows()
    assert first["address"] == "192.0.2.1" and second["address"] is None
    assert search["event"] == SEARCH and search["abstained"] is None and len(search["retrieved"]) == 2
    assert first["event"] == QUESTION and first["abstained"] == 0 and first["channel"] == "app"
    assert first["cited"] == [{"doc_id": "corpus/b.md", "access": "styrgrupp"}]
    assert first["retrieved"] == [
        {"doc_id": "corpus/a.md", "access": "partner"}, {"doc_id": "corpus/b.md", "access": "styrgrupp"}
    ]  # fmt: skip
    assert second["abstained"] == 1 and second["cited"] == [] and second["channel"] == "api"
    assert [r["channel"] for r in audit.rows(AuditFilter(user="per"))] == ["api", "mcp"]
    assert [r["event"] for r in audit.rows(AuditFilter(doc="corpus/b.md"))] == [QUESTION, SEARCH]
    assert audit.rows(AuditFilter(since="2999-01-01")) == []
    assert len(audit.rows(AuditFilter(since="2000-01-01 10:00"))) == 3
    with pytest.raises(ValueError, match="Ogiltigt datum"):
        audit.rows(AuditFilter(since="igår"))
    assert "corpus/b.md (styrgrupp)" in as_csv(audit.rows()).splitlines()[1]
    with sqlite3.connect(tmp_path / "f.sqlite3") as db, pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE audit SET question = 'ändrad'")
    with sqlite3.connect(tmp_path / "f.sqlite3") as db:
        db.execute("INSERT INTO audit (created, event, channel, cited, retrieved) VALUES "
                   "('2001-01-01 00:00:00', 'fråga', 'app', '[]', '[]')")  # fmt: skip
    assert audit.purge(retention_days=365) == 1 and len(audit.rows()) == 3


def test_user_commands_list_change_the_password_and_remove(tmp_path, monkeypatch, capsys):
    import io

    monkeypatch.setenv("ASSISTANT_USERS_FILE", str(tmp_path / "users.json"))
    from kbcore.settings import get_settings

    get_settings.cache_clear()
    try:
        for name, role, admin in (("åsa", "styrgrupp", ["--admin"]), ("per", "remisspartner", [])):
            monkeypatch.setattr("sys.stdin", io.StringIO("första lösen\n"))
            assert main(["user", "add", name, "--role", role, "--password-stdin", *admin]) == 0
        capsys.readouterr()
        assert main(["user", "list"]) == 0
        assert capsys.readouterr().out.splitlines() == ["per  remisspartner", "åsa  styrgrupp  administratör"]
        monkeypatch.setattr("sys.stdin", io.StringIO("nytt lösen\n"))
        assert main(["user", "passwd", "per", "--password-stdin"]) == 0
        users = UserStore(tmp_path / "users.json")
        assert users.authenticate("per", "nytt lösen") and not users.authenticate("per", "första lösen")
        assert users.get("per").role == "remisspartner"
        assert main(["user", "remove", "per"]) == 0
        assert list(users.users()) == ["åsa"]
        capsys.readouterr()
        assert main(["user", "remove", "per"]) == 2
        assert "Ingen användare heter 'per'. Användare: åsa" in capsys.readouterr().err
        assert main(["user", "passwd", "okänd", "--password-stdin"]) == 2
    finally:
        get_settings.cache_clear()
