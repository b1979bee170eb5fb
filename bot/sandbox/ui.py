"""JSON endpoints and static files of the local web chat page (`/` and `/ui/api/...`).

Endpoints (all JSON; `bot` is the bot id from /ui/api/bots, `chat` is "private" or "staff"):
  GET  /ui/api/bots                          -> {bots: [...], user, staff}
  GET  /ui/api/poll?bot=&since=N&wait=S      -> {version, messages: [...changed since N],
                                                 reply_keyboard, toasts: [{chat, text}]}
  POST /ui/api/send    {bot, chat, text, reply_to?}
  POST /ui/api/press   {bot, chat, message_id, data}
  POST /ui/api/contact {bot}
  POST /ui/api/upload  multipart: bot, chat, kind=photo|document, file
  GET  /ui/api/file?bot=&file_id=            -> the file's bytes (images in bubbles)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiohttp import web

from bot.sandbox.core import SandboxBotAPI
from bot.sandbox.models import ApiError, BotState, ChatMessage, SandboxUser
from bot.sandbox.user_side import DEMO_USER, STAFF_USER

WEB_DIR = Path(__file__).parent / "web"
_STATIC = {"app.js": "application/javascript", "style.css": "text/css"}
_MAX_WAIT = 25.0


def add_ui_routes(app: web.Application, api: SandboxBotAPI) -> None:
    ui = _ChatPage(api)
    app.router.add_get("/", ui.index)
    app.router.add_get("/static/{name}", ui.static)
    app.router.add_get("/ui/api/bots", ui.bots)
    app.router.add_get("/ui/api/poll", ui.poll)
    app.router.add_post("/ui/api/send", ui.send)
    app.router.add_post("/ui/api/press", ui.press)
    app.router.add_post("/ui/api/contact", ui.contact)
    app.router.add_post("/ui/api/upload", ui.upload)
    app.router.add_get("/ui/api/file", ui.file)
    app.on_shutdown.append(ui.release_long_polls)


def _error(message: str, status: int = 400) -> web.Response:
    return web.json_response({"ok": False, "error": message}, status=status)


class _ChatPage:
    def __init__(self, api: SandboxBotAPI) -> None:
        self.api = api
        self.closing = False

    async def release_long_polls(self, _app: web.Application) -> None:
        """Answer open page polls now: aiohttp waits for running handlers at shutdown, so an
        open chat page would otherwise hold Ctrl+C (and every test teardown) for up to 25 s."""
        self.closing = True
        for state in self.api.bots.values():
            for waiter in state.waiters:
                if not waiter.done():
                    waiter.set_result(None)

    def _state(self, value: Any) -> BotState:
        try:
            return self.api.bot_by_id(int(value))
        except (KeyError, TypeError, ValueError):
            raise web.HTTPNotFound(text="unknown bot") from None

    def _target(self, state: BotState, chat: Any) -> tuple[SandboxUser, int | None]:
        if chat == "staff":
            if state.staff_group_id is None:
                raise web.HTTPBadRequest(text="this bot has no staff group")
            return STAFF_USER, state.staff_group_id
        return DEMO_USER, None

    async def index(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(WEB_DIR / "index.html")

    async def static(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in _STATIC:
            raise web.HTTPNotFound()
        text = (WEB_DIR / name).read_text(encoding="utf-8")
        return web.Response(text=text, content_type=_STATIC[name], charset="utf-8")

    async def bots(self, request: web.Request) -> web.Response:
        bots = [
            {
                "id": state.bot_id,
                "flavour": state.flavour,
                "username": state.username,
                "title": "بله" if state.is_bale else "تلگرام",
                "staff_group_id": state.staff_group_id,
            }
            for state in self.api.bots.values()
        ]
        return web.json_response(
            {"bots": bots, "user": DEMO_USER.as_dict(), "staff": STAFF_USER.as_dict()}
        )

    async def poll(self, request: web.Request) -> web.Response:
        state = self._state(request.query.get("bot"))
        since = int(request.query.get("since", "0"))
        wait = min(float(request.query.get("wait", "0")), _MAX_WAIT)
        if state.version <= since and wait > 0 and not self.closing:
            await state.wait_change(wait)
        chats = [DEMO_USER.id] + ([state.staff_group_id] if state.staff_group_id else [])
        changed = [
            _message_json(message, "staff" if chat_id != DEMO_USER.id else "private")
            for chat_id in chats
            if chat_id in state.chats
            for message in state.chats[chat_id].messages.values()
            if message.version > since
        ]
        # A toast answers a press made on this page since its last poll; a page that has just
        # (re)loaded asks from 0 and pressed nothing yet, so old answers are not replayed.
        toasts = [
            {"chat": _pane_of(record.chat_id), "text": record.answer["text"]}
            for record in state.callbacks.values()
            if since > 0
            and record.answered_version > since
            and record.answer
            and record.answer["text"]
        ]
        private = state.chats.get(DEMO_USER.id)
        staff = state.chats.get(state.staff_group_id) if state.staff_group_id else None
        # A forum staff group: its topics, so the page can label bubbles and post into one.
        topics = [
            {"id": topic.message_thread_id, "name": topic.name, "closed": topic.closed}
            for topic in (staff.topics.values() if staff is not None and staff.is_forum else ())
        ]
        return web.json_response(
            {
                "version": state.version,
                "messages": changed,
                "reply_keyboard": private.reply_keyboard if private else None,
                "toasts": toasts,
                "forum": bool(staff is not None and staff.is_forum),
                "topics": topics,
            }
        )

    async def send(self, request: web.Request) -> web.Response:
        body = await request.json()
        state = self._state(body.get("bot"))
        user, chat_id = self._target(state, body.get("chat"))
        text = str(body.get("text") or "").strip()
        if not text:
            return _error("empty text")
        reply_to = body.get("reply_to")
        thread = body.get("thread")
        try:
            message = self.api.user_sends(
                state.token, user, text=text, chat_id=chat_id,
                reply_to_message_id=int(reply_to) if reply_to else None,
                message_thread_id=int(thread) if thread and chat_id is not None else None,
            )  # fmt: skip
        except (ValueError, ApiError) as error:
            return _error(str(error))
        return web.json_response({"ok": True, "message_id": message["message_id"]})

    async def press(self, request: web.Request) -> web.Response:
        body = await request.json()
        state = self._state(body.get("bot"))
        user, chat_id = self._target(state, body.get("chat"))
        try:
            self.api.user_presses(
                state.token, user, int(body["message_id"]), str(body["data"]), chat_id
            )
        except (KeyError, ValueError) as error:
            return _error(str(error))
        return web.json_response({"ok": True})

    async def contact(self, request: web.Request) -> web.Response:
        body = await request.json()
        state = self._state(body.get("bot"))
        phone = str(body.get("phone") or "+989121234567")
        self.api.user_shares_contact(state.token, DEMO_USER, phone)
        return web.json_response({"ok": True})

    async def upload(self, request: web.Request) -> web.Response:
        form = await request.post()
        state = self._state(form.get("bot"))
        user, chat_id = self._target(state, form.get("chat"))
        upload = form.get("file")
        if not isinstance(upload, web.FileField):
            return _error("no file")
        content = upload.file.read()
        caption = str(form.get("caption") or "") or None
        if form.get("kind") == "photo":
            self.api.user_sends(state.token, user, photo=content, caption=caption, chat_id=chat_id)
        else:
            document = (upload.filename, content, upload.content_type)
            self.api.user_sends(
                state.token, user, document=document, caption=caption, chat_id=chat_id
            )
        return web.json_response({"ok": True})

    async def file(self, request: web.Request) -> web.Response:
        state = self._state(request.query.get("bot"))
        stored = state.files.get(request.query.get("file_id", ""))
        if stored is None:
            raise web.HTTPNotFound()
        return web.Response(
            body=stored.content, content_type=stored.mime_type or "application/octet-stream"
        )


def _pane_of(chat_id: int | None) -> str:
    return "private" if chat_id == DEMO_USER.id else "staff"


def _message_json(message: ChatMessage, chat: str) -> dict[str, Any]:
    raw = message.raw
    sender = raw.get("from") or {}
    photo = raw.get("photo")
    document = raw.get("document")
    contact = raw.get("contact")
    reply_to = raw.get("reply_to_message")
    markup = raw.get("reply_markup") or {}
    return {
        "chat": chat,
        "id": message.message_id,
        "outgoing": message.outgoing,
        "from": " ".join(filter(None, [sender.get("first_name"), sender.get("last_name")])),
        "text": raw.get("text"),
        "caption": raw.get("caption"),
        "photo": photo[-1]["file_id"] if photo else None,
        "document": {"name": document.get("file_name"), "file_id": document["file_id"]}
        if document
        else None,
        "contact": contact.get("phone_number") if contact else None,
        "sticker": "sticker" in raw,
        "voice": "voice" in raw,
        "forwarded": "forward_origin" in raw,
        "reply_to": reply_to.get("message_id") if reply_to else None,
        "thread": raw.get("message_thread_id"),
        "topic_created": (raw.get("forum_topic_created") or {}).get("name"),
        "inline": markup.get("inline_keyboard"),
        "deleted": message.deleted,
        "edited": message.edit_count,
        "version": message.version,
        "date": raw.get("date"),
    }
