"""Nothing in the code may know the bundled article's words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qa.settings import BUNDLED_ARTICLE

ROOT = Path(__file__).resolve().parent.parent
QA = ROOT / "qa"
ARTICLE_WORDS = re.compile(r"\b(?:bennett|putin|zelensky|ukrain\w*|israel\w*|kremlin|ceasefire|okafor|forestry)\b")


@pytest.mark.parametrize("package", ["qa"])
def test_code_does_not_mention_article_words(package: str) -> None:
    offenders = []
    for path in (ROOT / package).rglob("*.py"):
        if path.is_relative_to(QA / "eval"):  # the eval may name its own cases' words
            continue
        text = path.read_text(encoding="utf-8").lower().replace(BUNDLED_ARTICLE.name, "")
        offenders += [f"{path.name}: {w}" for w in ARTICLE_WORDS.findall(text)]
    assert not offenders


def _imports(path: Path) -> set[str]:
    """Modules a module imports (absolute imports only), e.g. 'qa.index.build'."""
    text = path.read_text(encoding="utf-8")
    return set(re.findall(r"^\s*(?:from|import)\s+([\w.]+)", text, flags=re.MULTILINE))


def _under(found: set[str], *prefixes: str) -> set[str]:
    return {m for m in found if any(m == p or m.startswith(f"{p}.") for p in prefixes)}


def test_index_imports_only_itself_from_the_project() -> None:
    for path in (QA / "index").rglob("*.py"):
        found = _under(_imports(path), "qa", "app")
        assert found == _under(found, "qa.index"), path


def test_only_the_cli_imports_eval_or_the_ui() -> None:
    for path in QA.rglob("*.py"):
        if path.is_relative_to(QA / "eval") or path.is_relative_to(QA / "ui"):
            continue
        found = _imports(path)
        assert "app" not in found, path
        assert not _under(found, "qa.eval", "qa.ui") or path == QA / "cli.py", path


def test_ui_helpers_import_only_the_library() -> None:
    for path in (QA / "ui").rglob("*.py"):
        assert not _under(_imports(path), "qa.eval", "app"), path
