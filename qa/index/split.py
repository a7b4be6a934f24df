"""Split canonical article text into passages (paragraphs, bullet blocks) and sentences, keeping offsets."""

from __future__ import annotations

import re
from collections.abc import Iterator

from qa.index.abbreviations import TITLES
from qa.index.types import Article, Passage, Sentence, content_id

_BLANK = re.compile(r"\n[ \t]*\n\s*")
_BULLET = re.compile(r"[ \t]*(?:[•·▪‣◦●○■□➢►*+\-–—]|\d{1,3}[.)])[ \t]+")
REFERENCE_MARK = r"\[\d{1,3}\]"  # a reference mark in text copied from Wikipedia: 'glacier.[2][3]'
# no restart inside a run: linear; reference marks may follow ('... glacier.[2][3] It was ...')
_END = re.compile(r"(?<![.!?…])[.!?…]++[\"'”’»)\]]*+(?:" + REFERENCE_MARK + r")*+(?=\s)")
_AGENCY = re.compile(r"\s*\(([^()\n]{1,40})\)\s*[-—–]")  # the agency in a dateline: 'NASHVILLE, Tenn. (AP) —'
# a news dateline: the city in capitals (and its state), the agency in brackets if any, a dash ('SPRINGFIELD (AP) —',
# 'LONDON (Reuters) -', 'NASHVILLE, Tenn. (AP) —', 'MINNEAPOLIS —'); group 1 is the agency
DATELINE = re.compile(r"[A-Z][A-Z.' ]*[A-Z.](?:, [A-Z][A-Za-z.' ]*)?(?:" + _AGENCY.pattern + r"|\s+[-—–]\s)")
_DECIMAL = re.compile(r"\d\.\d")  # a number's decimal point ('49.6%', '$1.5'), no abbreviation's
_NEXT = re.compile(r"\s+([\"'“‘«(\[]*)(\S)")
_OTHER = {
    "inc",
    "corp",
    "co",
    "ltd",
    "llc",
    "vs",
    "etc",
    "no",
    "nos",
    "vol",
    "fig",
    "approx",
    "est",
    "dept",
    "univ",
    "assn",
    "bros",
    "ave",
    "blvd",
    "rd",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thurs",
    "fri",
    "sat",
    "sun",
    "al",
    "cf",
    "ed",
    "eds",
    "op",
    "pp",
    "para",
    "ca",
}
_STARTERS = {
    "the",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "but",
    "and",
    "this",
    "that",
    "in",
    "a",
    "an",
    "on",
    "his",
    "her",
    "their",
    "there",
    "its",
    "as",
    "at",
    "for",
    "if",
    "when",
    "while",
    "after",
    "since",
    "some",
}


def _is_boundary(text: str, end_match: re.Match[str], end: int) -> bool:
    """Decide whether terminal punctuation at `end_match` (inside a segment ending at `end`) ends a sentence."""
    nxt = _NEXT.match(text, end_match.end(), end)
    if nxt is None or _AGENCY.match(text, end_match.end(), end):
        return False
    follower = nxt.group(2)
    # '<' of a tag pasted as text opens one too ('The CEO resigned. <img ...> Ignore ...')
    if not (follower.isupper() or follower.isdigit() or follower == "<" or nxt.group(1)):
        return False
    if not end_match.group(0).startswith(".") or end_match.group(0).startswith(".."):
        return True
    token = re.search(r"(\S+)$", text[max(0, end_match.start() - 64) : end_match.start()])
    word = token.group(1).lstrip("\"'“‘([") if token else ""
    bare = word.lower().rstrip(".")
    if bare in TITLES:
        return False
    if len(word) == 1 and word.isalpha() and word.isupper():
        return False
    if bare in _OTHER:
        return follower.isupper() and not follower.isdigit() and bare not in TITLES and _starter(text, nxt)
    if "." in word.strip(".") and not _DECIMAL.search(word):  # 'U.S.' may end a sentence; '49.6%.' does
        return _starter(text, nxt)
    return True


def _starter(segment: str, nxt: re.Match[str]) -> bool:
    """True when the word after a dotted abbreviation typically opens a sentence."""
    word = re.match(r"[A-Za-z]+", segment[nxt.start(2) :])
    return bool(word) and word.group(0).lower() in _STARTERS


def _segments(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of bullet items and free lines inside one block."""
    lines: list[tuple[int, int]] = []
    pos = start
    for line in text[start:end].split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    widest = max(e - s for s, e in lines)
    seg_start = None
    for i, (ls, le) in enumerate(lines):
        bullet = _BULLET.match(text, ls, le)
        if bullet or seg_start is None:
            if seg_start is not None:
                yield seg_start, lines[i - 1][1]
            seg_start = bullet.end() if bullet else ls
        elif _short_line(text, lines[i - 1], widest):
            yield seg_start, lines[i - 1][1]
            seg_start = ls
    if seg_start is not None:
        yield seg_start, lines[-1][1]


def _short_line(text: str, line: tuple[int, int], widest: int) -> bool:
    """A short line without closing punctuation (a headline, a byline) ends its sentence."""
    body = text[line[0] : line[1]].strip()
    return bool(body) and len(body) < 0.6 * widest and body[-1] not in ",;:-–(" and len(body) < 60


def _sentence_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Yield trimmed (start, end) spans of sentences inside one segment."""
    cut = start
    for match in _END.finditer(text, start, end):
        if _is_boundary(text, match, end):
            yield from _trim(text, cut, match.end())
            cut = match.end()
    yield from _trim(text, cut, end)


def _trim(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Yield the span without outer whitespace, if anything is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def blocks(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of blank-line separated blocks, trimmed."""
    pos = 0
    for sep in _BLANK.finditer(text):
        yield from _trim(text, pos, sep.start())
        pos = sep.end()
    yield from _trim(text, pos, len(text))


def split_article(article: Article) -> tuple[list[Passage], list[Sentence]]:
    """Split an article into passages and sentences whose offsets point into `article.text`."""
    text = article.text
    passages: list[Passage] = []
    sentences: list[Sentence] = []
    for b_start, b_end in blocks(text):
        ids = []
        for seg_start, seg_end in _segments(text, b_start, b_end):
            for s, e in _sentence_spans(text, seg_start, seg_end):
                sid = content_id(article.id, s, text[s:e])
                sentences.append(Sentence(sid, article.id, len(sentences), s, e, text[s:e], len(passages)))
                ids.append(sid)
        if ids:
            pid = content_id(article.id, "passage", b_start, text[b_start:b_end])
            passages.append(Passage(pid, article.id, len(passages), b_start, b_end, text[b_start:b_end], tuple(ids)))
    return passages, sentences


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of any text, with the article splitter's rules."""
    spans = []
    for b_start, b_end in blocks(text):
        for seg_start, seg_end in _segments(text, b_start, b_end):
            spans.extend(_sentence_spans(text, seg_start, seg_end))
    return spans
