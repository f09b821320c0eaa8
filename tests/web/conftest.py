"""A real app server for the web tests: a small corpus at two access levels, indexed with
MiniLM, two users, `assistant serve` in a subprocess on a free loopback port."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.sync import run_ingest
from kbcore.embedder import get_embedder
from kbcore.loopback import free_port, wait_until_listening
from kbcore.users import UserStore
from tests.conftest import front_matter_doc, minilm_path, write_files

# The fact only the steering group may see; it must never reach a partner in any form.
RESTRICTED_FACT = "Kvartsmiljonen"
USERS = {"partner": ("remisspartner", "hemligt-p1"), "styr": ("styrgrupp", "hemligt-s1")}


def _decision(title: str, access: str, decision: str, body: str) -> str:
    return (
        f"---\ntitle: {title}\ntype: beslut\naccess: {access}\ndecision: {decision}\n"
        f"decided_by: Styrgruppen\nwhen: januari\nstatus: planerat\n---\n\n# {title}\n\n{body}\n"
    )


CORPUS = {
    "plattformen.md": front_matter_doc(
        "Tillväxtmotorn",
        "partner",
        """
        # Tillväxtmotorn

        Tillväxtmotorn ska attrahera investeringar i grön omställning och försvar.
        Magnus Aspegren förbereder underlaget för Letter of Intent till januari.
        """,
    ),
    "beslut/loi.md": _decision(
        "Beslut om LOI", "partner", "Underteckna Letter of Intent i januari.",
        "Styrgruppen ska underteckna Letter of Intent vid sammanträdet i januari.",
    ),
    "beslut/budget.md": _decision(
        "Beslut om budget", "styrgrupp", f"Budgeten är {RESTRICTED_FACT} kronor.",
        f"Styrgruppen beslutade att budgeten för förberedelsefasen är {RESTRICTED_FACT} kronor.",
    ),
}  # fmt: skip


MINILM_BAR = "0.2"  # MiniLM scores Swedish far lower than EmbeddingGemma: its own, lower bar


def app_env(root: Path, minilm: bool = True, bar: str = MINILM_BAR) -> dict[str, str]:
    """The ASSISTANT_* variables of a test app below ``root``: its index, corpus, users and
    feedback files, embedding with MiniLM (and its answer bar ``bar``) or, with ``minilm``
    off, with the product's model and bars."""
    env = {
        "ASSISTANT_INDEX_DIR": str(root / "index"),
        "ASSISTANT_CORPUS_DIR": str(root / "corpus"),
        "ASSISTANT_UPLOAD_DIR": str(root / "corpus" / "uppladdat"),
        "ASSISTANT_USERS_FILE": str(root / "users.json"),
        "ASSISTANT_FEEDBACK_DB": str(root / "feedback.sqlite3"),
    }
    if minilm:
        env |= {"ASSISTANT_EMBED_MODEL": minilm_path(), "ASSISTANT_EMBED_DTYPE": "float32"}
        for name in ("STRONG", "WEAK", "FAMILIAR", "ENGLISH"):
            env[f"ASSISTANT_ABSTENTION__{name}_SIMILARITY"] = bar
    return env


@contextlib.contextmanager
def running_app(
    root: Path,
    corpus: dict[str, str],
    users: dict[str, tuple[str, str]],
    minilm: bool = True,
    bar: str = MINILM_BAR,
):
    """`assistant serve` in a subprocess on a free loopback port over ``corpus`` (indexed
    first) with ``users`` (name -> (role, password); none: local mode); see ``app_env``.
    Yields (url, settings, root); stopped on exit."""
    from kbcore.settings import Settings

    write_files(root / "corpus", corpus)
    env_settings = app_env(root, minilm, bar)
    settings = Settings(**{k.removeprefix("ASSISTANT_").lower(): v for k, v in env_settings.items()})
    run_ingest([str(root / "corpus")], settings, get_embedder(settings))
    store = UserStore(settings.users_file)
    for name, (role, password) in users.items():
        store.add(name, password, role, admin=(role == "styrgrupp"))
    port = free_port()
    env = {**os.environ, **env_settings, "ASSISTANT_APP_PORT": str(port)}
    log = (root / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    (root / "server.pid").write_text(str(server.pid))  # the load test samples its memory
    try:
        wait_until_listening(port, server, 120, "appen")
    except RuntimeError as error:
        pytest.fail(f"{error}\n{(root / 'server.log').read_text()}")
    try:
        yield f"http://127.0.0.1:{port}/", settings, root
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """(url, settings, folder) of a running app with CORPUS and USERS; stopped after the session."""
    with running_app(tmp_path_factory.mktemp("app"), CORPUS, USERS) as running:
        yield running


def output_dir(name: str) -> Path:
    folder = Path(__file__).resolve().parents[2] / "test-output" / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail("Chromium saknas: scripts/system-deps.sh installerar paketet chromium (som root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
