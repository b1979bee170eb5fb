"""Fail the build when a user could meet an untranslated or unchecked string.

`pybabel compile` (run without --use-fuzzy) silently drops fuzzy entries and skips a catalog
whose header is fuzzy, and gettext falls back to the msgid: nothing fails, the user just reads
the wrong language. So, exit 1 listing the msgids when:

- the fa catalog has an untranslated or fuzzy message (fa is the default language);
- any other catalog (en) has a fuzzy message or a fuzzy header;
- a translation uses a {placeholder} its msgid does not have (`.format()` would raise);
- a string in the code (freshly extracted, same keywords as the Makefile) is missing from fa.

Usage: python scripts/check_catalog.py [--root DIR]
"""

from __future__ import annotations

import argparse
import string
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

# Keep in step with BABEL_KEYWORDS in the Makefile; Babel's defaults (_, gettext, ngettext, ...)
# are added by pybabel itself.
KEYWORDS = ("lazy_gettext", "lazy_ngettext:1,2", "__", "Tr", "N_")
DOMAIN = "messages"
COMPLETE_LOCALE = "fa"


def load_catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def extract_template(root: Path) -> Catalog:
    """Run `pybabel extract` over the sources into a throw-away .pot and read it back."""
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / f"{DOMAIN}.pot"
        argv = ["pybabel", "--quiet", "extract", "-F", str(root / "babel.cfg")]
        for keyword in KEYWORDS:
            argv += ["-k", keyword]
        argv += ["-o", str(pot), str(root)]
        CommandLineInterface().run(argv)
        return load_catalog(pot)


def _texts(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def is_untranslated(message: Message, num_plurals: int) -> bool:
    strings = _texts(message.string)
    if not strings or not all(strings):
        return True
    return message.pluralizable and len(strings) < num_plurals


def _field_names(text: str) -> set[str]:
    names: set[str] = set()
    for _literal, field, _spec, _conversion in string.Formatter().parse(text):
        if field is not None:
            names.add(field.split(".")[0].split("[")[0])
    return names


def foreign_placeholders(message: Message) -> set[str]:
    """Placeholders used by the translation but not offered by the msgid (or msgid_plural)."""
    try:
        offered = set().union(*(_field_names(t) for t in _texts(message.id)))
    except ValueError:
        return set()  # braces in the msgid are literal text, not a format string
    used: set[str] = set()
    for text in _texts(message.string):
        try:
            used |= _field_names(text)
        except ValueError:
            used.add("<malformed braces>")
    return used - offered


def _label(message: Message) -> str:
    ident = _texts(message.id)[0]
    return f"{ident!r}" if message.context is None else f"{ident!r} (context {message.context!r})"


def catalog_problems(catalog: Catalog, *, must_be_complete: bool) -> list[str]:
    problems: list[str] = []
    if catalog.fuzzy:
        problems.append("header is marked fuzzy: pybabel compile skips the whole catalog")
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {_label(message)}")
        if must_be_complete and is_untranslated(message, catalog.num_plurals):
            problems.append(f"untranslated: {_label(message)}")
        extra = foreign_placeholders(message)
        if extra:
            problems.append(f"unknown placeholder {sorted(extra)}: {_label(message)}")
    return problems


def missing_from(catalog: Catalog, template: Iterable[Message]) -> list[str]:
    return [
        f"in the code but not in the catalog: {_label(message)}"
        for message in template
        if message.id and catalog.get(message.id, message.context) is None
    ]


def check(root: Path) -> list[str]:
    locales = root / "locales"
    report: list[str] = []
    po_files = sorted(locales.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    complete_po = locales / COMPLETE_LOCALE / "LC_MESSAGES" / f"{DOMAIN}.po"
    if complete_po not in po_files:
        report.append(f"{complete_po.relative_to(root)}: missing")
    for po in po_files:
        catalog = load_catalog(po)
        is_complete_locale = po == complete_po
        problems = catalog_problems(catalog, must_be_complete=is_complete_locale)
        if is_complete_locale:
            problems += missing_from(catalog, extract_template(root))
        report += [f"{po.relative_to(root)}: {problem}" for problem in problems]
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    root = parser.parse_args(argv).root.resolve()
    report = check(root)
    for line in report:
        print(line)
    if report:
        print(f"catalog check FAILED: {len(report)} problem(s)", file=sys.stderr)
        return 1
    print("catalog check OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
