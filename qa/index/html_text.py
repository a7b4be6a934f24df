"""Reduce an HTML page to its article text with trafilatura (main content only: no navigation, footers,
scripts or styles), after dropping every element a reader cannot see (`hidden`, `aria-hidden`,
`display:none`, `visibility:hidden`), so hidden text can never be quoted as an answer.

lxml parses in linear time and repairs what browsers repair (no `</head>`, a page inside a `<form>`, an
unclosed `<object>`); when trafilatura finds no main content (a very short page) the visible text of the
body is used instead.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

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
    return tree


_BLOCKS = ("head", "p", "item", "quote", "cell", "code", "list")
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
    for element in main.iter(*_BLOCKS):
        if element.tag == "list" or any(True for _ in element.iterdescendants(*_BLOCKS)):
            continue  # only innermost blocks, so nothing is said twice
        text = " ".join("".join(element.itertext()).split())
        if text:
            out.append(f"• {text}" if element.tag == "item" else text)
    return out


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
    blocks = _main_blocks(tree)
    if len(blocks) < 3:
        fresh = _tree(html)  # a fresh tree: trafilatura prunes the one it reads
        blocks = _visible_blocks(fresh if fresh is not None else tree)
    title = " ".join((meta.title or "").split()) if meta else ""
    return "\n\n".join(blocks), title, (meta.date if meta else None) or None
