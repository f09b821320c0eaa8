"""`assistant serve --workers 2` on loopback: a `chroma run` server, two app workers and nginx.

An upload through one worker is answered by the other without a restart (the index version);
then, under a running load through nginx, the Chroma server is killed and restarted and one
worker is killed: in-flight requests get the Swedish error or finish, none hangs, the load
goes on through the remaining worker, it reconnects by itself, and no chunk is lost. In
Chromium, a tab whose worker is killed is told so in Swedish, reloads on the other worker and
goes on with its stored conversation. MiniLM keeps it light; the figures are printed, the
assertions are behaviour.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from app.workers import run_cluster
from evals.load import load_test
from ingest.sync import run_ingest
from kbcore.embedder import get_embedder
from kbcore.loopback import free_port, wait_until_listening
from kbcore.settings import Settings
from kbcore.store import UNAVAILABLE, open_index
from tests.conftest import front_matter_doc, minilm_path, write_files
from tests.web.conftest import output_dir
from tests.web.test_browser import _ask

NGINX = os.path.exists("/usr/sbin/nginx")
pytestmark = [pytest.mark.server, pytest.mark.skipif(not NGINX, reason="nginx saknas")]

QUESTION = "Vad ska Tillväxtmotorn attrahera?"
NEW_QUESTION = "Vilken färg har kanotklubbens nya båtar?"
NEW_FACT = "Kanotklubbens nya båtar är ljusgröna med vita åror."


@contextlib.contextmanager
def _cluster(root: Path):
    """Two workers + `chroma run` + nginx over a one-document corpus below ``root``; yields
    (the running cluster, its settings)."""
    text = "Tillväxtmotorn ska attrahera investeringar i grön omställning."
    write_files(root / "corpus", {"plattformen.md": front_matter_doc("Tillväxtmotorn", "oppen", text)})
    env = {
        "ASSISTANT_INDEX_DIR": str(root / "index"),
        "ASSISTANT_CORPUS_DIR": str(root / "corpus"),
        "ASSISTANT_UPLOAD_DIR": str(root / "corpus" / "uppladdat"),
        "ASSISTANT_EMBED_MODEL": minilm_path(),
        "ASSISTANT_EMBED_DTYPE": "float32",
        "ASSISTANT_USERS_FILE": str(root / "users.json"),
        "ASSISTANT_FEEDBACK_DB": str(root / "feedback.sqlite3"),
        "ASSISTANT_ABSTENTION__STRONG_SIMILARITY": "0.2",
        "ASSISTANT_ABSTENTION__WEAK_SIMILARITY": "0.2",
    }
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)  # the workers inherit it
    try:
        settings = Settings(app_port=free_port())
        run_ingest([str(root / "corpus")], settings, get_embedder(settings))
        with run_cluster(settings, 2) as running:
            yield running, settings
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key)
            else:
                os.environ[key] = value


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    root = tmp_path_factory.mktemp("arbetare")
    with _cluster(root) as (running, settings):
        yield running, settings, root


def _client(url: str):
    from gradio_client import Client

    return Client(url, verbose=False)


def _chunks(settings: Settings, port: int) -> int:
    server = settings.model_copy(update={"chroma_host": "127.0.0.1", "chroma_port": port})
    return open_index(server, get_embedder(settings).identity, for_writing=False).count()


def test_an_upload_through_one_worker_is_answered_by_the_other(cluster) -> None:
    from gradio_client import handle_file

    running, _, root = cluster
    first, second = (_client(worker.url) for worker in running.workers)
    assert "grön omställning" in _client(running.url).predict(QUESTION, [], api_name="/chat")["answer"]
    assert NEW_FACT not in second.predict(NEW_QUESTION, [], api_name="/chat")["answer"]
    upload = write_files(root / "upp", {"kanoter.md": front_matter_doc("Kanoter", "oppen", NEW_FACT)})
    first.predict([handle_file(str(upload / "kanoter.md"))], "oppen", "", api_name="/upload")
    uploaded = time.monotonic()
    answer = ""
    while NEW_FACT.split()[-1] not in answer and time.monotonic() - uploaded < 60:
        answer = second.predict(NEW_QUESTION, [], api_name="/chat")["answer"]
    print(f"\nUppladdat via arbetare 1, besvarat av arbetare 2 efter {time.monotonic() - uploaded:.1f} s")
    assert "ljusgröna" in answer


def test_faults_under_load_give_errors_not_hangs_and_lose_nothing(cluster) -> None:
    running, settings, _ = cluster
    before = _chunks(settings, running.chroma_port)
    result: dict = {}
    load = threading.Thread(
        target=lambda: result.update(load_test(running.url, 4, 24, [QUESTION, NEW_QUESTION])), daemon=True
    )
    load.start()
    time.sleep(4)
    running.chroma.kill()
    running.chroma.wait()
    time.sleep(3)
    running.restart_chroma()
    restarted = time.monotonic()
    probe = _client(running.url)
    recovery = None
    while recovery is None and time.monotonic() - restarted < 60:
        try:
            probe.predict(QUESTION, [], api_name="/chat")
            recovery = time.monotonic() - restarted
        except Exception:
            time.sleep(0.2)
    running.workers[0].process.kill()
    load.join(timeout=120)
    after = _chunks(settings, running.chroma_port)
    print(f"\nUnder last: {result.get('requests')} svar, {result.get('errors')} fel "
          f"({result.get('error_examples')}); återhämtning efter omstart {recovery} s; "
          f"chunkar före {before}, efter {after}")  # fmt: skip
    assert not load.is_alive(), "a request hung past the test's bound"
    assert recovery is not None, "the workers did not reconnect to the restarted server"
    assert after == before
    assert result["requests"] > 0
    # The server's outage reaches the user in Swedish; the killed worker's requests in flight
    # end as a broken stream, nginx's 502, or a 404 when nginx sends the stream of an event
    # the killed worker had taken to the surviving worker, which never had it. Nothing else
    # may fail.
    killed_worker = ("CancelledError", "ConnectError", "RemoteProtocolError", "ReadError",
                     "HTTPStatusError: Server error '502", "RuntimeError: 404")  # fmt: skip
    assert all(UNAVAILABLE in e or e.startswith(killed_worker) for e in result["error_examples"])
    still = _client(running.url).predict(QUESTION, [], api_name="/chat")  # through the remaining worker
    assert "grön omställning" in still["answer"]


def _serving(workers) -> list:
    """The workers holding an open connection (a tab's heartbeat, through nginx): the
    established TCP connections on each worker's port, from /proc/net/tcp."""
    established = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        if state == "01":
            established.add(int(local.split(":")[1], 16))
    return [worker for worker in workers if worker.port in established]


@pytest.mark.browser
def test_a_tab_whose_worker_dies_goes_on_with_its_conversation(tmp_path, browser) -> None:
    """The worker a tab talks to is killed: the tab says so in Swedish, Gradio's client
    reloads the page once the other worker answers, the conversation is reopened from "Dina
    samtal" and goes on there (stored in the same conversation), with no error. The dead
    worker is then started anew on its port and answers."""
    with _cluster(tmp_path) as (running, settings):
        page = browser.new_page()
        page.goto(running.url)
        page.wait_for_selector("#fraga textarea", timeout=60_000)
        _ask(page, QUESTION, 1)
        tab_worker = _serving(running.workers)
        assert len(tab_worker) == 1, "expected the tab's heartbeat on one worker"
        with page.expect_event("load", timeout=60_000):
            os.kill(tab_worker[0].process.pid, signal.SIGKILL)
            page.wait_for_selector('[data-testid="toast-text"]', timeout=30_000)
            notice = page.inner_text('[data-testid="toast-text"]')
        page.wait_for_selector("#fraga textarea", timeout=60_000)
        page.get_by_text("Dina samtal").click()
        page.locator("#tidigare-samtal input").click()
        page.get_by_role("option").filter(has_text=QUESTION[:20]).first.click()
        page.wait_for_selector("#samtal .svar-1", timeout=30_000)
        _ask(page, "Vad mer ska den attrahera?", 2)
        page.screenshot(path=str(output_dir("arbetare") / "efter-arbetaren-dog.png"))
        toasts = " ".join(page.locator('[data-testid="toast-text"]').all_inner_texts())
        with sqlite3.connect(settings.feedback_db) as db:
            turns = "SELECT conversation_id, number FROM conversation_turns ORDER BY rowid"
            stored = db.execute(turns).fetchall()
        dead = tab_worker[0]
        assert running.replace_dead_workers() == [dead.port]  # what `serve --workers` does
        wait_until_listening(dead.port, dead.process, 120, "den nya arbetaren")
        again = _client(dead.url).predict(QUESTION, [], api_name="/chat")["answer"]
        assert running.replace_dead_workers() == []
    assert "grön omställning" in again
    assert notice.startswith("Anslutningen till servern bröts") and "Dina samtal" in notice
    assert "list of choices" not in toasts
    assert [number for _, number in stored] == [1, 2] and len({c for c, _ in stored}) == 1
