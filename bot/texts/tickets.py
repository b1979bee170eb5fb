"""Words of the hand-off that several screens say (the menu's flow, the counseling result)."""

from __future__ import annotations

from aiogram.utils.i18n import gettext


def write_prompt() -> str:
    return (
        gettext("Please write your message now.")
        + "\n" + gettext("You can also send a photo, a file or a voice message.")
    )


def ended_text() -> str:
    return gettext("The conversation with the caseworker has ended.") + "\n" + gettext(
        "You can start a new one at any time with «💬 Talk to a caseworker»."
    )
