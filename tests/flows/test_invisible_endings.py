"""Text ending in invisible characters is answered like any other text (aiogram-dialog reads a
trailing run of them as a reply-keyboard button's hidden data), while a real reply-keyboard
dialog button, whose label carries exactly such a run, still works."""

from __future__ import annotations

import pytest
from aiogram import Dispatcher, F
from aiogram.filters import Command
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, StartMode, Window, setup_dialogs
from aiogram_dialog.utils import encode_reply_callback
from aiogram_dialog.widgets.kbd import Button
from aiogram_dialog.widgets.markup.reply_keyboard import ReplyKeyboardFactory
from aiogram_dialog.widgets.text import Const

from bot.middlewares.typed_text import TypedTextMiddleware
from bot.platforms.message_manager import PlatformMessageManager
from tests.flows.harness import Sandbox
from tests.flows.steps import draft_of, english, register

ZWNJ = "\u200c"
# Each ends in a run aiogram-dialog would try to decode as a button's data.
NOISY_ENDINGS = [
    "سلام" + ZWNJ * 2,
    "x\U0001d17a\U0001d17a",
    "hello\u200d\u200d",
    "hello\u2060\u2064",
    "hello\u00ad\u00ad",
    "hello\U0001d173\U0001d174\U0001d175",
    "hello" + ZWNJ * 3,
    ZWNJ * 2,
]


@pytest.mark.parametrize("text", NOISY_ENDINGS)
async def test_noisy_ending_outside_forms_is_answered(
    sandbox: Sandbox, platform: str, text: str
) -> None:
    person = english(sandbox, platform)
    await person.send("/help")
    replies = await person.send(text)
    assert any("did not understand" in (m.text or "") for m in replies), person.screen()


async def test_name_with_noisy_ending_is_kept_with_its_own_zwnj(
    sandbox: Sandbox, platform: str
) -> None:
    person = english(sandbox, platform)
    await register(person, until="full_name")
    await person.send("علی" + ZWNJ + "رضا احمدی" + ZWNJ * 2)
    draft = await draft_of(person)
    assert (draft.full_name, draft.step) == ("علی" + ZWNJ + "رضا احمدی", "national_code")

    # A question answered by buttons, then a free-text one: each noisy text gets an answer.
    for step, text in [("national_code", "0012345679\u2060\u2060"),
                       ("birth_date", "1370/5/6\U0001d17a\U0001d17a")]:
        assert (await draft_of(person)).step == step
        replies = await person.send(text)
        assert replies, person.screen()
    assert (await draft_of(person)).national_code == "0012345679"
    assert (await draft_of(person)).step == "gender"
    replies = await person.send("female" + ZWNJ * 2)
    assert replies, person.screen()
    assert (await draft_of(person)).step == "gender"


class ReplyButtonSG(StatesGroup):
    asking = State()
    done = State()


async def _on_yes(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    await manager.switch_to(ReplyButtonSG.done)


def _reply_button_dispatcher() -> Dispatcher:
    """The smallest bot with an aiogram-dialog reply-keyboard button (the product's screens
    use plain reply labels today; the marks must keep working for the day one does not)."""
    dispatcher = Dispatcher()
    dispatcher.update.outer_middleware(TypedTextMiddleware())
    dialog = Dialog(
        Window(
            Const("Pick one"),
            Button(Const("Yes" + ZWNJ), id="yes", on_click=_on_yes),
            markup_factory=ReplyKeyboardFactory(resize_keyboard=True),
            state=ReplyButtonSG.asking,
        ),
        Window(Const("You said yes"), state=ReplyButtonSG.done),
    )

    async def start(message: Message, dialog_manager: DialogManager) -> None:
        await dialog_manager.start(ReplyButtonSG.asking, mode=StartMode.RESET_STACK)

    async def other(message: Message) -> None:
        await message.answer("typed: " + repr(message.text))

    dispatcher.message.register(start, Command("go"))
    dispatcher.include_router(dialog)
    dispatcher.message.register(other, F.text)
    setup_dialogs(dispatcher, message_manager=PlatformMessageManager())
    return dispatcher


async def test_reply_keyboard_dialog_button_still_works(sandbox: Sandbox, platform: str) -> None:
    product = sandbox.app.dispatcher
    sandbox.app.dispatcher = _reply_button_dispatcher()
    try:
        person = english(sandbox, platform)
        await person.send("/go")
        labels = person.reply_keyboard()
        assert len(labels) == 1 and labels[0].startswith("Yes" + ZWNJ) and len(labels[0]) > 4
        await person.send(labels[0])  # what the messenger sends when the button is pressed
        assert person.last().text == "You said yes", person.screen()

        # The label typed by hand, with a stray ending, is text, not a press.
        await person.send("/go")
        await person.send("Yes" + ZWNJ * 2)
        assert person.last().text == "typed: 'Yes'", person.screen()
    finally:
        await sandbox.app.dispatcher.storage.close()
        sandbox.app.dispatcher = product


async def test_forged_button_mark_gets_the_menu(sandbox: Sandbox, platform: str) -> None:
    # Well-formed, but naming a screen that never existed: the stale-screen answer, no crash.
    person = english(sandbox, platform)
    await person.send("/help")
    replies = await person.send("hi" + encode_reply_callback("nosuchintent\x1dbutton"))
    assert any("Main menu" in (m.text or "") for m in replies), person.screen()
