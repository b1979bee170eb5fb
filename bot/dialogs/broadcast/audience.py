"""The audience as the form keeps it (plain lists in dialog_data) and as BroadcastService takes
it (AudienceFilter). "Everyone" is the empty audience."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiogram_dialog import DialogManager

from bot.config import Settings
from bot.dialogs.broadcast.dialog_data import AUDIENCE_KEY
from services.broadcasts import AudienceFilter
from storage.models import utcnow

MULTI_FACETS = ("provinces", "programs", "statuses", "fields")
SINCE_DAYS = (0, 7, 30, 90)


def audience_of(manager: DialogManager) -> dict[str, Any]:
    saved = manager.dialog_data.get(AUDIENCE_KEY)
    return saved if isinstance(saved, dict) else {}


def chosen(manager: DialogManager, facet: str) -> list[str]:
    values = audience_of(manager).get(facet)
    return [str(v) for v in values] if isinstance(values, list) else []


def set_facet(manager: DialogManager, facet: str, values: list[str]) -> None:
    audience = dict(audience_of(manager))
    audience[facet] = values
    manager.dialog_data[AUDIENCE_KEY] = audience


def since_days(manager: DialogManager) -> int:
    value = audience_of(manager).get("since_days")
    return value if isinstance(value, int) and value in SINCE_DAYS else 0


def platforms_of(manager: DialogManager, settings: Settings) -> list[str]:
    """The messengers the audience is on: the one chosen, or every configured bot."""
    configured: list[str] = list(settings.configured_platforms)
    picked = [p for p in chosen(manager, "platforms") if p in configured]
    return picked or configured


def audience_filter(manager: DialogManager, settings: Settings) -> AudienceFilter:
    days = since_days(manager)
    return AudienceFilter(
        platforms=platforms_of(manager, settings),
        provinces=chosen(manager, "provinces"),
        programs=chosen(manager, "programs"),
        statuses=chosen(manager, "statuses"),
        course_fields=chosen(manager, "fields"),
        registered_since=utcnow() - dt.timedelta(days=days) if days else None,
    )


def audience_label(manager: DialogManager, settings: Settings) -> dict[str, object]:
    """What was chosen, kept on the broadcast for its record."""
    return {
        "platforms": platforms_of(manager, settings),
        **{facet: chosen(manager, facet) for facet in MULTI_FACETS},
        "since_days": since_days(manager),
    }
