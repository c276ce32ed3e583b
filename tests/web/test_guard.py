"""guard.problem(): a callback request's shape checked against app.callback_map, each fault said in words."""
import pytest
from dash import ALL, Dash, Input, Output, State, html

from dashboard.web import guard


@pytest.fixture(scope="module")
def cmap():
    app = Dash(__name__)
    app.layout = html.Div([html.Div(id="a"), html.Div(id="b"), html.Div(id="c"),
                           html.Div(id={"type": "t", "key": "k"})])

    @app.callback(Output("a", "children"), Output("b", "children"), Input("a", "title"), Input("b", "title"),
                  State("c", "title"))
    def two(x, y, z):
        return x, y

    @app.callback(Output("c", "children"), Input("c", "title"))
    def one(x):
        return x

    @app.callback(Output({"type": "t", "key": ALL}, "children"), Input({"type": "t", "key": ALL}, "title"))
    def pattern(_):
        return []

    app.clientside_callback("function(x) { return x; }", Output("c", "className"), Input("c", "lang"))
    return app.callback_map


def two_body(**changes):
    body = {"output": "..a.children...b.children..",
            "outputs": [{"id": "a", "property": "children"}, {"id": "b", "property": "children"}],
            "inputs": [{"id": "a", "property": "title", "value": 1}, {"id": "b", "property": "title", "value": None}],
            "state": [{"id": "c", "property": "title", "value": "x"}],
            "changedPropIds": ["a.title"]}
    body.update(changes)
    return body


def test_well_formed_bodies_pass(cmap):
    assert "..a.children...b.children.." in cmap
    assert guard.problem(cmap, two_body()) is None
    assert guard.problem(cmap, two_body(changedPropIds=[])) is None
    assert guard.problem(cmap, {"output": "c.children", "outputs": {"id": "c", "property": "children"},
                                "inputs": [{"id": "c", "property": "title", "value": 3}],
                                "changedPropIds": ["c.title"]}) is None
    pid = {"type": "t", "key": "k"}
    wildcard = next(k for k in cmap if k.startswith("{"))
    assert guard.problem(cmap, {"output": wildcard, "outputs": [{"id": pid, "property": "children"}],
                                "inputs": [[{"id": pid, "property": "title", "value": "x"}]],
                                "changedPropIds": ['{"key":"k","type":"t"}.title']}) is None


@pytest.mark.parametrize("body, reason", [
    ([1, 2], "the body is not a JSON object"),
    ("text", "the body is not a JSON object"),
    (None, "the body is not a JSON object"),
    ({}, "no such callback"),
    ({"output": "nope.children"}, "no such callback"),
    ({"output": ["a.children"]}, "no such callback"),
    ({"output": "c.className", "inputs": [{"id": "c", "property": "lang"}]}, "no such callback"),  # clientside
])
def test_what_is_not_a_server_callback(cmap, body, reason):
    assert guard.problem(cmap, body) == reason


@pytest.mark.parametrize("changes, reason", [
    ({"inputs": None}, "the inputs do not match the callback"),
    ({"inputs": [{"id": "a", "property": "title"}]}, "the inputs do not match the callback"),  # one short
    ({"inputs": [{"id": "b", "property": "title"}, {"id": "a", "property": "title"}]},
     "the inputs do not match the callback"),  # the right ones in the wrong order
    ({"inputs": [{"id": "a", "property": "lang"}, {"id": "b", "property": "title"}]},
     "the inputs do not match the callback"),
    ({"inputs": [{"property": "title"}, {"id": "b", "property": "title"}]}, "the inputs do not match the callback"),
    ({"inputs": [5, {"id": "b", "property": "title"}]}, "the inputs do not match the callback"),
    ({"state": []}, "the state does not match the callback"),
    ({"state": [{"id": "a", "property": "title"}]}, "the state does not match the callback"),
    ({"outputs": [{"id": "a", "property": "children"}]}, "the outputs do not match the callback"),
    ({"outputs": {"id": "a", "property": "children"}}, "the outputs do not match the callback"),
    ({"changedPropIds": "a.title"}, "changedPropIds names inputs the callback does not have"),
    ({"changedPropIds": ["c.title"]}, "changedPropIds names inputs the callback does not have"),  # a state
    ({"changedPropIds": [["a.title"]]}, "changedPropIds names inputs the callback does not have"),
    ({"changedPropIds": ["a.title"] * (guard.MAX_CHANGED + 1)},
     "changedPropIds names inputs the callback does not have"),
])
def test_each_fault_is_named(cmap, changes, reason):
    assert guard.problem(cmap, two_body(**changes)) == reason


def test_a_wildcard_input_must_fit_its_pattern(cmap):
    wildcard = next(k for k in cmap if k.startswith("{"))
    pid = {"type": "t", "key": "k"}
    base = {"output": wildcard, "outputs": [{"id": pid, "property": "children"}], "changedPropIds": []}
    wrong_type = {**base, "inputs": [[{"id": {"type": "other", "key": "k"}, "property": "title"}]]}
    extra_key = {**base, "inputs": [[{"id": {"type": "t", "key": "k", "x": 1}, "property": "title"}]]}
    list_value = {**base, "inputs": [[{"id": {"type": "t", "key": ["k"]}, "property": "title"}]]}
    for body in (wrong_type, extra_key, list_value):
        assert guard.problem(cmap, body) == "the inputs do not match the callback"
    assert guard.problem(cmap, {**base, "inputs": [[]]}) is None  # ALL may match no component


def test_an_allow_duplicate_output_is_read_without_its_hash():
    assert guard._bare("children@0a1b2c") == "children" and guard._bare("children") == "children"
