"""Benchmarks that print ratios (run them; they are never asserted in tests)."""
