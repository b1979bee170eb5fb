"""Paging in Persian: the arrows point the way a right-to-left reader goes (next «◀️» on the
left, previous «▶️» on the right), and the «۲ از ۳» button between them takes the reader back
to the first page instead of doing nothing."""

from __future__ import annotations

from bot.dialogs.courses.handlers import (
    FIRST_PAGE,
    NEXT_PAGE,
    PREV_PAGE,
    PROVINCE_PICKER,
    picker_page_id,
)
from bot.dialogs.registration.handlers import PROVINCE_FIRST, PROVINCE_NEXT
from bot.i18n import build_i18n
from tests.flows.course_steps import (
    TEHRAN_CODES,
    open_courses,
    open_filters,
    seed_courses,
    shown_codes,
    widgets_of,
)
from tests.flows.harness import Person, Sandbox
from tests.flows.steps import current_widgets, press_widget, register


def label_of(person: Person, widget: str) -> str:
    for message in reversed(person.messages()):
        for row in (message.raw.get("reply_markup") or {}).get("inline_keyboard") or []:
            for button in row:
                if str(button.get("callback_data", "")).split("\x1d")[-1] == widget:
                    return str(button["text"])
    raise AssertionError(f"no button {widget!r}; last screen: {person.screen()}")


async def test_course_pages_in_persian(sandbox: Sandbox, platform: str) -> None:
    await seed_courses(sandbox)
    person = sandbox.person(platform, language_code="fa")  # type: ignore[arg-type]
    await register(person)
    await open_courses(person)
    assert label_of(person, NEXT_PAGE) == "بعدی ◀️"
    await press_widget(person, NEXT_PAGE)
    await press_widget(person, NEXT_PAGE)
    assert shown_codes(person) == TEHRAN_CODES[12:], person.screen()
    assert label_of(person, PREV_PAGE) == "▶️ قبلی"
    # Not a lone «۳» that does nothing: «صفحه ۱», and it goes there; gone on the first page.
    assert label_of(person, FIRST_PAGE) == "صفحه ۱"
    await press_widget(person, FIRST_PAGE)
    assert shown_codes(person) == TEHRAN_CODES[:6], person.screen()
    assert FIRST_PAGE not in widgets_of(person)

    # The province picker under the filters: the same button, the same way home.
    await open_filters(person)
    await press_widget(person, "f_prov")
    first_page = [w for w in widgets_of(person) if w.startswith("prov:")]
    await press_widget(person, picker_page_id(PROVINCE_PICKER, NEXT_PAGE))
    assert [w for w in widgets_of(person) if w.startswith("prov:")] != first_page
    await press_widget(person, picker_page_id(PROVINCE_PICKER, FIRST_PAGE))
    assert [w for w in widgets_of(person) if w.startswith("prov:")] == first_page


async def test_registration_province_pages_go_home(sandbox: Sandbox, platform: str) -> None:
    person = sandbox.person(platform, language_code="fa")  # type: ignore[arg-type]
    await register(person, until="province")
    first_page = [w for w in current_widgets(person) if w.startswith("province:")]
    await press_widget(person, PROVINCE_NEXT)
    assert [w for w in current_widgets(person) if w.startswith("province:")] != first_page
    await press_widget(person, PROVINCE_FIRST)
    assert [w for w in current_widgets(person) if w.startswith("province:")] == first_page


# English keeps its own arrows; Persian mirrors every one that says where to go.
FORWARD = ("Next ▶️", "Older ▶️", "➡️ Continue", "➡️ Continue to the review", "▶️ Start",
           "▶️ Continue: {program}")
BACKWARD = ("◀️ Previous", "◀️ Newer", "⬅️ Back", "⬅️ Back to the list", "⬅️ Other programs",
            "⬅️ All my applications", "↩️ Back to the application")


def test_arrows_follow_the_reading_direction() -> None:
    i18n = build_i18n("fa")
    for msgid in FORWARD + BACKWARD:
        english, persian = i18n.gettext(msgid, locale="en"), i18n.gettext(msgid, locale="fa")
        assert english == msgid, (msgid, english)
        assert persian != msgid, f"{msgid!r} is not translated"
        if msgid in FORWARD:
            assert "◀" in persian or "⬅" in persian, (msgid, persian)
            assert not any(a in persian for a in "▶➡↪"), (msgid, persian)
        else:
            assert "▶" in persian or "➡" in persian or "↪" in persian, (msgid, persian)
            assert not any(a in persian for a in "◀⬅↩"), (msgid, persian)
