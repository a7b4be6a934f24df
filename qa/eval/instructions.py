"""Measure the prompt-injection rule (`qa.index.instructions`): false alarms on every sentence of the SQuAD
articles and the bundled texts and on news sentences about AI (`data/ai-news-sentences.txt`), and what it
catches of the hand-written injections (`data/injections.txt`).

    python -m qa.eval.instructions
"""

from __future__ import annotations

from pathlib import Path

from qa.eval.squad import load_squad
from qa.index.instructions import is_instruction
from qa.index.nlp import annotate
from qa.index.split import split_article
from qa.index.types import Article

HERE = Path(__file__).resolve().parent
INJECTIONS = HERE / "data" / "injections.txt"
NEWS_ABOUT_AI = HERE / "data" / "ai-news-sentences.txt"


def real_sentences() -> list[tuple[str, str]]:
    """(article title, sentence) for every sentence of the SQuAD articles and the bundled texts."""
    texts = [(a.title, a.text) for a in load_squad()]
    for path in [*(HERE.parent / "data").glob("*.txt"), *(HERE / "articles").glob("*.txt")]:
        texts.append((path.stem, path.read_text(encoding="utf-8")))
    found = []
    for title, text in texts:
        _, sentences = split_article(Article.create(text, title))
        found += [(title, s.text) for s in sentences]
    return found


def lines(path: Path) -> list[str]:
    """The sentences of a data file, one per line ('#' starts a comment line)."""
    found = path.read_text(encoding="utf-8").splitlines()
    return [line for line in found if line.strip() and not line.startswith("#")]


def main() -> int:
    real = real_sentences() + [("news about AI", s) for s in lines(NEWS_ABOUT_AI)]
    notes = annotate([s for _, s in real])
    alarms = [(t, s) for (t, s), note in zip(real, notes, strict=True) if is_instruction(s, note)]
    bad = lines(INJECTIONS)
    caught = [s for s, note in zip(bad, annotate(bad), strict=True) if is_instruction(s, note)]
    print(f"false alarms: {len(alarms)} of {len(real)} real sentences")
    for title, sentence in alarms:
        print(f"  {title}: {sentence}")
    print(f"caught: {len(caught)} of {len(bad)} injections")
    for sentence in sorted(set(bad) - set(caught)):
        print(f"  missed: {sentence}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
