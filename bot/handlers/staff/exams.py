"""Staff exam commands (private chat or a staff group): /exams lists the sessions ahead,
/exam N shows one with who answered what, attendance and results; /moveexam, /cancelexam;
/attended marks who came, /result enters a result, /certificate issues a certificate.

People are named by their application's tracking code (what staff already use); every command
is re-checked by the exam service against the member's provinces."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from aiogram.utils.i18n import gettext

from bot.handlers.staff.filters import IsStaff
from bot.i18n import current_locale
from bot.notifications.notifier import Notifier
from bot.texts.exams import answer_label, error_text, session_lines, session_title
from services.exams import ExamError, ExamService, RollLine
from services.exams.dates import parse_day
from services.exams.results import check_score
from services.staff import StaffMember
from services.text import display_code, isolate_commands, localize_digits, normalize_digits

EXAM_COMMANDS = (
    "newexam", "exams", "exam", "moveexam", "cancelexam", "attended", "result", "certificate",
)
_YES = frozenset({"yes", "y", "1", "بله", "آری", "آمد", "حاضر"})
_NO = frozenset({"no", "n", "0", "خیر", "نه", "نیامد", "غایب"})
_PASS = frozenset({"pass", "passed", "قبول", "قبولی"})
_FAIL = frozenset({"fail", "failed", "مردود", "رد"})


def build_staff_exams_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_list, Command("exams"), IsStaff())
    router.message.register(on_show, Command("exam"), IsStaff())
    router.message.register(on_move, Command("moveexam"), IsStaff())
    router.message.register(on_cancel, Command("cancelexam"), IsStaff())
    router.message.register(on_attended, Command("attended"), IsStaff())
    router.message.register(on_result, Command("result"), IsStaff())
    router.message.register(on_certificate, Command("certificate"), IsStaff())
    return router


def _args(command: CommandObject) -> list[str]:
    return normalize_digits(command.args or "").split()


def _number(text: str) -> int | None:
    text = text.lstrip("#")
    return int(text) if text.isdigit() and len(text) < 10 else None


def _usage(text: str) -> str:
    return isolate_commands(gettext("Please write it like this:") + "\n" + text)


def _queued(notifier: Notifier | None) -> None:
    if notifier is not None:
        notifier.queued()


async def on_list(message: Message, staff: StaffMember, exam_service: ExamService) -> None:
    sessions = await exam_service.upcoming(staff)
    if not sessions:
        await message.answer(isolate_commands(
            gettext("No exam sessions ahead. /newexam creates one.")))
        return
    lines = [gettext("🗓 Exam sessions ahead:")]
    lines += [session_title(view, exam_service.timezone) for view in sessions]
    lines.append(gettext("/exam and the number shows who answered what."))
    await message.answer(isolate_commands("\n".join(lines)))


def _roll_line(line: RollLine) -> str:
    locale = current_locale()
    parts = [line.name or gettext("(no name)")]
    if line.tracking_code:
        parts.append(display_code(line.tracking_code, locale))
    parts.append(answer_label(line.answer))
    if line.attended is not None:
        parts.append(gettext("came") if line.attended else gettext("did not come"))
    if line.passed is not None:
        result = gettext("passed") if line.passed else gettext("failed")
        if line.score is not None:
            result += " (" + localize_digits(str(line.score), locale) + ")"
        parts.append(result)
    return "• " + " · ".join(parts)


async def on_show(
    message: Message, command: CommandObject, staff: StaffMember, exam_service: ExamService
) -> None:
    args = _args(command)
    number = _number(args[0]) if args else None
    if number is None:
        await message.answer(_usage("/exam 12"))
        return
    try:
        view, roll = await exam_service.roll(number, staff)
    except ExamError as error:
        await message.answer(error_text(error))
        return
    locale = current_locale()
    coming = sum(1 for line in roll if line.answer == "attend")
    timezone = exam_service.timezone
    lines = [session_title(view, timezone), *session_lines(view, timezone)]
    lines.append(gettext("Capacity: {capacity} · will attend: {coming} · enrolled: {count}").format(
        capacity=localize_digits(str(view.capacity), locale),
        coming=localize_digits(str(coming), locale),
        count=localize_digits(str(len(roll)), locale),
    ))
    lines += [_roll_line(line) for line in roll] or [gettext("Nobody is enrolled in this course.")]
    await message.answer(isolate_commands("\n".join(lines)))


async def on_move(
    message: Message, command: CommandObject, staff: StaffMember, exam_service: ExamService,
    notifier: Notifier | None = None,
) -> None:
    args = _args(command)
    number = _number(args[0]) if args else None
    if number is None or len(args) != 3:
        await message.answer(_usage("/moveexam 12 1405/10/20 9:30"))
        return
    try:
        view, told = await exam_service.move(number, args[1], args[2], staff)
    except ExamError as error:
        await message.answer(error_text(error))
        return
    _queued(notifier)
    await message.answer("\n".join([
        gettext("🔄 Exam session #{number} was moved.").format(
            number=localize_digits(str(number), current_locale())),
        *session_lines(view, exam_service.timezone),
        gettext("People enrolled in the course who were told: {count}").format(
            count=localize_digits(str(told), current_locale())),
    ]))


async def on_cancel(
    message: Message, command: CommandObject, staff: StaffMember, exam_service: ExamService,
    notifier: Notifier | None = None,
) -> None:
    args = _args(command)
    number = _number(args[0]) if len(args) == 1 else None
    if number is None:
        await message.answer(_usage("/cancelexam 12"))
        return
    try:
        _view, told = await exam_service.cancel(number, staff)
    except ExamError as error:
        await message.answer(error_text(error))
        return
    _queued(notifier)
    await message.answer(
        gettext("🚫 Exam session #{number} was cancelled; its reminders will not be sent.").format(
            number=localize_digits(str(number), current_locale()))
        + "\n" + gettext("People enrolled in the course who were told: {count}").format(
            count=localize_digits(str(told), current_locale()))
    )


async def on_attended(
    message: Message, command: CommandObject, staff: StaffMember, exam_service: ExamService
) -> None:
    args = _args(command)
    number = _number(args[0]) if args else None
    came = args[2].lower() if len(args) == 3 else ""
    if number is None or came not in _YES | _NO:
        await message.answer(_usage("/attended 12 HMN-1405-000123 yes"))
        return
    try:
        name = await exam_service.mark_attendance(number, args[1], came in _YES, staff)
    except ExamError as error:
        await message.answer(error_text(error))
        return
    words = (gettext("✅ Recorded: {name} came to the exam.") if came in _YES
             else gettext("Recorded: {name} did not come to the exam."))
    await message.answer(words.format(name=name or display_code(args[1], current_locale())))


async def on_result(
    message: Message, command: CommandObject, staff: StaffMember, exam_service: ExamService,
    notifier: Notifier | None = None,
) -> None:
    args = _args(command)
    number = _number(args[0]) if args else None
    verdict = args[2].lower() if len(args) in (3, 4) else ""
    if number is None or verdict not in _PASS | _FAIL:
        await message.answer(_usage("/result 12 HMN-1405-000123 pass 85"))
        return
    try:
        score = check_score(args[3] if len(args) == 4 else None)
        result = await exam_service.record_result(number, args[1], verdict in _PASS, score, staff)
    except ExamError as error:
        await message.answer(error_text(error))
        return
    _queued(notifier)
    words = (gettext("✅ Result recorded: passed. The person has been told the next step.")
             if result.passed else
             gettext("Result recorded: not passed. The person has been told how to retake it."))
    await message.answer(words)


async def on_certificate(
    message: Message, command: CommandObject, staff: StaffMember, exam_service: ExamService,
    notifier: Notifier | None = None,
) -> None:
    args = _args(command)
    if len(args) not in (2, 3):
        await message.answer(_usage("/certificate HMN-1405-000123 TV-1405-0001 [1405/10/30]"))
        return
    try:
        issued_on = parse_day(args[2]) if len(args) == 3 else None
        certificate = await exam_service.issue_certificate(args[0], args[1], staff, issued_on)
    except ExamError as error:
        await message.answer(error_text(error))
        return
    _queued(notifier)
    await message.answer(
        gettext("🏅 Certificate {number} was issued; the application is completed and the "
                "person has been told.").format(
            number=display_code(certificate.number, current_locale()))
    )
