"""Does a Persian line read right-to-left? The Unicode bidi rule a messenger applies to each
paragraph (UAX #9, P2/P3): the first strong character decides, skipping whatever sits between an
isolate initiator (LRI, RLI, FSI) and its matching PDI. A Telegram client starts a new paragraph
at every newline, so each line is judged on its own."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_ISOLATE_INITIATORS = {"\u2066", "\u2067", "\u2068"}
_PDI = "\u2069"
_ARABIC_SCRIPT_LETTER = re.compile("[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff]")


def paragraph_direction(line: str) -> str | None:
    """"R" or "L" by the first strong character outside isolates; None when there is none."""
    depth = 0
    for ch in line:
        if ch in _ISOLATE_INITIATORS:
            depth += 1
        elif ch == _PDI:
            depth = max(depth - 1, 0)
        elif depth == 0:
            kind = unicodedata.bidirectional(ch)
            if kind == "L":
                return "L"
            if kind in ("R", "AL"):
                return "R"
    return None


def rtl_problems(texts: Iterable[str]) -> list[str]:
    """Every line holding Persian that would not be laid out right-to-left (a line with no
    Persian in it, such as a link on its own line, rightly reads left-to-right)."""
    problems = []
    for text in texts:
        for line in text.split("\n"):
            if _ARABIC_SCRIPT_LETTER.search(line) and paragraph_direction(line) != "R":
                problems.append(line)
    return problems
