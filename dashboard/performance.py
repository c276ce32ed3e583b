"""Serving speed: cache headers for static files and an optional shared cache (see issue: fast)."""
from __future__ import annotations


def install(app, settings: dict) -> None:
    """Called once by create_app after every callback and route is registered."""
    return None
