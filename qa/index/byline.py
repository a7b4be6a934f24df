"""Bylines: the line under a headline that names the writer ('By Jordan Ellis | June 3, 2026')."""

from __future__ import annotations

import re

_BYLINE = re.compile(r"^\s*(?:written |words |reporting )?by\s+\S", re.IGNORECASE)


def is_byline(line: str) -> bool:
    """Whether a line starts like a byline ('By ...', 'Written by ...', 'Reporting by ...')."""
    return _BYLINE.match(line) is not None
