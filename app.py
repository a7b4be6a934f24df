"""Gradio chat over the `qa` API: a thin adapter with no retrieval or answering logic of its own."""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr

from qa.api import Assistant
from qa.errors import QAError
from qa.settings import Settings


def build_app(settings: Settings | None = None) -> gr.Blocks:
    """The chat app for the bundled article."""
    settings = settings or Settings()
    assistant = Assistant.from_file(settings.article, settings)

    def respond(message: str, history: list[dict]):
        try:
            text = ""
            for event in assistant.stream(message, history):
                if isinstance(event, str):
                    text += event
                    yield text
        except QAError as exc:
            yield f"⚠️ {exc}"

    return gr.ChatInterface(respond, title=f"Ask about: {assistant.article.title}")


if __name__ == "__main__":
    build_app().launch(
        server_name=os.environ.get("QA_HOST", "127.0.0.1"), server_port=int(os.environ.get("QA_PORT", "7860"))
    )
