from aiogram.fsm.state import State, StatesGroup


class BroadcastSG(StatesGroup):
    compose = State()  # send the message: a text, or a photo or document with a caption
    audience = State()  # who gets it, with the live count
    pick = State()  # one part of the audience: messenger, provinces, program ...
    preview = State()  # the message as recipients see it, the count, confirm
