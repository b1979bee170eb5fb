"""«💼 Job leads» (/jobs): the open leads that match the person, newest first, a page at a time;
and «🙋 I'm interested» under a lead (in the list or in a notice).

Plain handlers, like the notifications screen: they work from inside any open form. The
interest button's lead id proves nothing: JobLeadService checks the lead was sent or is listed
to this person; a forged or stale press gets a polite answer and changes nothing."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext

from bot.filters import MenuButton, OwnCallbackPrefix
from bot.handlers.fallback import on_unknown_callback
from bot.handlers.redraw import redraw
from bot.keyboards.job_leads import JobInterestCb, JobPageCb
from bot.keyboards.main_menu import MenuItem, label, main_menu_keyboard
from bot.platforms.bots import platform_of
from bot.texts.job_leads import interest_button, lead_text, number
from services.accounts import AccountContext
from services.job_leads import InterestOutcome, JobLeadService, LeadPage
from services.job_leads.model import PAGE_SIZE
from services.text import isolate_commands


def build_job_leads_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_job_leads, MenuButton(MenuItem.JOB_LEADS))
    router.message.register(on_job_leads, Command("jobs"))
    router.callback_query.register(on_page, JobPageCb.filter())
    router.callback_query.register(on_interest, JobInterestCb.filter())
    router.callback_query.register(on_unknown_callback, OwnCallbackPrefix(JobPageCb, JobInterestCb))
    return router


def page_text(page: LeadPage) -> str:
    if not page.leads:
        return "\n".join([
            label(MenuItem.JOB_LEADS),
            gettext("No open job lead matches you right now."),
            gettext("Job leads are for people enrolled in or done with a course, in their "
                    "province's field of work. When one is posted you will be told (see "
                    "«🔔 Notifications»)."),
        ])
    lines = [label(MenuItem.JOB_LEADS)]
    if page.pages > 1:
        lines.append(gettext("Page {page} of {pages} · open leads: {count}").format(
            page=number(page.page + 1), pages=number(page.pages), count=number(page.total)))
    for index, lead in enumerate(page.leads, start=page.page * PAGE_SIZE + 1):
        lines += ["", number(index) + ". " + lead_text(lead)]
    return "\n".join(lines)


def page_keyboard(page: LeadPage) -> InlineKeyboardMarkup | None:
    rows = [[interest_button(lead, True)] for lead in page.leads]
    arrows = []
    if page.page > 0:
        arrows.append(InlineKeyboardButton(
            text=gettext("◀️ Previous"), callback_data=JobPageCb(page=page.page - 1).pack()))
    if page.page + 1 < page.pages:
        arrows.append(InlineKeyboardButton(
            text=gettext("Next ▶️"), callback_data=JobPageCb(page=page.page + 1).pack()))
    if arrows:
        rows.append(arrows)
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


async def on_job_leads(
    message: Message, job_lead_service: JobLeadService, account: AccountContext | None = None
) -> None:
    if account is None or not account.registered:
        await message.answer(
            gettext("Job leads are for registered people who took a course: press «📝 Register»."),
            reply_markup=main_menu_keyboard(registered=False),
        )
        return
    page = await job_lead_service.leads_for(account.person_id, 0)
    await message.answer(page_text(page), reply_markup=page_keyboard(page))


async def on_page(
    callback: CallbackQuery, callback_data: JobPageCb, bot: Bot,
    job_lead_service: JobLeadService, account: AccountContext | None = None,
) -> None:
    if account is None:
        await on_unknown_callback(callback)
        return
    page = await job_lead_service.leads_for(account.person_id, callback_data.page)
    await callback.answer()
    await redraw(bot, callback, page_text(page), page_keyboard(page))


async def on_interest(
    callback: CallbackQuery, callback_data: JobInterestCb, bot: Bot,
    job_lead_service: JobLeadService, account: AccountContext | None = None,
) -> None:
    if account is None:
        await on_unknown_callback(callback)
        return
    result = await job_lead_service.interest(
        account.person_id, callback_data.lead_id, platform_of(bot)
    )
    if result.outcome is InterestOutcome.NOT_YOURS:
        await callback.answer(
            gettext("Sorry, this job lead is not available to you. See «💼 Job leads» for "
                    "the ones that match you."), show_alert=True)
        return
    if result.outcome is InterestOutcome.ALREADY:
        await callback.answer(
            gettext("You have already said you are interested in this job lead; a caseworker "
                    "will contact you."), show_alert=True)
        return
    if result.outcome is InterestOutcome.CLOSED:
        if result.lead is not None and result.lead.withdrawn:
            closed = gettext("Sorry, this job lead is closed: it has been withdrawn. See "
                             "«💼 Job leads» for the open ones that match you.")
        else:
            closed = gettext("Sorry, this job lead is closed: its deadline has passed.")
        await callback.answer(closed, show_alert=True)
        return
    assert result.lead is not None
    await callback.answer(gettext("✅ Recorded."))
    words = [gettext("✅ Your interest in «{title}» was recorded.").format(title=result.lead.title)]
    if result.staff_told:
        words.append(gettext("A caseworker of {province} has been told and will contact you "
                             "here. You can also write to them now: «{talk}».").format(
            province=result.lead.province, talk=label(MenuItem.CASEWORKER)))
    else:
        words.append(gettext("A caseworker will see it as soon as one is available."))
    words.append(gettext("Also apply as the lead says: {how}").format(how=result.lead.how_to_apply))
    await bot.send_message(callback.from_user.id, isolate_commands("\n".join(words)))
