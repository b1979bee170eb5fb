"""What My file keeps between taps, in dialog_data. The application on screen and the notice are
kept the apply form's way (applications/entry.py): both flows show the same applications."""

from __future__ import annotations

KIND_KEY = "kind"  # the document kind the upload screen takes
REASON_KEY = "reason"  # the withdrawal reason typed so far
