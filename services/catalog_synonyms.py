"""The search synonyms a counselor keeps in data/search/synonyms.json, read and checked once at
start (see data/search/README.md).

Every problem is reported as `synonyms.json: place: what is wrong`, e.g.
`synonyms.json: group 3, word 2: empty text`, and all problems are collected before failing,
so a broken file stops the start with one message that names every mistake."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from services.catalog_search import MAX_TERM_CHARS, words_of
from services.catalog_words import stems
from services.data_files import read_json

SYNONYMS_PATH = Path(__file__).resolve().parents[1] / "data" / "search" / "synonyms.json"
_KNOWN_KEYS = {"note", "groups"}


class SearchDataError(Exception):
    """The synonyms file is broken; the message lists every problem, one per line."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__(
            "search synonyms file is invalid:\n" + "\n".join(f"  {p}" for p in self.problems)
        )


@dataclass(frozen=True, slots=True)
class Synonyms:
    """Folded word (or a stem of it) -> the folded, space-free words meaning the same."""

    alternatives: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def synonyms_of_groups(groups: Sequence[Sequence[str]]) -> Synonyms:
    """Each word of a group stands for every other word of it (as typed: «تلفن همراه»)."""
    found: dict[str, set[str]] = {}
    for group in groups:
        compact = ["".join(words_of(word)) for word in group]
        for word in compact:
            others = {other for other in compact if other != word}
            for key in {word} | stems(word):
                found.setdefault(key, set()).update(others)
    return Synonyms({key: tuple(sorted(words)) for key, words in found.items()})


def load_synonyms(path: Path | None = None) -> Synonyms:
    """Read and check the synonyms file; SearchDataError names every mistake."""
    path = path if path is not None else SYNONYMS_PATH
    problems: list[str] = []
    raw = read_json(path, problems)
    groups = _check(raw, path.name, problems) if not problems else []
    if problems:
        raise SearchDataError(problems)
    return synonyms_of_groups(groups)


def _check(raw: Any, name: str, problems: list[str]) -> list[list[str]]:
    if not isinstance(raw, dict):
        problems.append(f'{name}: top level: must be a {{...}} block with a "groups" list')
        return []
    problems += [f'{name}: top level: unknown key "{key}" (a typo?)'
                 for key in raw if key not in _KNOWN_KEYS]  # fmt: skip
    groups = raw.get("groups")
    if not isinstance(groups, list):
        problems.append(f'{name}: "groups": missing, or not a [...] list')
        return []
    checked: list[list[str]] = []
    first_group_of: dict[str, int] = {}
    for number, group in enumerate(groups, start=1):
        place = f"{name}: group {number}"
        if not isinstance(group, list) or len(group) < 2:
            problems.append(f"{place}: must be a [...] list of at least two words")
            continue
        words: list[str] = []
        for position, word in enumerate(group, start=1):
            problem = _word_problem(word)
            if problem:
                problems.append(f"{place}, word {position}: {problem}")
                continue
            key = "".join(words_of(word))
            if key in first_group_of:
                earlier = first_group_of[key]
                where = "earlier in this group" if earlier == number else f"in group {earlier}"
                problems.append(f"{place}, word {position}: «{word}» is already {where}")
                continue
            first_group_of[key] = number
            words.append(word)
        checked.append(words)
    return checked


def _word_problem(word: Any) -> str | None:
    if not isinstance(word, str):
        return 'not a text in "quotes"'
    if not word.strip():
        return "empty text"
    letters = "".join(words_of(word))
    if not letters:
        return "no letters or digits in it"
    if len(letters) > MAX_TERM_CHARS:
        return f"longer than {MAX_TERM_CHARS} letters"
    return None
