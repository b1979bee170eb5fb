"""Old buttons, forged callbacks and a Persian reader's review screen."""

from __future__ import annotations

from tests.flows.harness import Person, Sandbox
from tests.flows.steps import button_data, current_widgets, draft_of, english, register


def _last_callback_answer(person: Person) -> dict[str, object] | None:
    callbacks = person.api.bot(person.token).callbacks
    return list(callbacks.values())[-1].answer


async def test_old_consent_and_gender_buttons_change_nothing(
    sandbox: Sandbox, platform: str
) -> None:
    person = english(sandbox, platform)
    await register(person, until="province")
    # Telegram edits screens in place, so rebuild the old buttons with the live intent id.
    message_id, data = button_data(person, "back")
    intent = data.split("\x1d")[0]
    consent = (message_id, f"{intent}\x1dconsent_yes")
    gender = (message_id, f"{intent}\x1dgender:male")
    before = await draft_of(person)
    assert before.gender == "female"

    for message_id, data in (consent, gender):
        await person.press_data(message_id, data, forge=True)
        after = await draft_of(person)
        assert after == before, "an old button changed the answers"
        assert after.step == "province"
    # The person is still (or again) shown the province question.
    assert any(w.startswith("province:") for w in current_widgets(person)), person.screen()


async def test_forged_callbacks_get_a_polite_answer(sandbox: Sandbox, platform: str) -> None:
    person = english(sandbox, platform)
    await register(person, until="city")
    before = await draft_of(person)
    message_id = person.last().message_id

    await person.press_data(message_id, "garbage:\x00:data", forge=True)
    answer = _last_callback_answer(person)
    assert answer is not None and "no longer works" in str(answer.get("text")), answer
    assert await draft_of(person) == before

    # Looks like a dialog button, but of an intent this person never had.
    await person.press_data(message_id, "ZZZZZZ\x1dgender:male", forge=True)
    answer = _last_callback_answer(person)
    assert answer is not None and "old screen" in str(answer.get("text")), answer
    assert await draft_of(person) == before
    assert "Which city" in (person.last().text or ""), person.screen()


async def test_persian_review_has_persian_digits_and_jalali_date(
    sandbox: Sandbox, platform: str
) -> None:
    person = sandbox.person(platform, language_code="fa")  # type: ignore[arg-type]
    await register(person, save=False)
    review = person.last().text or ""
    assert "confirm" in current_widgets(person)
    assert "۰۰۱۲۳۴۵۶۷۹" in review and "۰۹۱۲۱۲۳۴۵۶۷" in review, review
    assert "۱۳۷۰" in review and "مرداد" in review, review
    assert "0012345679" not in review
