"""The page's static shape (layout.py): a section per page chart with the ids the callbacks set, a labelled
control per filter, and the stores."""
import pytest
from dash import dcc

from dashboard.model import dimensions as dims
from dashboard.views.charts import PAGE_CHARTS
from dashboard.web import layout


def walk(node):
    yield node
    children = getattr(node, "children", None)
    for c in children if isinstance(children, (list, tuple)) else [children]:
        if c is not None and not isinstance(c, (str, int, float)):
            yield from walk(c)


@pytest.fixture(scope="module")
def page():
    return layout.page("nb")


@pytest.fixture(scope="module")
def by_id(page):
    out = {}
    for n in walk(page):
        i = getattr(n, "id", None)
        if isinstance(i, str):
            assert i not in out, f"id {i!r} twice"
            out[i] = n
    return out


def _text(node) -> str:
    if isinstance(node, str):
        return node
    children = getattr(node, "children", None)
    if children is None:
        return ""
    return " ".join(_text(c) for c in (children if isinstance(children, (list, tuple)) else [children]))


def test_one_section_per_page_chart_with_every_id_the_callbacks_set(page, by_id):
    sections = [n.id for n in walk(page) if getattr(n, "className", "") == "chart-section"]
    assert sections == [f"section-{c}" for c in PAGE_CHARTS] and "section-cards" not in sections
    for component, prop in layout.chart_outputs():
        assert component in by_id, component
        assert prop in by_id[component].available_properties, (component, prop)
    # whether the region and the compare sections show, each chart's head, graph, caption and foot, and the
    # footer's list of their sources
    assert len(layout.chart_outputs()) == 2 + 4 * len(PAGE_CHARTS) + 1
    assert layout.chart_outputs()[-1] == ("source-list", "html")
    for c in PAGE_CHARTS:
        assert isinstance(by_id[f"{c}-graph"], dcc.Graph)
        assert getattr(by_id[f"section-{c}"], "aria-labelledby") == f"{c}-title"


def test_a_control_per_filter_and_each_has_a_label(page, by_id):
    assert layout.FILTERS == dims.FILTER_IDS + ("series",)
    labels = {getattr(n, "html_for", None) for n in walk(page)} - {None}
    for name in layout.FILTERS:
        assert f"f-{name}" in by_id, name
        assert f"f-{name}" in labels, f"no <label for> f-{name}"
    for name in ("style", "view"):  # radio groups: a fieldset with a legend
        fieldset = next(n for n in walk(page) if type(n).__name__ == "Fieldset" and by_id[f"f-{name}"] in n.children)
        assert type(fieldset.children[0]).__name__ == "Legend" and _text(fieldset.children[0]).strip()
    assert "f-region-search" in labels and by_id["f-region-search"].type == "search"


def test_every_label_has_words_in_both_languages():
    for lang in ("nb", "en"):
        p = layout.page(lang)
        labels = [n for n in walk(p) if type(n).__name__ in ("Label", "Legend")]
        # the filters, the region search, style and view, and the presentation's filter bar
        # (and "Sammenlign med …", the regions to compare)
        assert len(labels) == len(layout.FILTERS) + 1 + 2 + len(layout.PRESENT_FILTERS) + 1
        assert all(_text(label).strip() for label in labels)
    assert _text(layout.page("en")).count("Filters") >= 1 and "Filtre" in _text(layout.page("nb"))


def test_the_stores(by_id):
    for store in ("user-data", "charts-shown", "region-notice", "lang-store", "region-names"):
        assert isinstance(by_id[store], dcc.Store), store
    assert by_id["user-data"].storage_type == "session"
    names = by_id["region-names"].data
    assert names[0] == "Norge (0)" and any(n.startswith("Oslo (03") for n in names) and len(names) > 300
    assert isinstance(by_id["url"], dcc.Location)


def test_the_page_has_its_landmarks_and_the_missing_files_warning_only_when_asked(by_id):
    assert by_id["main"].tabIndex == "-1" and "filters" in by_id
    warned = layout.page("nb", missing_assets=["vendor/x.js"], setup_hint="bash scripts/setup.sh")
    assert _text(warned.children[0]) == "Front-end files are missing (vendor/x.js). Run: bash scripts/setup.sh"
    assert "Front-end files are missing" not in _text(layout.page("nb"))


def test_a_plotly_locale_goes_into_every_graphs_config():
    p = layout.page("nb", locale={"dictionary": {}})
    graphs = [n for n in walk(p) if isinstance(n, dcc.Graph)]
    assert len(graphs) == len(PAGE_CHARTS) + 1  # the page's charts and the solo chart
    assert all(g.config["locale"] == "no" and g.config["displaylogo"] is False for g in graphs)
