"""Filter-change requests made from the one captured in Chromium: the same outputs and inputs, other values.

A simulated user keeps the state its page would have (the URL's query and each control's value) and
changes one control at a time to a value the last response offered as enabled, as a person can.
"""
from __future__ import annotations

import copy
import json
import random

from dashboard.views.state import ViewState

CONTROL_PREFIX = "f-"


def controls_of(body: dict) -> dict[str, object]:
    return {i["id"][len(CONTROL_PREFIX):]: i.get("value") for i in body["inputs"]
            if isinstance(i["id"], str) and i["id"].startswith(CONTROL_PREFIX)}


def search_for(controls: dict) -> str:
    """The URL query the page shows for these control values (ViewState's canonical form)."""
    pairs = {k: str(v) for k, v in controls.items() if v is not None and not (k == "year" and v == "latest")}
    state, _ = ViewState.from_query(pairs)
    q = state.to_query()
    return f"?{q}" if q else ""


def change(template: dict, controls: dict, name: str, value) -> tuple[dict, dict]:
    """The body the browser sends when control `name` changes to `value`, and the new control values."""
    search = search_for(controls)          # the URL before the change
    new = dict(controls, **{name: value})
    body = copy.deepcopy(template)
    for i in body["inputs"]:
        if i["id"] == "url" and i["property"] == "search":
            i["value"] = search
        elif isinstance(i["id"], str) and i["id"].startswith(CONTROL_PREFIX):
            i["value"] = new.get(i["id"][len(CONTROL_PREFIX):], i.get("value"))
    body["changedPropIds"] = [f"{CONTROL_PREFIX}{name}.value"]
    body.pop("parsedChangedPropsIds", None)
    return body, new


def view_body(template: dict, **values) -> dict:
    """A change of one control that lands on the view given by `values` (other controls at defaults)."""
    controls = controls_of(template)
    controls.update({k: "all" for k in ("group", "gender", "education", "age") if k in controls})
    controls.update(year="latest", region="0")
    name, value = next(iter(values.items())) if values else ("gender", "all")
    controls.update({k: v for k, v in values.items() if k != name})
    body, _ = change(template, controls, name, value)
    return body


def enabled_options(response: dict) -> dict[str, list]:
    """Per control, the values the response offers as enabled."""
    out = {}
    for cid, props in response.get("response", {}).items():
        if isinstance(cid, str) and cid.startswith(CONTROL_PREFIX) and "options" in props:
            out[cid[len(CONTROL_PREFIX):]] = [o["value"] for o in props["options"]
                                              if isinstance(o, dict) and not o.get("disabled")]
    return out


class User:
    """One simulated person: picks a filter, then one of its enabled values other than the current one."""

    FILTERS = ("year", "region", "group", "gender", "education", "age", "series", "style", "view")

    def __init__(self, template: dict, seed: int):
        self.template = template
        self.rng = random.Random(seed)
        self.controls = controls_of(template)
        self.controls.update(gender="all")
        self.options: dict[str, list] = {}

    def next_body(self) -> dict:
        names = [n for n in self.FILTERS if n in self.controls and len(self.options.get(n, [])) > 1]
        if not names:  # before the first response: change the gender, as in the captured request
            body, self.controls = change(self.template, self.controls, "gender",
                                         self.rng.choice(["women", "men"]))
            return body
        name = self.rng.choice(names)
        choices = [v for v in self.options[name] if v != self.controls.get(name)]
        body, self.controls = change(self.template, self.controls, name, self.rng.choice(choices))
        return body

    def saw(self, response_json: bytes) -> None:
        try:
            self.options.update(enabled_options(json.loads(response_json)))
        except ValueError:
            pass


def template_from_app(app, trigger: str = "f-gender") -> dict:
    """The view callback's request body as the renderer would send it, built from the app's own
    callback_map (for in-process runs, where no browser is at hand): same outputs and inputs."""
    from dash._utils import split_callback_id
    app.server.test_client().get("/_dash-dependencies").close()  # callback_map is complete after the first request
    for key, spec in app.callback_map.items():
        if any(i["id"] == trigger and i["property"] == "value" for i in spec["inputs"]):
            outputs = split_callback_id(key)
            inputs = []
            for i in spec["inputs"]:
                item = {"id": i["id"], "property": i["property"]}
                if i["id"] == "url":
                    item["value"] = ""
                elif i["property"] == "value":
                    item["value"] = {"f-year": "latest", "f-region": "0", "f-series": "imdi_direct",
                                     "f-style": "bar", "f-view": "chart"}.get(i["id"], "all")
                inputs.append(item)
            return {"output": key, "outputs": outputs if isinstance(outputs, list) else [outputs],
                    "inputs": inputs, "changedPropIds": [f"{trigger}.value"], "state": spec.get("state", [])}
    raise LookupError(f"no callback has {trigger}.value as an input")


def template_from_dependencies(deps: list, captured: dict, trigger: str = "f-gender") -> dict:
    """The captured request brought up to date with a server's /_dash-dependencies (the same callback,
    should its outputs have changed since the capture): outputs from the server, input values as captured."""
    from dash._utils import split_callback_id
    cb = next(c for c in deps if any(i["id"] == trigger and i["property"] == "value" for i in c["inputs"]))
    values = {(i["id"], i["property"]): i.get("value") for i in captured["inputs"] if isinstance(i["id"], str)}
    inputs = []
    for i in cb["inputs"]:
        item = {"id": i["id"], "property": i["property"]}
        if (i["id"], i["property"]) in values and values[(i["id"], i["property"])] is not None:
            item["value"] = values[(i["id"], i["property"])]
        elif i["property"] == "value":
            item["value"] = "all"
        inputs.append(item)
    outputs = split_callback_id(cb["output"])
    return {**captured, "output": cb["output"], "outputs": outputs if isinstance(outputs, list) else [outputs],
            "inputs": inputs}
