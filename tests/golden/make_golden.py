"""Regenerate the golden /data.csv answers (see README.md beside this file)."""
import hashlib, json, sys
from pathlib import Path
from dashboard.web.app import create_app
VIEWS = ["", "year=2023", "year=2022", "year=2016", "year=2023&group=ukraine", "group=other&year=2023",
 "series=ssb_one_year_after", "series=ssb_one_year_after&year=2022", "series=imdi_direct&year=2021",
 "region=46", "region=46&year=2022", "region=4601&year=2022", "region=03&series=ssb_one_year_after&year=2022",
 "region=0301", "gender=women", "gender=men&year=2023", "education=higher", "education=primary_or_less&gender=women",
 "age=18-25", "age=26-35&series=ssb_one_year_after", "lang=en", "lang=en&year=2022&gender=women",
 "country=UA", "country=SY&year=2016", "style=line", "view=table", "chart=groups", "year=2019&region=42",
 "region=3024&year=2023", "year=2020&series=ssb_one_year_after&gender=women"]
root = Path(__file__).resolve().parent
app = create_app(root / "data")
c = app.server.test_client()
out = {}
for v in VIEWS:
    r = c.get("/data.csv?" + v)
    assert r.status_code == 200, (v, r.status_code, r.get_data()[:200])
    name = hashlib.sha1(v.encode()).hexdigest()[:10]
    (root / "data_csv" / f"{name}.csv").write_bytes(r.get_data())
    out[v] = name
(root / "data_csv" / "views.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
print(len(out), "views")
