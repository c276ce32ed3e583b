"""Refuse malformed callback requests (/_dash-update-component) with a 400 before Dash reads them.

Dash answers a body it cannot read with a 500 (a KeyError or TypeError deep in its dispatch). The
shape is checked here against app.callback_map (which callback, which inputs, in which order), so a
500 from a callback is always a server bug and never a client's malformed request. The values are
left to the callbacks: each validates what it reads, as ViewState does for the URL.
"""
from __future__ import annotations

import json
from functools import lru_cache

from dash._utils import split_callback_id, stringify_id

CALLBACK_PATH = "/_dash-update-component"
MAX_CHANGED = 100


def _wildcard(spec_id) -> dict | None:
    """A pattern-matching id as a dict ({"type": "i18n", "key": ["ALL"]}), or None for a plain id."""
    if isinstance(spec_id, dict):
        return spec_id
    if isinstance(spec_id, str) and spec_id.startswith("{"):
        try:
            parsed = json.loads(spec_id)
        except ValueError:
            return None
        return parsed if isinstance(parsed, dict) else None
    return None


def _id_fits(given, spec_id) -> bool:
    pattern = _wildcard(spec_id)
    if pattern is None:
        return given == spec_id
    if not isinstance(given, dict) or set(given) != set(pattern):
        return False
    for k, v in pattern.items():
        if isinstance(v, list):  # ALL / MATCH / ALLSMALLER: any scalar value
            if not isinstance(given[k], (str, int, float, bool)):
                return False
        elif given[k] != v:
            return False
    return True


def _item_fits(item, spec: dict) -> bool:
    """One entry of inputs/state/outputs: {"id", "property"} or, for a wildcard, a list of them."""
    sid = spec["id"]
    if isinstance(sid, str) and not sid.startswith("{"):  # a plain id, most entries: the short way
        prop = item.get("property") if isinstance(item, dict) else None
        return isinstance(prop, str) and item.get("id") == sid and _bare(prop) == _bare(spec["property"])
    entries = item if isinstance(item, list) and _wildcard(spec["id"]) is not None else [item]
    return all(isinstance(e, dict) and isinstance(e.get("property"), str) and "id" in e
               and _bare(e["property"]) == _bare(spec["property"]) and _id_fits(e["id"], spec["id"])
               for e in entries)


def _bare(prop: str) -> str:
    """A property without the @hash that allow_duplicate=True outputs carry in callback_map."""
    return prop.split("@", 1)[0]


def _list_fits(given, specs: list) -> bool:
    return isinstance(given, list) and len(given) == len(specs) and all(
        _item_fits(g, s) for g, s in zip(given, specs))


@lru_cache(maxsize=1024)  # the outputs of a callback, parsed from its key once (read, never changed)
def _outputs_of(output: str):
    return split_callback_id(output)


def problem(callback_map: dict, body) -> str | None:
    """What is wrong with a callback request body, in words; None if its shape is what Dash expects."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    output = body.get("output")
    cb = callback_map.get(output) if isinstance(output, str) else None
    if cb is None or "callback" not in cb:  # no "callback": a clientside one, never run on the server
        return "no such callback"
    if not _list_fits(body.get("inputs"), cb["inputs"]):
        return "the inputs do not match the callback"
    if not _list_fits(body.get("state", []), cb.get("state") or []):
        return "the state does not match the callback"
    out_specs = _outputs_of(output)
    outputs = body.get("outputs")
    if cb.get("no_output"):
        pass  # a callback without outputs: Dash ignores what is sent
    elif isinstance(out_specs, list):
        if not _list_fits(outputs, out_specs):
            return "the outputs do not match the callback"
    elif not _item_fits(outputs, out_specs):
        return "the outputs do not match the callback"
    changed = body.get("changedPropIds", [])
    known = set()
    for item in body["inputs"]:
        for e in item if isinstance(item, list) else [item]:
            known.add(f"{stringify_id(e['id'])}.{e['property']}")
    if not (isinstance(changed, list) and len(changed) <= MAX_CHANGED
            and all(isinstance(c, str) and c in known for c in changed)):
        return "changedPropIds names inputs the callback does not have"
    return None
