"""Nothing in the code may know the bundled article's words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qa.settings import BUNDLED_ARTICLE

ROOT = Path(__file__).resolve().parent.parent
ARTICLE_WORDS = re.compile(r"\b(?:bennett|putin|zelensky|ukrain\w*|israel\w*|kremlin|ceasefire|okafor|forestry)\b")


@pytest.mark.parametrize("package", ["index", "qa", "ui"])
def test_code_does_not_mention_article_words(package: str) -> None:
    offenders = []
    for path in (ROOT / package).rglob("*.py"):
        text = path.read_text(encoding="utf-8").lower().replace(BUNDLED_ARTICLE.name, "")
        offenders += [f"{path.name}: {w}" for w in ARTICLE_WORDS.findall(text)]
    assert not offenders


def _imports(path: Path) -> set[str]:
    """Top-level packages a module imports (absolute imports only)."""
    text = path.read_text(encoding="utf-8")
    return set(re.findall(r"^\s*(?:from|import)\s+(\w+)", text, flags=re.MULTILINE))


def test_index_never_imports_qa_eval_or_ui() -> None:
    for path in (ROOT / "index").rglob("*.py"):
        assert not _imports(path) & {"qa", "eval", "ui", "app"}, path


def test_only_the_cli_imports_eval_or_the_ui() -> None:
    for path in (ROOT / "qa").rglob("*.py"):
        found = _imports(path)
        assert "app" not in found, path
        assert not found & {"eval", "ui"} or path == ROOT / "qa" / "cli.py", path


def test_ui_helpers_import_only_the_library() -> None:
    for path in (ROOT / "ui").rglob("*.py"):
        assert not _imports(path) & {"eval", "app"}, path
