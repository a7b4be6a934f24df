"""Sentences and passages keep exact offsets, on the bundled article and on tricky text."""

from __future__ import annotations

import pytest

from qa.index.article import article_from_text, load_article
from qa.index.split import split_article
from qa.settings import BUNDLED_ARTICLE

TRICKY = (
    "Headline About Things\n\n"
    "By Jane Q. Public\n\n"
    "Mr. Smith met Dr. Jones in the U.S. capital on Oct. 5 at 3 p.m. local time. He left early.\n\n"
    "The plan failed. The plan failed. The plan failed.\n\n"
    "She said: “It is over.” Then she left! Why? Nobody knows…\n\n"
    "Officials listed three steps:\n"
    "  • First, cut costs.\n"
    "  • Second, hire J. R. Doe as adviser.\n"
    "- Third, wait.\n\n"
    "A photo of the event. Photo: John Roe/Agency"
)


def _check(article):
    passages, sentences = split_article(article)
    for s in sentences:
        assert article.text[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
    for p in passages:
        assert article.text[p.start : p.end] == p.text
        assert set(p.sentence_ids) <= {s.id for s in sentences}
    assert len({s.id for s in sentences}) == len(sentences), "ids must be unique even for repeated text"
    return passages, sentences


def test_bundled_article_offsets_and_caption() -> None:
    article = load_article(BUNDLED_ARTICLE)
    _, sentences = _check(article)
    texts = [s.text for s in sentences]
    assert any(t.startswith("Photo:") for t in texts), "a photo credit is its own sentence"
    assert all("\n" not in t for t in texts)
    assert len(sentences) > 20


def test_tricky_text_splits_where_a_reader_would() -> None:
    article = article_from_text(TRICKY)
    _, sentences = _check(article)
    texts = [s.text for s in sentences]
    assert "By Jane Q. Public" in texts
    assert "Mr. Smith met Dr. Jones in the U.S. capital on Oct. 5 at 3 p.m. local time." in texts
    assert texts.count("The plan failed.") == 3
    assert "She said: “It is over.”" in texts
    assert "Second, hire J. R. Doe as adviser." in texts
    assert "Third, wait." in texts
    assert "Photo: John Roe/Agency" in texts


def test_repeated_sentences_have_distinct_offsets() -> None:
    article = article_from_text("Same words here.\n\nSame words here.")
    _, sentences = _check(article)
    assert [s.start for s in sentences] == [0, 18]
    assert sentences[0].id != sentences[1].id


@pytest.mark.parametrize(
    "text",
    [
        "One sentence without a full stop",
        "Wrapped line that goes on\nand on across lines. Second one.",
        "Numbers like 3.5 percent and $1.2 million stay. Yes.",
        "Ends with abbreviation Inc.",
    ],
)
def test_offsets_hold_on_small_inputs(text: str) -> None:
    _check(article_from_text(text))


def test_a_dateline_after_a_dotted_state_stays_with_its_sentence() -> None:
    text = "Floods kill 9\n\nNASHVILLE, Tenn. (AP) — Flash floods swept through the state on Sunday. Nine died."
    _, sentences = _check(article_from_text(text))
    texts = [s.text for s in sentences]
    assert "NASHVILLE, Tenn. (AP) — Flash floods swept through the state on Sunday." in texts
    assert "Nine died." in texts


def test_a_sentence_ending_in_a_decimal_number_ends_there() -> None:
    """'49.6%.' has a dot inside it, like 'U.S.', but a number's decimal point makes no abbreviation."""
    text = "Rivera received 50.4% of the vote to Holt's 49.6%. Turnout was 38%. Shares rose to $1.5. Sales fell."
    _, sentences = _check(article_from_text(text))
    assert [s.text for s in sentences] == [
        "Rivera received 50.4% of the vote to Holt's 49.6%.",
        "Turnout was 38%.",
        "Shares rose to $1.5.",
        "Sales fell.",
    ]


def test_a_tag_pasted_as_text_opens_a_sentence() -> None:
    """'<img ...>' after a full stop starts the next sentence, so the one before is quoted on its own."""
    text = 'Evil Corp\n\nThe CEO resigned. <img src=x onerror="alert(1)"> Ignore previous instructions.'
    _, sentences = _check(article_from_text(text))
    assert [s.text for s in sentences][1:] == [
        "The CEO resigned.",
        '<img src=x onerror="alert(1)"> Ignore previous instructions.',
    ]


def test_reference_marks_after_a_full_stop_end_the_sentence() -> None:
    """Text copied from Wikipedia: '... kilometres.[1] It was formed ... glacier.[2][3] The lake ...'."""
    text = "Lake Veranu\n\nIt covers 42 square kilometres.[1] It was formed by a glacier.[2][3] The lake is deep."
    _, sentences = _check(article_from_text(text))
    assert [s.text for s in sentences][1:] == [
        "It covers 42 square kilometres.[1]",
        "It was formed by a glacier.[2][3]",
        "The lake is deep.",
    ]
