"""A table as lines of text: one line per row, so a row's facts stay together in one quotable sentence."""

from __future__ import annotations


def table_lines(header: list[str], rows: list[list[str]]) -> list[str]:
    """'Header: cell; Header: cell' per row under a header ('Gallery: East wing; Works: 320'); the cells joined by
    ' | ' without one, or where a row has more cells than the header. A table of only a header is one line."""
    out = []
    for cells in rows:
        if not any(cells):
            continue
        if header and len(cells) <= len(header):
            out.append("; ".join(f"{h}: {c}" if h else c for h, c in zip(header, cells, strict=False) if c))
        else:
            out.append(" | ".join(c for c in cells if c))
    if header and not out:
        out.append(" | ".join(header))
    return out
