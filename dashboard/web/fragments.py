"""Server-rendered HTML in one Dash component.

Why: Dash's renderer wraps every component in a React wrapper that subscribes to the store, and every store
update (a callback output, a mounted component) visits every wrapper. A filter change that sends cards,
findings, notices and tables as component trees costs (new components + outputs) x (all components): about
half a second in the browser with the first layout. `Fragment` is one wrapper whatever its content: the
callbacks still build `html.*` trees, and `to_html` turns them into escaped HTML on the server.

Every text and attribute value is escaped (markupsafe); a link is kept only with a safe scheme; tags and
attribute names come from the component classes, never from data. The browser side is
`assets/js/fragments.js` (React sets the HTML only when the string changes).
"""
from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape

from dash import html
from dash.development.base_component import Component

# html.* props that are not HTML attributes (Dash's own) or are spelled differently in HTML.
_SKIP = {"children", "n_clicks", "n_clicks_timestamp", "disable_n_clicks", "key", "loading_state", "setProps"}
_RENAME = {"className": "class", "htmlFor": "for", "tabIndex": "tabindex", "colSpan": "colspan",
           "rowSpan": "rowspan", "accessKey": "accesskey", "contentEditable": "contenteditable",
           "spellCheck": "spellcheck", "autoComplete": "autocomplete"}
_VOID = {"br", "hr", "img", "input", "wbr"}
_URL_ATTRS = {"href", "src", "action", "formaction", "poster", "data", "xlink:href", "background"}
_NEVER = {"srcdoc"}  # HTML inside an attribute: never from here
_SAFE_SCHEMES = ("https://", "http://", "mailto:")


class Fragment(Component):
    """One element (`tag`, default div) whose content is `html`, a string made by `to_html`."""
    _children_props: list[str] = []
    _base_nodes: list[str] = []
    _namespace = "dashboard_fragments"
    _type = "Fragment"

    def __init__(self, html: str = "", id=None, tag: str = "div", className: str | None = None,
                 hidden: bool | None = None, role: str | None = None, **wild):
        self._prop_names = ["id", "html", "tag", "className", "hidden", "role", "aria-*", "data-*"]
        self._valid_wildcard_attributes = ["data-", "aria-"]
        self.available_properties = list(self._prop_names)
        self.available_wildcard_properties = ["data-", "aria-"]
        given = {"id": id, "className": className, "hidden": hidden, "role": role, **wild}
        super().__init__(html=html, tag=tag, **{k: v for k, v in given.items() if v is not None})


def _safe_url(value: str) -> str | None:
    v = value.strip()
    low = v.lower()
    if ":" in low.split("/", 1)[0].split("?", 1)[0] and not low.startswith(_SAFE_SCHEMES):
        return None  # javascript:, data:, vbscript: ... never a link
    return v


def _css(style: dict) -> str:
    out = []
    for k, v in style.items():
        name = "".join("-" + c.lower() if c.isupper() else c for c in k)
        out.append(f"{name}:{v}")
    return ";".join(out)


@lru_cache(maxsize=512)  # a view writes thousands of attributes of a few dozen names
def _attr_kind(name: str) -> tuple[str, str]:
    """The HTML name of an attribute, and whether it is never written, a URL, or plain."""
    attr = _RENAME.get(name, name)
    low = attr.lower()
    return attr, "never" if low in _NEVER or low.startswith("on") else "url" if low in _URL_ATTRS else "plain"


def _attr_html(name: str, value) -> str:
    if value is None or value is False:
        return ""
    if name == "style" and isinstance(value, dict):
        value = _css(value)
    attr, kind = _attr_kind(name)
    if kind == "never":
        return ""
    if kind == "url":
        value = _safe_url(str(value))
        if value is None:
            return ""
    if value is True:
        return f" {attr}"
    return f' {attr}="{escape(str(value))}"'


def _attrs(node: Component) -> str:
    # The component's own attributes, read directly: to_plotly_json() costs more than the HTML itself.
    props = node._prop_names
    out = []
    for name, value in vars(node).items():
        if name in _SKIP or not (name in props or name.startswith(("data-", "aria-"))):
            continue
        if name == "id" and not isinstance(value, str):
            continue  # pattern-matching ids belong to Dash, not to the HTML
        out.append(_attr_html(name, value))
    return "".join(out)


@lru_cache(maxsize=256)
def _keyword_attr(name: str) -> str:
    return "class" if name == "class_" else name.rstrip("_").replace("_", "-")


def el(tag: str, *content, **attrs) -> Markup:
    """An element as escaped HTML, without building a Dash component (the hot paths: a view has hundreds).
    `class_` is `class`; other underscores in names are hyphens (aria_label, data_value)."""
    parts = "".join([_attr_html(_keyword_attr(k), v) for k, v in attrs.items()])
    if tag in _VOID:
        return Markup(f"<{tag}{parts}>")
    # Most content is HTML made here already or plain text: the short way; anything else through to_html
    inner = "".join([str(c) if type(c) is Markup else escape(c) if type(c) is str else to_html(c) for c in content])
    return Markup(f"<{tag}{parts}>{inner}</{tag}>")


def _alert(node: Component) -> str:
    props = node.to_plotly_json()["props"]
    classes = " ".join(c for c in ("alert", f"alert-{props.get('color') or 'primary'}", props.get("className")) if c)
    return f'<div class="{escape(classes)}" role="alert">{to_html(props.get("children"))}</div>'


def to_html(node) -> str:
    """Escaped HTML for a tree of html.* components (and dbc.Alert), strings, numbers and lists."""
    if node is None or node is False:
        return ""
    if isinstance(node, Markup):
        return str(node)  # already HTML (el)
    if isinstance(node, (list, tuple)):
        return "".join(to_html(n) for n in node)
    if isinstance(node, (str, int, float)):
        return str(escape(str(node)))
    if isinstance(node, Component):
        if node._namespace == "dash_bootstrap_components" and node._type == "Alert":
            return _alert(node)
        if node._namespace != html.Div._namespace:
            raise TypeError(f"to_html cannot render {node._namespace}.{node._type}")
        tag = node._type.lower()
        if tag in _VOID:
            return f"<{tag}{_attrs(node)}>"
        return f"<{tag}{_attrs(node)}>{to_html(getattr(node, 'children', None))}</{tag}>"
    raise TypeError(f"to_html cannot render {type(node).__name__}")
