"""Telegram's parse_mode checks: what it rejects and the plain text it keeps.

Entities are not computed: the sandbox only needs to catch text that Telegram would refuse
(an unescaped `<` in a user's name, a stray `.` in MarkdownV2) and to show the visible text.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from bot.sandbox.models import bad_request

_HTML_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
    "tg-spoiler", "span", "blockquote", "tg-emoji",
}  # fmt: skip
_MDV2_RESERVED = set("_*[]()~`>#+-=|{}.!")


def render(text: str, parse_mode: str | None) -> str:
    """The visible text after Telegram parses `text` with `parse_mode`; raises 400 like Telegram."""
    if not parse_mode:
        return text
    mode = parse_mode.lower()
    if mode == "html":
        return _render_html(text)
    if mode == "markdownv2":
        return _render_markdown_v2(text)
    if mode == "markdown":
        return re.sub(r"[*_`]", "", text)
    raise bad_request(f'unsupported parse_mode "{parse_mode}"')


class _StrictHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_TAGS:
            raise bad_request(f'can\'t parse entities: Unsupported start tag "{tag}"')
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise bad_request(f'can\'t parse entities: Unexpected end tag "{tag}"')
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _render_html(text: str) -> str:
    # A bare "<" followed by a letter is a tag to Telegram; one followed by a space is an error too.
    if re.search(r"<(?![a-zA-Z/])", text):
        raise bad_request("can't parse entities: Unsupported start tag")
    if re.search(r"&(?![a-zA-Z]+;|#\d+;|#x[0-9a-fA-F]+;)", text):
        raise bad_request("can't parse entities: Character '&' must be escaped")
    parser = _StrictHtml()
    parser.feed(text)
    parser.close()
    if parser.stack:
        raise bad_request(
            "can't parse entities: Can't find end tag corresponding to start tag "
            f'"{parser.stack[-1]}"'
        )
    return html.unescape("".join(parser.parts))


def _render_markdown_v2(text: str) -> str:
    out: list[str] = []
    index = 0
    in_code = False
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            out.append(text[index + 1])
            index += 2
            continue
        if char == "`":
            in_code = not in_code
        elif in_code:
            out.append(char)
        elif char in "*_~|[]":
            pass
        elif char == "(" and index > 0 and text[index - 1] == "]":
            end = text.find(")", index)
            if end == -1:
                raise bad_request("can't parse entities: Can't find end of a URL")
            index = end
        elif char in _MDV2_RESERVED:
            raise bad_request(
                f"can't parse entities: Character '{char}' is reserved "
                "and must be escaped with the preceding '\\'"
            )
        else:
            out.append(char)
        index += 1
    if in_code:
        raise bad_request("can't parse entities: Can't find end of Pre entity")
    return "".join(out)
