"""HTML and markdown views of articles and answers for the chat UI. Everything user-supplied is escaped."""

from __future__ import annotations

import html
import re

from index.build import IndexedArticle
from qa.types import Answer

_MARKER = re.compile(r"\[(\d+)\]")


def _escape(text: str) -> str:
    """Escape for HTML and neutralise markdown so article text is shown as plain text."""
    return re.sub(r"([\\`*_{}\[\]()#+\-!|>~])", r"\\\1", html.escape(text, quote=True))


def article_html(indexed: IndexedArticle, cited: set[int] | None = None) -> str:
    """The whole article as escaped HTML; each sentence is a span id'd by its start offset."""
    cited = cited or set()
    text = indexed.article.text
    parts = [f'<div class="qa-article"><h3>{html.escape(indexed.article.title or "Article")}</h3>']
    pos = 0
    for s in indexed.sentences:
        parts.append(_gap(text[pos : s.start]))
        cls = "qa-sent qa-cited" if s.start in cited else "qa-sent"
        parts.append(f'<span id="qa-s-{s.start}" class="{cls}" data-end="{s.end}">{html.escape(s.text)}</span>')
        pos = s.end
    parts.append(_gap(text[pos:]))
    parts.append("</div>")
    return "".join(parts).replace("\n", "<br>")


def _gap(text: str) -> str:
    """Text between sentences: escaped, blank lines become paragraph breaks."""
    return re.sub(r"\n\s*\n", "\n\n", html.escape(text))


def answer_markdown(answer: Answer) -> str:
    """Answer text with clickable [n] footnotes and a Sources list; a refusal is set apart."""
    if answer.refused:
        return f"> ⚠️ **{html.escape(answer.text)}**\n>\n> *No sentence of the article answers this; try other words.*"
    spans = {c.marker: c for c in answer.citations}

    def link(match: re.Match[str]) -> str:
        c = spans.get(int(match.group(1)))
        if c is None:
            return ""
        return f'<a class="qa-cite" href="#qa-s-{c.start}">[{c.marker}]</a>'

    body = _MARKER.sub(link, _escape(answer.text).replace("\\[", "[").replace("\\]", "]"))
    sources = [
        f'{c.marker}. <a class="qa-cite" href="#qa-s-{c.start}">“{_escape(c.quote)}”</a> (characters {c.start}–{c.end})'
        for c in answer.citations
    ]
    return body + "\n\n**Sources**\n\n" + "\n".join(sources)


def hits_html(answer: Answer | None) -> str:
    """The query actually searched and the top hits with their scores."""
    if answer is None:
        return "<p>Ask a question to see what was retrieved.</p>"
    rows = "".join(
        f"<tr><td>{i}</td><td>{h.score:.4f}</td><td>{_num(h.dense)}</td><td>{_num(h.bm25)}</td>"
        f"<td>{html.escape(h.text)}</td></tr>"
        for i, h in enumerate(answer.hits, start=1)
    )
    timings = ", ".join(f"{k} {v:.1f} ms" for k, v in answer.timings.items())
    return (
        f"<p><b>Searched:</b> {html.escape(answer.query)}<br><b>Timings:</b> {html.escape(timings)}</p>"
        "<table><tr><th>#</th><th>fused</th><th>dense</th><th>bm25</th><th>sentence</th></tr>"
        f"{rows}</table>"
    )


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"
