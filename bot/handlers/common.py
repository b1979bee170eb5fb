"""/start, /help, /cancel and the main-menu buttons that lead to them."""

from __future__ import annotations

from functools import cache

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import Message
from aiogram.utils.i18n import get_i18n, gettext
from aiogram_dialog import DialogManager

from bot.dialogs.courses.entry import is_course_link, open_course_link
from bot.dialogs.registration.entry import start_registration
from bot.filters import MenuButton, StrayCallback
from bot.handlers.fallback import on_unknown_callback
from bot.handlers.staff.help import staff_help_text
from bot.keyboards.main_menu import MenuItem, main_menu_keyboard, show_main_menu
from bot.middlewares.menu_shortcuts import MenuShortcut
from bot.notifications.notifier import Notifier
from bot.platforms.bots import platform_of
from bot.texts.tickets import ended_text
from services.accounts import AccountContext
from services.staff import StaffRoster, StaffService
from services.text import isolate_commands
from services.tickets import TicketService


def build_common_router() -> Router:
    router = Router(name=__name__)
    # Links first: `/start course_<code>` opens a course card, also for people not registered.
    router.message.register(on_start_link, CommandStart(deep_link=True))
    router.message.register(on_start, CommandStart())
    router.message.register(on_register, MenuButton(MenuItem.REGISTER))
    router.message.register(on_help, Command("help"))
    router.message.register(on_help, MenuButton(MenuItem.HELP))
    router.message.register(on_cancel_command, Command("cancel"))
    router.message.register(on_cancel, MenuButton(MenuItem.MAIN_MENU))
    # Before the form: an open form would otherwise swallow forged buttons without a word.
    router.callback_query.register(on_unknown_callback, StrayCallback())
    return router


def menu_shortcuts() -> dict[MenuItem, MenuShortcut]:
    """Taps of this router that bot.middlewares.menu_shortcuts may answer ahead of the tree: the
    same handlers, for those the filters above would give them to."""
    return {
        MenuItem.HELP: MenuShortcut(on_help),
        MenuItem.REGISTER: MenuShortcut(
            show_main_menu, applies=lambda account: account.registered
        ),
    }


async def on_start(
    message: Message, account: AccountContext, dialog_manager: DialogManager
) -> None:
    if account.registered:
        await message.answer(
            gettext("Hello again! 🌱")
            + "\n"
            + gettext("Main menu. Choose one of the buttons below."),
            reply_markup=main_menu_keyboard(registered=True),
        )
        return
    await start_registration(dialog_manager)


async def on_start_link(
    message: Message,
    command: CommandObject,
    account: AccountContext,
    dialog_manager: DialogManager,
) -> None:
    """`/start <payload>` from a shared link; a payload of no known kind is a plain /start."""
    if not is_course_link(command.args):
        await on_start(message, account, dialog_manager)
        return
    # Someone arriving by a link may have no main menu under the chat yet.
    await message.answer(
        gettext("Welcome to Maharatyar! 🌱"),
        reply_markup=main_menu_keyboard(registered=account.registered),
    )
    await open_course_link(dialog_manager, command.args or "")


async def on_register(
    message: Message, account: AccountContext, dialog_manager: DialogManager
) -> None:
    if account.registered:
        await show_main_menu(message, account)
        return
    await start_registration(dialog_manager)


@cache
def _help_lines(_locale: str) -> tuple[str, ...]:
    """The help text of one language, built once: a menu tap is the hottest path, and the eleven
    translations and their command isolation were a tenth of it."""
    lines = (
        gettext("Maharatyar helps you register for free skill training."),
        gettext("• /start — begin, or continue where you stopped"),
        gettext("• 📚 Skill courses — browse, search and save courses (no registration needed)"),
        gettext("• 🧭 Career counseling — a few questions, then fields of work and courses "
                "that suit you (after registering)"),
        gettext("• 📝 Apply (/apply) — apply to Hamnava or Karafan with a course, send your "
                "documents (after registering)"),
        gettext("• 📂 My file (/myfile) — where your applications stand, documents asked "
                "for, withdrawing"),
        gettext("• /profile — see and change your details"),
        gettext("• 🔔 Notifications (/notifications) — turn general news on or off"),
        gettext("• /language — فارسی / English"),
        gettext("• /cancel — stop what you are doing and go back to the main menu"),
        gettext("Your answers are kept: you can stop at any time and continue later."),
    )
    # Each line is its own paragraph: «• /start — …» must stay right-to-left and keep the slash.
    return tuple(isolate_commands(line) for line in lines)


async def on_help(
    message: Message,
    account: AccountContext,
    bot: Bot,
    staff_service: StaffService,
    staff_roster: StaffRoster,
) -> None:
    lines = list(_help_lines(get_i18n().current_locale))
    # Staff commands are shown to staff only (the roster spares beneficiaries a query).
    user_id = message.from_user.id if message.from_user else 0
    staff = (
        await staff_service.member(platform_of(bot), user_id)
        if await staff_roster.may_be_staff(platform_of(bot), user_id) else None
    )
    if staff is not None:
        lines += ["", staff_help_text(staff)]
    await message.answer("\n".join(lines), reply_markup=main_menu_keyboard(
        registered=account.registered))


async def on_cancel_command(
    message: Message, account: AccountContext, dialog_manager: DialogManager,
    ticket_service: TicketService, notifier: Notifier,
) -> None:
    """/cancel ends a conversation with a caseworker first (the menu button does not: the menu
    keeps working while one is open)."""
    if await ticket_service.close_by_person(account.person_id) is None:
        await on_cancel(message, account, dialog_manager)
        return
    notifier.queued()
    if dialog_manager.has_context():
        await dialog_manager.reset_stack()
    await message.answer(ended_text(), reply_markup=main_menu_keyboard(
        registered=account.registered))


async def on_cancel(
    message: Message, account: AccountContext, dialog_manager: DialogManager
) -> None:
    # Only the open screen is closed; an unfinished registration stays saved for later.
    if dialog_manager.has_context():
        await dialog_manager.reset_stack()
    await message.answer(
        gettext("Stopped. Anything you already answered is kept.")
        + "\n" + gettext("Main menu. Choose one of the buttons below."),
        reply_markup=main_menu_keyboard(registered=account.registered),
    )
