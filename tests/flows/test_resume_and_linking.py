"""Leaving and coming back, a restart mid-form, and one person on both messengers."""

from __future__ import annotations

from sqlalchemy import func, select

from services.text import to_persian_digits
from storage.models import IdentityConflict
from storage.models import Person as PersonRow
from tests.flows.harness import STAFF_GROUPS, TOKENS, Person, Sandbox
from tests.flows.steps import (
    NATIONAL_CODE,
    PHONE,
    answer,
    current_widgets,
    draft_of,
    english,
    person_row,
    press_widget,
    register,
)


async def test_cancel_and_main_menu_keep_answers(sandbox: Sandbox, platform: str) -> None:
    person = english(sandbox, platform)
    await register(person, until="national_code")
    await person.send("/cancel")
    assert "kept" in (person.last().text or "")
    await person.send("/start")
    assert "national code" in (person.last().text or ""), person.screen()
    assert (await draft_of(person)).full_name == "Maryam Ahmadi"

    await press_widget(person, "menu")
    register_button = next(b for b in person.reply_keyboard() if "Register" in b)
    await person.send(register_button)
    assert "national code" in (person.last().text or ""), person.screen()
    draft = await draft_of(person)
    assert (draft.full_name, draft.phone, draft.step) == ("Maryam Ahmadi", PHONE, "national_code")


async def test_restart_mid_form_continues(sandbox: Sandbox, platform: str) -> None:
    person = english(sandbox, platform)
    await register(person, until="gender")  # phone, name, code, birth date answered
    await sandbox.restart()
    await press_widget(person, "gender:female")
    await register_rest(person)
    row = await person_row(person)
    assert (row.national_code, row.phone, row.full_name, row.gender, row.decile) == (
        NATIONAL_CODE, PHONE, "Maryam Ahmadi", "female", 3
    )
    assert row.birth_date is not None and row.registered_at is not None


async def register_rest(person: Person) -> None:
    for step, value in [("province", "7"), ("city", "Karaj"), ("education", "diploma"),
                        ("relief_client", "no"), ("decile", "3")]:
        await answer(person, step, value)
    await press_widget(person, "confirm")


async def test_same_code_and_verified_phone_links_accounts(sandbox: Sandbox) -> None:
    on_telegram = english(sandbox, "telegram")
    await register(on_telegram)
    before = await person_row(on_telegram)
    on_bale = english(sandbox, "bale")
    # A different name typed on the second messenger is not taken silently.
    await register(on_bale, until="birth_date", full_name="Someone Else")

    # Recognised as soon as code and verified phone match: linked, the stored profile shown.
    shown = on_bale.last().text or ""
    assert "recognised you" in shown and "Maryam Ahmadi" in shown, on_bale.screen()
    assert "Someone Else" not in shown and "confirm" in current_widgets(on_bale), shown
    assert (await person_row(on_bale)).id == before.id

    # Change one field; saving says which one changed, and nothing else moved.
    await press_widget(on_bale, "edit:city")
    await on_bale.send("Shahriar")
    await press_widget(on_bale, "confirm")
    said = on_bale.last().text or ""
    assert "linked" in said and "Changed: City" in said, said
    after = await person_row(on_telegram)
    assert (after.city, after.full_name, after.birth_date) == (
        "Shahriar", before.full_name, before.birth_date
    )

    telegram_person = await person_row(on_telegram)
    bale_person = await person_row(on_bale)
    assert telegram_person.id == bale_person.id
    assert {a.platform for a in bale_person.accounts} == {"telegram", "bale"}
    async with sandbox.app.session_factory() as session:
        assert await session.scalar(
            select(func.count()).select_from(PersonRow).where(
                PersonRow.national_code == NATIONAL_CODE)
        ) == 1


async def test_same_code_unverified_phone_is_a_conflict(sandbox: Sandbox) -> None:
    on_telegram = english(sandbox, "telegram")
    await register(on_telegram)
    on_bale = english(sandbox, "bale")
    await register(on_bale, verified_phone=False, phone="09351234567")
    assert "caseworker" in (on_bale.last().text or ""), on_bale.screen()

    assert (await person_row(on_bale)).id != (await person_row(on_telegram)).id
    assert (await person_row(on_bale)).national_code is None
    async with sandbox.app.session_factory() as session:
        conflicts = (await session.scalars(select(IdentityConflict))).all()
    assert len(conflicts) == 1 and conflicts[0].national_code == NATIONAL_CODE

    # The staff chat serving the person hears of it once, as the first line of the identity
    # ticket it opened (through the outbox), in Persian, by case number only.
    await sandbox.outbox_settled()
    group = sandbox.api.messages(TOKENS["bale"], STAFF_GROUPS["bale"])
    notices = [m.text or "" for m in group if "/keepapart" in (m.text or "")]
    assert len(notices) == 1, [m.text for m in group]
    assert to_persian_digits(str(conflicts[0].id)) in notices[0], notices
    for secret in (NATIONAL_CODE, "09351234567", "9351234567", PHONE, "Maryam"):
        assert secret not in notices[0]
    other = sandbox.api.messages(TOKENS["telegram"], STAFF_GROUPS["telegram"])
    assert not [m for m in other if "/keepapart" in (m.text or "") or "تعارض" in (m.text or "")]
