"""Article QA: grounded, cited answers about a news article.

>>> import qa
>>> answer = qa.ask("Who is the article about?")  # the bundled article
>>> answer.text, answer.citations

Names are imported lazily so that `qa --help` starts fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Answer": "qa.types",
    "Assistant": "qa.api",
    "Citation": "qa.types",
    "Hit": "qa.types",
    "QAError": "qa.errors",
    "REFUSAL": "qa.llm.prompts",
    "Settings": "qa.settings",
    "ask": "qa.api",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'qa' has no attribute {name!r}")
