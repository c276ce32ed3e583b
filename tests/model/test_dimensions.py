"""The dimension table (model/dimensions.py) is the one place a dimension is declared, and the app reads it."""
from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import textwrap
from urllib.parse import urlencode
import tokenize
from pathlib import Path

from dashboard.model import dimensions as dims, schema, suppression
from dashboard.model.query import Coords
from dashboard.views import i18n
from dashboard.views.state import ViewState
from dashboard.web.layout import FILTERS

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "dashboard"
# The same word in another sense: plotly's barmode "group", the ARIA role "group"; the region level "country".
HOMONYMS = {("group", "views/charts/base.py"), ("group", "web/layout.py"), ("country", "model/regions.py")}
# Year and region are the axes every part of the app works along (the time axis and the region hierarchy):
# they are named where the app works along them. The categories are the dimensions that come and go.
STRUCTURAL = {dims.YEAR, dims.REGION}


def names_in(path: Path, word: str) -> bool:
    """Whether Python code names `word`: as a name, or as a string that is it or starts with it and '_'
    (a label key such as 'gender_men'). Comments and prose in docstrings do not count."""
    for tok in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
        if tok.type == tokenize.NAME and tok.string == word:
            return True
        if tok.type == tokenize.STRING:
            body = re.sub(r"^[rbuRBUfF]*('''|\"\"\"|'|\")", "", tok.string)
            if body.startswith((word + "'", word + '"', word + "_")):
                return True
    return False


def files_naming(word: str) -> set[str]:
    found = {str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if names_in(p, word)}
    found |= {str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.json")
              if re.search(rf'"{re.escape(word)}(_[^"]*)?"', p.read_text(encoding="utf-8"))}
    return {f for f in found if (word, f) not in HOMONYMS}


def test_a_dimension_is_named_in_at_most_three_files():
    for d in dims.DIMENSIONS:
        if d.id in STRUCTURAL:
            continue
        found = files_naming(d.id)
        assert "model/dimensions.py" in found, d.id
        assert len(found) <= 3, (d.id, sorted(found))
        assert found - {"model/dimensions.py", "locales/nb.json", "locales/en.json"} == set(), (d.id, sorted(found))


def test_the_counter_sees_a_name_where_there_is_one(tmp_path):
    p = tmp_path / "x.py"
    p.write_text('a = coords.gender\nb = t("gender_men")\n# gender in a comment\n"""gender in prose"""\n')
    assert names_in(p, "gender")
    p.write_text('# gender in a comment\n"""gender in prose"""\nx = "men"\n')
    assert not names_in(p, "gender")


def test_everything_that_handles_dimensions_reads_the_table():
    assert schema.COLUMNS[:len(dims.IDS)] == dims.IDS and schema.ALLOWED == dims.ALLOWED
    assert tuple(f for f in Coords.__dataclass_fields__) == dims.PLACE_IDS
    fields = ViewState.__dataclass_fields__
    assert all(d in fields for d in dims.FILTER_IDS) and fields[dims.COUNTRY].default == dims.ALL
    assert FILTERS == dims.FILTER_IDS + ("series",)
    assert suppression.DIMENSION_PARTS == dims.PARTS and set(dims.PARTS) == {d.id for d in dims.CATEGORIES}


def test_every_value_has_words_in_both_languages():
    for lang in i18n.LANGS:
        catalogue = i18n.catalogue(lang)
        for d in dims.CATEGORIES:
            assert d.values[0] == dims.ALL and set(d.parts) < set(d.values), d.id
            for v in d.values:
                key, kw = d.label_key(v)
                assert key in catalogue, (lang, key)
                assert "{" not in i18n.t(key, lang, **kw), (lang, key)


def test_a_url_parameter_per_dimension_round_trips():
    for d in dims.CATEGORIES:
        for v in d.values:
            state, problems = ViewState.from_query(urlencode({d.param: v}))
            assert problems == [] and getattr(state, d.id) == v
            assert ViewState.from_query(state.to_query())[0] == state
        state, problems = ViewState.from_query(f"{d.param}=nonsense")
        assert [p.param for p in problems] == [d.param] and getattr(state, d.id) == dims.ALL


def test_the_ssb_import_reads_its_names_from_the_table():
    gender = dims.get(dims.GENDER)
    assert gender.ssb_value("2", "Kvinner") == "women" and gender.ssb_value("0", "Begge kjønn") == dims.ALL
    age = dims.get(dims.AGE)
    assert age.ssb_value("x", "56 år eller eldre") == "56+" and age.ssb_value("18-25", "18-25 år") == "18-25"
    country = dims.get(dims.COUNTRY)
    assert country.ssb_value("1", "Syria") == "SY"


NEW_DIMENSION = '''
    Dimension("origin", CATEGORY, values=("all", "north", "south"), parts=("north", "south"),
              sheet_headers=("opphav",), sheet_values={"alle": "all", "nord": "north", "sør": "south"}),
'''


def test_a_new_dimension_is_one_entry_in_the_table(tmp_path):
    """Add a dimension to a copy of the package (one entry in the table, its words in the catalogues) and
    use it: a data file with its column loads, a link filters by it, /data.csv carries it, and the
    small-number protection hides a part that could be worked out from its margin."""
    copy = tmp_path / "dashboard"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    table = copy / "model" / "dimensions.py"
    text = table.read_text(encoding="utf-8")
    marker = "    Dimension(COUNTRY, CODE,"
    assert text.count(marker) == 1
    table.write_text(text.replace(marker, NEW_DIMENSION.strip("\n") + "\n" + marker), encoding="utf-8")
    for lang, words in (("nb", ("Alle", "Nord", "Sør")), ("en", ("All", "North", "South"))):
        path = copy / "locales" / f"{lang}.json"
        catalogue = json.loads(path.read_text(encoding="utf-8"))
        catalogue.update({"origin_all": words[0], "origin_north": words[1], "origin_south": words[2],
                          "filter_origin": "Opphav" if lang == "nb" else "Origin"})
        path.write_text(json.dumps(catalogue, ensure_ascii=False), encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    for name in ("measures.csv", "sources.csv"):
        shutil.copy(ROOT / "data" / name, data / name)
    header = ",".join(d for d in ("year", "region", "group", "gender", "education", "age", "origin", "country"))
    rows = [f"2023,0,all,all,all,all,{o},all,{m},{n},count,false,imdi-nokkeltall-2023"
            for m, parts in (("participants", (40, 37, 3)), ("started", (50, 30, 20)))
            for o, n in zip(("all", "north", "south"), parts)]
    (data / "figures.csv").write_text(header + ",measure,value,unit,approx,source\n" + "\n".join(rows) + "\n",
                                      encoding="utf-8")
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(tmp_path)!r})
        import dashboard
        assert dashboard.__file__.startswith({str(tmp_path)!r})
        from dashboard.web.app import create_app
        client = create_app({str(data)!r}).server.test_client()
        north = client.get("/data.csv?origin=north").get_data(as_text=True)
        south = client.get("/data.csv?origin=south").get_data(as_text=True)
        bad = client.get("/data.csv?origin=east")
        everyone = client.get("/data.csv").get_data(as_text=True)
        print("all", [l for l in everyone.splitlines()[1:] if ",participants," in l])
        print("header", north.splitlines()[0])
        print("north", [l for l in north.splitlines()[1:]])
        print("south", [l for l in south.splitlines()[1:]])
        print("bad", bad.status_code)
        page = client.get("/?origin=south")
        print("page", page.status_code)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.splitlines()
    assert "origin" in next(l for l in lines if l.startswith("header ")).split(",")
    # 3 persons in the south are too few to show, and so the north (37 = 40 - 3) is hidden too.
    north = next(l for l in lines if l.startswith("north "))
    south = next(l for l in lines if l.startswith("south "))
    assert ",participants," not in north and ",participants," not in south
    # Both parts of a margin with enough persons are shown, each under its own value.
    assert ",north,all,started,30," in north and ",south,all,started,20," in south
    assert "bad 400" in lines and "page 200" in lines
    # The margin itself is shown: 40 persons in all.
    assert any(l.startswith("all [") and ",all,all,participants,40," in l for l in lines), lines
