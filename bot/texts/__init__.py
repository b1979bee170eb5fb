"""Words several features share: the course card, an application's status and papers, the
profile's fields. Plain text (Bale has no parse_mode); call where a gettext locale is active."""
