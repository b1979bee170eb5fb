from aiogram.fsm.state import State, StatesGroup


class MyFileSG(StatesGroup):
    listing = State()  # every application with its status
    detail = State()  # one application: timeline, documents, actions
    upload = State()  # send a requested or rejected document
    withdraw = State()  # "really withdraw?" (a reason may be typed)
    discard = State()  # "really discard this unfinished application?"
