"""In a real browser: a beneficiary registers through the sandbox web chat page.

Everything goes through the page (typing, inline buttons, the contact button, reply keyboard);
the bot is the real application polling the emulator over HTTP."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from bot.i18n import build_i18n
from tests.browser.chat_page import ChatPage

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
OTHER = {"telegram": "bale", "bale": "telegram"}
# The demo user sends no language, so the bot answers in the default locale (Persian).
FA = build_i18n("fa")


def fa(msgid: str) -> str:
    return FA.gettext(msgid, locale="fa")


@pytest.mark.parametrize("flavour", ["telegram", "bale"])
async def test_register_through_the_web_chat(
    sandbox_url: str, browser: Browser, flavour: str
) -> None:
    page = await browser.new_page(viewport={"width": 1000, "height": 700}, locale="fa-IR")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    chat = ChatPage(page)
    await chat.open(sandbox_url, flavour)

    assert await page.evaluate("document.documentElement.dir") == "rtl"
    direction = await page.get_by_test_id("private-messages").evaluate(
        "el => getComputedStyle(el).direction"
    )
    assert direction == "rtl"

    welcome = await chat.send("/start")
    assert fa("✅ I agree") in await chat.button("consent_yes").inner_text(), welcome
    await chat.press("consent_yes")
    await chat.share_contact()
    await chat.send("مریم احمدی")
    await chat.send("0012345679")
    await chat.send("۱۳۷۸/۴/۱۲")
    await chat.press("gender:female")
    # The province list replaces the gender question in place; the page must follow it down.
    await expect(chat.button("province:7")).to_be_in_viewport(ratio=1)
    await chat.press("province:7")  # تهران
    await chat.send("کرج")
    await chat.press("education:diploma")
    await chat.press("relief_yes")
    await chat.send("123456")
    review = await chat.press("decile:3")
    for answer in ("مریم احمدی", "کرج", "تهران"):
        assert answer in review, review
    done = await chat.press("confirm")

    assert fa("Your registration is saved. Thank you!") in done, done
    await expect(page.get_by_test_id("bubble").last).to_be_in_viewport(ratio=1)
    menu = [
        fa("📚 Skill courses"),
        fa("💼 Job leads"),
        fa("📝 Apply"),
        fa("📂 My file"),
        fa("🎓 My certificates"),
        fa("🧭 Career counseling"),
        fa("👤 My profile"),
        fa("🔔 Notifications"),
        fa("🌐 Language / زبان"),
        fa("💬 Talk to a caseworker"),
        fa("❓ Help"),
    ]
    await expect(page.get_by_test_id("reply-button")).to_have_text(menu)
    # The shared phone is shown in the beneficiary's own bubble.
    await expect(page.get_by_test_id("private-messages")).to_contain_text("+989121234567")
    assert await page.get_by_test_id("inline-button").count() == 0 or flavour == "bale"

    ARTIFACTS.mkdir(exist_ok=True)
    name = "web_chat.png" if flavour == "telegram" else f"web_chat_{flavour}.png"
    await page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    shutil.copy(ARTIFACTS / name, Path("/tmp") / name)

    other = OTHER[flavour]
    await chat.switch_to(other)
    await expect(page.get_by_test_id("bubble")).to_have_count(0)
    await chat.send("/start")
    await expect(chat.button("consent_yes")).to_be_visible()
    assert errors == [], errors
    await page.close()
