"""Generated full cubes for tests: every combination of region × year × dimensions present.

Made up, deterministic, and never shipped: the app's default data is data/ only.
"""
from __future__ import annotations

import itertools
import random

import pandas as pd

from dashboard.model.dataset import dataset_from_frame

GROUPS = ("all", "ukraine", "other")
GENDERS = ("all", "men", "women")


def make_cube(regions=("0", "03", "0301"), years=(2021, 2022, 2023), seed=1, groups=GROUPS, genders=GENDERS,
              source="test-cube") -> pd.DataFrame:
    """Counts that add up (all = sum of parts) and shares computed from them, for each cell."""
    rng = random.Random(seed)
    rows = []
    for region, year in itertools.product(regions, years):
        for g, s in itertools.product([x for x in groups if x != "all"], [x for x in genders if x != "all"]):
            ended = rng.randint(0, 60)
            work = rng.randint(0, ended)
            edu = rng.randint(0, ended - work)
            rows.append(dict(year=year, region=region, group=g, gender=s, ended=ended, work=work, edu=edu))
    base = pd.DataFrame(rows)
    # Margins: sum over the parts, as a real aggregated extract would have them.
    frames = [base]
    for gcol in ("group", "gender"):
        m = base.groupby([c for c in ("year", "region", "group", "gender") if c != gcol], as_index=False)[
            ["ended", "work", "edu"]].sum()
        m[gcol] = "all"
        frames.append(m)
    m = base.groupby(["year", "region"], as_index=False)[["ended", "work", "edu"]].sum()
    m["group"] = m["gender"] = "all"
    frames.append(m)
    cube = pd.concat(frames, ignore_index=True)
    out = []
    for r in cube.itertuples():
        common = dict(year=r.year, region=r.region, group=r.group, gender=r.gender, education="all", age="all",
                      country="all", approx=False, source=source)
        out.append({**common, "measure": "ended", "value": float(r.ended), "unit": "count"})
        out.append({**common, "measure": "to_work_count", "value": float(r.work), "unit": "count"})
        out.append({**common, "measure": "to_education_count", "value": float(r.edu), "unit": "count"})
        if r.ended:
            out.append({**common, "measure": "to_work", "value": round(100 * r.work / r.ended, 1), "unit": "percent"})
            out.append({**common, "measure": "to_education", "value": round(100 * r.edu / r.ended, 1),
                        "unit": "percent"})
            out.append({**common, "measure": "to_work_or_education",
                        "value": round(100 * (r.work + r.edu) / r.ended, 1), "unit": "percent"})
    return pd.DataFrame(out)


def cube_dataset(**kw):
    return dataset_from_frame(make_cube(**kw), origin="user", name="cube")


def cube_csv(**kw) -> bytes:
    return make_cube(**kw).to_csv(index=False).encode()
