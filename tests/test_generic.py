"""Nothing in the code may know the bundled article's words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qa.settings import BUNDLED_ARTICLE

ROOT = Path(__file__).resolve().parent.parent
ARTICLE_WORDS = re.compile(r"\b(?:bennett|putin|zelensky|ukrain\w*|israel\w*|kremlin|ceasefire|okafor|forestry)\b")


@pytest.mark.parametrize("package", ["index", "qa"])
def test_code_does_not_mention_article_words(package: str) -> None:
    offenders = []
    for path in (ROOT / package).rglob("*.py"):
        text = path.read_text(encoding="utf-8").lower().replace(BUNDLED_ARTICLE.name, "")
        offenders += [f"{path.name}: {w}" for w in ARTICLE_WORDS.findall(text)]
    assert not offenders


def test_index_never_imports_qa() -> None:
    for path in (ROOT / "index").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import qa" not in text and "from qa" not in text, path
