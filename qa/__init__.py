"""Article QA: grounded, cited answers about a news article.

>>> import qa
>>> answer = qa.ask("Who is the article about?")  # the bundled article
>>> answer.text, answer.citations
"""

from qa.api import Assistant, ask
from qa.errors import QAError
from qa.prompts import REFUSAL
from qa.settings import Settings
from qa.types import Answer, Citation, Hit

__all__ = ["REFUSAL", "Answer", "Assistant", "Citation", "Hit", "QAError", "Settings", "ask"]
