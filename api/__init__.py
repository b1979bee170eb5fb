"""The HTTP API for the foundation's «حیات» system and TVTO (FastAPI). It uses services/ and
storage/ and never bot/ (an import-linter contract says so); `create_app` builds it."""

from api.app import create_app

__all__ = ["create_app"]
