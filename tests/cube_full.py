"""Generated cubes over every relation the small-number protection knows of, derived from the app's own tables.

The category dimensions and their parts come from dashboard.model.dimensions (PARTS: a new dimension with
parts is crossed here without a change), the measure hierarchy from suppression.MEASURE_SUMS (its leaves are
drawn at random, every total is the sum of its parts), the shares from the measure catalogue (count_measure /
denominator), the changes from the catalogue's change measures, and the region hierarchy from
dashboard.model.regions (municipalities -> county -> the country, in each year's structure).

Every combination of the parts and all their `all` margins is present, so every relation holds exactly.
Made up, deterministic, never shipped.
"""
from __future__ import annotations

import itertools
import random

import pandas as pd

from dashboard.model import dimensions as dims, regions
from dashboard.model.dataset import catalogues, dataset_from_frame
from dashboard.model.suppression import MEASURE_SUMS


def change_measures(measures) -> dict[str, tuple[str, str]]:
    """{change id: (level id, kind)} for every change measure of the catalogue: kind is 'pp' (a share's
    change in percentage points), 'count' (a count's change in persons) or 'pct' (a count's change in per cent).
    Read from the ids the catalogue uses (to_work_change_pp, employed_change_pp_1y, participants_change, …)."""
    out = {}
    for mid in measures:
        if "_change" not in mid:
            continue
        for level, kind in ((mid.replace("_change_pp_1y", "_1y"), "pp"), (mid.replace("_change_pp", ""), "pp"),
                            (mid.replace("_change_pct", ""), "pct"), (mid.replace("_change", ""), "count")):
            if level != mid and level in measures:
                out[mid] = (level, kind)
                break
    return out


def sum_tree(sums=MEASURE_SUMS) -> tuple[list[str], list[tuple[str, tuple[str, ...]]]]:
    """The leaves of the measure sums (parts that are no total) and the sums in an order that computes them."""
    totals = {t for t, _ in sums}
    leaves = sorted({p for _, ps in sums for p in ps if p not in totals})
    done, order, todo = set(leaves), [], list(sums)
    while todo:
        ready = [s for s in todo if all(p in done for p in s[1])]
        assert ready, "MEASURE_SUMS has a cycle"
        for s in ready:
            order.append(s)
            done.add(s[0])
            todo.remove(s)
    return leaves, order


def cube_regions(counties_with_municipalities: tuple[str, ...], year: int, country: bool) -> dict[str, str | None]:
    """{region: the county it adds up to (None: a county, or the country)} for one year."""
    out = {}
    counties = [r.code for r in regions.regions_in(year, "county")] if country else list(counties_with_municipalities)
    for c in counties:
        out[c] = None
    for m in regions.regions_in(year, "municipality"):
        if m.county in counties_with_municipalities:
            out[m.code] = m.county
    if country:
        out["0"] = None
    return out


def make_full_cube(years=(2023, 2024), counties_with_municipalities=("39",), country=False, crossed=None,
                   sums=MEASURE_SUMS, seed=1, high=6, source="test-cube") -> pd.DataFrame:
    """Tidy rows: every region × year × combination of the crossed dimensions' parts, with every margin.

    crossed: the dimensions whose parts are crossed (default: every dimension with parts, dimensions.PARTS);
    the others stay at `all`. sums: the measure sums whose measures are drawn (default: all of them).
    """
    measures, _ = catalogues()
    crossed = tuple(dims.PARTS) if crossed is None else tuple(crossed)
    leaves, order = sum_tree(sums)
    rng = random.Random(seed)
    place = [d for d in dims.PLACE_IDS if d != dims.REGION]
    rows = []
    for year in years:
        tree = cube_regions(counties_with_municipalities, year, country)
        counties_added = {c for c in tree.values() if c}
        leaf_regions = [r for r in tree if r != "0" and r not in counties_added]
        for region in leaf_regions:
            for combo in itertools.product(*(dims.PARTS[d] for d in crossed)):
                row = {"year": year, "region": region, **dict(zip(crossed, combo))}
                row.update({m: rng.randint(0, high) for m in leaves})
                rows.append(row)
    base = pd.DataFrame(rows)
    for d in place:
        if d not in crossed:
            base[d] = dims.ALL
    # Regions: municipalities add up to their county, the counties to the country.
    frames = [base]
    county_of = {}
    for year in years:
        county_of.update({(year, r): c for r, c in cube_regions(counties_with_municipalities, year, country).items()
                          if c})
    munis = base[[(int(y), r) in county_of for y, r in zip(base["year"], base["region"])]]
    if len(munis):
        up = munis.assign(region=[county_of[(int(y), r)] for y, r in zip(munis["year"], munis["region"])])
        frames.append(up.groupby(["year", "region"] + place, as_index=False)[leaves].sum())
    regional = pd.concat(frames, ignore_index=True)
    if country:
        counties = regional[regional["region"].str.len() == 2]
        regional = pd.concat([regional, counties.assign(region="0").groupby(["year", "region"] + place, as_index=False)[
            leaves].sum()], ignore_index=True)
    # Margins: every subset of the crossed dimensions summed to `all`.
    frames = [regional]
    for k in range(1, len(crossed) + 1):
        for subset in itertools.combinations(crossed, k):
            keep = ["year", "region"] + [d for d in place if d not in subset]
            m = regional.groupby(keep, as_index=False)[leaves].sum()
            for d in subset:
                m[d] = dims.ALL
            frames.append(m)
    cube = pd.concat(frames, ignore_index=True)
    for total, parts in order:
        cube[total] = cube[list(parts)].sum(axis=1)
    counts = [m for m in cube.columns if m in measures and measures[m].unit == "count"]
    shares = [m for m, meta in measures.items() if meta.unit == "percent" and meta.denominator in cube.columns
              and (meta.count_measure in cube.columns or m in cube.columns)]
    out = []
    common_keys = ["year", "region"] + place
    records = cube.to_dict("records")
    share_of = {}
    for r in records:
        common = {k: r[k] for k in common_keys}
        common.update(approx=False, source=source)
        key = tuple(r[k] for k in common_keys)
        for m in counts:
            out.append({**common, "measure": m, "value": float(r[m]), "unit": "count"})
        for m in shares:
            meta = measures[m]
            num = r[meta.count_measure] if meta.count_measure in r else r[m]
            den = r[meta.denominator]
            if den:
                v = round(100 * num / den, 1)
                share_of[(m,) + key] = v
                out.append({**common, "measure": m, "value": v, "unit": "percent"})
    # Changes: a share's change in points from the year before, where both years have it.
    for cid, (level, kind) in change_measures(measures).items():
        if kind != "pp":
            continue
        for (m, year, *rest), v in list(share_of.items()):
            if m != level:
                continue
            last = share_of.get((m, year - 1, *rest))
            if last is not None:
                common = dict(zip(common_keys, (year, *rest)), approx=False, source=source)
                out.append({**common, "measure": cid, "value": round(v - last, 1), "unit": "percent"})
    frame = pd.DataFrame(out)
    for d in dims.PLACE_IDS:
        frame[d] = frame[d].astype(str)
    return frame


def full_cube_dataset(**kw):
    return dataset_from_frame(make_full_cube(**kw), origin="user", name="full cube")
