"""Course browsing: list, filters, search, card, saved courses. Inline buttons only:
the main menu stays under the chat as the way out."""

from __future__ import annotations

from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Column, Group, Row, SwitchTo
from aiogram_dialog.widgets.text import Format, Multi

from bot.dialogs.courses import getters as g
from bot.dialogs.courses import handlers as h
from bot.dialogs.courses.card_actions import card_actions
from bot.dialogs.courses.states import CoursesSG
from bot.dialogs.waitlist_buttons import (
    on_wait_for_course,
    on_wait_for_linked,
    on_wait_for_search,
    on_wait_for_standard,
    wait_button,
)
from bot.dialogs.widgets import (
    ANY_CONTENT,
    Tr,
    back_and_main_menu,
    choices,
    main_menu_button,
    notice_line,
)


def _listing() -> Window:
    return Window(
        Multi(
            notice_line(warning=True),
            Format("🔎 {summary}"),
            Format("{page_line}", when="has_items"),
            Tr("Tap a course to see its details.", when="has_items"),
            Tr("No open courses match what you chose.", when="empty"),
            Tr("Maybe you meant one of these:", when="has_spellings"),
            Format("{without_filters_line}", when="without_filters_line"),
            Tr("You can also look through the courses of a field, or search with other words.",
               when="search_empty"),
            Tr("Press «✖️ Clear filters» to see all open courses.", when="empty_filtered"),
            sep="\n",
        ),
        Column(choices("crs", "courses", h.on_course)),
        Column(choices("sug", "spellings", h.on_spelling)),
        Button(Tr("✖️ Clear filters, keep the search"), id="clear_keep",
               on_click=h.on_clear_filters_keep_search, when="without_filters_line"),
        Button(Tr("🗂 Browse by field"), id="by_field", on_click=h.on_browse_fields,
               when="search_empty"),
        wait_button("wait_list", on_wait_for_search, when="empty"),
        Button(Tr("🔔 Tell me when the linked course opens again"), id="wait_link",
               on_click=on_wait_for_linked, when="closed_link"),
        Row(
            Button(Tr("◀️ Previous"), id=h.PREV_PAGE, on_click=h.on_page, when="has_prev"),
            Button(Format("{first_page}"), id=h.FIRST_PAGE, on_click=h.on_page, when="has_prev"),
            Button(Tr("Next ▶️"), id=h.NEXT_PAGE, on_click=h.on_page, when="has_next"),
        ),
        Row(
            SwitchTo(Tr("🔎 Search"), id="to_search", state=CoursesSG.search),
            SwitchTo(Tr("⚙️ Filters"), id="to_filters", state=CoursesSG.filters),
        ),
        Button(Tr("✖️ Clear filters"), id="clear", on_click=h.on_clear_filters, when="can_clear"),
        Row(
            SwitchTo(Tr("⭐ Saved courses"), id="to_saved", state=CoursesSG.saved),
            main_menu_button(),
        ),
        state=CoursesSG.listing,
        getter=g.listing_getter,
    )


def _marked(mark: str, msgid: str) -> Multi:
    return Multi(Format("{" + mark + "}"), Tr(msgid), sep=" ")


def _filters() -> Window:
    return Window(
        Multi(
            Tr("Choose what to show; tap a chosen item again to turn it off."),
            Format("🔎 {summary}"),
            sep="\n",
        ),
        SwitchTo(Multi(Tr("📍 Province:"), Format("{province_label}"), sep=" "),
                 id="f_prov", state=CoursesSG.provinces),
        SwitchTo(Multi(Tr("🗂 Field:"), Format("{cluster_label}"), sep=" "),
                 id="f_field", state=CoursesSG.clusters),
        Row(
            Button(_marked("m_gov", "Government centers"), id=h.GOVERNMENT_CENTERS,
                   on_click=h.on_center_type),
            Button(_marked("m_priv", "Private institutes"), id=h.PRIVATE_INSTITUTES,
                   on_click=h.on_center_type),
        ),
        Button(_marked("m_hamnava", "Hamnava-covered"), id=h.HAMNAVA_ONLY, on_click=h.on_toggle),
        Button(_marked("m_karafan", "Karafan track"), id=h.KARAFAN_ONLY, on_click=h.on_toggle),
        Button(_marked("m_dorm", "With dormitory"), id=h.DORMITORY_ONLY, on_click=h.on_toggle),
        Row(choices("f_months", "months", h.on_months)),
        Row(
            Button(Tr("✖️ Clear all"), id="f_clear", on_click=h.on_clear_filters),
            SwitchTo(Tr("✅ Show courses"), id="f_done", state=CoursesSG.listing),
        ),
        state=CoursesSG.filters,
        getter=g.filters_getter,
    )


def _picker_pages(prefix: str, page_text: str, when: str | None = None) -> Row:
    """◀️ «Page 2 of 4» ▶️ under a picker; h.on_picker_page tells the pickers apart by `prefix`."""
    return Row(
        Button(Tr("◀️ Previous"), id=h.picker_page_id(prefix, h.PREV_PAGE),
               on_click=h.on_picker_page),
        Button(Format("{" + page_text + "}"), id=h.picker_page_id(prefix, h.FIRST_PAGE),
               on_click=h.on_picker_page),
        Button(Tr("Next ▶️"), id=h.picker_page_id(prefix, h.NEXT_PAGE),
               on_click=h.on_picker_page),
        when=when,
    )


def _provinces() -> Window:
    return Window(
        Tr("Courses of which province?"),
        Button(_marked("m_all", "All provinces"), id="prov_all", on_click=h.on_all_provinces),
        Group(choices("prov", "provinces", h.on_province), width=2),
        _picker_pages(h.PROVINCE_PICKER, "province_page"),
        SwitchTo(Tr("⬅️ Back"), id="prov_back", state=CoursesSG.filters),
        state=CoursesSG.provinces,
        getter=g.provinces_getter,
    )


def _clusters() -> Window:
    return Window(
        Tr("Which field of work?"),
        Tr("There are no open courses in this province yet.", when="no_clusters"),
        Button(_marked("m_all", "All fields"), id="clu_all", on_click=h.on_all_clusters),
        Group(choices("clu", "clusters", h.on_cluster), width=2),
        _picker_pages(h.CLUSTER_PICKER, "cluster_page", when="cluster_paged"),
        SwitchTo(Tr("⬅️ Back"), id="clu_back", state=CoursesSG.filters),
        state=CoursesSG.clusters,
        getter=g.clusters_getter,
    )


def _search() -> Window:
    return Window(
        Multi(
            notice_line(warning=True),
            Tr("🔎 Type what you are looking for, a job or a skill. "
               "For example «خیاطی» or «رایانه»."),
            Multi(Tr("Searching now:"), Format("«{query}»"), sep=" ", when="query"),
            sep="\n",
        ),
        MessageInput(h.on_search_text, content_types=ANY_CONTENT),
        Button(Tr("✖️ Clear search"), id="s_clear", on_click=h.on_clear_search, when="query"),
        SwitchTo(Tr("⬅️ Back"), id="s_back", state=CoursesSG.listing),
        state=CoursesSG.search,
        getter=g.search_getter,
    )


def _card() -> Window:
    return Window(
        Format("{card_text}"),
        Button(Tr("⭐ Save"), id="save", on_click=h.on_save, when="can_save"),
        Button(Tr("✖️ Remove from saved"), id="unsave", on_click=h.on_unsave, when="is_saved"),
        Button(Tr("📤 Share"), id="share", on_click=h.on_share, when="found"),
        Button(Tr("🔔 Tell me when this course has seats again"), id="wait_code",
               on_click=on_wait_for_course, when="closed"),
        Button(Tr("🔔 Tell me when a course of this standard opens here"), id="wait_std",
               on_click=on_wait_for_standard, when="closed"),
        *card_actions(),
        back_and_main_menu(h.on_card_back, back_id="card_back"),
        state=CoursesSG.card,
        getter=g.card_getter,
    )


def _saved() -> Window:
    return Window(
        Multi(
            notice_line(warning=True),
            Tr("⭐ Your saved courses (⛔ full, ⏳ already started):", when="has_saved"),
            Tr("You have not saved any course yet. Open a course and press «⭐ Save».",
               when="none_saved"),
            sep="\n",
        ),
        Column(choices("sv", "saved", h.on_saved_course)),
        Row(SwitchTo(Tr("⬅️ Back to the list"), id="sv_back", state=CoursesSG.listing),
            main_menu_button()),
        state=CoursesSG.saved,
        getter=g.saved_getter,
    )


def courses_dialog() -> Dialog:
    return Dialog(
        _listing(),
        _filters(),
        _provinces(),
        _clusters(),
        _search(),
        _card(),
        _saved(),
        on_start=h.on_dialog_start,
    )
