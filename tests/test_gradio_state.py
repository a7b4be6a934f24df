"""Idle browser sessions are compacted: their State values stay, the outputs Gradio stored are dropped."""

from __future__ import annotations

import datetime as dt

import gradio as gr
from gradio.state_holder import StateHolder

from qa.ui.gradio_state import compact_idle_sessions


def _app() -> tuple[gr.Blocks, gr.State, gr.HTML]:
    with gr.Blocks() as demo:
        key = gr.State("bundled")
        pane = gr.HTML("default pane")
    demo.config = demo.get_config_file()
    StateHolder().set_blocks(demo)
    return demo, key, pane


def test_idle_session_keeps_its_state_and_drops_stored_outputs() -> None:
    demo, key, pane = _app()
    session = demo.state_holder["abc"]
    session[key._id] = "my-upload"
    session._update_value_in_config(pane._id, "x" * 100_000)
    later = dt.datetime.now() + dt.timedelta(seconds=120)
    assert compact_idle_sessions(demo, idle=60, now=later) == 1
    fresh = demo.state_holder.session_data["abc"]
    assert fresh is not session and fresh[key._id] == "my-upload", "the article key survives"
    assert "x" * 100 not in str(fresh.config_values), "the stored output is gone"
    assert len(session.config_values) >= 2 and fresh.config_values == {}, "so is the per-session app config"
    assert compact_idle_sessions(demo, idle=60, now=later) == 0, "compacted once per idle spell"
    fresh._update_value_in_config(pane._id, "back again")  # a returning session updates outputs as before
    assert [c["props"]["value"] for c in fresh.components] == ["back again"]


def test_active_sessions_are_left_alone() -> None:
    demo, _, _ = _app()
    session = demo.state_holder["abc"]
    assert compact_idle_sessions(demo, idle=60) == 0
    assert demo.state_holder.session_data["abc"] is session


def test_an_app_not_yet_served_has_nothing_to_compact() -> None:
    with gr.Blocks() as demo:
        gr.State(1)
    assert compact_idle_sessions(demo, idle=0) == 0
