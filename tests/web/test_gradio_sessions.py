"""SessionReaper over Gradio's own StateHolder: API sessions unused for ``api_idle_s`` are
forgotten, a closed tab once unused for its grace (with the app's state for it), an open tab,
a reconnected tab still in use and a reused API session never; the reaper turns Gradio's
heartbeat on, without which no tab is known to close."""

from __future__ import annotations

import datetime

import gradio as gr
import pytest
from gradio.state_holder import StateHolder

from app.web.gradio_sessions import CLOSED_TAB_GRACE_S, SessionReaper

START = datetime.datetime(2026, 12, 4, 9, 0)


class Clock:
    """Gradio stamps each use with ``datetime.now()``; here the test moves the time."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime.datetime:
        return self.now

    def wait(self, seconds: float) -> None:
        self.now += datetime.timedelta(seconds=seconds)


class Tab:
    def __init__(self, session_hash: str) -> None:
        self.session_hash = session_hash


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _mounted(clock: Clock, **reaper_args) -> tuple[gr.Blocks, SessionReaper, list[str]]:
    forgotten: list[str] = []
    with gr.Blocks() as demo:
        gr.Textbox()
        reaper = SessionReaper(demo, on_forget=forgotten.append, now=clock, **reaper_args)
    StateHolder().set_blocks(demo)  # what mounting the Blocks does
    return demo, reaper, forgotten


def _use(demo: gr.Blocks, clock: Clock, session_hash: str) -> None:
    """A request of the session: Gradio's lookup, stamped with the test's time."""
    demo.state_holder[session_hash]
    demo.state_holder.time_last_used[session_hash] = clock()


def test_the_reaper_turns_gradios_heartbeat_on(clock) -> None:
    demo, _, _ = _mounted(clock)
    assert demo.get_config_file()["connect_heartbeat"] is True


def test_idle_api_sessions_are_forgotten_and_busy_ones_kept(clock) -> None:
    demo, reaper, forgotten = _mounted(clock, api_idle_s=10)
    _use(demo, clock, "flik")  # a browser tab, never an API call
    for n in range(5):
        _use(demo, clock, f"api-{n}")
        reaper.note_api_call(f"api-{n}")
        clock.wait(3)
    # api-0 and api-1 were last used 15 and 12 s ago; api-2 9 s ago
    _use(demo, clock, "api-5")
    reaper.note_api_call("api-5")
    assert set(demo.state_holder.session_data) == {"flik", "api-2", "api-3", "api-4", "api-5"}
    assert set(demo.state_holder.time_last_used) == set(demo.state_holder.session_data)
    assert forgotten == []  # API sessions hold nothing of the app's


def test_a_client_that_reuses_its_session_keeps_it_while_it_asks(clock) -> None:
    demo, reaper, _ = _mounted(clock, api_idle_s=10)
    for _ in range(10):
        _use(demo, clock, "klient")
        reaper.note_api_call("klient")
        clock.wait(4)
        _use(demo, clock, "annan")
        reaper.note_api_call("annan")
        clock.wait(4)
    assert "klient" in demo.state_holder.session_data


def test_a_closed_tab_is_forgotten_with_the_apps_state_once_idle(clock) -> None:
    demo, reaper, forgotten = _mounted(clock, closed_grace_s=3600)
    for name in ("stangd", "oppen", "tillbaka"):
        _use(demo, clock, name)
    clock.wait(1)
    reaper.tab_closed(Tab("stangd"))
    reaper.tab_closed(Tab("tillbaka"))
    assert reaper.sweep() == []  # closed, but used a second ago
    clock.wait(1800)
    _use(demo, clock, "tillbaka")  # its connection came back and it asks again
    clock.wait(1800)
    assert reaper.sweep() == ["stangd"]
    assert forgotten == ["stangd"]
    assert set(demo.state_holder.session_data) == {"oppen", "tillbaka"}
    clock.wait(30)
    assert reaper.sweep() == []  # at most once a minute
    clock.wait(24 * 3600)
    assert reaper.sweep() == []  # open again: idle tabs that never closed are kept
    assert set(demo.state_holder.session_data) == {"oppen", "tillbaka"}


def test_a_closed_tab_gradio_already_let_go_of_is_forgotten_by_the_app_too(clock) -> None:
    demo, reaper, forgotten = _mounted(clock)
    reaper.tab_closed(Tab("borta"))  # never (or no longer) in Gradio's holder
    assert reaper.sweep() == ["borta"] and forgotten == ["borta"]


@pytest.mark.browser
def test_a_tab_closed_in_chromium_reaches_the_reaper(browser) -> None:
    """The whole path on a real server: the page opens Gradio's heartbeat (because the reaper
    registered an unload event), and closing the tab calls ``tab_closed`` with its session."""
    import threading
    import time

    import uvicorn
    from fastapi import FastAPI

    from kbcore.loopback import free_port

    later = datetime.timedelta(0)  # Gradio stamps each use with the real clock: move past it

    def clock() -> datetime.datetime:
        return datetime.datetime.now() + later

    forgotten: list[str] = []
    with gr.Blocks() as demo:
        gr.Textbox(elem_id="ruta")
        reaper = SessionReaper(demo, on_forget=forgotten.append, now=clock)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(gr.mount_gradio_app(FastAPI(), demo, path="/"), port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        page = browser.new_page()
        heartbeats: list[str] = []
        page.on("request", lambda r: heartbeats.append(r.url) if "/heartbeat/" in r.url else None)
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_selector("#ruta textarea")
        page.wait_for_timeout(500)
        assert heartbeats, "no heartbeat: Gradio would never learn that the tab closed"
        session_hash = heartbeats[0].rsplit("/", 1)[1]
        page.close()
        dropped: list[str] = []
        deadline = time.monotonic() + 20
        while not dropped and time.monotonic() < deadline:
            time.sleep(0.2)
            later += datetime.timedelta(seconds=CLOSED_TAB_GRACE_S + 120)  # and the once-a-minute limit
            dropped = reaper.sweep()
        assert dropped == [session_hash] and forgotten == [session_hash]
    finally:
        server.should_exit = True
        thread.join(timeout=10)
