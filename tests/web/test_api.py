"""The chat is callable with gradio_client at /chat, logged in, and answers per role."""

from __future__ import annotations

import pytest

from tests.web.conftest import RESTRICTED_FACT, USERS

pytestmark = pytest.mark.browser


def _client(url: str, user: str):
    from gradio_client import Client

    role, password = USERS[user]
    return Client(url, auth=(user, password), verbose=False)


def test_chat_api_answers_with_citations(app_server):
    url, _, _ = app_server
    result = _client(url, "partner").predict(
        "Vem förbereder underlaget för Letter of Intent?", [], api_name="/chat"
    )
    assert not result["abstained"]
    assert "Magnus Aspegren" in result["answer"]
    assert result["citations"] and result["citations"][0]["doc_id"] == "corpus/plattformen.md"
    assert result["citations"][0]["source_path"].endswith("plattformen.md")


def test_chat_api_never_shows_a_partner_the_steering_groups_document(app_server):
    url, _, _ = app_server
    question = f"Hur stor är budgeten för förberedelsefasen, är den {RESTRICTED_FACT} kronor?"
    partner = _client(url, "partner").predict(question, [], api_name="/chat")
    assert RESTRICTED_FACT not in str({k: v for k, v in partner.items() if k != "question"})
    steering = _client(url, "styr").predict(question, [], api_name="/chat")
    assert any(RESTRICTED_FACT in item["text"] for item in steering["retrieved"])
