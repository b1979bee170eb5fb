"""🎓 My certificates: the certificates issued to the person (number, date, standard), and the
exam sessions ahead of them, with the way back to My file and to the main menu."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.kbd import Row, Start
from aiogram_dialog.widgets.text import Format, Multi

from bot.dialogs import context as ctx
from bot.dialogs.certificates.states import CertificatesSG
from bot.dialogs.my_file.states import MyFileSG
from bot.dialogs.widgets import Tr, main_menu_button
from bot.texts.exams import certificate_lines


async def certificates_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    certificates = await ctx.services(dialog_manager).exam_service.certificates_of(
        ctx.person_id(dialog_manager)
    )
    lines = [line for certificate in certificates for line in certificate_lines(certificate)]
    return {"certificates": "\n".join(lines), "any": bool(certificates),
            "empty": not certificates}


def certificates_dialog() -> Dialog:
    return Dialog(Window(
        Multi(
            Tr("🎓 Your certificates:", when="any"),
            Format("{certificates}", when="any"),
            Tr("You have no certificates yet. When you pass the practical exam of your course, "
               "your certificate will be shown here.", when="empty"),
            sep="\n",
        ),
        Row(
            Start(Tr("📂 My file"), id="file", state=MyFileSG.listing,
                  mode=StartMode.RESET_STACK),
            main_menu_button(),
        ),
        state=CertificatesSG.listing,
        getter=certificates_getter,
    ))
