from aiogram.fsm.state import State, StatesGroup


class CertificatesSG(StatesGroup):
    listing = State()  # every certificate, newest first
