"""The UI views escape everything that comes from an article or a user."""

from __future__ import annotations

from index.article import article_from_text
from index.build import IndexedArticle
from index.split import split_article
from qa.render import answer_markdown, article_html, hits_html
from qa.types import Answer, Citation, Hit

EVIL = "Title <b>x</b>\n\nIt said <script>alert(1)</script> loudly. Then <img src=x onerror=alert(2)> ran."


def indexed() -> IndexedArticle:
    import numpy as np

    article = article_from_text(EVIL)
    passages, sentences = split_article(article)
    return IndexedArticle(article, tuple(passages), tuple(sentences), np.zeros((len(sentences), 2)), "c")


def test_article_pane_escapes_markup_and_marks_cited_sentences() -> None:
    ix = indexed()
    cited = ix.sentences[1]
    page = article_html(ix, {cited.start})
    assert "<script>" not in page and "<img" not in page and "&lt;script&gt;" in page
    assert f'id="qa-s-{cited.start}" class="qa-sent qa-cited"' in page
    assert page.count('class="qa-sent"') == len(ix.sentences) - 1


def test_answer_links_markers_and_escapes_quotes() -> None:
    ix = indexed()
    s = ix.sentences[1]
    answer = Answer(
        question="q",
        text=f"{s.text} [1]",
        query="q",
        citations=(Citation(marker=1, sentence_id=s.id, start=s.start, end=s.end, quote=s.text),),
    )
    md = answer_markdown(answer)
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert f'href="#qa-s-{s.start}">[1]</a>' in md and "Sources" in md


def test_refusal_looks_different_and_hits_are_escaped() -> None:
    refusal = Answer(question="q", text="The article doesn't say.", refused=True, query="<q>")
    assert answer_markdown(refusal).startswith("> ⚠️")
    hit = Hit(sentence_id="a", start=0, end=5, text="<img src=x>", score=0.1)
    view = hits_html(Answer(question="q", text="t", query="<q>", hits=(hit,)))
    assert "<img" not in view and "&lt;q&gt;" in view
