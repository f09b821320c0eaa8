"""The OpenAI-compatible API of `assistant serve`, through the official ``openai`` client:
cited answers streamed and not, every role's key kept to its level (the access probes), and
OpenAI-shaped errors in Swedish for a wrong or missing key, an unknown model and an empty question."""

from __future__ import annotations

import json

import httpx
import openai
import pytest

from app.api.auth import MISSING_KEY, WRONG_KEY, Unauthorized, caller_for
from app.api.gateway import Caller
from app.api.openai_routes import EXTRA_FIELD, MODEL_ID
from assistant.audit import AuditFilter, AuditLog
from assistant.texts import EMPTY_QUESTION
from kbcore.users import UserStore
from tests.security.test_access_probes import FACTS, ROLES, _documents, _probes, _restricted_words
from tests.web.conftest import running_app

LOI_QUESTION = "Vem förbereder underlaget för Letter of Intent?"


def _client(url: str, key: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{url}v1", api_key=key, max_retries=0, timeout=120)


@pytest.fixture(scope="module")
def keys(app_server) -> dict[str, str]:
    """An API key per test user (keys are read per request: no restart)."""
    _, settings, _ = app_server
    users = UserStore(settings.users_file)
    return {name: users.create_key(name) for name in ("partner", "styr")}


def test_models_lists_the_one_model(app_server, keys) -> None:
    url, _, _ = app_server
    assert [model.id for model in _client(url, keys["partner"]).models.list()] == [MODEL_ID]


def test_a_cited_answer_with_sources_in_the_text_and_structured(app_server, keys) -> None:
    url, settings, _ = app_server
    reply = _client(url, keys["partner"]).chat.completions.create(
        model=MODEL_ID, messages=[{"role": "user", "content": LOI_QUESTION}]
    )
    content = reply.choices[0].message.content
    details = reply.model_extra[EXTRA_FIELD]
    assert not details["abstained"]
    cited = [c for c in details["citations"] if c["path"].endswith("plattformen.md")]
    assert cited, details["citations"]
    assert "Magnus Aspegren" in content and f"[{cited[0]['n']}]" in content
    sources = content.split("Källor:\n", 1)[1]
    assert f"[{cited[0]['n']}] Tillväxtmotorn" in sources and cited[0]["path"] in sources
    audited = [r for r in AuditLog(settings.feedback_db).rows(AuditFilter(user="partner"))
               if r["question"] == LOI_QUESTION and r["channel"] == "openai"]  # fmt: skip
    assert audited and cited[0]["doc_id"] in {d["doc_id"] for d in audited[-1]["cited"]}


def test_a_streamed_answer_arrives_in_openai_chunks_and_ends_with_done(app_server, keys) -> None:
    url, _, _ = app_server
    stream = _client(url, keys["partner"]).chat.completions.create(
        model=MODEL_ID, messages=[{"role": "user", "content": LOI_QUESTION}], stream=True
    )
    chunks = list(stream)
    content = "".join(chunk.choices[0].delta.content or "" for chunk in chunks)
    assert chunks[-1].choices[0].finish_reason == "stop"
    details = chunks[-1].model_extra[EXTRA_FIELD]
    cited = [c for c in details["citations"] if c["path"].endswith("plattformen.md")]
    assert cited and f"[{cited[0]['n']}]" in content and "Källor:" in content
    raw = httpx.post(
        f"{url}v1/chat/completions",
        headers={"Authorization": f"Bearer {keys['partner']}"},
        json={"model": MODEL_ID, "messages": [{"role": "user", "content": LOI_QUESTION}], "stream": True},
        timeout=120,
    )
    assert raw.headers["content-type"].startswith("text/event-stream")
    assert raw.text.rstrip().endswith("data: [DONE]")


def test_earlier_user_messages_are_the_conversation(app_server, keys) -> None:
    url, _, _ = app_server
    reply = _client(url, keys["partner"]).chat.completions.create(
        model=MODEL_ID,
        messages=[
            {"role": "system", "content": "Du är en hjälpsam assistent."},
            {"role": "user", "content": LOI_QUESTION},
            {"role": "assistant", "content": "Magnus Aspegren [1]."},
            {"role": "user", "content": [{"type": "text", "text": "Och till när?"}]},
        ],
    )
    assert "januari" in reply.choices[0].message.content


def test_a_wrong_or_missing_key_gets_401_with_an_openai_error(app_server, keys) -> None:
    url, _, _ = app_server
    for key in (keys["partner"] + "x", "pa-00000000-gissning", "fel"):
        with pytest.raises(openai.AuthenticationError) as caught:
            _client(url, key).chat.completions.create(
                model=MODEL_ID, messages=[{"role": "user", "content": "Hej?"}]
            )
        assert caught.value.status_code == 401
        assert caught.value.body["message"] == WRONG_KEY
        assert caught.value.body["type"] == "invalid_request_error"
    with pytest.raises(openai.AuthenticationError):
        _client(url, "fel").models.list()
    missing = httpx.post(f"{url}v1/chat/completions", json={"model": MODEL_ID, "messages": []}, timeout=30)
    assert missing.status_code == 401
    assert missing.json()["error"] == {
        "message": MISSING_KEY, "type": "invalid_request_error", "param": None, "code": "missing_api_key"
    }  # fmt: skip


def test_an_unknown_model_and_a_content_free_question_are_errors_not_answers(app_server, keys) -> None:
    url, _, _ = app_server
    client = _client(url, keys["partner"])
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": LOI_QUESTION}])
    assert (
        caught.value.body["code"] == "model_not_found"
        and "plattformsassistenten" in caught.value.body["message"]
    )
    for blank in ("", "   ", "???", " ?! "):
        for stream in (False, True):
            with pytest.raises(openai.BadRequestError) as caught:
                client.chat.completions.create(
                    model=MODEL_ID, messages=[{"role": "user", "content": blank}], stream=stream
                )
            assert caught.value.body["message"] == EMPTY_QUESTION
            assert caught.value.body["code"] == "empty_question"


@pytest.fixture(scope="module")
def probe_server(tmp_path_factory):
    """The access probes' corpus (a fact per level) behind the app, answering everything
    (bar 0: every probe reaches the writer), a user and an API key per role."""
    users = {role: (role, "lösen-" + role) for role in ROLES}
    with running_app(tmp_path_factory.mktemp("api-sakerhet"), _documents(), users, bar="0.0") as (
        url,
        settings,
        _,
    ):
        store = UserStore(settings.users_file)
        yield url, {role: store.create_key(role) for role in ROLES}


def test_no_key_gets_facts_above_its_role_streamed_or_not(probe_server) -> None:
    url, keys = probe_server
    probes = 0
    leaks: list[str] = []
    for role, key in keys.items():
        client = _client(url, key)
        for restricted in _restricted_words(role):
            word, fact, paraphrase, english = next(f for f in FACTS.values() if f[0] == restricted)
            for kind, question, history in _probes(word, fact, paraphrase, english):
                messages = [{"role": "user", "content": turn} for turn in history]
                messages.append({"role": "user", "content": question})
                whole = client.chat.completions.create(model=MODEL_ID, messages=messages).model_dump_json()
                streamed = json.dumps(
                    [
                        c.model_dump()
                        for c in client.chat.completions.create(
                            model=MODEL_ID, messages=messages, stream=True
                        )
                    ],
                    ensure_ascii=False,
                )
                probes += 1
                leaks += [f"{role} {kind} {restricted}" for text in (whole, streamed) if restricted in text]
    assert probes == 30  # 3 + 2 + 1 + 0 restricted facts, five ways each
    assert not leaks
    own = _client(url, keys["styrgrupp"]).chat.completions.create(
        model=MODEL_ID, messages=[{"role": "user", "content": FACTS["styrgrupp"][2]}]
    )
    assert "Kvartsmiljonen" in own.choices[0].message.content  # the probes could have found it


def test_without_users_only_loopback_clients_get_in(tmp_path) -> None:
    local = UserStore(tmp_path / "users.json")  # no file: local mode, no keys
    for host in ("127.0.0.1", "::1", "::ffff:127.0.0.1"):
        for header in (None, "Bearer ", "Bearer vad-som-helst"):
            assert caller_for(local, header, host, "openai") == Caller(None, None, "openai")
    for host in ("10.0.0.5", "192.168.1.20", "2001:db8::1", "testclient", None):
        for header in (None, "Bearer pa-12345678-gissning"):
            with pytest.raises(Unauthorized, match="loopback"):
                caller_for(local, header, host, "openai")
