"""What a newcomer sees on the sandbox page, on a phone (390 px) and on a desktop, on both bots.

The bot's side of a scene (a staff alert, a button with a long label, a button no screen owns) is
posted through the Bot API over HTTP, exactly as the running bot posts its own messages."""

from __future__ import annotations

from typing import Any, cast

import pytest
from aiohttp import ClientSession
from playwright.async_api import Browser, Page, ViewportSize, expect

from bot.config import Platform
from bot.i18n import build_i18n
from bot.sandbox.models import DEMO_USER
from bot.serving.sandbox import SANDBOX_BOTS
from tests.browser.chat_page import STEP_TIMEOUT_MS, ChatPage

pytestmark = pytest.mark.browser

FA = build_i18n("fa")
PHONE = ViewportSize(width=390, height=844)
DESKTOP = ViewportSize(width=1280, height=800)
LONG_LABEL = (
    "خیاط لباس زنانه — آموزشگاه آزاد فنی و حرفه‌ای نمونهٔ شهرستان اسلامشهر، دورهٔ عصر، "
    "۲۴۰ ساعت، شهریه با حمایت بنیاد"
)

# Every box the page draws must lie inside the window's width: a pane wider than the screen
# cuts the start of right-to-left lines off.
_OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const outside = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.left < -1 || box.right > width + 1) {
      const span = `[${Math.round(box.left)}, ${Math.round(box.right)}]`;
      const text = (el.textContent || '').trim().slice(0, 30);
      outside.push(`${el.tagName}.${el.className} ${span} ${text}`);
    }
  }
  return {width, scrollWidth: document.documentElement.scrollWidth, outside};
}"""


def fa(msgid: str) -> str:
    return FA.gettext(msgid, locale="fa")


async def assert_nothing_cut_off(page: Page, where: str) -> None:
    layout: dict[str, Any] = await page.evaluate(_OVERFLOW_JS)
    assert layout["scrollWidth"] <= layout["width"], (where, layout)
    assert layout["outside"] == [], (where, layout["outside"][:10])


async def post_as_bot(base_url: str, flavour: str, chat_id: int, text: str, data: str) -> None:
    token = SANDBOX_BOTS[cast(Platform, flavour)][0]
    markup = {"inline_keyboard": [[{"text": text, "callback_data": data}]]}
    async with ClientSession() as http:
        body = {"chat_id": chat_id, "text": text, "reply_markup": markup}
        async with http.post(f"{base_url}/bot{token}/sendMessage", json=body) as response:
            assert response.status == 200, await response.text()


async def show_pane(page: Page, pane: str, phone: bool) -> None:
    """On a phone one pane shows at a time, switched by the tabs; a desktop shows both."""
    if phone:
        await page.get_by_test_id(f"pane-tab-{pane}").click()
    chat = "private-chat" if pane == "private" else "staff-chat"
    await expect(page.get_by_test_id(chat)).to_be_visible()


@pytest.mark.parametrize("flavour", ["telegram", "bale"])
@pytest.mark.parametrize("screen", ["phone", "desktop"])
async def test_a_newcomer_finds_the_way_on_the_page(
    sandbox_url: str, browser: Browser, flavour: str, screen: str
) -> None:
    phone = screen == "phone"
    page = await browser.new_page(viewport=PHONE if phone else DESKTOP, locale="fa-IR")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    chat = ChatPage(page)
    await chat.open(sandbox_url, flavour)
    staff_group = SANDBOX_BOTS[cast(Platform, flavour)][1]

    # An empty chat says how to begin; the staff pane says what it is.
    await expect(page.get_by_test_id("empty-hint")).to_be_visible()
    await expect(page.get_by_test_id("pane-tabs")).to_be_visible(visible=phone)
    await expect(page.get_by_test_id("staff-chat")).to_be_visible(visible=not phone)
    await expect(page.get_by_test_id("composer-input")).to_be_in_viewport()
    await assert_nothing_cut_off(page, "empty chat")
    await show_pane(page, "staff", phone)
    intro = page.get_by_test_id("staff-intro")
    await expect(intro).to_contain_text("/queue")
    await expect(intro).to_contain_text("مدیر")
    await show_pane(page, "private", phone)

    before = await chat.screen()
    await page.get_by_test_id("start-button").click()
    await chat._until_answered(before)
    await expect(page.get_by_test_id("empty-hint")).to_be_hidden()

    # A one-time keyboard (the phone number question) goes away once it is used.
    await chat.press("consent_yes")
    await expect(page.get_by_test_id("share-contact")).to_be_visible()
    await chat.share_contact()
    await expect(page.get_by_test_id("share-contact")).to_have_count(0)

    # A long label wraps inside its button, within the screen.
    await post_as_bot(sandbox_url, flavour, DEMO_USER.id, LONG_LABEL, "stray-private")
    long_button = page.locator("[data-testid=inline-button][data-callback-data=stray-private]")
    await expect(long_button).to_be_in_viewport(ratio=1)
    line_height = await long_button.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
    assert (await long_button.bounding_box() or {"height": 0})["height"] > 1.5 * line_height
    await assert_nothing_cut_off(page, "long button")

    # A toast answers the press in its own pane only, and a reload does not replay it.
    await long_button.click()
    toast = page.get_by_test_id("toast")
    await expect(toast).to_have_text(fa("This button no longer works. Please use the menu."))
    await expect(page.get_by_test_id("staff-toast")).to_be_hidden()
    await page.reload()
    await expect(page.get_by_test_id("bubble").first).to_be_attached(timeout=STEP_TIMEOUT_MS)
    await page.wait_for_timeout(300)  # a second poll would bring a replayed toast
    await expect(toast).to_be_hidden()

    # A staff alert shows up by itself; on a phone the hidden staff tab counts it.
    alert = "🆕 درخواست تازه برای بررسی"
    await post_as_bot(sandbox_url, flavour, staff_group, alert, "stray-staff")
    staff_bubbles = page.locator("[data-testid=bubble][data-chat=staff]")
    await expect(staff_bubbles).to_have_count(1, timeout=STEP_TIMEOUT_MS)
    unread = page.get_by_test_id("staff-unread")
    if phone:
        await expect(unread).to_have_text("۱")
    else:
        await expect(unread).to_be_hidden()
    await show_pane(page, "staff", phone)
    await expect(unread).to_be_hidden()
    await expect(staff_bubbles.first).to_be_in_viewport()

    await page.locator("[data-testid=inline-button][data-callback-data=stray-staff]").click()
    staff_toast = page.get_by_test_id("staff-toast")
    await expect(staff_toast).to_have_text(fa("This button no longer works."))
    await page.get_by_test_id("staff-try-queue").click()
    await expect(staff_bubbles.filter(has_text="/queue")).not_to_have_count(0)
    from_bot = page.locator("[data-testid=bubble][data-chat=staff][data-outgoing=true]")
    await expect(from_bot).to_have_count(2, timeout=STEP_TIMEOUT_MS)  # the alert and the answer
    # The demo caseworker is an administrator, as the intro says: the queue answers.
    await expect(from_bot.last).not_to_contain_text(
        fa("Sorry, these commands are for staff members only.")
    )
    await assert_nothing_cut_off(page, "staff pane")
    await show_pane(page, "private", phone)
    await expect(page.get_by_test_id("toast")).to_be_hidden()

    await page.screenshot(path=f"/tmp/page_{flavour}_{screen}.png")
    assert errors == [], errors
    await page.close()
