"""Reduce an HTML page to its article text with trafilatura (main content only: no navigation, footers,
scripts or styles), after dropping every element a reader cannot see (`hidden`, `aria-hidden`,
`display:none`, `visibility:hidden`), so hidden text can never be quoted as an answer.

Three things trafilatura drops or scatters are put back in reading order: the byline ('By Léa Dubois ·
March 4, 2025', kept by trafilatura only as metadata), so "Who wrote the article?" can be answered and cited;
a figure's caption and credit ('Photo: Jane Doe/City Times'), so the photo can be asked about; and tables,
one line per row with each cell after its column's header ('Gallery: East wing; Works: 320'), not one
paragraph per cell, so a row's facts stay together in one quotable sentence.

lxml parses in linear time and repairs what browsers repair (no `</head>`, a page inside a `<form>`, an
unclosed `<object>`); when trafilatura finds no main content (a very short page) the visible text of the
body is used instead.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from qa.index.byline import is_byline
from qa.index.tables import table_lines

if TYPE_CHECKING:  # lxml and trafilatura load only when an HTML article is read (a cold start skips them)
    import lxml.html

_HIDDEN = (
    "//*[@hidden] | //*[@aria-hidden='true'] | //template | //script | //style | //noscript"
    " | //*[contains(translate(@style, ' ', ''), 'display:none')]"
    " | //*[contains(translate(@style, ' ', ''), 'visibility:hidden')]"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # not allowed in XML, never visible
_CONTAINERS = ("object", "embed", "form", "button", "select", "textarea")


def _tree(html: str) -> lxml.html.HtmlElement | None:
    """The parsed document with hidden elements removed, or None when nothing parses."""
    import lxml.html
    from lxml import etree

    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    for element in tree.xpath(_HIDDEN):
        if element.getparent() is not None:
            element.drop_tree()
    for element in tree.iter(*_CONTAINERS):
        element.drop_tag()  # keep what is inside an unclosed <object> or a page-wide <form>
    for element in tree.iter("figure", "figcaption"):  # trafilatura drops figures, captions and credits with them
        element.tag = "div" if element.tag == "figure" else "p"
    return tree


_BLOCKS = ("head", "p", "item", "quote", "cell", "code", "list")
_BYLINE_BLOCKS = ("p", "div", "address", "span", "li", "td")
_BYLINE_MAX = 160  # characters: a byline is a short line, not a paragraph that starts with "By"
_PAGE_CHROME = "//nav | //header | //footer | //aside | //*[@role='navigation'] | //*[@role='contentinfo']"
_HTML_BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "section", "article", "td")


def _main_blocks(tree: lxml.html.HtmlElement) -> list[str]:
    """The main content's paragraphs as trafilatura finds them (list items as bullets)."""
    import trafilatura
    from lxml import etree

    xml = trafilatura.extract(tree, output_format="xml", favor_recall=True, include_comments=False)
    main = etree.fromstring(xml.encode("utf-8")).find("main") if xml else None
    if main is None:
        return []
    out = []
    for element in main.iter(*_BLOCKS, "table"):
        if element.tag == "table":
            out.extend(_table_rows(element))
            continue
        if element.tag == "list" or any(True for _ in element.iterancestors("table")):
            continue  # a table's cells are in its rows
        if any(True for _ in element.iterdescendants(*_BLOCKS)):
            continue  # only innermost blocks, so nothing is said twice
        text = _flat(element)
        if text:
            out.append(f"• {text}" if element.tag == "item" else text)
    return out


def _flat(element: object) -> str:
    """An element's text on one line, runs of white space made one space."""
    return " ".join("".join(element.itertext()).split())  # type: ignore[attr-defined]


def _table_rows(table: object) -> list[str]:
    """A trafilatura table as lines (`index.tables`): a first row of header cells is the header."""
    header: list[str] = []
    rows = []
    for row in table.iter("row"):  # type: ignore[attr-defined]
        cells = list(row.iter("cell"))
        texts = [_flat(c) for c in cells]
        if not header and not rows and cells and all(c.get("role") == "head" for c in cells):
            header = texts
        else:
            rows.append(texts)
    return table_lines(header, rows)


def _byline(tree: lxml.html.HtmlElement, author: str | None) -> str | None:
    """The page's byline line ('By Léa Dubois · March 4, 2025'): the first short block that starts like one and
    is marked as one (class, rel or itemprop naming an author or byline) or names trafilatura's author, so a
    sentence that merely starts with "By Tuesday, ..." is never taken for one. Of nested blocks the innermost
    is taken: 'By Sam Ortiz', not the whole line of bylines, dates and 'Updated: ...' around it."""
    name = (author or "").split()[:1]
    found, inside = None, set()
    for element in tree.iter(*_BYLINE_BLOCKS):
        if found is not None and element not in inside:
            break  # past the first byline and everything inside it
        text = _short_text(element)
        if text is not None and is_byline(text) and ((name and name[0] in text) or _marked(element)):
            found, inside = element, set(element.iterdescendants())
    return _short_text(found) if found is not None else None


def _short_text(element: lxml.html.HtmlElement) -> str | None:
    """The element's text on one line when it is short enough for a byline, else None; reading stops early,
    so a page's outer blocks cost no more than a byline each."""
    parts, size = [], 0
    for chunk in element.itertext():
        parts.append(chunk)
        size += len(chunk)
        if size > 4 * _BYLINE_MAX:
            return None
    text = " ".join("".join(parts).split())
    return text if len(text) <= _BYLINE_MAX else None


def _marked(element: lxml.html.HtmlElement) -> bool:
    """Whether the element or one inside it is marked up as a byline or an author."""
    for node in (element, *element.iterdescendants()):
        marks = " ".join(str(node.get(a, "")) for a in ("class", "rel", "itemprop", "id")).lower()
        if "byline" in marks or "author" in marks:
            return True
    return False


def _with_byline(blocks: list[str], line: str | None, title: str) -> list[str]:
    """`blocks` with the byline under the headline (first when there is no headline), unless already there; a
    short block that starts with it is the line of bylines and dates around it, and becomes the byline."""
    if not line:
        return blocks
    if any(line in b for b in blocks):
        return [line if b.startswith(line) and len(b) <= _BYLINE_MAX else b for b in blocks]
    at = 1 if blocks and " ".join(blocks[0].split()) == title else 0
    return [*blocks[:at], line, *blocks[at:]]


def _visible_blocks(tree: lxml.html.HtmlElement) -> list[str]:
    """The body's visible text without page chrome, one block element a paragraph (for short pages, where
    trafilatura keeps too little structure)."""
    for element in tree.xpath(_PAGE_CHROME):
        if element.getparent() is not None:
            element.drop_tree()
    body = tree.find("body")
    root = body if body is not None else tree
    for block in root.iter(*_HTML_BLOCKS):
        block.tail = "\n" + (block.tail or "")
        if block.tag == "li":
            block.text = "• " + (block.text or "")
        else:
            block.text = "\n" + (block.text or "")
    return [" ".join(line.split()) for line in root.text_content().split("\n") if line.strip()]


def html_to_text(html: str) -> tuple[str, str, str | None]:
    """Return (article text, title, published date or None) of an HTML document."""
    html = _CONTROL.sub("", html)
    import trafilatura

    tree = _tree(html)
    if tree is None:
        return "", "", None
    meta = trafilatura.extract_metadata(tree)
    line = _byline(tree, meta.author if meta else None)  # before trafilatura prunes the tree
    blocks = _main_blocks(tree)
    if len(blocks) < 3:
        fresh = _tree(html)  # a fresh tree: trafilatura prunes the one it reads
        blocks = _visible_blocks(fresh if fresh is not None else tree)
    title = " ".join((meta.title or "").split()) if meta else ""
    return "\n\n".join(_with_byline(blocks, line, title)), title, (meta.date if meta else None) or None
