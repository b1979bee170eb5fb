"""Administrators manage staff: /addcaseworker, /removestaff, /staff.

Accounts are written `platform:user_id` (e.g. `telegram:123456`); provinces follow, separated by
commas. The log says who changed what by account id only (no names or other personal data)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from aiogram.utils.i18n import gettext

from bot.config import PLATFORMS, Settings
from bot.handlers.staff.filters import IsStaff
from services.provinces import PROVINCES, canonical_province
from services.staff import StaffMember, StaffRoster, StaffService
from services.text import isolate, isolate_commands, normalize_digits

logger = logging.getLogger(__name__)

ROLE_COMMANDS = ("addcaseworker", "removestaff", "staff")
_LIST_SEPARATORS = re.compile(r"[,،;؛\n]+")


def build_roles_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_add_caseworker, Command("addcaseworker"), IsStaff(admin=True))
    router.message.register(on_remove_staff, Command("removestaff"), IsStaff(admin=True))
    router.message.register(on_list_staff, Command("staff"), IsStaff(admin=True))
    # A caseworker (staff, not admin) gets told why nothing happened.
    router.message.register(on_not_admin, Command(*ROLE_COMMANDS), IsStaff())
    return router


@dataclass(frozen=True, slots=True)
class AccountRef:
    platform: str
    user_id: int

    def __str__(self) -> str:
        return f"{self.platform}:{self.user_id}"


def parse_account(text: str) -> AccountRef | None:
    """`telegram:123456` (any digits, any case, stray spaces) or None."""
    platform, sep, raw_id = normalize_digits(text).strip().partition(":")
    platform = platform.strip().lower()
    raw_id = raw_id.strip()
    if not sep or platform not in PLATFORMS or not raw_id.isascii() or not raw_id.isdigit():
        return None
    user_id = int(raw_id)
    return AccountRef(platform, user_id) if user_id > 0 else None


def parse_provinces(text: str) -> tuple[list[str], list[str]]:
    """(official names, names not recognised) of a comma-separated list."""
    known: list[str] = []
    unknown: list[str] = []
    for raw in _LIST_SEPARATORS.split(text):
        name = raw.strip()
        if not name:
            continue
        canonical = canonical_province(name)
        if canonical is None:
            unknown.append(name)
        elif canonical not in known:
            known.append(canonical)
    return known, unknown


def _account_usage() -> str:
    return gettext(
        "Write the account as platform:number, for example telegram:123456 or bale:123456."
    )


async def on_add_caseworker(
    message: Message,
    command: CommandObject,
    staff: StaffMember,
    staff_service: StaffService,
    staff_roster: StaffRoster,
) -> None:
    first, _, rest = (command.args or "").strip().partition(" ")
    account = parse_account(first) if first else None
    if account is None:
        await message.answer(isolate_commands(
            gettext("Usage: /addcaseworker platform:number [provinces, comma-separated]")
            + "\n" + _account_usage()
            + "\n" + gettext("Example: /addcaseworker telegram:123456 تهران، البرز")
        ))
        return
    provinces, unknown = parse_provinces(rest)
    if unknown:
        await message.answer(
            gettext("I do not know these provinces: {names}").format(names="، ".join(unknown))
            + "\n" + gettext("Nothing was changed. Write province names separated by commas.")
        )
        return
    member = await staff_service.add_caseworker(
        account.platform, account.user_id, provinces or None
    )
    staff_roster.forget()
    logger.info(
        "staff: %s:%s made %s a caseworker for %s",
        staff.platform, staff.user_id, account, len(provinces) or "all provinces",
    )
    await message.answer(
        gettext("✅ {account} is now a caseworker.").format(account=isolate(str(account)))
        + "\n" + _scope_text(member)
    )


async def on_remove_staff(
    message: Message,
    command: CommandObject,
    staff: StaffMember,
    staff_service: StaffService,
    staff_roster: StaffRoster,
    settings: Settings,
) -> None:
    account = parse_account(command.args or "")
    if account is None:
        await message.answer(isolate_commands(
            gettext("Usage: /removestaff platform:number") + "\n" + _account_usage()
        ))
        return
    removed = await staff_service.remove(account.platform, account.user_id)
    staff_roster.forget()
    shown = isolate(str(account))
    if not removed:
        await message.answer(gettext("{account} is not on the staff list.").format(account=shown))
        return
    logger.info("staff: %s:%s removed %s from staff", staff.platform, staff.user_id, account)
    text = gettext("✅ {account} is no longer staff.").format(account=shown)
    if (account.platform, account.user_id) in settings.admin_accounts:
        text += "\n" + gettext(
            "Note: this account is listed in ADMINS, so it becomes an administrator again "
            "when the bot restarts. Remove it from ADMINS too."
        )
    await message.answer(text)


async def on_list_staff(message: Message, staff_service: StaffService) -> None:
    members = await staff_service.all_members()
    if not members:
        await message.answer(gettext("There are no staff members yet."))
        return
    lines = [gettext("Staff members:")]
    for member in members:
        role = gettext("administrator") if member.is_admin else gettext("caseworker")
        lines.append(f"▫️ {isolate(f'{member.platform}:{member.user_id}')} — {role}")
        if not member.is_admin:
            lines.append("   " + _scope_text(member))
    await message.answer("\n".join(lines))


async def on_not_admin(message: Message) -> None:
    await message.answer(gettext("Only administrators can manage staff."))


def _scope_text(member: StaffMember) -> str:
    if member.provinces is None:
        return gettext("Provinces: all")
    names = [name for name in PROVINCES if name in member.provinces]  # the usual order
    return gettext("Provinces: {names}").format(names="، ".join(names))
