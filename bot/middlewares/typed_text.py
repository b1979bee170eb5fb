"""Takes trailing invisible characters off typed text unless they are a dialog button's mark.

aiogram-dialog hides a reply-keyboard button's callback data in invisible characters (ZWNJ, ZWJ,
U+2060–2064, soft hyphen, U+1D173–1D17A) appended to the label, and reads any run of them at the
end of a message as such a mark. A Persian keyboard types ZWNJ, so "سلام" followed by two ZWNJ
was decoded as a button press (then failed on answering it), and some runs are not even UTF-8
(the decoder raised). A run that decodes to the shape the library itself writes
("<intent id>\\x1d<data>") is kept; any other trailing run is noise and is dropped, so the text
reaches the forms and the fallback as the person meant it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from aiogram_dialog.utils import CB_SEP, REPLY_CALLBACK_SYMBOLS, decode_reply_callback


def is_dialog_button_mark(mark: str) -> bool:
    """True when `mark` (a run of invisible characters) is what aiogram-dialog writes for a
    reply-keyboard button: pairs of symbols, valid UTF-8, a non-empty intent id before CB_SEP."""
    if not mark or len(mark) % 2:
        return False
    try:
        decoded = decode_reply_callback(mark)
    except UnicodeDecodeError:
        return False
    intent_id, separator, _ = decoded.partition(CB_SEP)
    return bool(separator) and bool(intent_id) and intent_id.isprintable()


# A label may itself end in a few invisible characters (a ZWNJ ending a Persian word) before
# the library's mark; the mark is looked for after at most this many of them.
_MAX_LABEL_TAIL = 4


def without_stray_marks(text: str) -> str:
    """`text` without a trailing invisible run, unless the run ends in a dialog button's mark;
    then only what stands between the visible text and the mark is dropped."""
    visible = text.rstrip(REPLY_CALLBACK_SYMBOLS)
    run = text[len(visible):]
    if not run:
        return text
    for start in range(min(len(run), _MAX_LABEL_TAIL + 1)):
        if is_dialog_button_mark(run[start:]):
            return visible + run[start:]
    return visible


class TypedTextMiddleware(BaseMiddleware):
    """Outer update middleware: runs before aiogram-dialog's message middleware reads the text."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(event, Update) and event.message is not None and event.message.text:
            cleaned = without_stray_marks(event.message.text)
            if cleaned != event.message.text:
                # Telegram objects are frozen: the update is rebuilt around the cleaned text.
                message = event.message.model_copy(update={"text": cleaned})
                event = event.model_copy(update={"message": message})
        return await handler(event, data)
