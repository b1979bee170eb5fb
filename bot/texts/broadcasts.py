"""How a broadcast is shown to administrators: its progress bar, its final report, its line in
/broadcasts. Called in the administrator's locale (a handler's, or Notifier.render's)."""

from __future__ import annotations

from aiogram.utils.i18n import gettext

from bot.i18n import N_, current_locale
from services.broadcasts import BroadcastProgress, BroadcastState
from services.jalali import format_jalali, local_date
from services.text import format_number, is_persian_locale, isolate

BAR_CELLS = 10
FIRST_WORDS = 8
FIRST_CHARS = 60

STATE_LABELS = {
    BroadcastState.SENDING: N_("📤 sending"),
    BroadcastState.PAUSED: N_("⏸ paused"),
    BroadcastState.CANCELLED: N_("✖️ cancelled"),
    BroadcastState.DONE: N_("✅ done"),
}


def state_label(state: BroadcastState) -> str:
    return gettext(STATE_LABELS[state])


def _n(value: int) -> str:
    return format_number(value, current_locale())


def percent_done(progress: BroadcastProgress) -> int:
    if progress.recipients <= 0:
        return 100
    return min(100, progress.handled * 100 // progress.recipients)


def bar(percent: int) -> str:
    """▓▓▓▓░░░░░░ ۴۵٪"""
    full = min(BAR_CELLS, percent * BAR_CELLS // 100)
    sign = "٪" if is_persian_locale(current_locale()) else "%"
    return "▓" * full + "░" * (BAR_CELLS - full) + " " + _n(percent) + sign


def _counts(progress: BroadcastProgress) -> str:
    return gettext(
        "Sent: {sent} · Blocked: {blocked} · Failed: {failed} · Left: {left}"
    ).format(sent=_n(progress.sent), blocked=_n(progress.blocked),
             failed=_n(progress.failed), left=_n(progress.left))


def time_left_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 60:
        return gettext("Less than a minute left.")
    return gettext("About {minutes} min left.").format(minutes=_n(round(seconds / 60)))


def progress_text(progress: BroadcastProgress, seconds_left: float | None = None) -> str:
    """The progress message while the broadcast runs."""
    lines = [
        gettext("📣 Broadcast {number}: {state}").format(
            number=_n(progress.id), state=state_label(progress.state)),
        bar(percent_done(progress)),
        _counts(progress),
    ]
    if progress.state is BroadcastState.SENDING and progress.left:
        lines.append(time_left_text(seconds_left))
    return "\n".join(line for line in lines if line)


def report_text(progress: BroadcastProgress) -> str:
    """The final report, once the broadcast is done or cancelled."""
    if progress.state is BroadcastState.CANCELLED:
        heading = gettext("✖️ Broadcast {number} was cancelled.")
    else:
        heading = gettext("✅ Broadcast {number} is finished.")
    lines = [
        heading.format(number=_n(progress.id)),
        gettext("Recipients: {count}").format(count=_n(progress.recipients)),
        gettext("Sent: {count}").format(count=_n(progress.sent)),
        gettext("Blocked the bot: {count}").format(count=_n(progress.blocked)),
        gettext("Failed: {count}").format(count=_n(progress.failed)),
    ]
    if progress.skipped:
        lines.append(gettext("Turned news off meanwhile: {count}").format(
            count=_n(progress.skipped)))
    if progress.cancelled:
        lines.append(gettext("Not sent (cancelled): {count}").format(
            count=_n(progress.cancelled)))
    return "\n".join(lines)


def first_words(progress: BroadcastProgress) -> str:
    words = progress.text.split()
    text = " ".join(words[:FIRST_WORDS])
    if len(text) > FIRST_CHARS:
        text = text[:FIRST_CHARS].rstrip()
    if text != " ".join(words):
        text += "…"
    if progress.media_kind == "photo":
        return "🖼 " + text if text else gettext("🖼 a photo")
    if progress.media_kind == "document":
        return "📄 " + (text or isolate(progress.media_name or ""))
    return text


def list_entry(progress: BroadcastProgress, timezone: str) -> str:
    """One broadcast in /broadcasts."""
    locale = current_locale()
    day = format_jalali(local_date(progress.created_at, timezone), locale)
    lines = [
        gettext("📣 {number} · {date} · {state}").format(
            number=_n(progress.id), date=day, state=state_label(progress.state)),
        "«" + first_words(progress) + "»",
        gettext("Recipients: {count}").format(count=_n(progress.recipients)) + " · " + _counts(
            progress),
    ]
    if progress.cancelled:
        lines.append(gettext("Not sent (cancelled): {count}").format(
            count=_n(progress.cancelled)))
    return "\n".join(lines)
