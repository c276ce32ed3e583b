"""Filter-change requests made from those captured in Chromium: the same callbacks, other views.

A filter change writes the URL in the browser (assets/js, urlFromControls) and then asks the server for the
controls, the charts and the texts, each a callback with `url.search` as its input. A body here is one of
those three, with the new URL, the change that wrote it (the `url-change` state) and what each control
shows. A simulated user keeps the control values its page would show and changes one control at a time to a
value the last answer offered as enabled, as a person can.
"""
from __future__ import annotations

import copy
import json
import random

from dashboard.views.state import ViewState

CONTROL_PREFIX = "f-"
DEFAULTS = {"year": "latest", "region": "0", "group": "all", "gender": "all", "education": "all", "age": "all",
            "series": "imdi_direct", "style": "bar", "view": "chart"}


def search_for(controls: dict) -> str:
    """The URL query the page shows for these control values (ViewState's canonical form)."""
    pairs = {k: str(v) for k, v in controls.items() if v is not None and not (k == "year" and v == "latest")}
    state, _ = ViewState.from_query(pairs)
    q = state.to_query()
    return f"?{q}" if q else ""


def _set(items: list, key: tuple, value) -> None:
    for i in items:
        if (i["id"], i["property"]) == key:
            i["value"] = value


def body_for(template: dict, controls: dict, trigger: str | None) -> dict:
    """`template` (one of the three callbacks' bodies) for the view of `controls`, as the browser sends it
    after control `trigger` changed (None: a URL opened as it is, such as a link or Back)."""
    search = search_for(controls)
    body = copy.deepcopy(template)
    _set(body["inputs"], ("url", "search"), search)
    state = body.get("state", [])
    _set(state, ("url-change", "data"), {"search": search, "trigger": trigger} if trigger else None)
    for name, value in controls.items():
        _set(state, (f"{CONTROL_PREFIX}{name}", "value"), value)
    body["changedPropIds"] = ["url.search"]
    body.pop("parsedChangedPropsIds", None)
    return body


def change(templates: list[dict], controls: dict, name: str, value) -> tuple[list[dict], dict]:
    """The bodies the browser sends when control `name` changes to `value`, and the new control values."""
    new = dict(controls, **{name: value})
    return [body_for(t, new, f"{CONTROL_PREFIX}{name}") for t in templates], new


def view_body(template: dict, **values) -> dict:
    """`template` for the view given by `values` (the other controls at their defaults), after a change."""
    controls = dict(DEFAULTS, **values)
    name = next(iter(values), "gender")
    return body_for(template, controls, f"{CONTROL_PREFIX}{name}")


def enabled_options(response: dict) -> dict[str, list]:
    """Per control, the values the response offers as enabled (the controls callback's answer)."""
    out = {}
    for cid, props in response.get("response", {}).items():
        if isinstance(cid, str) and cid.startswith(CONTROL_PREFIX) and "options" in props:
            out[cid[len(CONTROL_PREFIX):]] = [o["value"] for o in props["options"]
                                              if isinstance(o, dict) and not o.get("disabled")]
    return out


class User:
    """One simulated person: picks a filter, then one of its enabled values other than the current one."""

    FILTERS = tuple(DEFAULTS)

    def __init__(self, templates: list[dict], seed: int):
        self.templates = templates
        self.rng = random.Random(seed)
        self.controls = dict(DEFAULTS)
        self.options: dict[str, list] = {}

    def next_bodies(self) -> list[dict]:
        """The requests of the next change (the browser sends them at once)."""
        names = [n for n in self.FILTERS if len(self.options.get(n, [])) > 1]
        if not names:  # before the first answer: change the gender, as in the captured request
            bodies, self.controls = change(self.templates, self.controls, "gender", self.rng.choice(["women", "men"]))
            return bodies
        name = self.rng.choice(names)
        choices = [v for v in self.options[name] if v != self.controls.get(name)]
        bodies, self.controls = change(self.templates, self.controls, name, self.rng.choice(choices))
        return bodies

    def saw(self, response_json: bytes) -> None:
        try:
            self.options.update(enabled_options(json.loads(response_json)))
        except ValueError:
            pass


def templates_from_app(app) -> list[dict]:
    """The bodies of the callbacks a URL sets off, as the renderer sends them, built from the app's own
    callback_map (for in-process runs, where no browser is at hand)."""
    from dash._utils import split_callback_id
    app.server.test_client().get("/_dash-dependencies").close()  # callback_map is complete after the first request
    out = []
    for key, spec in app.callback_map.items():
        if "callback" not in spec or not any((i["id"], i["property"]) == ("url", "search") for i in spec["inputs"]):
            continue
        outputs = split_callback_id(key)
        out.append({"output": key, "outputs": outputs if isinstance(outputs, list) else [outputs],
                    "inputs": [{"id": i["id"], "property": i["property"], "value": None} for i in spec["inputs"]],
                    "state": [{"id": s["id"], "property": s["property"], "value": None} for s in spec.get("state", [])],
                    "changedPropIds": ["url.search"]})
    if not out:
        raise LookupError("no server callback has url.search as an input")
    return out


def charts_template(templates: list[dict]) -> dict:
    """The one that draws the charts (the most outputs): what a view costs most."""
    return max(templates, key=lambda b: len(b["outputs"]))


def templates_from_dependencies(deps: list, captured: list[dict]) -> list[dict]:
    """The captured requests brought up to date with a server's /_dash-dependencies (the same callbacks,
    should their outputs have changed since the capture), with the values as captured."""
    from dash._utils import split_callback_id
    out = []
    for body in captured:
        first = json.dumps(body["outputs"][0] if isinstance(body["outputs"], list) else body["outputs"], sort_keys=True)
        for cb in deps:
            outs = split_callback_id(cb["output"])
            outs = outs if isinstance(outs, list) else [outs]
            if outs and json.dumps(outs[0], sort_keys=True) == first:
                out.append({**body, "output": cb["output"], "outputs": outs})
                break
        else:
            out.append(body)
    return out
