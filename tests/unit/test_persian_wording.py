"""The Persian catalog keeps the wording review's fixes: no «دوره بازی» (reads as "a game
course"), no bare «دوره باز» without its ezafe, no colloquial «مال» or «جور نیست», and one
word for characters («حرف», not «نویسه»)."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

FA_CATALOG = Path(__file__).resolve().parents[2] / "locales" / "fa" / "LC_MESSAGES" / "messages.po"

# «دوره باز» is fine only as «دورهٔ باز», «دوره‌های باز» or «دوره‌ای با ثبت‌نام باز».
AVOIDED = {
    "دوره بازی / دوره باز without ezafe": re.compile(r"دوره\s+باز"),
    "colloquial مال": re.compile(r"(?<![\u0600-\u06ff\u200c])مال\s"),
    "colloquial جور نیست": re.compile("جور نیست"),
    "نویسه (say حرف)": re.compile("نویسه"),
}


def persian_strings() -> list[tuple[str, str]]:
    with FA_CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    pairs = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        pairs += [(msgid, s) for s in strings if s]
    return pairs


def test_no_avoided_wording_in_the_persian_catalog() -> None:
    found = [
        (name, msgid, text)
        for msgid, text in persian_strings()
        for name, pattern in AVOIDED.items()
        if pattern.search(text)
    ]
    assert found == []


def test_the_patterns_catch_what_the_review_saw() -> None:
    for text in ("الان دوره بازی اینجا نیست", "هیچ دوره باز", "این دکمه مال یک صفحه",
                 "با انتخاب‌ها جور نیست", "کمتر از ۱۰ نویسه"):
        assert any(p.search(text) for p in AVOIDED.values()), text
    for text in ("دورهٔ باز", "دوره‌های باز", "دوره‌ای با ثبت‌نام باز", "مالی", "کمال "):
        assert not any(p.search(text) for p in AVOIDED.values()), text
