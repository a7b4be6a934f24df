"""Loading .txt, .md and .html, and clear errors for bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.index.article import article_from_text, load_article
from qa.index.errors import (
    ArticleDecodeError,
    ArticleNotFoundError,
    ArticleTooLargeError,
    EmptyArticleError,
    QAError,
    UnsupportedFormatError,
)

HTML = """<!doctype html><html><head><title>Site | Page</title>
<meta property="article:published_time" content="2024-05-01"><script>alert('x')</script>
<style>p {color: red}</style></head><body><h1>Storm Hits Coast</h1>
<p>The storm hit on Monday. <b>Three</b> towns lost power.</p><ul><li>Roads closed.</li><li>Schools shut.</li></ul>
<script>document.write('evil')</script><p>Crews work&nbsp;overnight.</p></body></html>"""


def test_html_is_reduced_to_visible_text(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_text(HTML, encoding="utf-8")
    article = load_article(path)
    assert article.title == "Storm Hits Coast"
    assert article.published == "2024-05-01"
    assert "alert" not in article.text and "evil" not in article.text and "color" not in article.text
    assert "Three towns lost power." in article.text
    assert "• Roads closed." in article.text


def test_markdown_loses_its_markup(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("# Big News\n\nThe **mayor** said [hello](http://x).\n\n- item one\n- item two\n", encoding="utf-8")
    article = load_article(path)
    assert article.title == "Big News"
    assert "The mayor said hello." in article.text
    assert "• item one" in article.text


def test_markdown_is_read_by_a_commonmark_parser() -> None:
    """Front matter, a table, an ordered list, a code fence, inline HTML and emphasis in the heading."""
    md = (
        "---\ntitle: Harbor Bridge reopens\nauthor: Jane Roe\n---\n"
        "# Bridge reopens after **two-year** repair\n\n"
        "The bridge reopened on Friday.<br>Traffic resumed at 6 a.m.\n\n"
        "| Item | Cost |\n|------|------|\n| Steel | $4 million |\n| Labor | $2.5 million |\n\n"
        "3. Third step\n4. Fourth step\n\n"
        "```python\nprint('code')\n```\n\n"
        "<div><script>alert(1)</script><p>Visible <b>text</b>.</p></div>\n"
    )
    article = article_from_text(md, fmt="markdown")
    paragraphs = article.text.split("\n\n")
    assert article.title == "Harbor Bridge reopens"
    assert "title:" not in article.text and "---" not in article.text
    assert paragraphs[0] == "Bridge reopens after two-year repair"
    assert "The bridge reopened on Friday.\nTraffic resumed at 6 a.m." in paragraphs
    assert "Item: Steel; Cost: $4 million" in paragraphs and "Item: Labor; Cost: $2.5 million" in paragraphs
    assert "3. Third step" in paragraphs and "4. Fourth step" in paragraphs
    assert "print('code')" in paragraphs and "```" not in article.text
    assert "Visible text." in paragraphs and "alert" not in article.text and "<" not in article.text


def test_markdown_footnotes_lose_their_marks_and_keep_their_text() -> None:
    md = "The clinic closed after a roof collapse.[^1] It reopened.[^note]\n\n[^1]: Snow in 2022.\n[^note]: Monday.\n"
    paragraphs = article_from_text(md, fmt="markdown").text.split("\n\n")
    assert paragraphs == ["The clinic closed after a roof collapse. It reopened.", "Snow in 2022.", "Monday."]


def test_markdown_title_is_the_first_heading_as_plain_text() -> None:
    article = article_from_text("Intro line.\n\n## The *new* [bridge](http://x)\n\nIt opened.", fmt="markdown")
    assert article.title == "The new bridge"
    assert "---" not in article_from_text("---\n\nA line between rules.\n\n---\n", fmt="markdown").text


def test_text_title_and_date_are_found() -> None:
    article = article_from_text("Jan 5, 2023 - Business\n\nMarkets Rally Again\n\nStocks rose.")
    assert article.title == "Markets Rally Again"
    assert article.published == "Jan 5, 2023"


def test_article_id_is_a_content_hash() -> None:
    assert article_from_text("Some text.").id == article_from_text("Some text.").id
    assert article_from_text("Some text.").id != article_from_text("Other text.").id


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        pytest.param("empty.txt", b"   \n\n ", EmptyArticleError, id="empty"),
        pytest.param("bin.txt", b"\x89PNG\r\n\x1a\n\x00\x00binary", ArticleDecodeError, id="binary"),
        pytest.param("latin.txt", "café crème".encode("latin-1"), ArticleDecodeError, id="non-utf8"),
        pytest.param("doc.pdf", b"%PDF-1.4", UnsupportedFormatError, id="unsupported-type"),
        pytest.param("script.html", b"<html><script>x()</script></html>", EmptyArticleError, id="only-script"),
    ],
)
def test_bad_files_raise_clear_errors(tmp_path: Path, name: str, data: bytes, error: type) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(error) as info:
        load_article(path)
    assert isinstance(info.value, QAError)
    assert str(info.value)


def test_missing_and_too_large_files(tmp_path: Path) -> None:
    with pytest.raises(ArticleNotFoundError):
        load_article(tmp_path / "nope.txt")
    big = tmp_path / "big.txt"
    big.write_text("word " * 1000, encoding="utf-8")
    with pytest.raises(ArticleTooLargeError):
        load_article(big, max_bytes=100)


def test_same_body_with_another_title_or_date_is_another_article() -> None:
    body = "The bridge opened in May."
    one = article_from_text(body, title="Bridge opens")
    assert one.id != article_from_text(body, title="Other title").id
    assert one.id != article_from_text(body, title="Bridge opens", published="2024-05-01").id
    assert one.id == article_from_text(body, title="Bridge opens").id


@pytest.mark.parametrize(
    ("html", "kept", "dropped"),
    [
        pytest.param(
            "<!doctype html><html><head><title>T</title><body><p>The harbor reopened on Monday.</p></body></html>",
            ["The harbor reopened on Monday."],
            [],
            id="no-closing-head",
        ),
        pytest.param(
            "<html><body><form><p>The harbor reopened on Monday.</p><p>Ferries resume soon.</p></form></body></html>",
            ["The harbor reopened on Monday.", "Ferries resume soon."],
            [],
            id="page-inside-a-form",
        ),
        pytest.param(
            "<html><body><p>Before it.</p><object data=x><p>After the object the story goes on.</p></body></html>",
            ["Before it.", "After the object the story goes on."],
            [],
            id="unclosed-object",
        ),
        pytest.param(
            '<html><body><p>Visible fact.</p><p hidden>Hidden one.</p><p style="display: none">Hidden two.</p>'
            '<div aria-hidden="true">Hidden three.</div><p style="visibility:hidden">Hidden four.</p></body></html>',
            ["Visible fact."],
            ["Hidden one", "Hidden two", "Hidden three", "Hidden four"],
            id="hidden-elements",
        ),
        pytest.param(
            "<html><body><nav>Home | Sports | Weather</nav><article><p>The council met on Monday to vote.</p>"
            "<p>It approved the budget after a long debate.</p><p>The mayor signed it the same day.</p>"
            "</article><footer>Copyright 2024 News Corp.</footer></body></html>",
            ["The council met on Monday to vote.", "The mayor signed it the same day."],
            ["Home | Sports", "Copyright"],
            id="page-chrome",
        ),
    ],
)
def test_html_keeps_visible_main_text_only(html: str, kept: list[str], dropped: list[str]) -> None:
    text = article_from_text(html, fmt="html").text
    assert all(k in text for k in kept), text
    assert not any(d in text for d in dropped), text


STORY = (
    "<p>The museum reopened on Saturday after a two-year renovation, its director said.</p>"
    "<p>About 4,500 people came on the first day, and the new cafe was full by noon.</p>"
    "<p>Critics said the glass roof of the east wing looks like a greenhouse.</p>"
)


@pytest.mark.parametrize(
    ("page", "line"),
    [
        pytest.param(
            f'<article><h1>Museum reopens</h1><p class="byline">By Léa Dubois · March 4, 2025</p>{STORY}</article>',
            "By Léa Dubois · March 4, 2025",
            id="a-byline-class",
        ),
        pytest.param(
            f'<article><h1>Museum reopens</h1><div>By <a rel="author" href="/a">Sam Ortiz</a></div>{STORY}</article>',
            "By Sam Ortiz",
            id="an-author-link",
        ),
        pytest.param(
            f'<article><h1>Museum reopens</h1><div class="meta"><span class="author">By <a>Sam Ortiz</a></span> | '
            f"<time>July 14</time><span>Updated: July 15</span></div>{STORY}</article>",
            "By Sam Ortiz",
            id="the-innermost-byline-block",
        ),
        pytest.param(
            f"<article><h1>Museum reopens</h1><p>By Tuesday the queue went round the block.</p>{STORY}</article>",
            None,
            id="by-a-day-is-no-byline",
        ),
    ],
)
def test_html_keeps_the_byline_under_the_headline(page: str, line: str | None) -> None:
    """trafilatura keeps a byline only as metadata; it is put back as the line under the headline."""
    text = article_from_text(f"<html><body>{page}</body></html>", fmt="html").text
    lines = text.split("\n\n")
    if line is None:
        assert not any(x.startswith("By ") for x in lines[:2] if "queue" not in x), lines
    else:
        assert lines[:2] == ["Museum reopens", line], lines
        assert text.count(line) == 1


def test_html_table_rows_are_lines_with_their_headers() -> None:
    """One line per row, each cell after its column's header, not one paragraph per cell."""
    table = (
        "<table><tr><th>Gallery</th><th>Works</th></tr><tr><td>East wing</td><td>320</td></tr>"
        "<tr><td>Sculpture court</td><td>85</td></tr></table>"
    )
    text = article_from_text(
        f"<html><body><article><h1>Museum</h1>{STORY}{table}</article></body></html>", fmt="html"
    ).text
    lines = text.split("\n\n")
    assert "Gallery: East wing; Works: 320" in lines and "Gallery: Sculpture court; Works: 85" in lines, lines
    assert "Works" not in lines and "320" not in lines


def test_html_figure_captions_and_credits_are_kept_in_place() -> None:
    """trafilatura drops a <figure> whole; its caption and credit stay, as a paragraph where the photo was."""
    figure = (
        '<figure><img src="a.jpg" alt="Cars on the bridge"><figcaption>Cars cross the reopened bridge on Friday. '
        '<span class="credit">Photo: Jane Doe/City Times</span></figcaption></figure>'
    )
    text = article_from_text(
        f"<html><body><article><h1>Museum</h1>{figure}{STORY}</article></body></html>", fmt="html"
    ).text
    lines = text.split("\n\n")
    assert "Cars cross the reopened bridge on Friday. Photo: Jane Doe/City Times" in lines, lines
    assert lines.index("Museum") < 1 < len(lines) - 1, "in reading order, between the headline and the story"


def test_html_table_without_a_header_joins_its_cells() -> None:
    table = "<table><tr><td>Mon</td><td>Open</td></tr><tr><td>Tue</td><td>Closed</td></tr></table>"
    text = article_from_text(f"<html><body><article>{STORY}{table}</article></body></html>", fmt="html").text
    assert "Mon | Open" in text.split("\n\n") and "Tue | Closed" in text.split("\n\n"), text


def test_markdown_front_matter_title_must_be_text() -> None:
    """A YAML alias that expands to a huge list is no title (str() of it would take exponential time)."""
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"] + [
        f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]" for a, b in zip("abcdefg", "bcdefgh", strict=True)
    ]
    md = "---\n" + "\n".join(levels) + "\ntitle: *h\n---\n# Real title\n\nBody text here.\n"
    article = article_from_text(md, fmt="markdown")
    assert article.title == "Real title" and article.text == "Real title\n\nBody text here."
