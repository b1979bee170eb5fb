"""/newexam: a staff member creates an exam session in a private chat, one question at a time:
course code, written or practical, Jalali date, time, place, an optional location, capacity,
then a summary to confirm. Each answer is checked at once by the exam service (a date in the
past, a Jalali day that does not exist, a Gregorian date, another province's course ...) and
the question is asked again with the reason; nothing is written until «Create».

The answers are kept under their own key of the chat's conversation state, so a staff member's
half-filled registration in the same chat is kept."""

from __future__ import annotations

from typing import Any

from aiogram import Router
from aiogram.filters import BaseFilter, Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext

from bot.filters import PrivateChat
from bot.handlers.staff.filters import IsStaff
from bot.handlers.staff.states import ExamForm
from bot.i18n import current_locale
from bot.keyboards.staff_exams import ExamFormCb, confirm_keyboard, kind_keyboard, skip_keyboard
from bot.notifications.notifier import Notifier
from bot.texts.exams import error_text, kind_label, session_lines, when_text
from services.exams import (
    ExamError,
    ExamService,
    SessionInput,
    exam_moment,
    parse_clock,
    parse_day,
)
from services.exams.sessions import check_place, parse_capacity
from services.jalali import today_in
from services.staff import StaffMember
from services.text import display_code, isolate_commands, localize_digits

FORM_KEY = "exam_form"


def build_exam_form_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_new_exam, Command("newexam"), PrivateChat(), IsStaff())
    router.message.register(on_new_exam_in_group, Command("newexam"), IsStaff())
    in_form = StateFilter(*ExamForm.__all_states__)
    router.message.register(on_stop, in_form, Command("cancel"), IsStaff())
    # Other commands are not answers: /exams, /queue ... work while the form waits.
    typed = _NotCommand()
    router.message.register(on_course, StateFilter(ExamForm.course), typed, IsStaff())
    router.message.register(on_date, StateFilter(ExamForm.date), typed, IsStaff())
    router.message.register(on_time, StateFilter(ExamForm.time), typed, IsStaff())
    router.message.register(on_place, StateFilter(ExamForm.place), typed, IsStaff())
    router.message.register(on_location, StateFilter(ExamForm.location), typed, IsStaff())
    router.message.register(on_capacity, StateFilter(ExamForm.capacity), typed, IsStaff())
    router.message.register(on_other_message, in_form, typed, IsStaff())
    router.callback_query.register(on_button, ExamFormCb.filter(), IsStaff())
    return router


class _NotCommand(BaseFilter):
    async def __call__(self, message: Message) -> bool:
        return not (message.text or "").lstrip().startswith("/")


async def _form(state: FSMContext) -> dict[str, Any]:
    data = await state.get_data()
    form = data.get(FORM_KEY)
    return dict(form) if isinstance(form, dict) else {}


async def _save(state: FSMContext, **values: Any) -> None:
    await state.update_data({FORM_KEY: {**await _form(state), **values}})


async def _finish(state: FSMContext) -> None:
    data = await state.get_data()
    data.pop(FORM_KEY, None)
    await state.set_data(data)
    await state.set_state(None)


async def on_new_exam(message: Message, state: FSMContext) -> None:
    await state.update_data({FORM_KEY: {}})
    await state.set_state(ExamForm.course)
    await message.answer(isolate_commands(
        gettext("New exam session. Which course is it for? Type its course code.")
        + "\n" + gettext("(/cancel stops the form.)")
    ))


async def on_new_exam_in_group(message: Message) -> None:
    await message.answer(isolate_commands(
        gettext("Please send /newexam in your private chat with the bot.")))


async def on_stop(message: Message, state: FSMContext) -> None:
    await _finish(state)
    await message.answer(gettext("The new exam session was not created."))


async def on_course(
    message: Message, state: FSMContext, staff: StaffMember, exam_service: ExamService
) -> None:
    try:
        course = await exam_service.course_for_staff(message.text or "", staff)
    except ExamError as error:
        await message.answer(error_text(error) + "\n" + gettext("Type the course code again."))
        return
    await _save(state, course=course.course_code, title=course.title_fa)
    await state.set_state(ExamForm.kind)
    await message.answer(
        gettext("Course: {title}").format(title=course.title_fa) + "\n"
        + gettext("Is it a written or a practical exam?"),
        reply_markup=kind_keyboard(),
    )


async def on_date(message: Message, state: FSMContext, exam_service: ExamService) -> None:
    try:
        day = parse_day(message.text or "")
        if day < today_in(exam_service.timezone):
            raise ExamError("in_past", message.text or "")
    except ExamError as error:
        await message.answer(error_text(error))
        return
    await _save(state, date=message.text or "", day=day.isoformat())
    await state.set_state(ExamForm.time)
    await message.answer(gettext("At what time does it start? For example 9:30 or 14:00."))


async def on_time(message: Message, state: FSMContext, exam_service: ExamService) -> None:
    form = await _form(state)
    try:
        parse_clock(message.text or "")
        exam_service.checked_moment(str(form.get("date", "")), message.text or "")
    except ExamError as error:
        if error.code == "in_past":
            await state.set_state(ExamForm.date)
            await message.answer(error_text(error) + "\n"
                                 + gettext("Type the Jalali date again, like 1405/10/15."))
        else:
            await message.answer(error_text(error))
        return
    await _save(state, time=message.text or "")
    await state.set_state(ExamForm.place)
    await message.answer(gettext("Where is it held? Type the place (center name and address)."))


async def on_place(message: Message, state: FSMContext) -> None:
    try:
        place = check_place(message.text or "")
    except ExamError as error:
        await message.answer(error_text(error))
        return
    await _save(state, place=place)
    await state.set_state(ExamForm.location)
    await message.answer(
        gettext("If you like, send the place's location on the map (📎 → Location); or press "
                "«Skip»."),
        reply_markup=skip_keyboard(),
    )


async def on_location(message: Message, state: FSMContext) -> None:
    if message.location is None:
        await message.answer(gettext("Please send a location, or press «Skip»."),
                             reply_markup=skip_keyboard())
        return
    await _save(state, latitude=message.location.latitude,
                longitude=message.location.longitude)
    await _ask_capacity(message, state)


async def _ask_capacity(message: Message, state: FSMContext) -> None:
    await state.set_state(ExamForm.capacity)
    await message.answer(gettext("How many people can take it? Type the capacity."))


async def on_capacity(
    message: Message, state: FSMContext, exam_service: ExamService
) -> None:
    try:
        capacity = parse_capacity(message.text or "")
    except ExamError as error:
        await message.answer(error_text(error))
        return
    await _save(state, capacity=capacity)
    await state.set_state(ExamForm.confirm)
    form = await _form(state)
    await message.answer(_summary(form, exam_service), reply_markup=confirm_keyboard())


def _summary(form: dict[str, Any], exam_service: ExamService) -> str:
    locale = current_locale()
    # Not checked against the clock here: «Create» checks again (the form may sit a while).
    moment = exam_moment(str(form["date"]), str(form["time"]), exam_service.timezone)
    lines = [
        gettext("Please check the new exam session:"),
        gettext("Course: {title} ({code})").format(
            title=form["title"], code=display_code(str(form["course"]), locale)),
        gettext("Kind: {kind}").format(kind=kind_label(str(form["kind"]))),
        gettext("When: {when}").format(when=when_text(moment, exam_service.timezone)),
        gettext("Place: {place}").format(place=form["place"]),
        gettext("Capacity: {capacity}").format(
            capacity=localize_digits(str(form["capacity"]), current_locale())),
    ]
    return "\n".join(lines)


async def on_other_message(message: Message) -> None:
    await message.answer(gettext("Please answer the question above, or press its buttons."))


async def on_button(
    callback: CallbackQuery, callback_data: ExamFormCb, state: FSMContext, staff: StaffMember,
    exam_service: ExamService, raw_state: str | None = None, notifier: Notifier | None = None,
) -> None:
    action = callback_data.action
    message = callback.message if isinstance(callback.message, Message) else None
    expected = {
        "written": ExamForm.kind.state, "practical": ExamForm.kind.state,
        "skip": ExamForm.location.state, "save": ExamForm.confirm.state,
        "stop": ExamForm.confirm.state,
    }
    if message is None or expected.get(action) != raw_state:
        await callback.answer(gettext("This button no longer works."))
        return
    await callback.answer()
    if action in ("written", "practical"):
        await _save(state, kind=action)
        await state.set_state(ExamForm.date)
        await message.answer(gettext("On which day? Type the Jalali date, like 1405/10/15."))
    elif action == "skip":
        await _ask_capacity(message, state)
    elif action == "stop":
        await _finish(state)
        await message.answer(gettext("The new exam session was not created."))
    else:
        await _create(message, state, staff, exam_service, notifier)


async def _create(
    message: Message, state: FSMContext, staff: StaffMember, exam_service: ExamService,
    notifier: Notifier | None,
) -> None:
    form = await _form(state)
    data = SessionInput(
        course_code=str(form["course"]), kind=str(form["kind"]), date_text=str(form["date"]),
        time_text=str(form["time"]), place=str(form["place"]), capacity=int(form["capacity"]),
        latitude=form.get("latitude"), longitude=form.get("longitude"),
    )
    try:
        view, told = await exam_service.create(data, staff)
    except ExamError as error:
        # E.g. the time passed while the form was open: the form stays, from the date on.
        if error.code == "in_past":
            await state.set_state(ExamForm.date)
            await message.answer(error_text(error) + "\n"
                                 + gettext("Type the Jalali date again, like 1405/10/15."))
        else:
            await message.answer(error_text(error))
        return
    await _finish(state)
    if notifier is not None:
        notifier.queued()
    await message.answer("\n".join([
        gettext("✅ Exam session #{number} was created.").format(
            number=localize_digits(str(view.id), current_locale())),
        *session_lines(view, exam_service.timezone),
        gettext("People enrolled in the course who were told: {count}").format(
            count=localize_digits(str(told), current_locale())),
    ]))
