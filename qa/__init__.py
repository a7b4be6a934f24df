"""Article QA: grounded, cited answers about a news article.

>>> import qa
>>> answer = qa.ask("Who is the article about?")  # the bundled article
>>> answer.text, answer.citations

Names are imported lazily so that `qa --help` starts fast.
"""

from __future__ import annotations

from qa.index.lazy import lazy_exports

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

__getattr__ = lazy_exports("qa", _EXPORTS)
