"""The plain-dict Figure agrees with plotly.graph_objects for the builder calls the charts make."""
from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

from dashboard.views.plotfig import Figure, Node


def both(build):
    """The same calls on a plain Figure and on a go.Figure."""
    plain, real = Figure(), go.Figure()
    build(plain)
    build(real)
    return plain, real


def agree(build):
    plain, real = both(build)
    assert plain.to_plotly().to_dict() == real.to_dict()
    return plain, real


def chart_like(fig):
    """What the charts do (views/charts/base.py, trend.py): bars, a line, axes, an annotation."""
    fig.add_bar(x=[2022, 2023], y=[41, 45], name="Arbeid", marker={"color": "#1f6f8b"},
                hovertext=["41 %", "45 %"], hoverinfo="text")
    fig.add_bar(x=[2022, 2023], y=[8, 3], name="Utdanning", marker={"color": "#99c2a2"})
    fig.add_scatter(x=[2022, 2023], y=[49, 48], mode="lines+markers", name="I alt")
    fig.update_layout(barmode="stack", separators=",\u00a0", margin={"l": 40, "r": 10, "t": 10, "b": 40},
                      legend={"orientation": "h", "y": -0.2}, font={"family": "sans-serif", "size": 14})
    fig.update_layout(legend={"x": 0}, font={"size": 16})            # merged into what is there
    fig.update_xaxes(tickmode="array", tickvals=[2022, 2023], title={"text": "År", "font": {"size": 15}})
    fig.update_yaxes(range=[0, 100], ticksuffix="\u00a0%", gridcolor="#e3e3e3")
    fig.update_xaxes(title={"font": {"size": 24}}, tickfont={"size": 24})   # the presentation's larger text
    fig.add_annotation(text="kilde: IMDi", showarrow=False, xref="paper", yref="paper", x=1, y=0)
    fig.update_traces(selector={"type": "bar"}, marker={"line": {"width": 0}})
    fig.update_traces(selector={"type": "scatter"}, line={"width": 3})


def test_a_chart_built_both_ways_is_the_same_figure():
    plain, real = agree(chart_like)
    assert [t["type"] for t in plain.to_dict()["data"]] == ["bar", "bar", "scatter"]


def test_update_layout_merges_nested_settings_as_plotly_does():
    plain, real = agree(lambda f: (f.update_layout(legend={"orientation": "h"}, font={"size": 14}),
                                   f.update_layout(legend={"y": -0.2}, font={"color": "#333"})))
    assert plain.layout.legend == {"orientation": "h", "y": -0.2} == real.layout.legend.to_plotly_json()
    assert plain.layout.font == {"size": 14, "color": "#333"}


def test_update_xaxes_and_yaxes_merge_into_the_axis():
    plain, real = agree(lambda f: (f.update_xaxes(title={"text": "År", "font": {"size": 15}}),
                                   f.update_xaxes(title={"font": {"size": 24}}, visible=False),
                                   f.update_yaxes(range=[0, 60])))
    assert plain.layout.xaxis == {"title": {"text": "År", "font": {"size": 24}}, "visible": False}
    assert real.layout.xaxis.title.text == "År" and real.layout.xaxis.title.font.size == 24
    assert plain.layout.yaxis.range == [0, 60] == list(real.layout.yaxis.range)


def test_add_bar_and_add_scatter_append_traces_in_order():
    plain, real = agree(lambda f: (f.add_bar(x=["a"], y=[1], name="one"), f.add_scatter(x=["a"], y=[2]),
                                   f.add_bar(x=["b"], y=[3], marker={"color": "red"})))
    assert [t.type for t in plain.data] == ["bar", "scatter", "bar"] == [t.type for t in real.data]
    assert plain.data[2].marker.color == "red" == real.data[2].marker.color
    assert plain.data[0].name == "one" and plain.data[1].name is None      # missing reads as None, as plotly


def test_update_traces_with_and_without_a_selector():
    plain, real = agree(lambda f: (f.add_bar(y=[1]), f.add_scatter(y=[2]), f.add_scatter(y=[3], mode="lines"),
                                   f.update_traces(selector={"type": "scatter"}, opacity=0.5),
                                   f.update_traces(selector={"mode": "lines"}, line={"dash": "dot"}),
                                   f.update_traces(showlegend=False)))
    assert [t.opacity for t in plain.data] == [None, 0.5, 0.5]
    assert plain.data[2].line == {"dash": "dot"} and plain.data[1].line is None
    assert all(t.showlegend is False for t in plain.data)


def test_a_trace_without_a_type_is_a_scatter_to_a_selector():
    plain = Figure(data=[{"y": [1]}])
    real = go.Figure(data=[{"y": [1]}])
    for f in (plain, real):
        f.update_traces(selector={"type": "scatter"}, opacity=0.3)
    assert plain.data[0].opacity == 0.3 == real.data[0].opacity


def test_add_annotation_appends():
    plain, real = agree(lambda f: (f.add_annotation(text="a", x=1, y=2, showarrow=False),
                                   f.add_annotation(text="b", xref="paper", yref="paper", x=0, y=0)))
    assert [a.text for a in plain.layout.annotations] == ["a", "b"] == [a.text for a in real.layout.annotations]


def test_builder_methods_return_the_figure_for_chaining():
    f = Figure()
    assert f.add_bar(y=[1]) is f and f.add_scatter(y=[1]) is f and f.update_layout(height=3) is f
    assert f.update_xaxes(visible=False) is f and f.update_yaxes(visible=False) is f
    assert f.add_annotation(text="x") is f and f.update_traces(opacity=1) is f


def test_copy_is_deep():
    f = Figure().add_bar(x=[1], y=[2], marker={"color": "blue"}).update_layout(legend={"x": 0})
    c = f.copy()
    assert isinstance(c, Figure) and isinstance(c.data[0], Node) and c == f
    c.data[0].marker.color = "red"
    c.update_layout(legend={"x": 1}, height=200)
    c.add_scatter(y=[1])
    assert f.data[0].marker.color == "blue" and f.layout.legend.x == 0 and f.layout.height is None
    assert len(f.data) == 1 and len(c.data) == 2


def test_a_figure_from_data_and_layout_matches_plotlys():
    data = [{"type": "bar", "x": [1, 2], "y": [3, 4], "marker": {"color": "#111"}}]
    layout = {"barmode": "group", "xaxis": {"title": {"text": "x"}}}
    plain = Figure(data=data, layout=layout)
    assert plain.to_plotly().to_dict() == go.Figure(data=data, layout=layout).to_dict()
    assert plain.layout.xaxis.title.text == "x" and plain.data[0].marker.color == "#111"
    data[0]["marker"]["color"] = "#222"                      # the figure holds its own copy of the dicts
    assert plain.data[0].marker.color == "#111"


def test_to_dict_is_plain_json_and_what_dash_would_send():
    f = Figure()
    chart_like(f)
    d = f.to_dict()
    assert type(d) is dict and type(d["layout"]["xaxis"]) is dict and type(d["data"][0]) is dict
    assert json.loads(json.dumps(f)) == d
    assert d["layout"]["yaxis"] == {"range": [0, 100], "ticksuffix": "\u00a0%", "gridcolor": "#e3e3e3"}


def test_to_plotly_validates_and_refuses_a_property_plotly_does_not_know():
    f = Figure().add_bar(y=[1], colour="red")
    with pytest.raises(ValueError, match="colour"):
        f.to_plotly()
    with pytest.raises(ValueError):
        go.Figure().add_bar(y=[1], colour="red")


def test_attribute_access_reads_and_writes_keys():
    n = Node()
    n.color = "red"
    assert n == {"color": "red"} and n.color == "red" and n.missing is None


@pytest.mark.parametrize("first, then", [
    ({"title": "Andel"}, {"title": {"font": {"size": 20}}}),            # text, then its style
    ({"title": {"font": {"size": 20}}}, {"title": "Andel"}),            # style, then its text
    ({"title": {"text": "Andel"}}, {"title": "Ny"}),
])
@pytest.mark.parametrize("where", ["layout", "xaxes", "yaxes"])
def test_a_title_as_text_and_then_as_a_dict_merges_as_plotly_merges(first, then, where):
    """plotly reads title="x" as {"text": "x"}: a later dict styles that text, a later text keeps the style."""
    def build(fig):
        update = {"layout": fig.update_layout, "xaxes": fig.update_xaxes, "yaxes": fig.update_yaxes}[where]
        update(**first)
        update(**then)
    agree(build)
