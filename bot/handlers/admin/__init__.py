"""Administrators' features outside the staff group's review: the catalog import by file."""
