"""Load an article from .txt, .md or .html into canonical text with title and date."""

from __future__ import annotations

import re
from pathlib import Path

from qa.index.errors import (
    ArticleDecodeError,
    ArticleNotFoundError,
    ArticleTooLargeError,
    EmptyArticleError,
    UnsupportedFormatError,
)
from qa.index.html_text import html_to_text
from qa.index.markdown_text import markdown_to_text
from qa.index.types import Article

SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
MAX_ARTICLE_BYTES = 2_000_000
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE = re.compile(rf"\b(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}})\b")
_LABEL = re.compile(r"^(?:[\w.]+\s?){1,3}:\s|^by\s", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def is_valid_unicode(text: str) -> bool:
    """False for text with lone surrogates: it cannot be encoded, so no tokenizer or store can read it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def decode(data: bytes, name: str = "the article") -> str:
    """Decode UTF-8 bytes (BOM allowed) or UTF-16 with a BOM; refuse binary or other encodings clearly."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ArticleDecodeError(f"{name} has a UTF-16 mark but is not valid UTF-16; save it as UTF-8.") from None
    if b"\x00" in data[:8192]:
        raise ArticleDecodeError(f"{name} looks like a binary file; give a .txt, .md or .html article.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleDecodeError(
            f"{name} is not UTF-8 text (bad byte at position {exc.start}); save it as UTF-8 and try again."
        ) from None


def normalize(text: str) -> str:
    """Canonical text: LF line ends, no control characters, no trailing spaces, no outer blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _CONTROL.sub("", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return text.strip("\n")


def guess_title_and_date(text: str) -> tuple[str, str | None]:
    """Title: the first one-line paragraph that is not a dateline or a label; date: the first in the opening lines."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()][:6]
    published = next((m.group(0) for ln in lines[:3] if (m := _DATE.search(ln))), None)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()][:8]
    for para in paragraphs:
        dateline = _DATE.search(para) and len(para) < 40
        if "\n" not in para and len(para) <= 200 and not dateline and not _LABEL.match(para):
            return para, published
    return (lines[0][:200] if lines else ""), published


def article_from_text(
    text: str,
    title: str = "",
    published: str | None = None,
    source: str = "",
    fmt: str = "text",
    name: str = "The article",
) -> Article:
    """Build an Article from raw text in the given format ('text', 'markdown' or 'html'); `name` is what error
    messages call it ('The uploaded file')."""
    if not isinstance(text, str):
        raise ArticleDecodeError(f"The article must be text (str), not {type(text).__name__}.")
    for part, value in (("text", text), ("title", title), ("published", published or "")):
        if not isinstance(value, str):
            raise ArticleDecodeError(f"The article {part} must be text (str), not {type(value).__name__}.")
        if not is_valid_unicode(value):
            raise ArticleDecodeError(f"The article {part} holds characters that are not valid Unicode.")
    found_title, found_date = "", None
    if fmt == "html":
        text, found_title, found_date = html_to_text(text)
    elif fmt == "markdown":
        text, found_title = markdown_to_text(text)
    text = normalize(text)
    if not text.strip():
        raise EmptyArticleError(f"{name} has no readable text; give an article with some text in it.")
    guessed_title, guessed_date = guess_title_and_date(text)
    return Article.create(
        text=text,
        title=title or found_title or guessed_title,
        published=published or found_date or guessed_date,
        source=source,
    )


def format_of(path: Path) -> str:
    """Map a file suffix to a format name, or raise UnsupportedFormatError."""
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise UnsupportedFormatError(f"{path.name}: unsupported file type; use .txt, .md or .html.")
    return fmt


def sniff_format(data: bytes, fallback: str) -> str:
    """Tell HTML by its content, whatever the extension says."""
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    return fallback


def load_article(path: str | Path, max_bytes: int = MAX_ARTICLE_BYTES) -> Article:
    """Load an article file (.txt, .md, .html) into an Article."""
    path = Path(path)
    if not path.is_file():
        raise ArticleNotFoundError(f"{path}: no such file; check the path.")
    fmt = format_of(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise ArticleTooLargeError(
            f"{path.name} is {size:,} bytes; the limit is {max_bytes:,}. Give a shorter article."
        )
    return load_bytes(path.read_bytes(), path.name, max_bytes, fmt, source=str(path))


def load_bytes(
    data: bytes, name: str, max_bytes: int = MAX_ARTICLE_BYTES, fmt: str = "text", source: str = ""
) -> Article:
    """An Article from a file's bytes (an upload or a file on disk): size checked, decoded, the format told
    by content first (HTML whatever the name says) and by `fmt` otherwise."""
    if len(data) > max_bytes:
        raise ArticleTooLargeError(
            f"{name} is {len(data):,} bytes; the limit is {max_bytes:,}. Give a shorter article."
        )
    return article_from_text(decode(data, name), source=source or name, fmt=sniff_format(data, fmt), name=name)
