"""Generated full cubes for the growth benchmark: every region in force × years × dimensions × measures.

Made-up numbers, deterministic, vectorised (a million rows in about a second), never shipped: they live in
a temporary folder for the length of a benchmark run. The shape follows tests/cube.py (counts and the
shares computed from them) but covers every current municipality and county, so the region list, the
query's indexes and the availability table are as large as a real full extract would make them.
"""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from dashboard.model.dataset import dataset_from_frame

# rows = regions in use (368 in each of these years) × 3 years × group × gender × education × age × 10
# measures. The years stay the same in every size, so every size answers the same views and only the
# number of rows changes.
YEARS = (2021, 2022, 2023)
SIZES = {
    "10k": dict(groups=("all",), genders=("all",), educations=("all",), ages=("all",)),           # 11 040
    "100k": dict(groups=("all", "ukraine", "other"), genders=("all", "men", "women"),            # 99 360
                 educations=("all",), ages=("all",)),
    "1M": dict(groups=("all", "ukraine", "other"), genders=("all", "men", "women"),              # 1 192 320
               educations=("all", "primary_or_less", "upper_secondary", "higher"), ages=("all", "18-25", "26-35")),
}
COUNTS = ("ended", "to_work_count", "to_education_count", "to_work_or_education_count", "participants", "started")
SHARES = ("to_work", "to_education", "to_work_or_education", "in_work_or_education_1y")
SOURCE = "imdi-2017-resultater-2016"


def regions_in(year: int) -> list[str]:
    """'0' and every county and municipality code in use that year (data/regions): a loader refuses a code
    outside its years, as it would in a real extract."""
    from dashboard.model import regions
    return ["0"] + [r.code for level in ("county", "municipality") for r in regions.regions_in(year, level)]


def make_cube(size: str = "10k", seed: int = 7) -> pd.DataFrame:
    spec = SIZES[size]
    combos = [(r, y, *rest) for y in YEARS for r in regions_in(y)
              for rest in itertools.product(spec["groups"], spec["genders"], spec["educations"], spec["ages"])]
    n = len(combos)
    region, year, group, gender, education, age = (np.array(c) for c in zip(*combos))
    rng = np.random.default_rng(seed)
    ended = rng.integers(5, 400, n)
    work = (ended * rng.uniform(0.2, 0.6, n)).astype(int)
    edu = ((ended - work) * rng.uniform(0.0, 0.4, n)).astype(int)
    values = {"ended": ended, "to_work_count": work, "to_education_count": edu,
              "to_work_or_education_count": work + edu, "participants": ended * 3 + rng.integers(0, 50, n),
              "started": ended + rng.integers(0, 80, n),
              "to_work": np.round(100 * work / ended, 1), "to_education": np.round(100 * edu / ended, 1),
              "to_work_or_education": np.round(100 * (work + edu) / ended, 1),
              "in_work_or_education_1y": np.round(rng.uniform(40, 80, n), 1)}
    frames = []
    for m in COUNTS + SHARES:
        frames.append(pd.DataFrame({
            "year": year.astype("int16"), "region": region, "group": group, "gender": gender,
            "education": education, "age": age, "country": "all", "measure": m,
            "value": values[m].astype("float64"), "unit": "count" if m in COUNTS else "percent",
            "approx": False, "source": SOURCE}))
    return pd.concat(frames, ignore_index=True)


def cube_dataset(size: str = "10k"):
    return dataset_from_frame(make_cube(size), origin="published", name=f"cube-{size}")
