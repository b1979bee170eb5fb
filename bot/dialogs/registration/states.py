from aiogram.fsm.state import State, StatesGroup


class RegistrationSG(StatesGroup):
    # Names match services.registration.STEPS, so a saved step maps back to its window.
    consent = State()
    phone = State()
    full_name = State()
    national_code = State()
    birth_date = State()
    gender = State()
    province = State()
    city = State()
    education = State()
    relief_client = State()
    relief_client_number = State()
    decile = State()
    review = State()


def state_of(step: str) -> State:
    state = getattr(RegistrationSG, step, None)
    if not isinstance(state, State):
        return RegistrationSG.review
    return state
