"""📂 My file: every application with its status; one application with its status timeline,
its documents and their states, uploads the caseworker asked for, and withdrawal."""

from __future__ import annotations

from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Column, Row, Start
from aiogram_dialog.widgets.text import Format, Multi, Text

from bot.dialogs.applications.entry import upload_prompt
from bot.dialogs.certificates.states import CertificatesSG
from bot.dialogs.handoff import handoff_button
from bot.dialogs.my_file import getters as g
from bot.dialogs.my_file import handlers as h
from bot.dialogs.my_file.states import MyFileSG
from bot.dialogs.widgets import (
    ANY_CONTENT,
    Tr,
    back_and_main_menu,
    choices,
    main_menu_button,
    notice_line,
)


def _file_text(*lines: Text) -> Multi:
    """An application screen's text: the notice, a word if it is gone, then `lines`."""
    return Multi(notice_line(), _gone(), *lines, sep="\n")


def _gone() -> Tr:
    return Tr("This application is not in your file. Please use the menu.", when="gone")


def _listing() -> Window:
    return Window(
        Multi(
            notice_line(),
            Tr("📂 Your applications:", when="any"),
            Format("{applications}", when="any"),
            Tr("Press one to see its details.", when="any"),
            Tr("You have no applications yet. Press «📝 Apply» to start one.", when="empty"),
            Tr("\n🗓 Your exams ahead:", when="has_exams"),
            Format("{exams}", when="has_exams"),
            Tr("\n🎓 Your certificates:", when="has_certificates"),
            Format("{certificates}", when="has_certificates"),
            sep="\n",
        ),
        Column(choices("app", "app_items", h.on_application)),
        Start(Tr("🎓 My certificates"), id="certificates", state=CertificatesSG.listing),
        main_menu_button(),
        state=MyFileSG.listing,
        getter=g.listing_getter,
    )


def _detail() -> Window:
    return Window(
        _file_text(
            Format("📄 {program_name}", when="here"),
            Tr("Tracking code: {tracking}", when="has_code"),
            Tr("🎓 Course: {course}", when="course"),
            Tr("Status: {status}", when="here"),
            Format("{explanation}", when="here"),
            Tr("\n🕓 What happened so far:", when="here"),
            Format("{timeline}", when="here"),
            Tr("\n📎 Documents:", when="has_documents"),
            Format("{checklist}", when="has_documents"),
        ),
        Column(choices("up", "upload_items", h.on_upload_kind)),
        Button(Tr("📤 Send the documents for review"), id="send_docs",
               on_click=h.on_send_documents, when="can_send"),
        Button(Tr("✏️ Continue filling it in"), id="continue", on_click=h.on_continue_draft,
               when="is_draft"),
        Button(Tr("🗑 Discard this unfinished application"), id="discard",
               on_click=h.on_discard_ask, when="is_draft"),
        Button(Tr("↩️ Withdraw this application"), id="withdraw", on_click=h.on_withdraw_ask,
               when="can_withdraw"),
        handoff_button(h.on_handoff, when="here"),
        Row(
            Button(Tr("⬅️ All my applications"), id="list", on_click=h.on_back_to_list),
            main_menu_button(),
        ),
        state=MyFileSG.detail,
        getter=g.detail_getter,
    )


def _upload() -> Window:
    return Window(
        _file_text(
            upload_prompt(),
            Tr("The caseworker's note: {note}", when="note"),
        ),
        MessageInput(h.on_upload, content_types=ANY_CONTENT),
        back_and_main_menu(h.on_upload_back),
        state=MyFileSG.upload,
        getter=g.upload_getter,
    )


def _withdraw() -> Window:
    return Window(
        _file_text(
            Tr(
                "Do you really want to withdraw your application {tracking} to {program_name}? "
                "This cannot be undone.",
                when="here",
            ),
            Tr(
                "⚠️ You will give up your place in the course, and you cannot get it back.",
                when="gives_up_seat",
            ),
            Tr("If you like, type the reason first (you may also leave it out).", when="here"),
            Tr("Your reason: {reason}", when="reason"),
        ),
        MessageInput(h.on_withdraw_reason, content_types=ANY_CONTENT),
        Row(
            Button(Tr("↩️ Yes, withdraw it"), id="withdraw_yes", on_click=h.on_withdraw_yes,
                   when="here"),
            Button(Tr("No, keep it"), id="withdraw_no", on_click=h.on_withdraw_no),
        ),
        state=MyFileSG.withdraw,
        getter=g.withdraw_getter,
    )


def _discard() -> Window:
    # The same words as the apply form's own discard question.
    return Window(
        _file_text(
            Tr(
                "Discard your unfinished application to {program_name}? Its answers and "
                "documents will be deleted.",
                when="here",
            ),
        ),
        Row(
            Button(Tr("🗑 Yes, discard it"), id="discard_yes", on_click=h.on_discard_yes,
                   when="here"),
            Button(Tr("↩️ No, keep it"), id="discard_no", on_click=h.on_discard_no),
        ),
        state=MyFileSG.discard,
        getter=g.withdraw_getter,
    )


def my_file_dialog() -> Dialog:
    return Dialog(_listing(), _detail(), _upload(), _withdraw(), _discard())
