"""In a real browser, both sides of a hand-off on the sandbox page: the beneficiary asks on the
chat pane, the caseworker answers from the staff pane (by replying in a plain group, by writing
in the conversation's topic in a forum), and the answer shows in the chat."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect

from bot.keyboards.tickets import TicketTopicCb
from tests.browser.chat_page import STEP_TIMEOUT_MS, ChatPage

pytestmark = pytest.mark.browser

QUESTION = "مدارکم را کجا بفرستم؟"
ANSWER = "از بخش پرونده من بفرستید"


@pytest.mark.parametrize(
    ("flavour", "staff_forum"), [("telegram", False), ("bale", False), ("telegram", True)]
)
async def test_a_question_is_answered_from_the_staff_pane(
    sandbox_url: str, browser: Browser, flavour: str, staff_forum: bool
) -> None:
    page = await browser.new_page(viewport={"width": 1200, "height": 800}, locale="fa-IR")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    chat = ChatPage(page)
    await chat.open(sandbox_url, flavour)

    await chat.send("/caseworker")
    topic = page.locator(
        "[data-testid=bubble][data-chat=private] [data-testid=inline-button]"
        f'[data-callback-data="{TicketTopicCb(topic="documents").pack()}"]'
    ).last
    await expect(topic).to_be_visible(timeout=STEP_TIMEOUT_MS)
    await topic.click()
    await chat._until_answered("")  # the "write your message" prompt
    await chat.send(QUESTION)

    staff = page.get_by_test_id("staff-messages")
    relayed = staff.locator("[data-testid=bubble][data-outgoing=true]", has_text=QUESTION).last
    await expect(relayed).to_be_visible(timeout=STEP_TIMEOUT_MS)
    if staff_forum:
        # Its own topic, opened with the person's card; the message carries no 🎫 header.
        assert await relayed.get_attribute("data-thread"), await relayed.inner_html()
        await expect(relayed.get_by_test_id("bubble-text")).to_have_text(QUESTION)
        await page.get_by_test_id("staff-topic").select_option(
            await relayed.get_attribute("data-thread") or ""
        )
    else:
        await expect(relayed.get_by_test_id("bubble-text")).to_contain_text("🎫")
        await relayed.get_by_test_id("reply-to").click()
        await expect(page.get_by_test_id("staff-replying")).to_contain_text(QUESTION[:10])

    await page.get_by_test_id("staff-input").fill(ANSWER)
    await page.get_by_test_id("staff-send-button").click()
    answered = page.locator(
        "[data-testid=bubble][data-chat=private][data-outgoing=true]", has_text=ANSWER
    )
    await expect(answered).to_have_count(1, timeout=STEP_TIMEOUT_MS)
    await expect(page.get_by_test_id("staff-replying")).to_be_hidden()
    assert errors == [], errors
    await page.close()
