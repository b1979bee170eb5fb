"""Persian text rules: digits, letter folding, search keys, bidi isolation, number formatting.

Pure functions, no aiogram: used by validators, the catalog import, search and the handlers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

ZWNJ = "\u200c"
FSI = "\u2068"
LRI = "\u2066"
PDI = "\u2069"
RLM = "\u200f"
PERSIAN_THOUSANDS_SEPARATOR = "\u066c"  # «٬»

_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_ASCII_DIGITS = "0123456789"

_TO_ASCII_DIGITS = str.maketrans(_PERSIAN_DIGITS + _ARABIC_DIGITS, _ASCII_DIGITS * 2)
_TO_PERSIAN_DIGITS = str.maketrans(_ASCII_DIGITS + _ARABIC_DIGITS, _PERSIAN_DIGITS * 2)

# Arabic keyboards (and many Windows layouts) type these instead of the Persian letters.
_ARABIC_TO_PERSIAN_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})

# Only for search: variants a user may or may not bother to type (آ/ا, ۀ/ه, ...).
_SEARCH_FOLD = str.maketrans(
    {
        "آ": "ا",
        "أ": "ا",
        "إ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ۀ": "ه",
        "ؤ": "و",
        "ئ": "ی",
        "ھ": "ه",  # U+06BE, heh doachashmee: Urdu keyboards and some Persian fonts' pages
        "ڪ": "ک",  # U+06AA, swash kaf
    }
)
# Arabic presentation forms (old PDFs and some phones paste these); NFKC turns each into the
# ordinary letters. Only these blocks: NFKC elsewhere would also fold digits, fractions, ...
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]+")
# Marks that set text direction, pasted from other apps around numbers and dates: LRM, RLM,
# LRE..RLO, LRI..PDI and the Arabic letter mark. They carry nothing a validator needs.
_BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
_DIACRITICS_AND_TATWEEL = re.compile("[\u064b-\u065f\u0670\u0640]")
_SPACES = re.compile(r"\s+")
# A ZWNJ next to a space, or repeated, carries nothing and breaks equality of display names:
# a run of spaces and ZWNJs holding at least one space is one space.
_ZWNJ_AROUND_SPACE = re.compile(f"[\\s{ZWNJ}]*\\s[\\s{ZWNJ}]*")
_REPEATED_ZWNJ = re.compile(f"{ZWNJ}{{2,}}")


def normalize_digits(s: str) -> str:
    """Persian and Arabic-Indic digits to ASCII."""
    return s.translate(_TO_ASCII_DIGITS)


def strip_bidi_marks(s: str) -> str:
    """Typed input without direction marks (never for display: isolates there are wanted)."""
    return _BIDI_MARKS.sub("", s)


def to_persian_digits(s: str) -> str:
    """ASCII and Arabic-Indic digits to Persian."""
    return s.translate(_TO_PERSIAN_DIGITS)


def is_persian_locale(locale: str | None) -> bool:
    return bool(locale) and re.split(r"[-_]", str(locale))[0].lower() == "fa"


def join_words(items: Iterable[str], locale: str | None) -> str:
    """A list inside a sentence: the Persian comma «،» for Persian readers, ", " otherwise."""
    return ("، " if is_persian_locale(locale) else ", ").join(items)


def localize_digits(s: str, locale: str | None) -> str:
    return to_persian_digits(s) if is_persian_locale(locale) else normalize_digits(s)


def _drop_control_chars(s: str) -> str:
    # Cc: C0/C1 controls; Cf: bidi overrides, ZWJ, BOM... ZWNJ is part of Persian spelling.
    if s.replace(ZWNJ, "").isprintable():
        return s  # the common case, checked in C: catalog imports call this per cell
    return "".join(
        ch for ch in s if ch == ZWNJ or ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf")
    )


def normalize_text(s: str) -> str:
    """Display-safe form of user input: Persian letters, no controls, single spaces, ZWNJ kept."""
    s = _drop_control_chars(s.translate(_ARABIC_TO_PERSIAN_LETTERS))
    # ZWNJ runs first: a long run would make the space pattern backtrack over every position.
    s = _ZWNJ_AROUND_SPACE.sub(" ", _REPEATED_ZWNJ.sub(ZWNJ, s))
    return s.strip().strip(ZWNJ).strip()


def search_key(s: str) -> str:
    """Folded form for matching: spelling variants, diacritics and ZWNJ-vs-space do not matter."""
    s = _PRESENTATION_FORMS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), s)
    s = s.translate(_ARABIC_TO_PERSIAN_LETTERS).translate(_SEARCH_FOLD)
    s = _DIACRITICS_AND_TATWEEL.sub("", s)
    s = s.replace(ZWNJ, " ")
    s = _drop_control_chars(s)
    s = normalize_digits(s).lower()
    return _SPACES.sub(" ", s).strip()


def search_key_compact(s: str) -> str:
    """search_key without spaces, so «ثبت‌نام», «ثبت نام» and «ثبتنام» are one key."""
    return search_key(s).replace(" ", "")


def isolate(s: str) -> str:
    """Wrap in first-strong isolate so a Latin code keeps its order inside a right-to-left line."""
    return f"{FSI}{s}{PDI}"


def isolate_ltr(s: str) -> str:
    """Wrap in a left-to-right isolate: for text that is always read left to right (a code, a
    /command) even when it starts with a digit or a sign that would let FSI guess wrong."""
    return f"{LRI}{s}{PDI}"


def lead_rtl(line: str, locale: str | None) -> str:
    """A Persian line that opens with a code or an emoji: a leading RLM makes it right-to-left in
    every client, also those that guess the direction without skipping isolates."""
    return RLM + line if is_persian_locale(locale) else line


def display_code(code: str, locale: str | None) -> str:
    """A tracking or course code as a reader sees it: digits in their script, order kept (codes
    open with a Latin letter, so the first-strong isolate reads them left to right).

    Persian readers get Persian digits in codes too: they read them aloud on the phone, and every
    input that takes a code back folds Persian digits to Latin first."""
    return isolate(localize_digits(code, locale))


# `/queue`, `/queue HMN-1405-000123`, `/addcaseworker telegram:123456`: a command with the Latin
# arguments typed with it, kept together; or a tracking code written out in a sentence.
_TRACKING_CODE = r"[A-Z]{2,5}-[0-9۰-۹]{4}-[0-9۰-۹]{1,6}"
_COMMAND_OR_CODE = re.compile(
    rf"(?<![\w\u2066\u2068/-])(?:/[A-Za-z_]+(?:\s[A-Za-z]+:[A-Za-z0-9۰-۹]+|\s{_TRACKING_CODE})?"
    rf"|{_TRACKING_CODE})(?![\w-])"
)


def isolate_commands(s: str) -> str:
    """Isolate each /command (with its Latin arguments) and tracking code in a right-to-left
    line, so «/start» does not turn into «start/» and «/queue HMN-…» keeps its order."""
    return _COMMAND_OR_CODE.sub(lambda m: isolate_ltr(m.group(0)), s)


def format_number(n: int, locale: str | None) -> str:
    grouped = f"{n:,}"
    if is_persian_locale(locale):
        return to_persian_digits(grouped.replace(",", PERSIAN_THOUSANDS_SEPARATOR))
    return grouped


def format_toman(rial: int, locale: str | None) -> str:
    # Prices are stored in rial (the legal unit) and spoken in toman; round half away from zero.
    sign = -1 if rial < 0 else 1
    toman = sign * ((abs(rial) + 5) // 10)
    if is_persian_locale(locale):
        return f"{format_number(toman, locale)} تومان"
    return f"{format_number(toman, locale)} toman"
