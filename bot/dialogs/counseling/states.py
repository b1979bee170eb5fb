from aiogram.fsm.state import State, StatesGroup


class CounselingSG(StatesGroup):
    intro = State()  # what counseling is, before the first question
    question = State()  # one window for every question: the progress says which
    result = State()  # the newest result: three fields, their reasons, matching courses
