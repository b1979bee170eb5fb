"""The phone question shows a reply keyboard, so its way back is a reply button too."""

from __future__ import annotations

from tests.flows.harness import Sandbox
from tests.flows.steps import draft_of, english, register


async def test_main_menu_button_on_the_phone_question_keeps_the_answers(
    sandbox: Sandbox, platform: str
) -> None:
    person = english(sandbox, platform)
    await register(person, until="phone")
    assert person.reply_keyboard() == ["📱 Share my number", "🏠 Main menu"]

    await person.send("🏠 Main menu")
    assert "Anything you already answered is kept" in (person.last().text or ""), person.screen()
    assert "📝 Register" in person.reply_keyboard()
    draft = await draft_of(person)
    assert draft.consent is True and draft.phone is None

    # Coming back resumes at the phone question, consent not asked again.
    await person.send("📝 Register")
    assert "Share my number" in (person.last().text or ""), person.screen()
    assert "📱 Share my number" in person.reply_keyboard()
