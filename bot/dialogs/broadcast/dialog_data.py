"""What the broadcast form keeps between taps, in dialog_data (Redis or the database).

The file itself is not kept here: conversation state must stay small. Its file id (valid on the
administrator's bot) is, and the bytes are downloaded once, on confirm."""

from __future__ import annotations

DRAFT_KEY = "draft"  # the message: {"kind", "text", "file_id", "size", "name", "mime"}
AUDIENCE_KEY = "audience"  # {"platforms": [...], "provinces": [...], ..., "since_days": 0}
FACET_KEY = "facet"  # the part of the audience the pick screen sets
REQUEST_KEY = "request_key"  # made when the preview is shown; one broadcast per key
NOTICE_KEY = "notice"  # {"kind": ..., params}: a refusal shown on the next screen
