"""Conversation state: where aiogram and aiogram-dialog keep each chat's forms between updates.

codec.py (keys and JSON, shared), sql_storage.py (rows in our database, one process),
redis_storage.py (Redis, any number of workers), chat_scope.py (the per-chat lock and what an
update keeps under it), build.py (which of them this process uses).

The chat scope is one update's hold on its own private chat: the chat lock, and the conversation
state read and written under it.

aiogram takes a per-chat lock (the event isolation) around every update, and aiogram-dialog
takes a second one around the dialog stack of the same chat. Under the first lock nobody else
reads or writes that person's conversation keys (every writer is an update of the same chat;
with Redis the lock is shared by all workers). So while it is held:

* the dialog's nested lock on the same chat is already covered and is not taken again;
* the storages may keep what they read (one read per key and update) and hold back writes until
  the update ends, then write them all at once (one transaction or one Redis round trip) before
  the lock is released. A crash mid-update loses that update's writes together, instead of
  some of them: aiogram-dialog already saves its context only after the handler has answered.

Only a private chat (chat id == user id) gets a scope; groups keep the storages' plain path.
"""
