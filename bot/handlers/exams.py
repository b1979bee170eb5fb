"""The beneficiary's answer to an exam notice: «I will attend» / «I can't attend».

The button names a session only; the service checks the presser is enrolled in its course, so
a forged or stale press is answered politely and changes nothing. A second press of the other
button changes the answer and says so; the same button again says it was already recorded."""

from __future__ import annotations

from aiogram import Router
from aiogram.exceptions import TelegramAPIError
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext

from bot.filters import OwnCallbackPrefix
from bot.keyboards.exams import ExamAnswerCb
from bot.texts.exams import error_text
from services.accounts import AccountContext
from services.exams import ExamError, ExamService


def build_exam_answers_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(on_answer, ExamAnswerCb.filter())
    # Its prefix with data that does not unpack (forged): answered, not swallowed by a form.
    router.callback_query.register(on_unreadable, OwnCallbackPrefix(ExamAnswerCb))
    return router


async def on_unreadable(callback: CallbackQuery) -> None:
    await callback.answer(gettext("This button no longer works."))


async def on_answer(
    callback: CallbackQuery, callback_data: ExamAnswerCb, exam_service: ExamService,
    account: AccountContext | None = None,
) -> None:
    if account is None:
        await callback.answer(gettext("This button no longer works."))
        return
    try:
        outcome = await exam_service.answer(
            callback_data.session, account.person_id, callback_data.attend
        )
    except ExamError as error:
        if error.code == "no_session":
            await callback.answer(gettext("This button is not for you, or no longer works."),
                                  show_alert=True)
        else:
            await callback.answer(error_text(error), show_alert=True)
        return
    if outcome.same:
        toast = gettext("Your answer was already recorded.")
    elif outcome.changed:
        toast = (gettext("Your answer has changed: you will attend.") if callback_data.attend
                 else gettext("Your answer has changed: you cannot attend."))
    else:
        toast = gettext("Thank you, your answer is recorded.")
    await callback.answer(toast)
    if outcome.same or not isinstance(callback.message, Message):
        return
    if callback_data.attend:
        words = gettext("✅ You said you will attend. You will be reminded before the exam.")
    else:
        words = gettext("You said you cannot attend. If that changes, press «✅ I will attend» "
                        "above. To ask about another session, talk to a caseworker.")
    if outcome.changed:
        words = gettext("Your answer has changed.") + "\n" + words
    try:
        await callback.message.answer(words)
    except TelegramAPIError:
        pass  # the answer is recorded; the toast said so
