"""Shared moves for flow tests: walk the registration form, read the draft and the saved rows.

Test users speak English (language_code="en") so labels are stable while the Persian catalog is
being translated; button presses go by widget id (callback data), never by position."""

from __future__ import annotations

from typing import Any

from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.sandbox.user_side import inline_buttons
from services.registration import ProfileDraft
from storage.models import MessengerAccount
from storage.models import Person as PersonRow
from tests.flows.harness import Person, Sandbox

NATIONAL_CODE = "0012345679"
PHONE = "09121234567"

# The answers of `register`, in the order of the questions.
ANSWERS: dict[str, Any] = {
    "phone": "+989121234567",
    "full_name": "Maryam Ahmadi",
    "national_code": NATIONAL_CODE,
    "birth_date": "1370/5/6",
    "gender": "female",
    "province": "7",  # تهران
    "city": "Karaj",
    "education": "diploma",
    "relief_client": "yes",
    "relief_client_number": "123456",
    "decile": "3",
}


def button_data(person: Person, widget: str) -> tuple[int, str]:
    """(message id, callback data) of the newest button whose dialog widget id is `widget`."""
    for message in reversed(person.messages()):
        for _, data in inline_buttons(message):
            if data.split("\x1d")[-1] == widget:
                return message.message_id, data
    raise AssertionError(f"no button {widget!r}; last screen: {person.screen()}")


async def press_widget(person: Person, widget: str) -> None:
    await person.press_data(*button_data(person, widget))


def current_widgets(person: Person) -> list[str]:
    return [data.split("\x1d")[-1] for _, data in inline_buttons(person.last())]


async def answer(person: Person, step: str, value: Any, *, verified_phone: bool = True) -> None:
    """Answer the question `step` the way a person would (typing, a contact, or a button)."""
    if step == "phone":
        if verified_phone:
            await person.share_contact(value)
        else:
            await person.send(value)
    elif step in ("full_name", "national_code", "birth_date", "city", "relief_client_number"):
        await person.send(value)
    elif step == "relief_client":
        await press_widget(person, f"relief_{value}")
    elif step == "decile" and value == "unknown":
        await press_widget(person, "decile_unknown")
    else:
        await press_widget(person, f"{step}:{value}")


async def register(
    person: Person,
    *,
    until: str | None = None,
    verified_phone: bool = True,
    save: bool = True,
    **overrides: Any,
) -> None:
    """/start, consent, then every answer (ANSWERS with `overrides`); stops before `until`."""
    await person.send("/start")
    await press_widget(person, "consent_yes")
    answers = {**ANSWERS, **overrides}
    for step, value in answers.items():
        if step == until:
            return
        if step == "relief_client_number" and answers["relief_client"] == "no":
            continue
        await answer(person, step, value, verified_phone=verified_phone)
    if save and until is None:
        await press_widget(person, "confirm")


def english(sandbox: Sandbox, platform: str, **user: Any) -> Person:
    return sandbox.person(platform, language_code="en", **user)  # type: ignore[arg-type]


async def fsm_data(person: Person) -> dict[str, Any]:
    app = person.sandbox.app
    bot = app.bots[person.platform]
    key = StorageKey(bot_id=bot.id, chat_id=person.user.id, user_id=person.user.id)
    return await app.storage.get_data(key)


async def draft_of(person: Person) -> ProfileDraft:
    return ProfileDraft.from_json((await fsm_data(person)).get("registration_draft"))


async def account_row(person: Person) -> MessengerAccount:
    async with person.sandbox.app.session_factory() as session:
        account = await session.scalar(
            select(MessengerAccount)
            .where(
                MessengerAccount.platform == person.platform,
                MessengerAccount.user_id == person.user.id,
            )
            .options(selectinload(MessengerAccount.person).selectinload(PersonRow.accounts))
        )
    assert account is not None, "no account row for this person"
    return account


async def person_row(person: Person) -> PersonRow:
    return (await account_row(person)).person


def texts(person: Person) -> list[str]:
    return [m.text or "" for m in person.messages() if m.outgoing]
