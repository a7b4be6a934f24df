"""HTML and markdown views of articles and answers for the chat UI. Everything user-supplied is escaped."""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter

from qa.extractive.lead import opening, title_line
from qa.extractive.short import QUOTE_MARKS
from qa.index.build import IndexedArticle
from qa.types import MARKER, Answer, Citation, marker

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-!|~])")
# Plain punctuation that markdown also reads: a bare URL, 'www.' or an e-mail address becomes a link (the
# article's 'budget_office@city.org' became a mailto: link to 'office@city.org'), '1. ' at the start a list
_LINK_PUNCT = re.compile(r"(?i)(?:(?<=\bhttp)|(?<=\bhttps)|(?<=\bftp)):(?=//)|(?<=\bwww)\.|@")
_LIST_START = re.compile(r"^(\d+)\.(?=\s)")
# English in any article: left to right in a right-to-left one too
BACK_TO_CHAT = '<a class="qa-jump qa-phone qa-back" href="#" data-target="qa-chat" dir="ltr">↑ Back to the chat</a>'
HEADLINE_WITHIN = 4  # the title line, when the article repeats it, is among its first sentences
INSTRUCTION_NOTE = "written to an AI, not to readers: never quoted in answers"
FALLBACK_NOTE = "The model's answer could not be verified against the article, so these are the quoted sentences."


def escape(text: str) -> str:
    """Untrusted text for a markdown view: markdown neutralised first, then HTML (`&`, `<`, `>`) escaped.

    Quotes and apostrophes are left as they are, so the reader sees them and not `&#x27;`.
    """
    text = _LINK_PUNCT.sub(r"\\\g<0>", _MARKDOWN.sub(r"\\\1", text))
    return html.escape(_LIST_START.sub(r"\1\\.", text), quote=False).replace("\n", " ")


def article_html(indexed: IndexedArticle, cited: dict[int, int] | set[int] | None = None) -> str:
    """The whole article as escaped HTML; each sentence is a span id'd by its start offset, and a cited
    sentence carries its [n] badge (`cited` maps a sentence start to its marker)."""
    cited = dict.fromkeys(cited, 0) if isinstance(cited, set) else (cited or {})
    text = indexed.article.text
    title = indexed.article.title or "Article"
    sentences = indexed.sentences
    heading = title_line(indexed, HEADLINE_WITHIN)  # the title line, in its place; else the title above the text
    # an Arabic or Hebrew article reads right to left; each sentence keeps its own direction (dir="auto")
    parts = [f'<div class="qa-article" role="region" aria-label="Article" dir="{direction(text)}">', BACK_TO_CHAT]
    parts.append("" if heading is not None else f"<h3>{html.escape(title)}</h3>")
    pos = 0
    for s in sentences:
        gap = text[pos : s.start]
        if heading is not None and s.index in (heading, heading + 1):  # the heading is a block of its own
            gap = gap.rstrip("\n") if s.index == heading else gap.lstrip("\n")
        parts.append(_gap(gap))
        number = cited.get(s.start)
        cls, badge, note, flag = "qa-sent", "", "", ""
        if s.index in indexed.instructions:  # struck through, with why, and its words still there to read
            cls, note = "qa-sent qa-instruction", f' title="{INSTRUCTION_NOTE}"'
            flag = f' <span class="qa-flag">({INSTRUCTION_NOTE})</span>'
        elif number is not None:
            cls = "qa-sent qa-cited"
            badge = f'<sup class="qa-badge">{marker(number)}</sup>' if number else ""
        span = (
            f'<span id="qa-s-{s.start}" class="{cls}" data-end="{s.end}" dir="auto"{note}>'
            f"{badge}{html.escape(s.text)}</span>{flag}"
        )
        parts.append(f"<h3>{span}</h3>" if s.index == heading else span)
        pos = s.end
    parts.append(_gap(text[pos:]))
    parts.append("</div>")
    return "".join(parts).replace("\n", "<br>")


def direction(text: str) -> str:
    """'rtl' when most of the text's letters are written right to left (Arabic, Hebrew), else 'ltr'."""
    kinds = Counter(unicodedata.bidirectional(ch) for ch in text if ch.isalpha())
    return "rtl" if kinds["R"] + kinds["AL"] > kinds["L"] else "ltr"


def _gap(text: str) -> str:
    """Text between sentences: escaped, blank lines become paragraph breaks."""
    return re.sub(r"\n\s*\n", "\n\n", html.escape(text))


def paragraph_of(indexed: IndexedArticle | None, sentence_id: str) -> str:
    """'paragraph N' for a cited sentence, for readers (not character offsets); 'headline' for the title line."""
    if indexed is None:
        return ""
    sentence = indexed.sentence(sentence_id)
    if sentence.index == title_line(indexed, HEADLINE_WITHIN):
        return " (headline)"  # the other paragraphs keep their numbers
    return f" (paragraph {sentence.passage_index + 1})"


def _cite_link(c: Citation) -> str:
    return f'<a class="qa-cite qa-marker" href="#qa-s-{c.start}" title="{html.escape(c.quote)}">{marker(c.marker)}</a>'


def _linked_body(answer: Answer) -> str:
    """The answer's text with each citation marker a link to its sentence. An extractive answer (each quote
    verbatim, then its marker) is built from its citations, so a '[2]' the article itself has ('the vote was
    9-4.[2]', as in text copied from Wikipedia) is shown as written, never as a link; in a model's answer a
    marker that is no citation stays text too."""
    if answer.citations and answer.text == " ".join(f"{c.quote} {marker(c.marker)}" for c in answer.citations):
        return " ".join(f'<span dir="auto">{escape(c.quote)}</span> {_cite_link(c)}' for c in answer.citations)
    spans = {c.marker: c for c in answer.citations}

    def link(match: re.Match[str]) -> str:
        c = spans.get(int(match.group(1)))
        return _cite_link(c) if c is not None else escape(match.group(0))

    return MARKER.sub(link, escape(answer.text).replace("\\[", "[").replace("\\]", "]"))


def answer_markdown(answer: Answer, indexed: IndexedArticle | None = None) -> str:
    """The short answer in bold, the quoted sentences with clickable [n] footnotes, a Sources list, the
    engine when it is not the default, and a copy link that copies the plain text with [n] markers."""
    if answer.refused:
        return f"> ⚠️ **{escape(answer.text)}**\n>\n> *No sentence of the article answers this; try other words.*"
    body = _linked_body(answer)
    lead = f"**{escape(answer.short.text)}**\n\n" if answer.short else ""
    sources = [
        f'{c.marker}. <a class="qa-cite" href="#qa-s-{c.start}">{_in_quotes(c.quote)}</a>'
        + paragraph_of(indexed, c.sentence_id)
        for c in answer.citations
    ]
    note = ""
    if answer.engine != "extractive":
        note = f"\n\n*Engine: {escape(answer.engine)}.*" + (f" *{FALLBACK_NOTE}*" if "→" in answer.engine else "")
    copy = f'\n\n<a class="qa-copy" href="#" data-copy="{html.escape(answer.text)}">Copy answer</a>'
    return lead + body + "\n\n**Sources**\n\n" + "\n".join(sources) + note + copy


def _in_quotes(text: str) -> str:
    """The source between curly quotes, unless it opens with a quotation of its own ('"We will," she said.'),
    which would read as doubled marks."""
    return escape(text) if text[:1] in QUOTE_MARKS else f"“{escape(text)}”"


def overview_markdown(indexed: IndexedArticle, lead: int = 2) -> str:
    """A first message for a new chat: the story's opening sentences (`opening`), each cited."""
    found = opening(indexed, lead)
    if not found:
        return "The article is loaded; ask a question about it."
    quotes = " ".join(
        f'{escape(s.text)} <a class="qa-cite qa-marker" href="#qa-s-{s.start}">{marker(i)}</a>'
        for i, s in enumerate(found, start=1)
    )
    return f"**Overview** (the article's opening): {quotes}\n\nAsk a question about it."


def hits_html(answer: Answer | None) -> str:
    """The query actually searched and the top hits with their scores; cited hits are marked."""
    if answer is None:
        return "<p>Ask a question to see what was retrieved.</p>"
    cited = {c.sentence_id: c.marker for c in answer.citations}
    rows = "".join(
        f"<tr><td>{i}</td><td>{_cited(cited.get(h.sentence_id))}</td><td>{h.score:.4f}</td><td>{_num(h.dense)}</td>"
        f"<td>{_num(h.bm25)}</td><td>{html.escape(h.text)}</td></tr>"
        for i, h in enumerate(answer.hits, start=1)
    )
    timings = ", ".join(f"{k} {v:.1f} ms" for k, v in answer.timings.items())
    confidence = "" if answer.confidence is None else f"<br><b>Confidence:</b> {answer.confidence:.2f}"
    return (
        f"<p><b>Searched:</b> {html.escape(answer.query)}<br><b>Timings:</b> {html.escape(timings)}{confidence}</p>"
        "<table><tr><th>#</th><th>cited</th><th>fused</th><th>dense</th><th>bm25</th><th>sentence</th></tr>"
        f"{rows}</table>"
    )


def _cited(number: int | None) -> str:
    return marker(number) if number else ""


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"
