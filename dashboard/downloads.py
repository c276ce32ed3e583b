"""Downloads of a view: /chart.png, /chart.svg and /data.xlsx (the view's URL plus an extension)."""
from __future__ import annotations


def register(server, store) -> None:
    return None
