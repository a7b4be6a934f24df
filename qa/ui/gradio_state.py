"""Bounding what Gradio keeps per browser session.

Gradio keeps a `SessionState` for every session it has served (up to `state_session_capacity`, 10,000 by
default), and in it the last value of every output (here the chat, the article pane's HTML and the retrieval
view) and `config_values`, its own copy of the whole app's config, one dict per component (kept for Gradio's
deep links, which this app does not offer). Nothing else ever frees them, so a server that many API clients or
tabs pass through only grows: after 400 sessions (`python -m qa.eval.soak --uploads 400 --questions 6`) the
server held 34,000 more dicts and 37,000 more lists than at start, nearly all of them these copies. The app
caps the number of sessions (`QA_MAX_SESSIONS`) and, from the session janitor, compacts sessions idle for
longer than the article TTL: their `gr.State` values (article key, plain history) are kept, so a returning
user is told their article expired instead of silently switching articles, while the stored outputs and the
config copy are dropped (a page reload rebuilds them; Gradio refills config entries as outputs change).
"""

from __future__ import annotations

import datetime as dt

import gradio as gr
from gradio.state_holder import SessionState


def compact_idle_sessions(blocks: gr.Blocks, idle: float, now: dt.datetime | None = None) -> int:
    """Replace each session idle for more than `idle` seconds by a fresh one that holds only its State
    values; returns how many were compacted. Uses Gradio's StateHolder (present once the app is served)."""
    holder = getattr(blocks, "state_holder", None)
    if holder is None:
        return 0
    cutoff = (now or dt.datetime.now()) - dt.timedelta(seconds=idle)
    idle_ids = [
        (sid, last)
        for sid, last in list(holder.time_last_used.items())
        if last < cutoff and getattr(holder.session_data.get(sid), "qa_compacted_at", None) != last
    ]
    compacted = 0
    for sid, last in idle_ids:
        fresh = SessionState(blocks)
        fresh.qa_compacted_at = last  # type: ignore[attr-defined]  # compacted once per idle spell
        with holder.lock:
            old = holder.session_data.get(sid)
            if old is None or holder.time_last_used.get(sid) != last:  # gone, or used again meanwhile
                continue
            fresh.state_data, fresh._state_ttl, fresh.is_closed = old.state_data, old._state_ttl, old.is_closed
            fresh.config_values = {}
            holder.session_data[sid] = fresh
            compacted += 1
    return compacted
