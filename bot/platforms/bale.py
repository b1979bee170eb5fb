"""Fills the gaps in Bale's payloads that aiogram's models require.

Bale's callback queries may lack `chat_instance`, which aiogram's CallbackQuery requires. The
gap is filled where JSON becomes objects (the session's decoder for polling, the webhook body),
so nothing past this point needs to know about it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram.client.session.base import BaseSession

MISSING_CHAT_INSTANCE = ""


def fill_update_gaps(update: Any) -> Any:
    if isinstance(update, dict):
        callback = update.get("callback_query")
        if isinstance(callback, dict) and "chat_instance" not in callback:
            callback["chat_instance"] = MISSING_CHAT_INSTANCE
    return update


def _fill_gaps(payload: Any) -> Any:
    """A getUpdates response ({"result": [updates]}) or a webhook body (one update)."""
    if isinstance(payload, dict):
        if isinstance(payload.get("result"), list):
            for update in payload["result"]:
                fill_update_gaps(update)
        elif "update_id" in payload:
            fill_update_gaps(payload)
    return payload


def adapt_session(session: BaseSession) -> BaseSession:
    """Wrap the session's JSON decoder: polling and the webhook handler both decode through it."""
    original: Callable[..., Any] = session.json_loads

    def loads(content: Any) -> Any:
        return _fill_gaps(original(content))

    session.json_loads = loads
    return session
