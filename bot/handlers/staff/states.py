"""The staff side's one conversation state: a reviewer typing a reason or note."""

from aiogram.fsm.state import State, StatesGroup


class StaffInput(StatesGroup):
    """A reviewer typing a reason or note (see bot.handlers.staff.inputs)."""

    text = State()


class ExamForm(StatesGroup):
    """A staff member creating an exam session (see bot.handlers.staff.exam_form)."""

    course = State()
    kind = State()
    date = State()
    time = State()
    place = State()
    location = State()
    capacity = State()
    confirm = State()


# States in which a staff member's plain messages in a private chat belong to a staff form.
STAFF_FORM_STATES: frozenset[str | None] = frozenset(
    {StaffInput.text.state, *(state.state for state in ExamForm.__all_states__)}
)
