"""The last step: hand the draft to the registration service and tell the person what happened."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager

from bot.dialogs.common import callback_message
from bot.dialogs.registration.dialog_data import clear_draft, save_draft
from bot.dialogs.registration.states import state_of
from bot.i18n import current_locale
from bot.keyboards.main_menu import main_menu_keyboard
from bot.notifications.notifier import Notifier
from bot.texts.profile import field_labels
from services.accounts import AccountContext, AccountService
from services.registration import (
    IncompleteProfileError,
    Outcome,
    ProfileDraft,
    RegistrationResult,
    RegistrationService,
)
from services.text import join_words


async def finish_registration(
    callback: CallbackQuery, manager: DialogManager, draft: ProfileDraft
) -> None:
    data = manager.middleware_data
    service: RegistrationService = data["registration_service"]
    accounts: AccountService = data["account_service"]
    account: AccountContext = data["account"]
    state: FSMContext = data["state"]
    try:
        result = await service.complete(
            account_id=account.account_id, person_id=account.person_id, draft=draft
        )
    except IncompleteProfileError:
        # An old "confirm" button, or a question skipped: go to the first open question.
        draft.editing = False
        draft.step = draft.next_step()
        await save_draft(state, draft)
        await manager.switch_to(state_of(draft.step))
        return

    message = callback_message(callback)
    if result.outcome is Outcome.CONFLICT:
        # Keep the answers: the person may have mistyped the code, and can fix it from the review.
        draft.editing = False
        draft.step = "review"
        await save_draft(state, draft)
        await manager.done()
        if message is not None:
            await message.answer(
                gettext(
                    "This national code is already registered with another phone number, "
                    "so we could not complete your registration. Nothing has been lost: "
                    "a caseworker has been told and will contact you. If you mistyped the "
                    "code, press «📝 Register» to correct it."
                ) + "\n" + gettext("You can write to the caseworker now: send your message here."),
                reply_markup=main_menu_keyboard(registered=False),
            )
        notifier = data.get("notifier")
        if isinstance(notifier, Notifier):
            notifier.queued()  # the service queued the staff groups' alert with the conflict
        return

    await clear_draft(state)
    await manager.done()
    refreshed = await accounts.refresh(account.platform, account.user_id) or account
    if message is not None:
        text = _saved_text(result, draft)
        await message.answer(
            text + "\n" + gettext("Main menu. Choose one of the buttons below."),
            reply_markup=main_menu_keyboard(registered=refreshed.registered),
        )


def _saved_text(result: RegistrationResult, draft: ProfileDraft) -> str:
    """Never a silent overwrite: a stored profile that changed says which fields did."""
    if result.outcome is Outcome.LINKED or draft.recognised:
        text = gettext("Welcome back! We recognised you from your other messenger and linked it.")
    elif result.was_registered:
        text = gettext("✅ Your profile is updated.")
    else:
        return gettext("Your registration is saved. Thank you!")
    if result.changed:
        labels = field_labels()
        text += "\n" + gettext("Changed: {fields}").format(
            fields=join_words((labels[name] for name in result.changed), current_locale())
        )
    else:
        text += "\n" + gettext("Your stored details were kept as they were.")
    return text

