"""The education levels a person may state, lowest first: registration asks for one, programs
and counseling compare them. A leaf module, so the rules that compare levels need not import the
registration (which opens hand-off tickets, which read applications, which read programs)."""

EDUCATION_LEVELS = (
    "none",
    "literacy",
    "primary",
    "lower_secondary",
    "diploma",
    "associate",
    "bachelor_plus",
)
