"""The UI views escape everything that comes from an article or a user."""

from __future__ import annotations

import re

import pytest

from qa.index.article import article_from_text
from qa.index.build import IndexedArticle
from qa.index.split import split_article
from qa.types import Answer, Citation, Hit
from qa.ui.render import answer_markdown, article_html, escape, hits_html

EVIL = "Title <b>x</b>\n\nIt said <script>alert(1)</script> loudly. Then <img src=x onerror=alert(2)> ran."


def indexed() -> IndexedArticle:
    import numpy as np

    article = article_from_text(EVIL)
    passages, sentences = split_article(article)
    return IndexedArticle(article, tuple(passages), tuple(sentences), np.zeros((len(sentences), 2)), "c")


def quoted(s, quote: str) -> Answer:
    """An extractive answer quoting `quote` for sentence `s`, cited [1]."""
    citation = Citation(marker=1, sentence_id=s.id, start=s.start, end=s.end, quote=quote)
    return Answer(question="q", text=f"{quote} [1]", query="q", citations=(citation,))


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
    answer = quoted(s, s.text)
    md = answer_markdown(answer)
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert f'class="qa-cite qa-marker" href="#qa-s-{s.start}"' in md and "Sources" in md
    assert 'data-copy="It said &lt;script&gt;alert(1)&lt;/script&gt; loudly. [1]"' in md, "copy gives plain text"


def test_apostrophes_stay_apostrophes_and_titles_show_once() -> None:
    ix = indexed()
    s = ix.sentences[1]
    quote = "Officials can't say; it's the mayor's call."
    answer = quoted(s, quote)
    shown = re.sub(r"<[^>]+>", "", answer_markdown(answer))  # what the reader sees, without tag attributes
    assert "&#x27;" not in shown and "can't" in shown and "mayor's" in shown
    page = article_html(ix)
    assert page.count("Title &lt;b&gt;x&lt;/b&gt;") == 1


def test_refusal_looks_different_and_hits_are_escaped() -> None:
    refusal = Answer(question="q", text="The article doesn't say.", refused=True, query="<q>")
    assert answer_markdown(refusal).startswith("> ⚠️")
    hit = Hit(sentence_id="a", start=0, end=5, text="<img src=x>", score=0.1)
    view = hits_html(Answer(question="q", text="t", query="<q>", hits=(hit,)))
    assert "<img" not in view and "&lt;q&gt;" in view


def test_a_source_that_opens_with_a_quotation_is_not_wrapped_in_more_quotes() -> None:
    said, plain = '"We will rebuild," she said.', "The council met."
    citations = tuple(
        Citation(marker=i, sentence_id=f"s{i}", start=10 * i, end=10 * i + len(q), quote=q)
        for i, q in enumerate((said, plain), start=1)
    )
    md = answer_markdown(Answer(question="q", text=f"{said} [1] {plain} [2]", query="q", citations=citations))
    assert '">"We will rebuild," she said.</a>' in md and "“The council met.”</a>" in md, md


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        pytest.param("See https://city.org/a_b now.", r"See https\://city.org/a\_b now.", id="url-no-link"),
        pytest.param("Visit www.city.org today.", r"Visit www\.city.org today.", id="www-no-link"),
        pytest.param("Mail budget_office@city.org.", r"Mail budget\_office\@city.org.", id="email-no-mailto"),
        pytest.param("1. Roads come first.", r"1\. Roads come first.", id="no-ordered-list"),
        pytest.param("It cost $$4 in 2. That is all.", "It cost $$4 in 2. That is all.", id="plain-text-unchanged"),
    ],
)
def test_escape_leaves_markdown_no_link_or_list_to_make(text: str, shown: str) -> None:
    # backslash before punctuation is markdown's own escape: the reader sees the text, the renderer no link
    assert escape(text) == shown


@pytest.mark.parametrize(
    ("text", "headline_at"),
    [
        ("Port votes to dredge\n\nThe port voted on Tuesday.\n\nWork starts in May.", 0),
        ("Mar 8, 2022 - World\n\nPort votes to dredge\n\nThe port voted on Tuesday.\n\nWork starts in May.", 1),
    ],
)
def test_the_title_line_is_the_heading_and_the_cited_headline(text: str, headline_at: int) -> None:
    import numpy as np

    from qa.ui.render import paragraph_of

    article = article_from_text(text, title="Port votes to dredge")
    passages, sentences = split_article(article)
    ix = IndexedArticle(article, tuple(passages), tuple(sentences), np.zeros((len(sentences), 2)), "c")
    labels = [paragraph_of(ix, s.id) for s in ix.sentences]
    assert labels[headline_at] == " (headline)"
    assert labels[-1] == f" (paragraph {len(ix.sentences)})", "the others keep their place in the article"
    assert labels.count(" (headline)") == 1
    page = article_html(ix)
    assert page.count("Port votes to dredge") == 1, "the title line is the heading, not shown twice"
    assert page.count("<h3>") == 1 and f'<h3><span id="qa-s-{ix.sentences[headline_at].start}"' in page


def test_a_marker_the_article_itself_has_is_shown_as_written() -> None:
    """Text copied from Wikipedia keeps its reference marks ('9-4.[2]'): in a quote they are the article's words,
    not links to the answer's citations, whether or not a citation has that number."""
    ix = indexed()
    s = ix.sentences[1]
    quote = "The vote was 9-4.[1][2]"
    answer = quoted(s, quote)
    md = answer_markdown(answer)
    assert md.count('class="qa-cite qa-marker"') == 1, md
    shown = re.sub(r"<[^>]+>", "", md).replace("\\", "")
    assert "The vote was 9-4.[1][2] [1]" in shown, shown


@pytest.mark.parametrize(
    ("text", "way"),
    [
        pytest.param(
            "وافق مجلس المدينة يوم الثلاثاء على ميزانية قدرها 12 مليون دولار لإصلاح الطرق.\n\nA park was approved.",
            "rtl",
            id="arabic",
        ),
        pytest.param("The council approved the budget. Its chair, سارة حداد, spoke.", "ltr", id="english"),
    ],
)
def test_the_article_reads_in_the_direction_of_most_of_its_letters(text: str, way: str) -> None:
    """An Arabic article is laid out right to left; each sentence keeps its own direction inside it."""
    import numpy as np

    article = article_from_text(text)
    passages, sentences = split_article(article)
    page = article_html(IndexedArticle(article, tuple(passages), tuple(sentences), np.zeros((len(sentences), 2)), "c"))
    assert f'aria-label="Article" dir="{way}"' in page
    assert all('dir="auto"' in span for span in re.findall(r'<span id="qa-s-[^>]*>', page))
