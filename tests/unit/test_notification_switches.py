"""Every topic a person can turn off has its line on the 🔔 Notifications screen."""

from __future__ import annotations

from bot.handlers.notifications import SWITCHES
from bot.i18n import build_i18n
from bot.keyboards.callbacks import SwitchCb
from bot.notifications.callbacks import StopNews, stop_news_keyboard
from services.preferences import Topic


def test_each_topic_has_one_switch_on_the_screen() -> None:
    assert sorted(switch.topic for switch in SWITCHES) == sorted(Topic)


def test_the_buttons_fit_in_callback_data() -> None:
    # Telegram caps callback data at 64 bytes.
    for data in (StopNews(broadcast_id=2**63 - 1).pack(), SwitchCb(topic="news", on=True).pack()):
        assert len(data.encode()) <= 64, data


def test_the_stop_button_speaks_the_recipient_language() -> None:
    i18n = build_i18n("fa")
    labels = {}
    for locale in ("fa", "en"):
        with i18n.context(), i18n.use_locale(locale):
            keyboard = stop_news_keyboard(broadcast_id=3)
        button = keyboard.inline_keyboard[0][0]
        assert StopNews.unpack(button.callback_data or "") == StopNews(broadcast_id=3)
        labels[locale] = button.text
    assert labels == {"fa": "🔕 دیگر خبر نفرست", "en": "🔕 Stop news"}
