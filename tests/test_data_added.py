"""The figures added in December 2026 and the known corrections, as /data.csv serves them.

ADDED is the reference list figures-added-2026-12.csv without its quotes (the build reads the
reference; the tests never do): every row must be in data/figures.csv with a source whose url is the
page the number was read from, and /data.csv must serve it.
"""
import csv
import io
import shutil

import pytest

from dashboard.model.dataset import DATA_DIR, load_dataset
from dashboard.model.query import Coords, get_cell, query
from dashboard.views.state import ViewState
from dashboard.web.app import create_app

ADDED = """\
year,region,group,gender,education,age,country,measure,value,unit,approx,source_url
2023,0,all,all,all,all,all,participants_change,15000,count,true,https://www.imdi.no/nokkeltall-for-introduksjonsprogrammet-2023/
2023,0,all,all,all,all,all,in_work_or_education_1y,67,percent,false,https://github.com/evensrii/Telemark/blob/3c3a071ec25889ae30587cd832c1e95808ac79d7/Data/09_Innvandrere%20og%20inkludering/Introduksjonsprogrammet/etter_introduksjonsprogram.csv
2016,0,all,all,all,all,all,participants_ssb,23961,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,men,all,all,all,participants_ssb,14702,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,women,all,all,all,participants_ssb,9259,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,all,all,all,all,men_share_of_participants_ssb,61.4,percent,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,all,all,all,all,women_share_of_participants_ssb,38.6,percent,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,all,all,18-25,all,participants_ssb,6504,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,men,all,18-25,all,participants_ssb,4330,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,women,all,18-25,all,participants_ssb,2174,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,all,all,26-35,all,participants_ssb,11001,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,men,all,26-35,all,participants_ssb,6616,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,women,all,26-35,all,participants_ssb,4385,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,all,all,36-45,all,participants_ssb,4710,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,men,all,36-45,all,participants_ssb,2700,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,women,all,36-45,all,participants_ssb,2010,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,all,all,46-55,all,participants_ssb,1557,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,men,all,46-55,all,participants_ssb,917,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,women,all,46-55,all,participants_ssb,640,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,all,all,56+,all,participants_ssb,189,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,men,all,56+,all,participants_ssb,139,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,women,all,56+,all,participants_ssb,50,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,all,all,all,ER,participants_ssb,7057,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,all,all,all,ET,participants_ssb,1125,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,all,all,all,CD,participants_ssb,210,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,all,all,all,LY,participants_ssb,67,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,all,all,all,NG,participants_ssb,59,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,all,all,all,UG,participants_ssb,60,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,all,all,all,IQ,participants_ssb,318,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,all,all,all,IR,participants_ssb,545,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,all,all,all,CN,participants_ssb,139,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,all,all,all,LB,participants_ssb,55,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,all,all,all,MM,participants_ssb,55,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,all,all,all,PK,participants_ssb,50,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,all,all,all,PS,participants_ssb,73,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,all,all,all,SA,participants_ssb,114,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,all,all,all,UZ,participants_ssb,60,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2016,0,all,all,all,all,RU,participants_ssb,116,count,false,https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere
2015,0,all,all,all,all,all,in_work_or_education_1y,61,percent,false,http://norwaytoday.info/news/increase-proportion-immigrants-work-education-completion-introductory-programs/
2015,0,all,all,all,all,all,employed_1y,45,percent,false,http://norwaytoday.info/news/increase-proportion-immigrants-work-education-completion-introductory-programs/
2015,0,all,all,all,all,all,employed_and_in_education_1y,13,percent,false,http://norwaytoday.info/news/increase-proportion-immigrants-work-education-completion-introductory-programs/
2015,0,all,all,all,all,all,in_education_only_1y,16,percent,false,http://norwaytoday.info/news/increase-proportion-immigrants-work-education-completion-introductory-programs/
2015,0,all,men,all,all,all,in_work_or_education_1y,71,percent,false,http://norwaytoday.info/news/increase-proportion-immigrants-work-education-completion-introductory-programs/
2015,0,all,women,all,all,all,in_work_or_education_1y,49,percent,false,http://norwaytoday.info/news/increase-proportion-immigrants-work-education-completion-introductory-programs/
2014,0,all,all,all,all,all,in_work_or_education_1y,58,percent,false,http://norwaytoday.info/news/increase-proportion-immigrants-work-education-completion-introductory-programs/
2013,0,all,all,all,all,all,in_work_or_education_1y,62,percent,false,https://www.liberaleren.no/2015/12/21/seks-av-ti-tidligere-deltakere-i-arbeid-eller-utdanning/
2013,0,all,women,all,all,all,in_work_or_education_1y,50,percent,false,https://www.liberaleren.no/2015/12/21/seks-av-ti-tidligere-deltakere-i-arbeid-eller-utdanning/
2013,0,all,men,all,all,all,in_work_or_education_1y,72,percent,false,https://www.liberaleren.no/2015/12/21/seks-av-ti-tidligere-deltakere-i-arbeid-eller-utdanning/
2007,0,all,all,all,all,all,in_work_or_education_1y,63,percent,false,https://www.utrop.no/nyheter/nytt/18252/
2007,0,all,all,all,all,all,unemployed_or_labour_measures_1y,13,percent,false,https://www.utrop.no/nyheter/nytt/18252/
2007,0,all,all,all,all,all,other_or_unknown_status_1y,24,percent,false,https://www.utrop.no/nyheter/nytt/18252/
2006,0,all,all,all,all,all,in_work_or_education_1y,65,percent,false,https://www.utrop.no/nyheter/nytt/18252/
2006,0,all,all,all,all,all,unemployed_or_labour_measures_1y,10,percent,false,https://www.utrop.no/nyheter/nytt/18252/
2006,0,all,all,all,all,all,other_or_unknown_status_1y,25,percent,false,https://www.utrop.no/nyheter/nytt/18252/
2005,0,all,all,all,all,all,in_work_or_education_1y,58,percent,false,https://www.utrop.no/nyheter/nytt/18252/
2005,0,all,all,all,all,all,unemployed_or_labour_measures_1y,12,percent,false,https://www.utrop.no/nyheter/nytt/18252/
2005,0,all,all,all,all,all,other_or_unknown_status_1y,30,percent,false,https://www.utrop.no/nyheter/nytt/18252/
2022,0,all,all,all,all,all,in_work_or_education_count_1y,2054,count,false,https://ssb.no/en/introinnv
2022,0,all,men,all,all,all,in_work_or_education_count_1y,966,count,false,https://ssb.no/en/introinnv
2022,0,all,women,all,all,all,in_work_or_education_count_1y,1088,count,false,https://ssb.no/en/introinnv
2022,0,all,all,all,all,all,other_or_unknown_status_count_1y,946,count,false,https://ssb.no/en/introinnv
2022,0,all,men,all,all,all,other_or_unknown_status_count_1y,269,count,false,https://ssb.no/en/introinnv
2022,0,all,women,all,all,all,other_or_unknown_status_count_1y,677,count,false,https://ssb.no/en/introinnv
2017,0,all,men,all,all,all,to_work_or_education,50,percent,true,https://www.imdi.no/arkiv/arkiverte-nyheter/nyheter-2018/resultater-for-2017-introduksjonsprogram-for-nyankomne-innvandrere/
2017,0,all,women,all,all,all,to_work_or_education,30,percent,true,https://www.imdi.no/arkiv/arkiverte-nyheter/nyheter-2018/resultater-for-2017-introduksjonsprogram-for-nyankomne-innvandrere/
2017,0,all,all,all,all,all,to_work_or_education,50,percent,true,https://www.imdi.no/arkiv/arkiverte-nyheter/nyheter-2018/resultater-for-2017-introduksjonsprogram-for-nyankomne-innvandrere/
2013,1103,all,all,all,all,all,to_work_or_education,57.3,percent,false,https://www.nrk.no/rogaland/faerre-flyktningar-i-arbeid-1.13590611
2015,0,all,all,all,all,all,participants_ssb,17900,count,true,https://www.imdi.no/arkiv/arkiverte-nyheter/nyheter-2017/rekordmange-deltok-i-introduksjonsprogram/
2015,0,all,all,all,all,all,municipalities_with_participants_ssb,366,count,false,https://www.imdi.no/arkiv/arkiverte-nyheter/nyheter-2017/rekordmange-deltok-i-introduksjonsprogram/
2014,0,all,all,all,all,all,municipalities_with_participants_ssb,336,count,false,https://www.imdi.no/arkiv/arkiverte-nyheter/nyheter-2017/rekordmange-deltok-i-introduksjonsprogram/
2021,38,all,all,all,all,all,participants_change_pct,-26,percent,false,https://www.telemarkfylke.no/no/kunnskap-om-telemark/tema/innvandrere-og-integrering/introduksjonsprogrammet/
2019,08,all,all,all,all,all,in_work_or_education_1y,66,percent,false,https://www.telemarkfylke.no/no/kunnskap-om-telemark/tema/innvandrere-og-integrering/introduksjonsprogrammet/
"""
SSB1Y = "ssb_one_year_after"


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


@pytest.fixture(scope="module")
def client():
    return create_app().server.test_client()


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def data_csv(client, **params):
    r = client.get("/data.csv", query_string=params)
    assert r.status_code == 200, r.get_data(as_text=True)
    return rows(r.get_data(as_text=True))


def number(s):
    return float(s)


def test_every_added_figure_is_in_the_data_with_its_page():
    urls = {r["source"]: r["url"] for r in rows((DATA_DIR / "sources.csv").read_text(encoding="utf-8"))}
    shipped = rows((DATA_DIR / "figures.csv").read_text(encoding="utf-8"))
    added = rows(ADDED)
    assert len(added) == 72
    dims = ("year", "region", "group", "gender", "education", "age", "country", "measure", "unit", "approx")
    for a in added:
        hits = [s for s in shipped if all(s[d] == a[d] for d in dims) and number(s["value"]) == number(a["value"])
                and urls[s["source"]] == a["source_url"]]
        assert len(hits) == 1, a


def test_every_added_figure_is_served_by_data_csv(client):
    urls = {r["source"]: r["url"] for r in rows((DATA_DIR / "sources.csv").read_text(encoding="utf-8"))}
    served = {}
    for a in rows(ADDED):
        key = (a["region"], a["gender"], a["age"], a["country"])
        if key not in served:
            served[key] = data_csv(client, region=a["region"], gender=a["gender"], age=a["age"],
                                   country=a["country"])
        hits = [s for s in served[key] if s["year"] == a["year"] and s["measure"] == a["measure"]
                and number(s["value"]) == number(a["value"]) and s["approx"] == a["approx"]
                and s["basis"] == "published" and urls[s["source"]] == a["source_url"]]
        assert len(hits) == 1, a


def test_ssb_one_year_after_reaches_back_to_the_2005_cohort(client):
    got = {(int(r["year"])): number(r["value"]) for r in data_csv(client, series=SSB1Y)
           if r["measure"] == "in_work_or_education_1y" and r["basis"] == "published"}
    assert {y: got[y] for y in (2005, 2006, 2007, 2013, 2014, 2015, 2023)} == {
        2005: 58, 2006: 65, 2007: 63, 2013: 62, 2014: 58, 2015: 61, 2023: 67}
    assert not any(2008 <= y <= 2012 for y in got)  # nothing published: nothing filled in


def test_vestfold_63_is_the_2021_cohort(client):
    cells = [r for r in data_csv(client, region="38", series=SSB1Y)
             if r["measure"] == "in_work_or_education_1y" and r["source"] == "vestfoldfylke-introduksjonsprogrammet"]
    assert [(r["year"], r["value"]) for r in cells] == [("2021", "63")]


def test_telemark_66_is_the_2019_cohort(ds):
    c = get_cell(ds, "in_work_or_education_1y", 2019, Coords(region="08"))
    assert (c.value, c.source) == (66, "telemarkfylke-introduksjonsprogrammet")
    assert get_cell(ds, "in_work_or_education_1y", 2020, Coords(region="08")) is None


def test_2016_participants_are_ssbs_and_the_exact_one_wins(ds, client):
    assert get_cell(ds, "participants", 2016, Coords()) is None  # no IMDi count for 2016
    c = get_cell(ds, "participants_ssb", 2016, Coords())
    assert (c.value, c.approx, c.source) == (23961, False, "ssb-intro-deltakere-2017")
    assert {(a.value, a.source) for a in c.alternatives} == {
        (24000, "imdi-2017-rekordmange"), (24000, "dagensperspektiv-2017-rekordmange")}
    served = [r for r in data_csv(client, year="2016") if r["measure"] in ("participants", "participants_ssb")]
    assert {(r["measure"], r["value"], r["source"]) for r in served} == {
        ("participants_ssb", "23961", "ssb-intro-deltakere-2017"),
        ("participants_ssb", "24000", "imdi-2017-rekordmange"),
        ("participants_ssb", "24000", "dagensperspektiv-2017-rekordmange")}


@pytest.mark.parametrize("measure,year,coords,shown,other", [
    ("employed_1y", 2020, {"gender": "men"}, (59, "ssb-2023-flere-i-arbeid"), (58, "ssb-2022-flere-kvinner-og-menn")),
    ("employed_1y", 2020, {"gender": "women"}, (26, "ssb-2023-flere-i-arbeid"), (25, "ssb-2022-flere-kvinner-og-menn")),
    ("in_work_or_education_1y", 2019, {}, (62, "ssb-2022-flere-kvinner-og-menn"), (61, "ssb-intro-artikler-2021-09-29")),
    ("in_work_or_education_count_1y", 2022, {}, (2060, "ssb-intro-2024"), (2054, "ssb-intro-en-2024")),
    ("other_or_unknown_status_count_1y", 2022, {"gender": "men"}, (263, "ssb-intro-2024"), (269, "ssb-intro-en-2024")),
    ("to_work_or_education", 2017, {"gender": "women"}, (34, "dagbladet-2019-utdanning"), (30, "imdi-2018-resultater-2017")),
])
def test_the_later_exact_figure_wins_and_the_other_stays_traceable(ds, measure, year, coords, shown, other):
    c = get_cell(ds, measure, year, Coords(**coords))
    assert (c.value, c.source) == shown
    assert [(a.value, a.source) for a in c.alternatives] == [other]


def test_corrected_dates():
    dates = {r["source"]: r["date"] for r in rows((DATA_DIR / "sources.csv").read_text(encoding="utf-8"))}
    assert dates["ssb-2023-flere-i-arbeid"] == "2024-02-19"
    assert dates["ssb-2022-flere-kvinner-og-menn"] == "2022-10-03"
    assert dates["ssb-intro-artikler-2021-09-29"] == "2021-09-29"


def test_imdis_published_change_in_participants_replaces_the_computed_one(ds):
    kf = {k.measure: k for k in query(ds, ViewState(year=2023)).key_figures}
    change = kf["participants"].change
    assert (change.value, change.approx, change.basis, change.source) == (15000, True, "published",
                                                                        "imdi-nokkeltall-2023")


def test_share_of_participants_by_country_is_never_computed_as_100(ds, client):
    assert get_cell(ds, "share_of_participants_ssb", 2016, Coords(country="ER")) is None
    assert get_cell(ds, "share_of_participants_ssb", 2016, Coords(age="18-25")) is None
    published = get_cell(ds, "share_of_participants_ssb", 2018, Coords(country="SY"))
    assert (published.value, published.basis) == (51, "published")
    shares = [r for r in data_csv(client, country="ER") if r["measure"] == "share_of_participants_ssb"]
    assert shares == []


def test_no_value_is_computed_from_a_computed_value(ds):
    # 2022: to work is computed (2023's 41 % minus the published 17 points), so it has no change.
    kf = {k.measure: k for k in query(ds, ViewState(year=2022)).key_figures}
    assert kf["to_work"].cell.basis == "computed" and kf["to_work"].change is None
    kf = {k.measure: k for k in query(ds, ViewState(year=2019, gender="men")).key_figures}
    assert kf["to_work_or_education"].cell.basis == "computed" and kf["to_work_or_education"].change is None
    for state in (ViewState(year=y, gender=g, series=s) for y in range(2016, 2024) for g in ("all", "men", "women")
                  for s in ("imdi_direct", SSB1Y)):
        for k in query(ds, state).key_figures:
            for c in (k.cell, k.previous, k.change):
                if c is not None and c.computed:
                    assert c.inputs and all(i.basis == "published" for i in c.inputs), (state, k.measure, c)


SOURCES = """source,publisher,title,date,url
a-ssb-early,SSB,Preliminary,2024-09-30,https://example.org/a
b-ssb-late,SSB,Final,2025-02-01,https://example.org/b
c-ssb-year,SSB,A year only,2025,https://example.org/c
d-ssb-approx,SSB,Rounded and newest,2026-01-01,https://example.org/d
"""
HEADER = "year,region,group,gender,education,age,country,measure,value,unit,approx,source\n"


@pytest.fixture
def made_up(tmp_path):
    """A dataset made up for this test: one cell, four SSB pages (shipped measures, own sources)."""
    def make(rows_text):
        (tmp_path / "figures.csv").write_text(HEADER + rows_text, encoding="utf-8")
        (tmp_path / "sources.csv").write_text(SOURCES, encoding="utf-8")
        shutil.copy(DATA_DIR / "measures.csv", tmp_path / "measures.csv")
        return load_dataset(tmp_path)
    return make


def test_ordering_newer_date_first_whatever_the_source_id(made_up):
    ds = made_up("2022,0,all,all,all,all,all,in_work_or_education_1y,61,percent,false,a-ssb-early\n"
                 "2022,0,all,all,all,all,all,in_work_or_education_1y,62,percent,false,b-ssb-late\n"
                 "2022,0,all,all,all,all,all,in_work_or_education_1y,63,percent,false,c-ssb-year\n"
                 "2022,0,all,all,all,all,all,in_work_or_education_1y,60,percent,true,d-ssb-approx\n")
    c = get_cell(ds, "in_work_or_education_1y", 2022, Coords())
    # exact before rounded (even a newer rounded one); a year alone is older than a date in that year
    assert [(x.value, x.source) for x in (c,) + c.alternatives] == [
        (62, "b-ssb-late"), (63, "c-ssb-year"), (61, "a-ssb-early"), (60, "d-ssb-approx")]
