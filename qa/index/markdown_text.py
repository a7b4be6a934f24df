"""Reduce markdown to its text with markdown-it-py's CommonMark parser (tables, strikethrough and footnotes on).

Each block (paragraph, heading, list item, quote, code block) becomes a paragraph, inline markup goes
(emphasis, links keep their text, images their alt text, inline HTML its visible text), a table becomes one line
per row with its headers (`index.tables`), a footnote's reference mark goes (`[^1]`) and its text is a paragraph at
the end, and YAML front matter is read for its title and left out of the text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from qa.index.tables import table_lines

if TYPE_CHECKING:
    from markdown_it.token import Token

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_BREAK = re.compile(r"(?i)^<br\s*/?>$")
MAX_FRONT_MATTER = 10_000  # characters: a few fields, not a document (and not a YAML alias bomb)


def front_matter(md: str) -> tuple[str, dict]:
    """The markdown without a leading YAML front matter block, and that block's mapping ({} if none or not YAML)."""
    match = _FRONT_MATTER.match(md)
    if match is None or match.end() > MAX_FRONT_MATTER:
        return md, {}
    import yaml

    try:
        data = yaml.safe_load(match.group(1) or "")
    except yaml.YAMLError:
        data = ""
    if data is not None and not isinstance(data, dict):
        return md, {}  # a thematic break, a paragraph and another break: not front matter
    return md[match.end() :], data or {}


def _html_text(html: str) -> str:
    """The visible text of an HTML fragment (scripts and styles dropped), on one line."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    for element in root.xpath("//script | //style | //template"):
        element.drop_tree()
    return " ".join(root.text_content().split())


def _inline(children: list[Token] | None) -> str:
    """The text of an inline run: markup dropped, line breaks kept."""
    parts = []
    for child in children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(_inline(child.children))  # its alt text
        elif child.type == "html_inline":
            parts.append("\n" if _BREAK.match(child.content.strip()) else "")
    return "".join(parts).strip()


def markdown_to_text(md: str) -> tuple[str, str]:
    """Reduce markdown to plain text; return (text, title: the front matter's, else the first heading's)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    body, meta = front_matter(md)
    title = meta.get("title")
    title = " ".join(title.split()) if isinstance(title, str) else ""  # a list or mapping is no title
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).use(footnote_plugin)
    tokens = parser.parse(body)
    blocks: list[str] = []
    header: list[str] = []
    rows: list[list[str]] = []
    heading = cell = False
    marker = ""  # the open list item's marker, until its first paragraph ('•', '3.')
    for token in tokens:
        kind = token.type
        if kind in ("heading_open", "heading_close"):
            heading = kind == "heading_open"
        elif kind == "list_item_open":
            marker = f"{token.info}{token.markup}" if token.info else "•"
        elif kind == "table_open":
            header, rows = [], []
        elif kind == "tr_open":
            rows.append([])
        elif kind in ("th_open", "td_open", "th_close", "td_close"):
            cell = kind.endswith("_open")
        elif kind == "thead_close":
            header = rows.pop() if rows else []
        elif kind == "table_close":
            blocks.extend(table_lines(header, rows))
            header, rows = [], []
        elif kind == "inline" and cell:
            rows[-1].append(" ".join(_inline(token.children).split()))
        elif kind == "inline":
            text = _inline(token.children)
            if text and marker:
                text = f"{marker} {text}"
            marker = ""
            if text:
                blocks.append(text)
                title = title or (" ".join(text.split()) if heading else "")
        elif kind in ("fence", "code_block"):
            blocks.append(token.content.strip("\n"))
        elif kind == "html_block":
            blocks.append(_html_text(token.content))
    return "\n\n".join(b for b in blocks if b.strip()), title
