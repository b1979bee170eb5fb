"""The staff side's one conversation state: a reviewer typing a reason or note."""

from aiogram.fsm.state import State, StatesGroup


class StaffInput(StatesGroup):
    """A reviewer typing a reason or note (see bot.handlers.staff.inputs)."""

    text = State()
