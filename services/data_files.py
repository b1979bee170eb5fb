"""Reading a JSON data file a counselor or an administrator edits by hand: every slip is said
with the file's name and the place, so a broken file stops the start with a message they can act
on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# What read_json answers when the file could not be read at all (its reason is in `problems`).
UNREADABLE: Any = object()


def read_json(path: Path, problems: list[str]) -> Any:
    """The file's JSON, or UNREADABLE. Problems go to `problems`: missing, not UTF-8, not JSON,
    and a key written twice in one object (JSON lets the last one win silently: a copy-paste
    slip); the parsed value is still returned in that last case."""
    name = path.name
    repeated: list[str] = []

    def no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result and key not in repeated:
                repeated.append(key)
            result[key] = value
        return result

    try:
        raw = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=no_repeats)
    except FileNotFoundError:
        problems.append(f"{name}: file not found at {path}")
        return UNREADABLE
    except UnicodeDecodeError:
        problems.append(f"{name}: not UTF-8 text; save it as UTF-8")
        return UNREADABLE
    except json.JSONDecodeError as error:
        problems.append(
            f"{name}: line {error.lineno}, column {error.colno}: not valid JSON ({error.msg})"
        )
        return UNREADABLE
    problems += [f'{name}: key "{key}" appears twice in one {{...}} block' for key in repeated]
    return raw
