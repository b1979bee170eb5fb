"""Rendering the dashboard's pages: one Jinja2 environment, the gettext catalogs the bot uses
(locales/), Persian digits and Jalali dates for the Persian pages."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.support import NullTranslations, Translations
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.jalali import format_jalali
from services.text import localize_digits

TEMPLATES = Path(__file__).resolve().parent / "templates"
LOCALES = Path(__file__).resolve().parents[2] / "locales"
LANGUAGES = ("fa", "en")
LANGUAGE_COOKIE = "dashboard_lang"


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


@functools.cache
def translations(language: str) -> NullTranslations:
    return Translations.load(str(LOCALES), [language], domain="messages")


def language_of(request: Request) -> str:
    chosen = request.cookies.get(LANGUAGE_COOKIE, "")
    return chosen if chosen in LANGUAGES else "fa"


class Words:
    """What a template needs to say numbers and dates in the page's language."""

    def __init__(self, language: str, timezone: str) -> None:
        self.language = language
        self.zone = ZoneInfo(timezone)
        self._ = translations(language).gettext

    def number(self, value: float | int | None, decimals: int = 0) -> str:
        if value is None:
            return "—"
        text = f"{value:,.{decimals}f}" if decimals else f"{round(value):,}"
        if self.language == "fa":
            text = text.replace(",", "٬").replace(".", "٫")
        return localize_digits(text, self.language)

    def date(self, value: dt.date | dt.datetime | None) -> str:
        if value is None:
            return "—"
        if isinstance(value, dt.datetime):
            moment = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
            value = moment.astimezone(self.zone).date()
        return format_jalali(value, self.language)

    def digits(self, text: object) -> str:
        return localize_digits(str(text), self.language)


def page(
    request: Request, template: str, *, status_code: int = 200, timezone: str = "Asia/Tehran",
    **context: Any,
) -> HTMLResponse:
    language = language_of(request)
    words = Words(language, timezone)
    env = environment()
    catalog = translations(language)
    env.install_gettext_translations(catalog, newstyle=True)  # type: ignore[attr-defined]
    html = env.get_template(template).render(
        lang=language, dir="rtl" if language == "fa" else "ltr", w=words, request=request,
        **context,
    )
    return HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)


# Nothing on these pages comes from elsewhere; a framing site or an injected script gets nothing.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
