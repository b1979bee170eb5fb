"""Taking one document from a chat message: photo or file in, bytes to the service, a code out.

File ids belong to the bot that received them, so the file is downloaded at once by that bot,
never later. What the bytes really are (type, size, emptiness, repeats) is the service's call;
this only refuses what never reaches it: stickers, voice, video, text, albums, oversize files."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram.types import Message
from aiogram_dialog import DialogManager, ShowMode

from bot.dialogs import context as ctx
from bot.dialogs.applications.labels import (
    ALBUM,
    DOWNLOAD_FAILED,
    NOT_A_FILE,
    megabytes,
    type_names,
)
from bot.dialogs.applications.notices import set_upload_notice
from bot.dialogs.widgets import Tr
from bot.platforms.files import DownloadFailed, FileTooBig, download_limited
from bot.platforms.profiles import profile_of
from services.applications import DocumentOutcome
from services.programs import DocumentRequirement

ALBUMS_KEY = "albums"
_ALBUMS_REMEMBERED = 10


def upload_prompt() -> Tr:
    """The upload screens' request; its getter adds upload_prompt_values and `here`."""
    return Tr(
        "Send «{name}» now: a photo of the paper, or a file ({types}) of at most {limit} MB.",
        when="here",
    )


def upload_prompt_values(requirement: DocumentRequirement, locale: str | None) -> dict[str, str]:
    return {
        "name": requirement.name.for_locale(locale),
        "types": type_names(requirement.accepted),
        "limit": megabytes(requirement.max_bytes, locale),
    }


@dataclass(frozen=True, slots=True)
class UploadResult:
    code: str  # a DocumentOutcome value, or labels.NOT_A_FILE / ALBUM / DOWNLOAD_FAILED
    silent: bool = False  # another part of an album already answered: say nothing again


def seen_album(manager: DialogManager, message: Message) -> UploadResult | None:
    """Albums arrive as one message per photo: answer the first, stay quiet for the rest."""
    group = message.media_group_id
    if not group:
        return None
    seen = manager.dialog_data.get(ALBUMS_KEY)
    seen = [g for g in seen if isinstance(g, str)] if isinstance(seen, list) else []
    if group in seen:
        return UploadResult(ALBUM, silent=True)
    manager.dialog_data[ALBUMS_KEY] = [*seen, group][-_ALBUMS_REMEMBERED:]
    return UploadResult(ALBUM)


def file_of(message: Message) -> tuple[str, int | None] | None:
    """(file_id, declared size) of a photo (largest size) or a file; None for anything else."""
    if message.photo:
        largest = message.photo[-1]
        return largest.file_id, largest.file_size
    if message.document is not None:
        return message.document.file_id, message.document.file_size
    return None


async def take_upload(
    manager: DialogManager, message: Message, app_id: int, requirement: DocumentRequirement
) -> str | None:
    """receive_document, its outcome put on top of the next screen; None, and the screen left
    as it is, for an album's later parts (the first part already answered)."""
    result = await receive_document(manager, message, app_id, requirement)
    if result.silent:
        manager.show_mode = ShowMode.NO_UPDATE
        return None
    set_upload_notice(manager, result.code, requirement.kind)
    return result.code


async def receive_document(
    manager: DialogManager, message: Message, app_id: int, requirement: DocumentRequirement
) -> UploadResult:
    album = seen_album(manager, message)
    if album is not None:
        return album
    source = file_of(message)
    if source is None:
        return UploadResult(NOT_A_FILE)
    file_id, declared = source
    bot = ctx.bot(manager)
    # The program's limit, or less where the messenger lets a bot download less.
    cap = min(requirement.max_bytes, profile_of(bot).max_download_bytes)
    try:
        data = await download_limited(bot, file_id, declared, cap)
    except FileTooBig:
        return UploadResult(DocumentOutcome.TOO_BIG.value)
    except DownloadFailed:
        return UploadResult(DOWNLOAD_FAILED)
    outcome = await ctx.applications(manager).add_document(
        app_id, ctx.person_id(manager), requirement.kind, data
    )
    return UploadResult(outcome.value)
