"""Plain HTTP routes beside the page: /healthz and /data.csv (the view's URL plus an extension)."""
from __future__ import annotations

from flask import Response, request

from ..model import regions
from ..views.exports import cells_to_csv
from ..model.query import data_cells, known_regions, query
from ..views import charts
from ..views.state import ViewState
from ..views.text import describe, slug
from ..model.store import DataStore

TEXT = "text/plain; charset=utf-8"


def plain(value: str, limit: int = 40) -> str:
    """A value from the request quoted for a plain-text message: short, and no markup survives it."""
    v = value if len(value) <= limit else value[:limit] + "…"
    return repr(v).replace("<", "\\x3c").replace(">", "\\x3e").replace("&", "\\x26")


def bad_request(lines: list[str]) -> Response:
    return Response("\n".join(lines) + "\n", status=400, mimetype="text/plain")


def view_from_request(store: DataStore) -> tuple[ViewState | None, Response | None]:
    """The view a request names, or a 400 that says in plain words which parameter is wrong."""
    ds = store.dataset  # pinned for the request (DataStore.dataset): the same version the response uses
    pairs = list(request.args.items(multi=True))
    state, problems = ViewState.from_query(pairs, years=ds.years, regions=known_regions(ds), charts=charts.REGISTRY)
    if problems:
        years = f"{min(ds.years)}–{max(ds.years)}" if ds.years else "none"
        return None, bad_request([f"Invalid value for '{p.param}': {plain(p.value)}." for p in problems]
                                 + [f"Years with figures: {years}. Dimensions not given mean 'all'."])
    return state, None


def _with_region(code: str) -> str:
    """The request's own query with another region: the same file, chart and filters, in the code of that year."""
    from urllib.parse import urlencode
    pairs = [(k, code if k == "region" else v) for k, v in request.args.items(multi=True)]
    return urlencode(pairs, safe=",")


def region_not_in_year(state: ViewState, path: str = "/data.csv") -> Response | None:
    """A 404 that says so when the region's code was not in use in the year asked for (Bærum is 3201 from 2024;
    in 2019 it was 0219), and which code held its area then, as links to `path`; None when the code was in
    use, or when the request named no year (then every year is asked for)."""
    code, year = state.region, state.year
    if "year" not in request.args or code == "0" or year is None or regions.valid(code, year) is not None:
        return None
    latest = regions.region(code, None)
    if latest is None:
        return None
    anchor = latest.valid_from.year if latest.valid_from else year
    held = regions.codes_over_time(code, [year, anchor]).get(year, [])
    then = ", ".join(f"{c} ({regions.name(c, year)})" for c in held)
    lines = [f"Region {code} ({latest.name}) did not exist in {year}."]
    lines += ([f"In {year} its area had the code{'s' if len(held) > 1 else ''} {then}: ask for "
               + " or ".join(f"{path}?{_with_region(c)}" for c in held) + "."] if held
              else [f"No region of {year} holds its area."])
    return Response("\n".join(lines) + "\n", status=404, mimetype="text/plain")


def register_routes(server, store: DataStore) -> None:
    @server.route("/healthz")
    def healthz():
        # Still 200: the app serves its last good data. Status and the data's version (digest, rows, when
        # loaded); a refused file is counted, and its details (which may quote the file) are in the log,
        # and here only with the healthz_details setting.
        lines = store.health_lines(bool(server.config.get("HEALTHZ_DETAILS")))
        return Response("\n".join(lines) + "\n", mimetype="text/plain",
                        headers={"Cache-Control": "no-store"})

    @server.route("/data.csv")
    def data_csv():
        ds = store.dataset  # pinned for the request: the whole response comes from one version
        state, error = view_from_request(store)
        if error:
            return error
        if (not_then := region_not_in_year(state)) is not None:
            return not_then
        if "chart" in request.args:  # one chart's cells: exactly what it draws (urls.download)
            cells, name = chart_cells(ds, state)
        else:  # the view's cells: a dimension not given is `all`, a year not given is every year
            cells = data_cells(ds, state, year_given="year" in request.args, series_given="series" in request.args)
            name = "introduksjonsprogrammet"
        body = cells_to_csv(cells, state.lang)
        return Response(body, mimetype="text/csv", headers={"Content-Disposition": f'inline; filename="{name}.csv"'})


def cached_view_cells(ds, state: ViewState):
    """Every cell a view shows (the whole page), its title and file name."""
    result = query(ds, state)
    return result.cells(), describe(state, result.year), slug(state, result.year, "view")


def chart_cells(ds, state: ViewState):
    """The cells one chart draws, and its file name."""
    result, spec = charts.one(ds, state, state.chart)
    return spec.cells, slug(state, result.year, state.chart)
