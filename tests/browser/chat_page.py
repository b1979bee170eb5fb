"""The web chat page as a person sees it: type, press, share the phone, read the last answer.

Buttons are found by their dialog widget id (the tail of the callback data after aiogram-dialog's
\\x1d separator), never by label, so the tests do not depend on the Persian catalog's wording."""

from __future__ import annotations

from playwright.async_api import Locator, Page, expect
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

STEP_TIMEOUT_MS = 8_000

# The newest answer of the bot in the private chat: its DOM id and text. A new question is a new
# text (or a new message), so a changed value means the bot has moved on.
_LAST_SCREEN_JS = """() => {
  const bubbles = document.querySelectorAll(
    '[data-testid=bubble][data-chat=private][data-outgoing=true]:not(.deleted)');
  const last = bubbles[bubbles.length - 1];
  if (!last) return '';
  const text = last.querySelector('[data-testid=bubble-text]');
  return last.id + '|' + (text ? text.textContent : '');
}"""


class ChatPage:
    def __init__(self, page: Page) -> None:
        self.page = page

    async def open(self, base_url: str, flavour: str) -> None:
        await self.page.goto(f"{base_url}/?flavour={flavour}")
        await expect(self.page.get_by_test_id(f"flavour-{flavour}")).to_have_attribute(
            "aria-selected", "true"
        )

    async def switch_to(self, flavour: str) -> None:
        tab = self.page.get_by_test_id(f"flavour-{flavour}")
        await tab.click()
        await expect(tab).to_have_attribute("aria-selected", "true")

    async def screen(self) -> str:
        value: str = await self.page.evaluate(_LAST_SCREEN_JS)
        return value

    async def last_text(self) -> str:
        return (await self.screen()).partition("|")[2]

    async def _until_answered(self, before: str) -> str:
        """Wait for the bot's next screen; fail on a validation error instead of a new question."""
        try:
            await self.page.wait_for_function(
                f"before => ({_LAST_SCREEN_JS})() !== before", arg=before, timeout=STEP_TIMEOUT_MS
            )
        except PlaywrightTimeoutError:
            chat = await self.page.get_by_test_id("private-messages").inner_text()
            status = await self.page.get_by_test_id("status").inner_text()
            toast = await self.page.get_by_test_id("toast").text_content()
            raise AssertionError(
                f"the bot did not answer; status: {status!r}; toast: {toast!r}; chat:\n{chat}"
            ) from None
        text = await self.last_text()
        assert "⚠️" not in text, f"the bot rejected the answer: {text}"
        return text

    async def send(self, text: str) -> str:
        before = await self.screen()
        await self.page.get_by_test_id("composer-input").fill(text)
        await self.page.get_by_test_id("send-button").click()
        return await self._until_answered(before)

    def button(self, widget: str) -> Locator:
        # \1d is the CSS escape of aiogram-dialog's separator; the trailing space ends the escape.
        selector = (
            "[data-testid=bubble][data-chat=private]:not(.deleted) "
            f'[data-testid=inline-button][data-callback-data$="\\1d {widget}"]'
        )
        return self.page.locator(selector).last

    async def press(self, widget: str) -> str:
        button = self.button(widget)
        await expect(button).to_be_visible(timeout=STEP_TIMEOUT_MS)
        before = await self.screen()
        await button.click()
        return await self._until_answered(before)

    async def share_contact(self) -> str:
        button = self.page.get_by_test_id("share-contact")
        await expect(button).to_be_visible(timeout=STEP_TIMEOUT_MS)
        before = await self.screen()
        await button.click()
        return await self._until_answered(before)

    async def reply_buttons(self) -> list[str]:
        return await self.page.get_by_test_id("reply-button").all_text_contents()
