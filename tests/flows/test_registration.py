"""The whole registration, the profile afterwards, editing one field, declining consent."""

from __future__ import annotations

import datetime as dt

from tests.flows.harness import Sandbox
from tests.flows.steps import (
    NATIONAL_CODE,
    PHONE,
    current_widgets,
    draft_of,
    english,
    fsm_data,
    person_row,
    press_widget,
    register,
)


async def test_full_registration_is_saved_and_menu_changes(sandbox: Sandbox, platform: str) -> None:
    person = english(sandbox, platform)
    await register(person)

    row = await person_row(person)
    assert row.national_code == NATIONAL_CODE
    assert (row.phone, row.phone_verified) == (PHONE, True)
    assert row.full_name == "Maryam Ahmadi"
    assert row.birth_date == dt.date(1991, 7, 28)  # 1370/5/6
    assert (row.gender, row.province, row.city) == ("female", "تهران", "Karaj")
    assert (row.education, row.relief_client, row.relief_client_number) == (
        "diploma", True, "123456"
    )
    assert row.decile == 3
    assert row.consent_at is not None and row.registered_at is not None
    assert "registration is saved" in (person.last().text or "")

    menu = person.reply_keyboard()
    assert any("Profile" in b or "profile" in b for b in menu), menu
    assert any("Help" in b for b in menu) and any("Language" in b for b in menu), menu
    assert not any("Register" in b for b in menu), menu
    # The draft is gone once saved: the form does not reopen by itself.
    assert "registration_draft" not in await fsm_data(person)


async def test_profile_shows_saved_values_and_edits_one_field(
    sandbox: Sandbox, platform: str
) -> None:
    person = english(sandbox, platform)
    await register(person)
    before = await person_row(person)

    await person.send("/profile")
    profile = person.last().text or ""
    for value in ("Maryam Ahmadi", NATIONAL_CODE, PHONE, "Karaj", "6 Mordad 1370", "تهران"):
        assert value in profile, profile

    await person.press("Change my details")
    assert "confirm" in current_widgets(person), person.screen()
    await press_widget(person, "edit:city")
    assert "Which city" in (person.last().text or ""), person.screen()
    await person.send("Shahriar")
    assert "confirm" in current_widgets(person), "an edit goes back to the review"
    assert "Shahriar" in (person.last().text or "")
    await press_widget(person, "confirm")
    said = person.last().text or ""
    assert "profile is updated" in said and "Changed: City" in said, said
    assert "registration is saved" not in said, said

    after = await person_row(person)
    assert after.id == before.id
    assert after.city == "Shahriar"
    unchanged = ("national_code", "phone", "phone_verified", "full_name", "birth_date", "gender",
                 "province", "education", "relief_client", "relief_client_number", "decile",
                 "registered_at")
    assert {f: getattr(after, f) for f in unchanged} == {f: getattr(before, f) for f in unchanged}


async def test_declined_consent_stores_nothing_and_start_asks_again(
    sandbox: Sandbox, platform: str
) -> None:
    person = english(sandbox, platform)
    await person.send("/start")
    await press_widget(person, "consent_no")
    answer = person.last().text or ""
    assert "nothing about you has been stored" in answer
    # The command is isolated, so a Persian line around it cannot turn it into «start/».
    assert "\u2066/start\u2069" in answer

    row = await person_row(person)
    stored = (row.national_code, row.phone, row.full_name, row.birth_date, row.consent_at,
              row.registered_at)
    assert stored == (None,) * 6
    assert not (await draft_of(person)).consent

    await person.send("/start")
    assert "consent_yes" in current_widgets(person), person.screen()
