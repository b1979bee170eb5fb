"""How conversation state is keyed and serialized, the same for the SQL and the Redis storage:
one key builder (bot id + destiny, so aiogram-dialog's stacks and contexts are kept apart per
bot) and one JSON codec (so a value survives the same way in either)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from aiogram.fsm.storage.base import DefaultKeyBuilder

DEFAULT_KEY_PREFIX = "fsm"
_TAG = "__fsm_type__"
_EMPTY = "{}"


def build_key_builder(prefix: str = DEFAULT_KEY_PREFIX) -> DefaultKeyBuilder:
    return DefaultKeyBuilder(prefix=prefix, with_bot_id=True, with_destiny=True)


def to_jsonable(value: Any) -> Any:
    """Plain JSON for storage. aiogram-dialog itself stores only JSON types, but our own
    dialog_data may hold dates, times, decimals or sets; these are tagged so they come back
    as the same type instead of silently turning into strings or lists."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Mapping):
        return {str(key): to_jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(item) for item in value]
    return _tagged(value)


def _tagged(value: Any) -> Any:
    """A value plain JSON has no type for, as a tagged object (json.dumps's `default`)."""
    if isinstance(value, set | frozenset):
        return {_TAG: "set", "v": sorted((to_jsonable(item) for item in value), key=repr)}
    if isinstance(value, dt.datetime):
        return {_TAG: "datetime", "v": value.isoformat()}
    if isinstance(value, dt.date):
        return {_TAG: "date", "v": value.isoformat()}
    if isinstance(value, dt.time):
        return {_TAG: "time", "v": value.isoformat()}
    if isinstance(value, Decimal):
        return {_TAG: "decimal", "v": str(value)}
    if isinstance(value, Mapping):
        return {str(key): item for key, item in value.items()}
    raise TypeError(f"FSM data cannot hold {type(value).__name__}: {value!r}")


_DECODERS: dict[str, Any] = {
    "set": set,
    "datetime": dt.datetime.fromisoformat,
    "date": dt.date.fromisoformat,
    "time": dt.time.fromisoformat,
    "decimal": Decimal,
}


def _untagged(value: dict[str, Any]) -> Any:
    """json.loads's `object_hook`: called for every object, innermost first."""
    if len(value) == 2 and "v" in value:
        tag = value.get(_TAG)
        if isinstance(tag, str) and tag in _DECODERS:
            return _DECODERS[tag](value["v"])
    return value


def from_jsonable(value: Any) -> Any:
    if isinstance(value, list):
        return [from_jsonable(item) for item in value]
    if isinstance(value, dict):
        return _untagged({key: from_jsonable(item) for key, item in value.items()})
    return value


def json_dumps(data: Any) -> str:
    """The C encoder walks the plain JSON; Python runs only for what `_tagged` tags. A key json
    refuses (neither str, number, bool nor None) takes the slow path, which writes its str();
    that path raises the same TypeError for a value no tag fits."""
    try:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_tagged)
    except TypeError:
        return dump_jsonable(to_jsonable(data))


def dump_jsonable(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def json_loads(raw: str | bytes) -> Any:
    return json.loads(raw, object_hook=_untagged)
