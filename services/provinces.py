"""Iran's 31 provinces, as shipped in data/provinces.json (file order is display order)."""

from __future__ import annotations

import json
from pathlib import Path

from services.text import search_key_compact

PROVINCES_PATH = Path(__file__).resolve().parents[1] / "data" / "provinces.json"


def _load(path: Path) -> tuple[str, ...]:
    names = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise ValueError(f"{path} must be a JSON list of province names")
    return tuple(names)


PROVINCES: tuple[str, ...] = _load(PROVINCES_PATH)

# Compact keys, so «سیستان و بلوچستان» typed with Arabic ي or without spaces still matches.
_BY_KEY: dict[str, str] = {search_key_compact(name): name for name in PROVINCES}


# People often write «استان تهران» for «تهران».
_PROVINCE_WORD = search_key_compact("استان")


def canonical_province(name: str) -> str | None:
    """The official spelling of a province typed any usual way, or None."""
    key = search_key_compact(name)
    if key not in _BY_KEY and key.startswith(_PROVINCE_WORD):
        key = key[len(_PROVINCE_WORD):]
    return _BY_KEY.get(key)


def is_province(name: str) -> bool:
    return canonical_province(name) is not None
