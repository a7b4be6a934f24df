"""Reduce HTML to its visible text: scripts, styles and hidden parts are dropped."""

from __future__ import annotations

from html.parser import HTMLParser

_SKIP = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object", "button", "form"}
_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "blockquote",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "table",
    "tr",
    "figure",
    "figcaption",
    "br",
    "hr",
}
_VOID = {"br", "hr", "img", "meta", "link", "input", "source", "wbr", "area", "base", "col", "embed"}


class _VisibleText(HTMLParser):
    """Collect visible text as paragraphs; remember title, first h1 and a publish date."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.in_title = False
        self.title = ""
        self.h1 = ""
        self.in_h1 = False
        self.published: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        amap = {k: (v or "") for k, v in attrs}
        self._note_date(tag, amap)
        if tag == "title":
            self.in_title = True
        if tag in _SKIP and tag not in _VOID:
            self.skip_depth += 1
            return
        if tag == "h1":
            self.in_h1 = True
        if tag == "li":
            self.parts.append("\n• ")
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in _SKIP and self.skip_depth:
            self.skip_depth -= 1
            return
        if tag == "h1":
            self.in_h1 = False
        if tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        if self.skip_depth:
            return
        if self.in_h1:
            self.h1 += data
        self.parts.append(data)

    def _note_date(self, tag: str, amap: dict[str, str]) -> None:
        if self.published:
            return
        if tag == "meta" and amap.get("property", amap.get("name", "")) in (
            "article:published_time",
            "date",
            "pubdate",
            "publishdate",
            "dc.date",
        ):
            self.published = amap.get("content") or None
        elif tag == "time" and amap.get("datetime"):
            self.published = amap["datetime"]


def html_to_text(html: str) -> tuple[str, str, str | None]:
    """Return (visible text, title, published date or None) of an HTML document."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    lines = []
    for raw in "".join(parser.parts).split("\n"):
        line = " ".join(raw.split())
        lines.append(line)
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    title = " ".join((parser.h1 or parser.title).split())
    return text.strip(), title, parser.published
