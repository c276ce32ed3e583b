"""Generated full cubes over real municipalities, for the small-number protection tests.

Every municipality of the chosen counties (in that year's structure, from dashboard.model.regions) × group ×
gender, with their margins: counts that add up exactly, and the shares computed from them. Made up,
deterministic, never shipped.
"""
from __future__ import annotations

import itertools
import random

import pandas as pd

from dashboard.model import regions
from dashboard.model.dataset import dataset_from_frame

PARTS = {"group": ("ukraine", "other"), "gender": ("men", "women")}
COUNTS = ("ended", "to_work_count", "to_education_count", "neither_work_nor_education_count")


def municipalities(county: str, year: int) -> list[str]:
    return [r.code for r in regions.regions_in(year, "municipality") if r.county == county]


def base_cells(counties_by_year: dict[int, tuple[str, ...]], seed: int = 1, high: int = 14) -> list[dict]:
    """One row per municipality × year × group × gender: ended, to work, to education (small numbers)."""
    rng = random.Random(seed)
    rows = []
    for year, counties in sorted(counties_by_year.items()):
        for county in counties:
            for muni in municipalities(county, year):
                for g, s in itertools.product(PARTS["group"], PARTS["gender"]):
                    ended = rng.randint(0, high)
                    work = rng.randint(0, ended)
                    edu = rng.randint(0, ended - work)
                    rows.append(dict(year=year, county=county, region=muni, group=g, gender=s,
                                     ended=ended, work=work, edu=edu))
    return rows


def make_region_cube(counties_by_year=None, seed: int = 1, high: int = 14, rows: list[dict] | None = None,
                     source: str = "test-cube") -> pd.DataFrame:
    """Tidy rows: municipalities and their counties; group, gender and their `all` margins."""
    counties_by_year = counties_by_year or {2023: ("03", "38"), 2024: ("03", "39", "40")}
    base = pd.DataFrame(rows if rows is not None else base_cells(counties_by_year, seed, high))
    frames = [base.drop(columns="county")]
    county_level = base.assign(region=base["county"]).drop(columns="county")
    county_level = county_level.groupby(["year", "region", "group", "gender"], as_index=False)[
        ["ended", "work", "edu"]].sum()
    frames.append(county_level)
    cube = pd.concat(frames, ignore_index=True)
    margins = [cube]
    for dim in ("group", "gender"):
        other = [c for c in ("year", "region", "group", "gender") if c != dim]
        m = cube.groupby(other, as_index=False)[["ended", "work", "edu"]].sum()
        m[dim] = "all"
        margins.append(m)
    m = cube.groupby(["year", "region"], as_index=False)[["ended", "work", "edu"]].sum()
    m["group"] = m["gender"] = "all"
    margins.append(m)
    cube = pd.concat(margins, ignore_index=True)
    out = []
    for r in cube.itertuples():
        common = dict(year=r.year, region=r.region, group=r.group, gender=r.gender, education="all", age="all",
                      country="all", approx=False, source=source)
        counts = {"ended": r.ended, "to_work_count": r.work, "to_education_count": r.edu,
                  "neither_work_nor_education_count": r.ended - r.work - r.edu}
        for measure, v in counts.items():
            out.append({**common, "measure": measure, "value": float(v), "unit": "count"})
        if r.ended:
            for measure, v in (("to_work", r.work), ("to_education", r.edu), ("to_work_or_education", r.work + r.edu)):
                out.append({**common, "measure": measure, "value": round(100 * v / r.ended, 1), "unit": "percent"})
    return pd.DataFrame(out)


def region_cube_dataset(**kw):
    return dataset_from_frame(make_region_cube(**kw), origin="user", name="region cube")
