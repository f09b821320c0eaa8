"""SessionReaper over Gradio's own StateHolder: API sessions beyond the newest ``keep_api``
are forgotten, a closed tab after its grace (with the app's state for it), an open or
reopened tab never."""

from __future__ import annotations

import gradio as gr
import pytest
from gradio.state_holder import StateHolder

from app.web.gradio_sessions import CLOSED_TAB_GRACE_S, SessionReaper


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def blocks() -> gr.Blocks:
    with gr.Blocks() as demo:
        gr.Textbox()
    StateHolder().set_blocks(demo)  # what mounting the Blocks does
    return demo


def test_only_the_newest_api_sessions_are_kept(blocks) -> None:
    reaper = SessionReaper(blocks, keep_api=3)
    holder = blocks.state_holder
    holder["flik"]  # a browser tab, never an API call
    for n in range(10):
        holder[f"api-{n}"]
        reaper.api_call(f"api-{n}")
    assert set(holder.session_data) == {"flik", "api-7", "api-8", "api-9"}
    assert set(holder.time_last_used) == {"flik", "api-7", "api-8", "api-9"}


def test_a_client_that_reuses_its_session_keeps_it_while_it_is_recent(blocks) -> None:
    reaper = SessionReaper(blocks, keep_api=2)
    holder = blocks.state_holder
    for name in ("klient", "a", "klient"):
        holder[name]
        reaper.api_call(name)
    assert "klient" in holder.session_data  # its older entry left the window, its newest did not


def test_a_tab_closed_for_an_hour_is_forgotten_with_the_apps_state(blocks) -> None:
    clock, forgotten = Clock(), []
    reaper = SessionReaper(blocks, on_forget=forgotten.append, clock=clock)
    holder = blocks.state_holder
    holder["stangd"].is_closed = True
    holder["oppen"]
    holder["tillbaka"].is_closed = True
    assert reaper.sweep() == []  # first seen closed now
    clock.now += 30
    assert reaper.sweep() == []  # at most once a minute
    holder["tillbaka"].is_closed = False  # the tab reconnected
    clock.now += CLOSED_TAB_GRACE_S
    assert reaper.sweep() == ["stangd"]
    assert forgotten == ["stangd"]
    assert set(holder.session_data) == {"oppen", "tillbaka"}


def test_before_mounting_there_is_nothing_to_drop() -> None:
    with gr.Blocks() as demo:
        gr.Textbox()
    reaper = SessionReaper(demo, keep_api=1)
    reaper.api_call("a")
    reaper.api_call("b")
    assert reaper.sweep() == []
    with pytest.raises(ValueError, match="keep_api"):
        SessionReaper(demo, keep_api=0)
