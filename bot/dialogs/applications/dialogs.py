"""The apply form: program -> eligibility -> course -> questions -> documents -> review -> send.

One question per screen, big buttons, a way to the main menu everywhere. The draft lives in the
database, so it survives restarts; «📝 Apply» offers to continue or discard it."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Column, Group, Row
from aiogram_dialog.widgets.text import Format, Multi, Text

from bot.dialogs.applications import dialog_data, reuse
from bot.dialogs.applications import documents as docs
from bot.dialogs.applications import getters as g
from bot.dialogs.applications import handlers as h
from bot.dialogs.applications import review as r
from bot.dialogs.applications.documents import upload_prompt
from bot.dialogs.applications.states import ApplySG
from bot.dialogs.handoff import handoff_button
from bot.dialogs.widgets import (
    ANY_CONTENT,
    Tr,
    back_and_main_menu,
    choices,
    main_menu_button,
    notice_line,
)


def _draft_text(*lines: Text) -> Multi:
    """A draft screen's text: the notice, a word if the draft is gone, then `lines`."""
    return Multi(notice_line(), _gone(), *lines, sep="\n")


def _gone() -> Tr:
    return Tr(
        "This application is no longer available here. You can see your applications in "
        "«📂 My file».",
        when="gone",
    )


def _drafts_window() -> Window:
    return Window(
        Multi(
            notice_line(),
            Tr("Applications you have not sent yet:"),
            Format("{drafts}"),
            Tr("Continue it, discard it, or start a new one."),
            sep="\n",
        ),
        Column(choices("cont", "continue_items", h.on_continue)),
        Column(choices("disc", "discard_items", h.on_discard_ask)),
        Button(Tr("➕ Start a new application"), id="new", on_click=h.on_new),
        main_menu_button(),
        state=ApplySG.drafts,
        getter=g.drafts_getter,
    )


def _discard_window() -> Window:
    return Window(
        Tr(
            "Discard your unfinished application to {program_name}? Its answers and documents "
            "will be deleted."
        ),
        Row(
            Button(Tr("🗑 Yes, discard it"), id="discard_yes", on_click=h.on_discard_yes),
            Button(Tr("↩️ No, keep it"), id="discard_no", on_click=h.on_discard_no),
        ),
        state=ApplySG.discard,
        getter=g.discard_getter,
    )


def _programs_window() -> Window:
    return Window(
        Multi(
            notice_line(),
            Format("{course_text}\n", when="course_text"),
            Tr("Which program do you want to apply to?"),
            Format("{programs_text}"),
            sep="\n",
        ),
        Column(choices("program", "program_items", h.on_program, text="📝 {item[0]}")),
        main_menu_button(),
        state=ApplySG.programs,
        getter=g.programs_getter,
    )


def _not_eligible_window() -> Window:
    return Window(
        Multi(
            Tr("Sorry, you cannot apply to {program_name} right now, because:"),
            Format("{reasons}"),
            sep="\n",
        ),
        Button(Tr("👤 Update my profile"), id="profile", on_click=h.on_update_profile),
        Button(Tr("⬅️ Other programs"), id="programs", on_click=h.on_other_programs),
        handoff_button(h.on_handoff),
        main_menu_button(),
        state=ApplySG.not_eligible,
        getter=g.not_eligible_getter,
    )


def _course_window() -> Window:
    return Window(
        _draft_text(
            Format("{current_course}\n", when="current_course"),
            Tr("Which course do you want to take with {program_name}?", when="here"),
            Format("{scope_title}", when="here"),
            Format("{courses}", when="here"),
        ),
        Column(choices("course", "course_items", h.on_course), when="here"),
        Row(
            Button(Tr("◀️ Previous"), id=h.COURSE_PREV, on_click=h.on_course_page,
                   when="has_prev"),
            Button(Tr("Next ▶️"), id=h.COURSE_NEXT, on_click=h.on_course_page, when="has_next"),
        ),
        Button(Format("{scope_button}"), id="scope", on_click=h.on_course_scope,
               when="has_scope"),
        back_and_main_menu(h.on_course_back, when="here"),
        state=ApplySG.course,
        getter=g.course_getter,
    )


def _question_window() -> Window:
    return Window(
        _draft_text(
            Format("{progress}", when="progress"),
            Format("{question}", when="here"),
            Format("({help})", when="help"),
            Format("\n{current}", when="current"),
        ),
        MessageInput(h.on_answer_message, content_types=ANY_CONTENT),
        Column(choices("opt", "options", h.on_option), when="is_choice"),
        Row(
            Button(Tr("Yes"), id="yes", on_click=h.on_yes),
            Button(Tr("No"), id="no", on_click=h.on_no),
            when="is_yes_no",
        ),
        Button(Tr("⏭ Skip this question"), id="skip", on_click=h.on_skip, when="optional"),
        back_and_main_menu(h.on_question_back, when="here"),
        state=ApplySG.question,
        getter=g.question_getter,
    )


def _documents_window() -> Window:
    return Window(
        _draft_text(
            Tr(
                "Documents for your application. Press a document, then send it as a photo or "
                "as a file.",
                when="here",
            ),
            Format("{checklist}", when="here"),
        ),
        MessageInput(docs.on_checklist_message, content_types=ANY_CONTENT),
        Column(choices("doc", "document_items", docs.on_document_kind), when="here"),
        Button(Tr("➡️ Continue to the review"), id="docs_done", on_click=docs.on_documents_done,
               when="here"),
        back_and_main_menu(docs.on_documents_back, when="here"),
        state=ApplySG.documents,
        getter=g.documents_getter,
    )


def _upload_window() -> Window:
    return Window(
        _draft_text(
            upload_prompt(),
            Format("({help})", when="help"),
            Tr("Files received for it: {count} of up to {max_count}.", when="here"),
        ),
        MessageInput(docs.on_upload, content_types=ANY_CONTENT),
        Column(choices("rm", "remove_items", docs.on_remove_document), when="here"),
        Column(choices("reuse", "reuse_items", reuse.on_reuse_pick), when="here"),
        Button(Tr("✔️ Done, back to the list"), id="upload_done", on_click=docs.on_upload_done),
        main_menu_button(),
        state=ApplySG.upload,
        getter=g.upload_getter,
    )


def _reuse_window() -> Window:
    return Window(
        _draft_text(
            Tr("Use this file for «{name}»?", when="here"),
            Tr("It is the «{name}» you sent on {date} for your application {code} ({program}); "
               "a caseworker accepted it there.", when="here"),
            Tr("The same file is added to this application, and its caseworker checks it too.",
               when="here"),
        ),
        Row(
            Button(Tr("✅ Yes, use this file"), id="reuse_yes", on_click=reuse.on_reuse_yes,
                   when="here"),
            Button(Tr("↩️ No, go back"), id="reuse_no", on_click=reuse.on_reuse_no),
        ),
        state=ApplySG.reuse,
        getter=reuse.reuse_getter,
    )


def _review_window() -> Window:
    return Window(
        _draft_text(
            Tr("Please check your application to {program_name}:", when="here"),
            Tr("🎓 Course: {course}", when="here"),
            Format("{answers}", when="answers"),
            Tr("📎 Documents:", when="has_documents"),
            Format("{checklist}", when="has_documents"),
            Tr(
                "\nPress a number to change that answer, or send the application.",
                when="here",
            ),
        ),
        Group(choices("edit", "edit_items", r.on_edit_question), width=5, when="here"),
        Row(
            Button(Tr("✏️ Course"), id="edit_course", on_click=r.on_edit_course),
            Button(Tr("📎 Documents"), id="edit_docs", on_click=r.on_edit_documents,
                   when="has_documents"),
            when="here",
        ),
        Button(Tr("✅ Send my application"), id="submit", on_click=r.on_submit, when="here"),
        main_menu_button(),
        state=ApplySG.review,
        getter=g.review_getter,
    )


async def _on_start(_data: Any, manager: DialogManager) -> None:
    """Unfinished applications first, unless the person came with a course from its card or
    to continue one program's draft (My file)."""
    program_id = dialog_data.start_program(manager)
    if program_id is not None:
        await h.choose_program(manager, program_id)
    elif dialog_data.start_course(manager) is None:
        await h.show_drafts_or_programs(manager)


def apply_dialog() -> Dialog:
    return Dialog(
        _drafts_window(),
        _discard_window(),
        _programs_window(),
        _not_eligible_window(),
        _course_window(),
        _question_window(),
        _documents_window(),
        _upload_window(),
        _reuse_window(),
        _review_window(),
        on_start=_on_start,
    )
