"""A plotly figure as a plain dict, with the few builder methods the charts use.

plotly.graph_objects validates every property on every call: about 0.3 s for the page's charts on
this machine, most of a filter change. The charts here are fixed code, not user input, so they are
built as dicts (what Dash sends anyway) and validated once, in the tests, by `validate()`.
Attribute access (fig.data[0].marker.color) works as on a go.Figure, for tests and callers.
"""
from __future__ import annotations


class Node(dict):
    """A dict whose keys read as attributes; missing keys read as None, as plotly's do. A dict (or a list of
    dicts) inside becomes a Node when it is first read as an attribute: a page builds some 1 400 of them a
    view, and only tests read most of them that way."""

    def __getattr__(self, name):
        try:
            value = self[name]
        except KeyError:
            return None
        wrapped = _wrap(value)
        if wrapped is not value:
            self[name] = wrapped
        return wrapped

    def __setattr__(self, name, value):
        self[name] = value


def _wrap(value):
    """A Node for a dict; a list of dicts with each one a Node (one level: deeper ones when read)."""
    if type(value) is dict:
        return Node(value)
    if type(value) is list and value and type(value[0]) is dict:
        return [Node(v) if type(v) is dict else v for v in value]
    return value


def _merge(target: dict, changes: dict) -> None:
    for k, v in changes.items():
        if k == "title" and isinstance(v, dict) and isinstance(target.get(k), str):
            target[k] = Node(text=target[k])  # plotly reads title="x" as {"text": "x"}: a dict styles it
        if isinstance(v, dict) and isinstance(target.get(k), dict):
            _merge(target[k], v)
        else:
            target[k] = _wrap(v)


class Figure(Node):
    def __init__(self, data=None, layout=None):
        super().__init__(data=[_wrap(t) for t in (data or [])], layout=_wrap(layout or {}))

    def _add(self, kind: str, kw: dict) -> "Figure":
        self["data"].append(_wrap({"type": kind, **kw}))
        return self

    def add_bar(self, **kw):
        return self._add("bar", kw)

    def add_scatter(self, **kw):
        return self._add("scatter", kw)

    def update_layout(self, **kw):
        _merge(self["layout"], kw)
        return self

    def update_xaxes(self, **kw):
        _merge(self["layout"].setdefault("xaxis", Node()), kw)
        return self

    def update_yaxes(self, **kw):
        _merge(self["layout"].setdefault("yaxis", Node()), kw)
        return self

    def add_annotation(self, **kw):
        self["layout"].setdefault("annotations", []).append(_wrap(kw))
        return self

    def update_traces(self, selector: dict | None = None, **kw):
        for trace in self["data"]:
            if not selector or all(trace.get(k, "scatter" if k == "type" else None) == v
                                   for k, v in selector.items()):
                _merge(trace, kw)
        return self

    def copy(self) -> "Figure":
        import copy
        return copy.deepcopy(self)

    def to_plotly(self):
        """A validated plotly.graph_objects.Figure (image export; tests)."""
        import plotly.graph_objects as go
        return go.Figure(self.to_dict())

    def to_dict(self) -> dict:
        import json
        return json.loads(json.dumps(self))
