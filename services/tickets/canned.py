"""Saved replies a caseworker sends with /canned KEY: data/canned_replies.json, an object of
key → Persian text that an administrator edits. Read and checked once at start; a broken file
stops the start with every problem named (file: key: what is wrong)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from services.data_files import UNREADABLE, read_json

CANNED_FILE = Path(__file__).resolve().parents[2] / "data" / "canned_replies.json"
# Typed after /canned in a staff chat: short, Latin, no spaces.
KEY_PATTERN = re.compile(r"^[a-z0-9_-]{1,32}$")
TEXT_LIMIT = 3500  # room for the «👤 Caseworker:» line within a message's 4096


class CannedRepliesError(Exception):
    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__(
            "canned replies file is invalid:\n" + "\n".join(f"  {p}" for p in self.problems)
        )


@dataclass(frozen=True, slots=True)
class CannedReplies:
    replies: Mapping[str, str]

    def get(self, key: str) -> str | None:
        return self.replies.get(key.strip().lower())

    def keys(self) -> list[str]:
        return sorted(self.replies)


def load_canned_replies(path: Path = CANNED_FILE) -> CannedReplies:
    problems: list[str] = []
    raw = read_json(path, problems)
    name = path.name
    replies: dict[str, str] = {}
    if raw is not UNREADABLE and not isinstance(raw, dict):
        problems.append(f'{name}: must be one {{"key": "text", ...}} object')
    elif raw is not UNREADABLE:
        for key, text in raw.items():
            if not KEY_PATTERN.match(key):
                problems.append(f'{name}: key "{key}": use 1–32 of a-z, 0-9, _ or -')
            elif not isinstance(text, str) or not text.strip():
                problems.append(f'{name}: key "{key}": the reply must be non-empty text')
            elif len(text) > TEXT_LIMIT:
                problems.append(f'{name}: key "{key}": longer than {TEXT_LIMIT} characters')
            else:
                replies[key] = text.strip()
    if problems:
        raise CannedRepliesError(problems)
    return CannedReplies(replies)
