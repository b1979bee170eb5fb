"""What each messenger can do. Code asks the profile, never `platform == "bale"`."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram import Bot

from bot.config import Platform
from bot.platforms.bots import platform_of

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class PlatformProfile:
    name: Platform
    supports_parse_mode: bool
    supports_topics: bool
    # False where editMessageText may answer with a stub instead of the edited message:
    # dialogs then send a fresh message rather than editing in place.
    edits_in_place: bool
    # True where any edit method may answer with a stub instead of the edited message: an
    # answer that does not decode then means "edited, message unknown".
    edit_answers_may_be_stubs: bool
    supports_commands_menu: bool
    callbacks_have_chat_instance: bool
    max_upload_bytes: int
    max_download_bytes: int
    # The longest message text and photo/document caption, in UTF-16 code units (how Telegram
    # counts them; an emoji outside the BMP counts two).
    max_text_length: int
    max_caption_length: int
    # The largest picture sendPhoto takes (bigger ones must go as a document).
    max_photo_upload_bytes: int
    # A person-to-person link to the bot: base + bot username + "?start=<payload>".
    deep_link_base: str


TELEGRAM = PlatformProfile(
    name="telegram",
    supports_parse_mode=True,
    supports_topics=True,
    edits_in_place=True,
    edit_answers_may_be_stubs=False,
    supports_commands_menu=True,
    callbacks_have_chat_instance=True,
    max_upload_bytes=50 * MB,
    max_download_bytes=20 * MB,
    max_text_length=4096,
    max_caption_length=1024,
    max_photo_upload_bytes=10 * MB,
    deep_link_base="https://t.me/",
)

BALE = PlatformProfile(
    name="bale",
    supports_parse_mode=False,
    supports_topics=False,
    edits_in_place=False,
    edit_answers_may_be_stubs=True,
    supports_commands_menu=False,
    callbacks_have_chat_instance=False,
    max_upload_bytes=50 * MB,
    max_download_bytes=20 * MB,
    # Bale publishes none of these; its API mirrors Telegram's, so Telegram's text limits are
    # assumed.
    max_text_length=4096,
    max_caption_length=1024,
    # Unpublished for Bale: half of Telegram's 10 MB, so a photo that passes here is not refused
    # half-way through a broadcast; a bigger picture can still go as a document.
    max_photo_upload_bytes=5 * MB,
    deep_link_base="https://ble.ir/",
)

PROFILES: dict[str, PlatformProfile] = {"telegram": TELEGRAM, "bale": BALE}


def profile_of(bot: Bot) -> PlatformProfile:
    """The profile of a bot built by `bot.app.build_bot` (which tags each bot with its platform)."""
    return PROFILES[platform_of(bot)]


def start_link(bot: Bot, username: str, payload: str) -> str:
    """A link that opens the bot with `/start <payload>` (payload: letters, digits, _ and -)."""
    return f"{profile_of(bot).deep_link_base}{username}?start={payload}"
