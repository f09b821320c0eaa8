"""A bounded load test of `/chat` (20 clients, 15 s here; `assistant loadtest` runs the full
60 s): zero errors, and the figures printed."""

from __future__ import annotations

import pytest

from evals.load import load_test, markdown
from tests.web.conftest import USERS

pytestmark = pytest.mark.browser

QUESTIONS = [
    "Vem förbereder underlaget för Letter of Intent?",
    "Vad ska Tillväxtmotorn attrahera?",
    "När ska Letter of Intent undertecknas?",
    "Hur stor är budgeten för förberedelsefasen?",
]


def test_twenty_clients_get_answers_without_errors(app_server) -> None:
    url, _, root = app_server
    role, password = USERS["partner"]
    pid = int((root / "server.pid").read_text())
    result = load_test(
        url, clients=20, seconds=15, questions=QUESTIONS, auth=("partner", password), server_pids=[pid]
    )
    print("\n" + markdown(result))
    assert result["errors"] == 0, result["error_examples"]
    assert result["requests"] >= 20  # every client got at least one answer
    assert result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"]
    assert result["server_rss_hwm_mb"] > 0
    assert result["server_cpu_ms_per_request"] > 0 and result["clients_cpu_s"] > 0
    assert "server CPU ms/förfr." in markdown(result)


def test_users_with_think_time_get_answers_without_errors(app_server) -> None:
    """The think-time profile, scaled down (`assistant loadtest --think 10-30` runs 50 users)."""
    url, _, _ = app_server
    role, password = USERS["partner"]
    result = load_test(
        url, clients=30, seconds=8, questions=QUESTIONS, auth=("partner", password), think_s=(1.0, 3.0)
    )
    print("\n" + markdown(result))
    assert result["errors"] == 0, result["error_examples"]
    assert result["requests"] > 0 and result["profile"].startswith("betänketid")
