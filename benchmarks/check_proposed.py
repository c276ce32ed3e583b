"""Check that proposed-query.patch changes no answer: query() and data_cells() of the patched module equal
the current module's, for every view of a grid over the shipped data and over a generated cube.

  .venv/bin/python -m benchmarks.check_proposed
"""
from __future__ import annotations

import importlib.util
import itertools
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_patched():
    tmp = Path(tempfile.mkdtemp(prefix="introdash-q-"))
    (tmp / "dashboard").mkdir()
    shutil.copy(ROOT / "dashboard" / "query.py", tmp / "dashboard" / "query.py")
    subprocess.run(["patch", "-p1", "-s", "-d", str(tmp), "-i", str(ROOT / "benchmarks" / "proposed-query.patch")],
                   check=True)
    spec = importlib.util.spec_from_file_location("dashboard._query_proposed", tmp / "dashboard" / "query.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    shutil.rmtree(tmp)
    return mod


def main() -> int:
    from benchmarks.cube import make_cube
    from dashboard import query as current
    from dashboard.dataset import dataset_from_frame, load_dataset
    from dashboard.state import ViewState
    proposed = load_patched()
    checked = 0
    for name, make in (("shipped data", lambda: load_dataset()),
                       ("100k cube", lambda: dataset_from_frame(make_cube("100k")))):
        # two copies: each module keeps its caches on the dataset object
        a, b = make(), make()
        regions = sorted(set(a.cells["region"].astype(str)))[:6] + ["0301", "9999"]
        grid = itertools.product([None] + a.years[-3:], regions, ("all", "ukraine"), ("all", "women"),
                                 ("all", "higher"), ("imdi_direct", "ssb_one_year_after"))
        for year, region, group, gender, education, series in grid:
            st = ViewState(year=year, region=region, group=group, gender=gender, education=education, series=series)
            ra, rb = current.query(a, st), proposed.query(b, st)
            if repr(ra) != repr(rb):  # two copies of the classes: compare their text
                print(f"{name}: query differs for {st.to_query()}")
                return 1
            for yg, sg in ((False, False), (True, True)):
                if year is None and yg:
                    continue
                if repr(current.data_cells(a, st, yg, sg)) != repr(proposed.data_cells(b, st, yg, sg)):
                    print(f"{name}: data_cells differs for {st.to_query()} {yg} {sg}")
                    return 1
            checked += 1
    print(f"proposed-query.patch: the same answers for {checked} views (query and data_cells)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
