"""📣 A broadcast: the message, the audience with its live count, a preview, confirm."""

from __future__ import annotations

from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Column, Row, ScrollingGroup
from aiogram_dialog.widgets.text import Format, Multi

from bot.dialogs.broadcast import getters as g
from bot.dialogs.broadcast import handlers as h
from bot.dialogs.broadcast.states import BroadcastSG
from bot.dialogs.widgets import ANY_CONTENT, Tr, choices, notice_line


def _cancel() -> Button:
    return Button(Tr("✖️ Cancel"), id="cancel", on_click=h.on_cancel)


def _compose() -> Window:
    return Window(
        Multi(
            notice_line(warning=True),
            Tr("📣 New broadcast.\nSend the message: a text, or a photo or document with a "
               "caption."),
            sep="\n",
        ),
        MessageInput(h.on_message, content_types=ANY_CONTENT),
        Row(Button(Tr("⬅️ Back"), id="back", on_click=h.on_back_to_audience, when="has_draft"),
            _cancel()),
        state=BroadcastSG.compose,
        getter=g.compose_getter,
    )


def _audience() -> Window:
    return Window(
        Multi(
            Tr("👥 Who gets it?"),
            Tr("📱 Messenger: {messenger}", when="several_messengers"),
            Tr("📍 Provinces: {provinces}"),
            Tr("🎓 Program: {programs}"),
            Tr("📋 Application status: {statuses}"),
            Tr("🛠 Course field: {fields}"),
            Tr("🗓 Registered: {since}"),
            Tr("\nRecipients now: {count}"),
            sep="\n",
        ),
        Row(
            Button(Tr("📱 Messenger"), id="platforms", on_click=h.on_facet,
                   when="several_messengers"),
            Button(Tr("📍 Provinces"), id="provinces", on_click=h.on_facet),
        ),
        Row(
            Button(Tr("🎓 Program"), id="programs", on_click=h.on_facet),
            Button(Tr("📋 Status"), id="statuses", on_click=h.on_facet),
        ),
        Row(
            Button(Tr("🛠 Course field"), id="fields", on_click=h.on_facet),
            Button(Tr("🗓 Registered"), id="since_days", on_click=h.on_facet),
        ),
        Button(Tr("👥 Everyone"), id="everyone", on_click=h.on_everyone),
        Button(Tr("👁 Preview"), id="preview", on_click=h.on_preview),
        Row(Button(Tr("✏️ Change the message"), id="change", on_click=h.on_change_message),
            _cancel()),
        state=BroadcastSG.audience,
        getter=g.audience_getter,
    )


def _pick() -> Window:
    return Window(
        Format("{title}"),
        ScrollingGroup(
            choices("opt", "options", h.on_option), id="opts", width=2, height=8,
            hide_on_single_page=True,
        ),
        Row(
            Button(Tr("↩️ Any"), id="clear", on_click=h.on_clear_facet, when="multi"),
            Button(Tr("✅ Done"), id="done", on_click=h.on_back_to_audience),
        ),
        state=BroadcastSG.pick,
        getter=g.pick_getter,
    )


def _preview() -> Window:
    return Window(
        Multi(
            notice_line(warning=True),
            Format("⚠️ {problem}", when="problem"),
            Tr("☝️ This is how it will look.", when="can_send"),
            Tr("It goes to {count} recipients.", when="can_send"),
            Tr("Nobody matches this audience. Please change it.", when="empty"),
            sep="\n",
        ),
        Button(Tr("✅ Send it to {count}"), id="confirm", on_click=h.on_confirm,
               when="can_send"),
        Column(
            Button(Tr("👥 Change the audience"), id="audience", on_click=h.on_back_to_audience),
            Button(Tr("✏️ Change the message"), id="change", on_click=h.on_change_message,
                   when="problem"),
            _cancel(),
        ),
        state=BroadcastSG.preview,
        getter=g.preview_getter,
    )


def broadcast_dialog() -> Dialog:
    return Dialog(_compose(), _audience(), _pick(), _preview())
