"""How exams and certificates read: a session's lines, the news and reminders a person gets,
the next step after a result, a certificate, and why an exam action was refused."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext

from bot.i18n import N_, current_locale
from services.exams import (
    Answer,
    CertificateView,
    ExamError,
    ExamKind,
    NextStep,
    ResultView,
    SessionView,
)
from services.jalali import format_jalali
from services.text import display_code, isolate, localize_digits

KIND_LABELS = {
    ExamKind.WRITTEN: N_("written exam"),
    ExamKind.PRACTICAL: N_("practical exam"),
}

ANSWER_LABELS = {
    Answer.ATTEND: N_("✅ will attend"),
    Answer.ABSENT: N_("❌ cannot attend"),
}

NEXT_STEPS = {
    NextStep.PRACTICAL: N_(
        "Next step: the practical exam. When its date is set, you will be told here."
    ),
    NextStep.RETAKE_WRITTEN: N_(
        "You can take the written exam again. When the next session is set, you will be told "
        "here; to prepare, you may talk to a caseworker."
    ),
    NextStep.CERTIFICATE: N_(
        "Next step: your certificate is being prepared. You will be told here when it is issued."
    ),
    NextStep.RETAKE_PRACTICAL: N_(
        "You can take the practical exam again. When the next session is set, you will be told "
        "here; to prepare, you may talk to a caseworker."
    ),
}

ERRORS = {
    "not_allowed": N_("You can manage exams only for the courses of your provinces."),
    "unknown_course": N_("There is no course with this code. Please check the code."),
    "kind": N_("The exam is either written or practical."),
    "in_past": N_("This time has already passed. Please give a time in the future."),
    "date.format": N_("Please type the date in the Jalali calendar, like 1405/10/15."),
    "date.not_exist": N_("This day does not exist in the Jalali calendar. Please check it."),
    "date.out_of_range": N_("Please type the date in the Jalali calendar, like 1405/10/15."),
    "date.gregorian": N_(
        "This looks like a Gregorian date. Please type the Jalali date, like 1405/10/15."
    ),
    "time.format": N_("Please type the time as hour and minute, like 9:30 or 14:00."),
    "capacity": N_("The capacity must be a whole number greater than zero."),
    "place": N_("Please type the place (at most 500 characters)."),
    "location": N_("The location needs both latitude and longitude, in range."),
    "no_session": N_("There is no such exam session."),
    "cancelled": N_("This exam session has been cancelled."),
    "started": N_("This exam has already started."),
    "not_started": N_("This exam has not been held yet."),
    "not_enrolled": N_("This person is not enrolled in this course."),
    "unknown_tracking": N_("There is no application with this tracking code."),
    "full": N_("This exam session is full. Please talk to a caseworker."),
    "no_passed_practical": N_(
        "A certificate can be issued only after a passed practical exam."
    ),
    "duplicate_number": N_("This certificate number has already been used."),
    "already_certified": N_("A certificate has already been issued for this application."),
    "number": N_("A certificate number has Latin letters, digits, / - and _ only."),
    "score": N_("The score is a whole number from 0 to 100."),
}


def error_text(error: ExamError) -> str:
    msgid = ERRORS.get(error.code)
    return gettext(msgid) if msgid else gettext("This could not be done.")


def kind_label(kind: str) -> str:
    return gettext(KIND_LABELS.get(ExamKind(kind), KIND_LABELS[ExamKind.WRITTEN]))


def when_text(moment: dt.datetime, timezone: str, locale: str | None = None) -> str:
    """«۱۵ دی ۱۴۰۵، ساعت ۰۹:۳۰» in TIMEZONE."""
    locale = locale or current_locale()
    local = moment.astimezone(ZoneInfo(timezone))
    clock = localize_digits(f"{local.hour:02d}:{local.minute:02d}", locale)
    return gettext("{day}, at {time}").format(day=format_jalali(local.date(), locale), time=clock)


def session_lines(view: SessionView, timezone: str) -> list[str]:
    locale = current_locale()
    lines = [
        gettext("📝 {kind} of «{course}»").format(kind=kind_label(view.kind),
                                                 course=view.course_title),
        gettext("🗓 {when}").format(when=when_text(view.starts_at, timezone, locale)),
        gettext("📍 Place: {place}").format(place=view.place),
    ]
    if view.latitude is not None and view.longitude is not None:
        url = (f"https://www.openstreetmap.org/?mlat={view.latitude:.6f}"
               f"&mlon={view.longitude:.6f}")
        lines.append(gettext("🗺 On the map: {url}").format(url=isolate(url)))
    return lines


def session_title(view: SessionView, timezone: str) -> str:
    """One line for lists: number, kind, course code, when."""
    locale = current_locale()
    line = gettext("#{number} · {kind} · {course} · {when}").format(
        number=localize_digits(str(view.id), locale), kind=kind_label(view.kind),
        course=display_code(view.course_code, locale),
        when=when_text(view.starts_at, timezone, locale),
    )
    return ("🚫 " + line + " · " + gettext("cancelled")) if view.cancelled else line


def created_text(view: SessionView, timezone: str) -> str:
    return "\n".join([
        gettext("🎓 An exam has been set for your course."), *session_lines(view, timezone),
        gettext("Will you attend? Please answer with the buttons below."),
    ])


def moved_text(view: SessionView, timezone: str) -> str:
    return "\n".join([
        gettext("🔄 The time or place of your exam has changed. The new details:"),
        *session_lines(view, timezone),
        gettext("Will you attend at the new time? Please answer with the buttons below."),
    ])


def cancelled_text(view: SessionView, timezone: str) -> str:
    locale = current_locale()
    return "\n".join([
        gettext("🚫 This exam has been cancelled:"),
        gettext("{kind} of «{course}», {when}").format(
            kind=kind_label(view.kind), course=view.course_title,
            when=when_text(view.starts_at, timezone, locale)),
        gettext("When a new session is set, you will be told here."),
    ])


def reminder_text(view: SessionView, timezone: str, hours: int) -> str:
    locale = current_locale()
    # One hour apart: English says «an hour», not «1 hours» (Persian reads the same either way).
    head = (gettext("⏰ Reminder: your exam is in about an hour.") if hours == 1 else
            gettext("⏰ Reminder: your exam is in about {hours} hours.").format(
                hours=localize_digits(str(hours), locale)))
    return "\n".join([
        head,
        *session_lines(view, timezone),
        gettext("Please bring your national card."),
    ])


def result_text(result: ResultView) -> str:
    locale = current_locale()
    session = result.session
    kind = kind_label(session.kind)
    if result.passed:
        head = gettext("🎉 You passed the {kind} of «{course}».")
    else:
        head = gettext("You did not pass the {kind} of «{course}» this time.")
    lines = [head.format(kind=kind, course=session.course_title)]
    if result.score is not None:
        lines.append(gettext("Your score: {score} out of 100").format(
            score=localize_digits(str(result.score), locale)))
    lines.append(gettext(NEXT_STEPS[result.next_step]))
    return "\n".join(lines)


def certificate_lines(certificate: CertificateView) -> list[str]:
    locale = current_locale()
    return [
        gettext("🎓 {title}").format(title=certificate.title),
        "    " + gettext("Certificate number: {number}").format(
            number=display_code(certificate.number, locale)),
        "    " + gettext("Issued on: {date}").format(
            date=format_jalali(certificate.issued_on, locale)),
        "    " + gettext("Standard: {code}").format(
            code=display_code(certificate.standard_code, locale)),
    ]


def certificate_text(certificate: CertificateView) -> str:
    return "\n".join([
        gettext("🏅 Congratulations! Your certificate has been issued and your course is "
                "complete."),
        *certificate_lines(certificate),
        gettext("You can see it any time under «🎓 My certificates»."),
    ])


def answer_label(answer: str | None) -> str:
    if answer is None:
        return gettext("no answer yet")
    return gettext(ANSWER_LABELS[Answer(answer)])
