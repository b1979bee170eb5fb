"""Registration dead ends: a client who does not know their number, a typed province, a birth
date in the future."""

from __future__ import annotations

import pytest

from storage.models import Person as PersonRow
from tests.flows.bidi import rtl_problems
from tests.flows.harness import Sandbox
from tests.flows.staff_steps import (
    add_caseworker,
    admin,
    staff_sandbox,
    staff_user,
    submitted_application,
)
from tests.flows.steps import current_widgets, draft_of, english, person_row, press_widget, register

__all__ = ["staff_sandbox"]


async def test_client_number_unknown_is_stored_and_shown(sandbox: Sandbox, platform: str) -> None:
    person = english(sandbox, platform)
    await register(person, until="relief_client_number")
    assert "client_number_unknown" in current_widgets(person), person.screen()
    await press_widget(person, "client_number_unknown")
    assert "decile" in " ".join(current_widgets(person)), person.screen()
    await press_widget(person, "decile:3")
    review = person.last().text or ""
    assert "Client number: I don't know" in review, review
    await press_widget(person, "confirm")

    row = await person_row(person)
    assert (row.relief_client, row.relief_client_number) == (True, None)
    assert row.registered_at is not None

    # Editing the profile later does not ask for the number again.
    await person.send("/profile")
    await person.press("Change my details")
    assert "confirm" in current_widgets(person), person.screen()
    draft = await draft_of(person)
    assert draft.relief_client_number_unknown and draft.complete


async def test_typed_dont_know_counts_as_the_button(sandbox: Sandbox, platform: str) -> None:
    person = english(sandbox, platform)
    await register(person, until="relief_client_number")
    await person.send("نمي دونم")
    draft = await draft_of(person)
    assert draft.relief_client_number_unknown and draft.step == "decile", draft


async def test_staff_card_says_client_number_unknown(
    staff_sandbox: Sandbox, platform: str
) -> None:
    worker = staff_user(staff_sandbox, platform)
    await add_caseworker(admin(staff_sandbox, platform), worker, "تهران")
    mine = await submitted_application(staff_sandbox, platform)
    # Made a client afterwards, so the application needs no Relief letter to be submitted.
    async with staff_sandbox.app.session_factory() as session:
        row = await session.get(PersonRow, mine.person_id)
        assert row is not None
        row.relief_client, row.relief_client_number = True, None
        await session.commit()
    await worker.send("/queue")
    await worker.press(mine.tracking_code)
    card = worker.last_text()
    assert "client number unknown" in card, card


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("آذربايجان‌شرقي", "آذربایجان شرقی"),  # Arabic ي and a ZWNJ
        ("آذربایجانشرقی", "آذربایجان شرقی"),  # no space at all
        ("  استان تهران ", "تهران"),
        ("كرمانشاه", "کرمانشاه"),  # Arabic ك
    ],
)
async def test_province_can_be_typed(
    sandbox: Sandbox, platform: str, typed: str, expected: str
) -> None:
    person = english(sandbox, platform)
    await register(person, until="province")
    await person.send(typed)
    draft = await draft_of(person)
    assert (draft.province, draft.step) == (expected, "city"), person.screen()


async def test_unknown_province_is_answered_politely_in_persian(
    sandbox: Sandbox, platform: str
) -> None:
    person = sandbox.person(platform)  # type: ignore[arg-type]  # Persian, the default
    await register(person, until="province")
    assert "province:0" in current_widgets(person), person.screen()
    await person.send("تهرون‌آباد")
    screen = person.last().text or ""
    assert "استانی با این نام" in screen, screen
    assert not rtl_problems([screen]), rtl_problems([screen])
    assert "province:0" in current_widgets(person), "the picker is shown again"
    assert (await draft_of(person)).province is None


async def test_future_birth_date_says_future(sandbox: Sandbox, platform: str) -> None:
    person = english(sandbox, platform)
    await register(person, until="birth_date")
    await person.send("1420/1/1")
    screen = person.last().text or ""
    assert "in the future" in screen and "age range" not in screen, screen
    assert (await draft_of(person)).birth_date is None
