"""Ways into My certificates: «🎓 My certificates» in the main menu and /certificates (My file
has its own button)."""

from __future__ import annotations

from aiogram import Router
from aiogram_dialog import DialogManager, ShowMode, StartMode

from bot.dialogs.certificates.states import CertificatesSG
from bot.dialogs.entry import menu_entry_router, register_first
from bot.i18n import N_
from bot.keyboards.main_menu import MenuItem


def build_certificates_menu_router() -> Router:
    return menu_entry_router(
        __name__, MenuItem.CERTIFICATES, "certificates", open_certificates,
        unregistered=register_first(
            N_("Your certificates are kept in your file, which starts when you register: "
               "press «📝 Register».")
        ),
    )


async def open_certificates(manager: DialogManager) -> None:
    await manager.start(CertificatesSG.listing, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND)
