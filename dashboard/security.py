"""Headers, limits and error pages: what keeps the app safe whatever it is sent (see issue: robust and safe)."""
from __future__ import annotations


def install(app, settings: dict) -> None:
    """Called once by create_app after every callback and route is registered."""
    return None
