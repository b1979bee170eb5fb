from aiogram.fsm.state import State, StatesGroup


class ApplySG(StatesGroup):
    drafts = State()  # unfinished applications: continue / discard
    discard = State()  # "really discard?"
    programs = State()  # which program
    not_eligible = State()  # the rules not met, and what to do
    course = State()  # which course (own province first, paged)
    question = State()  # one program question per screen
    documents = State()  # the checklist
    upload = State()  # send the file for one document kind
    reuse = State()  # "use this file accepted for another application?"
    review = State()  # everything, each part editable; send
