"""🎓 My certificates: every certificate issued to the person."""
