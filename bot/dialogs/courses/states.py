from aiogram.fsm.state import State, StatesGroup


class CoursesSG(StatesGroup):
    listing = State()  # the paged list with its one-line filter summary
    filters = State()
    provinces = State()  # province picker of the filters screen
    clusters = State()  # field (cluster) picker of the filters screen
    search = State()  # waiting for the typed search words
    card = State()
    saved = State()
