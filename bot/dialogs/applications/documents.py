"""The document screens: the apply form's checklist and one kind's upload, and taking one document
from a chat message (My file's upload screen takes its papers the same way).

A photo or file goes in, bytes go to the service, a code comes out. File ids belong to the bot
that received them, so the file is downloaded at once by that bot, never later. What the bytes
really are (type, size, emptiness, repeats) is the service's call; this only refuses what never
reaches it: stickers, voice, video, text, albums, oversize files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button

from bot.dialogs import context as ctx
from bot.dialogs.applications import dialog_data, flow
from bot.dialogs.applications.dialog_data import clear_notice, set_notice, set_upload_notice
from bot.dialogs.applications.states import ApplySG
from bot.dialogs.applications.texts import (
    ALBUM,
    DOWNLOAD_FAILED,
    NOT_A_FILE,
    megabytes,
    type_names,
)
from bot.dialogs.common import callback_message
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
    code: str  # a DocumentOutcome value, or texts.NOT_A_FILE / ALBUM / DOWNLOAD_FAILED
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


# --- the checklist ----------------------------------------------------------------------------


async def on_document_kind(
    callback: CallbackQuery, _w: Any, manager: DialogManager, item_id: str
) -> None:
    loaded = await flow.load_or_close(manager, callback_message(callback))
    if loaded is None:
        return
    view, _program = loaded
    kinds = {r.kind for r in ctx.applications(manager).required_documents(view)}
    if item_id not in kinds:
        set_notice(manager, "not_found")
        return
    clear_notice(manager)
    manager.dialog_data[dialog_data.KIND_KEY] = item_id
    await manager.switch_to(ApplySG.upload)


async def on_checklist_message(message: Message, _w: MessageInput, manager: DialogManager) -> None:
    """A file sent without choosing which paper it is: ask which, keep nothing."""
    album = seen_album(manager, message)
    if album is not None and album.silent:
        manager.show_mode = ShowMode.NO_UPDATE
        return
    set_notice(manager, "pick_document_first")


async def on_documents_done(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    clear_notice(manager)
    await flow.go_review(manager)


async def on_documents_back(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    clear_notice(manager)
    if flow.is_editing(manager):
        await flow.go_review(manager)
        return
    loaded = await dialog_data.load(manager)
    if loaded is not None and loaded[1].questions:
        await flow.go_question(manager, len(loaded[1].questions) - 1)
    elif loaded is not None:
        await flow.enter_courses(manager, loaded[0])


# --- one document kind ------------------------------------------------------------------------


async def on_upload(message: Message, _w: MessageInput, manager: DialogManager) -> None:
    loaded = await flow.load_or_close(manager, message)
    if loaded is None:
        return
    view, program = loaded
    requirement = program.document(str(manager.dialog_data.get(dialog_data.KIND_KEY)))
    if requirement is None:
        await manager.switch_to(ApplySG.documents)
        return
    code = await take_upload(manager, message, view.id, requirement)
    if code == DocumentOutcome.NOT_FOUND:
        await flow.close_gone(manager, message)
        return
    if code != DocumentOutcome.ACCEPTED:
        return  # the same upload screen, the reason on top (or nothing new: a later album part)
    # Room for another page of the same paper (e.g. the back of a card): stay; else the list.
    after = await dialog_data.load(manager)
    count = len(after[0].documents_of(requirement.kind)) if after else requirement.max_count
    if count >= requirement.max_count:
        await manager.switch_to(ApplySG.documents)


async def on_remove_document(
    callback: CallbackQuery, _w: Any, manager: DialogManager, item_id: str
) -> None:
    app_id = dialog_data.app_id(manager)
    document_id = dialog_data.parse_id(item_id)
    removed = (
        app_id is not None
        and document_id is not None
        and await ctx.applications(manager).remove_document(
            app_id, ctx.person_id(manager), document_id
        )
    )
    set_notice(manager, "removed" if removed else "not_removed")


async def on_upload_done(_c: CallbackQuery, _b: Button, manager: DialogManager) -> None:
    clear_notice(manager)
    manager.dialog_data.pop(dialog_data.KIND_KEY, None)
    await manager.switch_to(ApplySG.documents)
