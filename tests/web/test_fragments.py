"""fragments.to_html: component trees become escaped HTML, and nothing from data becomes markup."""
from html.parser import HTMLParser

import dash_bootstrap_components as dbc
import pytest
from dash import dcc, html

from dashboard.web.fragments import Fragment, el, to_html


class Parsed(HTMLParser):
    def __init__(self, markup):
        super().__init__(convert_charrefs=True)
        self.starts, self.text = [], ""
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.starts.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text += data


def test_a_tree_keeps_its_tags_ids_classes_and_attributes():
    tree = html.Div([html.H2("Tittel", id="t", className="chart-title"),
                     html.A("PNG", href="chart.png?gender=women&year=2023", download="x.png"),
                     html.Th("År", scope="col", **{"aria-sort": "none"}), html.P("skjult", hidden=True),
                     html.P("synlig", hidden=False)], className="box")
    out = to_html(tree)
    assert Parsed(out).starts[:2] == [("div", {"class": "box"}), ("h2", {"id": "t", "class": "chart-title"})]
    assert ("a", {"href": "chart.png?gender=women&year=2023", "download": "x.png"}) in Parsed(out).starts
    assert ("th", {"scope": "col", "aria-sort": "none"}) in Parsed(out).starts
    assert "<p hidden>skjult</p>" in out and "<p>synlig</p>" in out


def test_text_and_attributes_from_data_are_escaped():
    hostile = '<img src=x onerror=alert(1)>"\'&'
    out = to_html(html.Li(html.A(hostile, title=hostile, href="https://example.org/?a=" + hostile)))
    parsed = Parsed(out)
    assert [t for t, _ in parsed.starts] == ["li", "a"]
    assert parsed.text == hostile
    assert parsed.starts[1][1]["title"] == hostile


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x",
                                 "vbscript:x", "JAVASCRIPT:x"])
def test_unsafe_links_lose_their_href(url):
    parsed = Parsed(to_html(html.A("kilde", href=url)))
    assert parsed.starts == [("a", {})] and parsed.text == "kilde"


@pytest.mark.parametrize("url", ["https://www.imdi.no/x", "http://ssb.no", "data.csv?year=2020", "./", "?q=1",
                                 "mailto:post@imdi.no"])
def test_safe_links_are_kept(url):
    assert Parsed(to_html(html.A("k", href=url))).starts == [("a", {"href": url})]


def test_numbers_lists_none_and_alerts():
    assert to_html([1, " ", 2.5, None, False]) == "1 2.5"
    out = to_html(dbc.Alert([html.P("Obs <b>")], color="warning", className="notice"))
    assert out == '<div class="alert alert-warning notice" role="alert"><p>Obs &lt;b&gt;</p></div>'


def test_pattern_matching_ids_and_dash_only_props_stay_out_of_the_html():
    out = to_html(html.Button("x", id={"type": "i18n", "key": "k"}, n_clicks=3, type="button"))
    assert out == '<button type="button">x</button>'


def test_components_it_cannot_render_are_refused():
    with pytest.raises(TypeError):
        to_html(dcc.Graph(id="g"))
    with pytest.raises(TypeError):
        to_html(object())


def test_fragment_is_one_component_with_the_html_as_a_prop():
    f = Fragment(id="cards", tag="ul", className="cards", html="<li>1</li>")
    j = f.to_plotly_json()
    assert j["namespace"] == "dashboard_fragments" and j["type"] == "Fragment"
    assert j["props"] == {"html": "<li>1</li>", "tag": "ul", "id": "cards", "className": "cards"}


def test_el_builds_the_same_html_without_a_component():
    out = el("a", "Last ned <PNG>", href="chart.png?a=1&b=2", class_="chart-link", download="x.png", aria_label="PNG")
    assert Parsed(out).starts == [("a", {"href": "chart.png?a=1&b=2", "class": "chart-link", "download": "x.png",
                                         "aria-label": "PNG"})]
    assert Parsed(out).text == "Last ned <PNG>"
    assert to_html([html.P(el("strong", "x")), el("br")]) == "<p><strong>x</strong></p><br>"  # not escaped twice
    assert Parsed(el("a", "k", href="javascript:alert(1)")).starts == [("a", {})]


def test_renamed_and_rare_url_attributes_are_checked_too():
    out = to_html([html.Button("x", formAction="javascript:alert(1)"), html.Iframe(srcDoc="<script>x</script>"),
                   html.Video(poster="javascript:alert(2)")])
    assert "javascript" not in out.lower() and "script>" not in out and "srcdoc" not in out.lower()
    assert Parsed(el("a", "k", onclick="alert(1)", href="https://ssb.no")).starts == [("a", {"href": "https://ssb.no"})]
