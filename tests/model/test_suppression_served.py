"""What the app serves (/data.csv, /data.xlsx, the page's numbers) never holds a suppressed cell."""
import io

import pandas as pd
from openpyxl import load_workbook

from dashboard.web.app import create_app

from tests.cube import make_cube


def small_cube_app(tmp_path):
    cube = make_cube(regions=("0", "03", "0301"), years=(2022, 2023), seed=7)
    folder = tmp_path / "data"
    folder.mkdir()
    cube.to_csv(folder / "cube.csv", index=False)
    # Catalogues from the shipped data; the cube's source must be known.
    from dashboard.model.dataset import DATA_DIR
    (folder / "measures.csv").write_bytes((DATA_DIR / "measures.csv").read_bytes())
    sources = (DATA_DIR / "sources.csv").read_text(encoding="utf-8").rstrip("\n")
    (folder / "sources.csv").write_text(sources + "\ntest-cube,Test,Generated cube,2026,https://example.invalid\n",
                                        encoding="utf-8")
    return create_app(folder, settings={"reload_interval": 0}), cube


def test_data_csv_holds_no_small_count_and_no_share_of_a_small_base(tmp_path):
    app, cube = small_cube_app(tmp_path)
    assert (cube[(cube.unit == "count")]["value"] < 5).any(), "the generated cube must have small numbers"
    served = pd.read_csv(io.StringIO(app.server.test_client().get("/data.csv?region=0301").data.decode()))
    counts = served[served.unit == "count"]
    assert not counts.empty and (counts["value"] >= 5).all()
    ended = {(r.year, r.group, r.gender): r.value for r in cube[cube.measure == "ended"].itertuples()
             if r.region == "0301"}
    shares = served[served.unit == "percent"]
    assert len(shares) > 0, "the generated cube must have shares that are shown"
    for r in shares.itertuples():
        assert ended[(r.year, r.group, r.gender)] >= 10
    # And it did hide some: the cube's small counts of Oslo are not in the answer.
    oslo = cube[(cube.region == "0301") & (cube.unit == "count")]
    assert len(counts) < len(oslo) and (oslo["value"] < 5).any()


def test_xlsx_holds_no_small_count(tmp_path):
    app, _ = small_cube_app(tmp_path)
    body = app.server.test_client().get("/data.xlsx?region=0301&year=2023").data
    sheet = list(load_workbook(io.BytesIO(body))["Data"].iter_rows(values_only=True))
    header, rows = sheet[1], sheet[2:]
    assert (header[8], header[9]) == ("value", "unit")
    counts = [r for r in rows if r[9] == "count"]
    assert len(counts) > 0 and all(r[8] >= 5 for r in counts)
