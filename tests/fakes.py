"""A fake LangChain chat model that answers by a script and records every prompt it was sent."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field


class ScriptedChat(BaseChatModel):
    """Replies with `script(prompt)`; `sent` keeps the prompts (last message text) in order."""

    script: Callable[[str], str]
    sent: list[str] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted-fake"

    def _reply(self, messages: list[BaseMessage]) -> str:
        prompt = str(messages[-1].content)
        self.sent.append(prompt)
        return self.script(prompt)

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage(self._reply(messages)))])

    def _stream(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> Iterator[ChatGenerationChunk]:
        for piece in re.findall(r"\S+\s*", self._reply(messages)):
            yield ChatGenerationChunk(message=AIMessageChunk(piece))


def number_of(prompt: str, fragment: str) -> int:
    """The candidate number the prompt gives the sentence containing `fragment` (0 when absent)."""
    match = re.search(rf"^\[(\d+)\] [^\n]*{re.escape(fragment)}", prompt, flags=re.MULTILINE)
    return int(match.group(1)) if match else 0


def chat(script: Callable[[str], str]) -> ScriptedChat:
    return ScriptedChat(script=script, sent=[])
