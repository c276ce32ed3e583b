#!/usr/bin/env python3
"""Build the dashboard's data files from the reference list of published figures.

Usage:
    python data/build/build_from_reference.py /path/to/reference/figures.csv

Reads the reference figures.csv (one published number per row, with source_url and
quote) and writes, next to this script's parent folder (data/):

    figures.csv   tidy dataset, one row per published cell
    measures.csv  one row per measure id (unit, series, labels, definitions, links)
    sources.csv   one row per source slug (publisher, title, date, url)
    regions/      the two region CSVs and their licence, copied unchanged from
                  <folder of figures.csv>/regions/ when that folder exists
    README.md     only the block between the "left-out" markers is regenerated

Rule: every value written is copied from the reference exactly. Nothing is summed,
interpolated or derived. Rows that cannot be shipped are left out and reported.

Plain Python 3.11 standard library; deterministic (sorted) output; re-runnable.
"""
from __future__ import annotations

import csv
import shutil
import sys
from collections import Counter, OrderedDict, defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent
REGION_FILES = (
    "norwegian_regions_history.csv",
    "norwegian_region_transitions.csv",
    "LICENSE-bord4-data.txt",
)

FIGURE_COLUMNS = [
    "year", "region", "group", "gender", "education", "age", "country",
    "measure", "value", "unit", "approx", "source",
]
KEY_COLUMNS = [
    "year", "region", "group", "gender", "education", "age", "country",
    "measure", "source",
]
MEASURE_COLUMNS = [
    "measure", "unit", "series", "label_nb", "label_en", "definition_nb",
    "definition_en", "denominator", "count_measure", "share_measure",
]
SOURCE_COLUMNS = ["source", "publisher", "title", "date", "url"]

# --------------------------------------------------------------------------------------
# Vocabularies
# --------------------------------------------------------------------------------------
GROUPS = {"all", "ukraine", "other"}
GENDERS = {"all": "all", "men": "men", "women": "women", "male": "men", "female": "women"}
EDUCATIONS = {"all", "primary_or_less", "upper_secondary", "higher"}
AGES = {"all", "18-25", "26-35", "36-45", "46-55", "56+", "19-24"}

# Source spelling (Norwegian and English) -> ISO 3166-1 alpha-2.
# "Kongo"/"Congo": Norwegian official usage (and SSB's country list, code 279
# "Kongo (Dem.Rep.)" vs 278 "Kongo-Brazzaville") uses plain "Kongo" for the
# Democratic Republic of the Congo; the sources never say Brazzaville -> CD.
COUNTRIES = {
    "all": "all",
    "Afghanistan": "AF",
    "China": "CN", "Kina": "CN",
    "Congo": "CD", "Kongo": "CD",
    "Eritrea": "ER",
    "Ethiopia": "ET", "Etiopia": "ET",
    "Iran": "IR",
    "Iraq": "IQ", "Irak": "IQ",
    "Kazakhstan": "KZ", "Kasakhstan": "KZ",
    "Lebanon": "LB", "Libanon": "LB",
    "Libya": "LY",
    "Moldova": "MD",
    "Myanmar": "MM",
    "Nigeria": "NG",
    "Palestina": "PS",
    "Pakistan": "PK",
    "Russia": "RU", "Russland": "RU",
    "Rwanda": "RW",
    "Saudi Arabia": "SA", "Saudi-Arabia": "SA",
    "Somalia": "SO",
    "South Sudan": "SS", "Sør-Sudan": "SS",
    "Sudan": "SD",
    "Syria": "SY",
    "Türkiye": "TR", "Tyrkia": "TR",
    "Uganda": "UG",
    "Ukraine": "UA", "Ukraina": "UA",
    "Uzbekistan": "UZ", "Usbekistan": "UZ",
    "Yemen": "YE", "Jemen": "YE",
}
COMPOSITE_COUNTRIES = {"Syria+Eritrea+Somalia"}

# --------------------------------------------------------------------------------------
# Measure mapping: (definition, reference measure, unit) -> measure id
# --------------------------------------------------------------------------------------
MEASURE_MAP = {
    # IMDi, status directly after the programme (NIR)
    ("imdi_direct", "ended", "count"): "ended",
    ("imdi_direct", "started", "count"): "started",
    ("imdi_direct", "participants", "count"): "participants",
    ("imdi_direct", "no_end_reason", "count"): "no_end_reason",
    ("imdi_direct", "to_work", "percent"): "to_work",
    ("imdi_direct", "to_work", "count"): "to_work_count",
    ("imdi_direct", "to_education", "percent"): "to_education",
    ("imdi_direct", "to_education", "count"): "to_education_count",
    ("imdi_direct", "to_work_or_education", "percent"): "to_work_or_education",
    ("imdi_direct", "to_work_or_education", "count"): "to_work_or_education_count",
    ("imdi_direct", "to_primary_school", "percent"): "to_primary_school",
    ("imdi_direct", "to_primary_school", "count"): "to_primary_school_count",
    ("imdi_direct", "to_labour_measures", "count"): "to_labour_measures_count",
    ("imdi_direct", "other_reason", "count"): "other_reason_count",
    ("imdi_direct", "not_in_work_or_education", "percent"): "neither_work_nor_education",
    ("imdi_direct", "neither_work_nor_education", "count"): "neither_work_nor_education_count",
    ("imdi_direct", "neither_to_labour_measures", "percent"): "neither_to_labour_measures",
    ("imdi_direct", "neither_to_primary_school", "percent"): "neither_to_primary_school",
    ("imdi_direct", "neither_other_reason", "percent"): "neither_other_reason",
    ("imdi_direct", "to_work_change_pp_from_previous_year", "percent"): "to_work_change_pp",
    ("imdi_direct", "to_education_change_pp_from_previous_year", "percent"): "to_education_change_pp",
    ("imdi_direct", "to_work_or_education_change_pp_from_previous_year", "percent"):
        "to_work_or_education_change_pp",
    ("imdi_direct", "women_share_of_ended_change_pp_from_previous_year", "percent"):
        "women_share_of_ended_change_pp",
    ("imdi_direct", "share_of_ended", "percent"): "women_share_of_ended",  # gender women -> all
    ("imdi_direct", "ended_change_pct_from_previous_year", "percent"): "ended_change_pct",
    ("imdi_direct", "gender_gap_to_work_or_education_pp", "percent"):
        "gender_gap_to_work_or_education_pp",
    ("imdi_direct", "ended_shielded_identity_included", "count"): "ended_shielded_identity",
    ("imdi_direct", "municipalities_with_5plus_ended", "count"): "municipalities_with_5plus_ended",
    ("imdi_direct", "participants_change_from_previous_year", "count"): "participants_change",
    ("imdi_direct", "countries_of_origin", "count"): "countries_of_origin",
    ("imdi_direct", "countries_of_origin_started", "count"): "countries_of_origin_started",
    # only the composite "Syria+Eritrea+Somalia" row has this; it is left out
    ("imdi_direct", "participants_share", "percent"): "share_of_participants",
    # IMDi participants (regional tables)
    ("imdi_participants", "participants", "count"): "participants",
    ("imdi_point_in_time", "participants_point_in_time", "count"): "participants_point_in_time",
    ("imdi_cumulative", "ended_cumulative", "count"): "ended_cumulative_imdi",
    # a municipality's own figure
    ("municipal_direct", "to_work_or_education", "percent"): "to_work_or_education_municipal",
    # SSB, participants during the year
    ("ssb_during_year", "participants", "count"): "participants_ssb",
    ("ssb_participants", "participants", "count"): "participants_ssb",
    ("ssb_during_year", "participants_change_pct_from_previous_year", "percent"):
        "participants_ssb_change_pct",
    ("ssb_during_year", "men_share_of_participants", "percent"): "men_share_of_participants_ssb",
    ("ssb_during_year", "participants_share_by_sex", "percent"): "SEX_SHARE_OF_PARTICIPANTS_SSB",
    ("ssb_during_year", "participants_share", "percent"): "SHARE_OF_PARTICIPANTS_SSB",
    ("ssb_during_year", "share_of_participants", "percent"): "SHARE_OF_PARTICIPANTS_SSB",
    ("ssb_during_year", "municipalities_with_participants", "count"):
        "municipalities_with_participants_ssb",
    ("ssb_during_year", "still_in_programme_end_of_year_share", "percent"):
        "still_in_programme_end_of_year_ssb",
    # SSB, ended during the year and direct transitions. The ssb_during_year rows
    # below quote the very same sentences as the ssb_direct rows (same source, same
    # number), so they share the ssb_direct ids and are merged as duplicates.
    ("ssb_direct", "ended", "count"): "ended_ssb",
    ("ssb_direct", "to_work", "percent"): "to_work_ssb",
    ("ssb_direct", "to_education", "percent"): "to_education_ssb",
    ("ssb_during_year", "participants_exited_during_year", "count"): "ended_ssb",
    ("ssb_during_year", "exited_directly_to_work", "percent"): "to_work_ssb",
    ("ssb_during_year", "exited_to_upper_secondary_or_higher_education", "percent"):
        "to_education_ssb",
    # SSB, status in November one year after (year = year the cohort ended)
    ("ssb_one_year_after", "ended", "count"): "former_participants_1y",
    ("ssb_one_year_after", "former_participants", "count"): "former_participants_1y",
    ("ssb_one_year_after", "in_work_or_education", "percent"): "in_work_or_education_1y",
    ("ssb_one_year_after", "in_work_or_education", "count"): "in_work_or_education_count_1y",
    ("ssb_one_year_after", "employed", "percent"): "employed_1y",
    ("ssb_one_year_after", "employed_incl_combined_with_education", "percent"): "employed_1y",
    ("ssb_one_year_after", "employed_only", "percent"): "employed_only_1y",
    ("ssb_one_year_after", "employed_only", "count"): "employed_only_count_1y",
    ("ssb_one_year_after", "employed_and_in_education", "percent"): "employed_and_in_education_1y",
    ("ssb_one_year_after", "employed_and_in_education", "count"):
        "employed_and_in_education_count_1y",
    ("ssb_one_year_after", "in_education_only", "percent"): "in_education_only_1y",
    ("ssb_one_year_after", "in_education_only", "count"): "in_education_only_count_1y",
    ("ssb_one_year_after", "registered_unemployed", "percent"): "registered_unemployed_1y",
    ("ssb_one_year_after", "registered_unemployed", "count"): "registered_unemployed_count_1y",
    ("ssb_one_year_after", "other_jobseekers_labour_measures", "percent"):
        "other_jobseekers_labour_measures_1y",
    ("ssb_one_year_after", "other_jobseekers_labour_measures", "count"):
        "other_jobseekers_labour_measures_count_1y",
    ("ssb_one_year_after", "unemployed_or_labour_measures", "percent"):
        "unemployed_or_labour_measures_1y",
    ("ssb_one_year_after", "unemployed_or_labour_measures", "count"):
        "unemployed_or_labour_measures_count_1y",
    ("ssb_one_year_after", "other_or_unknown_status", "percent"): "other_or_unknown_status_1y",
    ("ssb_one_year_after", "other_or_unknown_status", "count"): "other_or_unknown_status_count_1y",
    ("ssb_one_year_after", "social_assistance", "percent"): "social_assistance_1y",
    ("ssb_one_year_after", "unknown_status", "percent"): "unknown_status_1y",
    ("ssb_one_year_after", "women_share_of_ended", "percent"): "women_share_of_ended_1y",
    ("ssb_one_year_after", "share_of_leavers", "percent"): "women_share_of_ended_1y",  # gender women -> all
    ("ssb_one_year_after", "men_share_of_ended", "percent"): "men_share_of_ended_1y",
    ("ssb_one_year_after", "employed_change_pp_from_previous_year", "percent"): "employed_change_pp_1y",
    ("ssb_one_year_after", "in_work_or_education_change_pp_from_previous_year", "percent"):
        "in_work_or_education_change_pp_1y",
    # SSB, other
    ("ssb_nir_cumulative", "ended_cumulative", "count"): "ended_cumulative_ssb",
    ("ssb_employed_after_programme", "employed", "percent"): "employed_after_programme_ssb",
}

# Measures whose reference row names the sex in the gender column although the number
# describes the whole group ("7 of 10 who ended were women"): the sex moves into the
# measure id and gender becomes "all".
SEX_IN_MEASURE = {
    "women_share_of_ended": "women",
    "women_share_of_ended_1y": "women",
}

# --------------------------------------------------------------------------------------
# Measure metadata
# --------------------------------------------------------------------------------------
IMDI_NOTE_NB = "Status rett etter avsluttet program (IMDi, nasjonalt introduksjonsregister NIR)."
IMDI_NOTE_EN = "Status directly after the programme (IMDi, national introduction register NIR)."
SSB1Y_NOTE_NB = ("Status i november året etter avsluttet program (SSB). year = året kullet "
                 "avsluttet; SSB oppgir tallet under målingsåret (year + 1).")
SSB1Y_NOTE_EN = ("Status in November the year after the programme ended (SSB). year = the year "
                 "the cohort ended; SSB publishes it under the year of measurement (year + 1).")
PP_NB = "Enheten percent betyr her prosentpoeng."
PP_EN = "Unit percent here means percentage points."


def m(measure, unit, series, label_nb, label_en, def_nb, def_en,
      denominator="", count_measure="", share_measure=""):
    return OrderedDict(
        measure=measure, unit=unit, series=series, label_nb=label_nb, label_en=label_en,
        definition_nb=def_nb, definition_en=def_en, denominator=denominator,
        count_measure=count_measure, share_measure=share_measure,
    )


def imdi_pair(stem, label_nb, label_en, what_nb, what_en, extra_nb="", extra_en=""):
    """Share (percent of those who ended) and its count, IMDi directly after."""
    share = m(stem, "percent", "imdi_direct", label_nb, label_en,
              f"Andel av de som avsluttet introduksjonsprogrammet som {what_nb}.{extra_nb} {IMDI_NOTE_NB}",
              f"Share of those who ended the introduction programme who {what_en}.{extra_en} {IMDI_NOTE_EN}",
              denominator="ended", count_measure=f"{stem}_count")
    count = m(f"{stem}_count", "count", "imdi_direct", f"{label_nb} (antall)", f"{label_en} (number)",
              f"Antall av de som avsluttet introduksjonsprogrammet som {what_nb}.{extra_nb} {IMDI_NOTE_NB}",
              f"Number of those who ended the introduction programme who {what_en}.{extra_en} {IMDI_NOTE_EN}",
              share_measure=stem)
    return [share, count]


def ssb1y_pair(stem, label_nb, label_en, what_nb, what_en, with_count=True):
    share = m(f"{stem}_1y", "percent", "ssb_one_year_after", label_nb, label_en,
              f"Andel av tidligere deltakere som {what_nb} i november året etter avsluttet program. {SSB1Y_NOTE_NB}",
              f"Share of former participants who {what_en} in November the year after the programme. {SSB1Y_NOTE_EN}",
              denominator="former_participants_1y",
              count_measure=f"{stem}_count_1y" if with_count else "")
    out = [share]
    if with_count:
        out.append(m(f"{stem}_count_1y", "count", "ssb_one_year_after", f"{label_nb} (antall)",
                     f"{label_en} (number)",
                     f"Antall tidligere deltakere som {what_nb} i november året etter avsluttet program. {SSB1Y_NOTE_NB}",
                     f"Number of former participants who {what_en} in November the year after the programme. {SSB1Y_NOTE_EN}",
                     share_measure=f"{stem}_1y"))
    return out


WORK_NB = " Arbeid inkluderer arbeid med lønnstilskudd fra NAV."
WORK_EN = " Work includes work with a wage subsidy from NAV."
EDU_NB = " Utdanning er videregående opplæring eller høyere utdanning; grunnskoleopplæring er ikke med."
EDU_EN = " Education is upper secondary or higher education; primary school (grunnskoleopplæring) is not included."

MEASURES = []
MEASURES += [
    m("ended", "count", "imdi_direct", "Avsluttet programmet", "Ended the programme",
      "Antall deltakere som avsluttet introduksjonsprogrammet i løpet av året. Deltakere uten "
      "registrert avslutningsårsak er ikke med (se no_end_reason). IMDi, nasjonalt introduksjonsregister (NIR).",
      "Number of participants who ended the introduction programme during the year. Participants "
      "without a registered end reason are not included (see no_end_reason). IMDi, national "
      "introduction register (NIR)."),
    m("no_end_reason", "count", "imdi_direct", "Uten registrert avslutningsårsak",
      "No registered end reason",
      "Antall deltakere som av ulike grunner er uten registrert avslutningsårsak i året. De kan "
      "fortsatt delta i programmet og er ikke med i antall avsluttet (IMDi, NIR).",
      "Number of participants who for various reasons have no registered end reason in the year. "
      "They may still be in the programme and are not counted among those who ended (IMDi, NIR)."),
]
MEASURES += imdi_pair("to_work", "Gikk direkte til arbeid", "Went directly to work",
                      "gikk direkte over i arbeid", "went directly to work",
                      " Arbeid inkluderer arbeid med lønnstilskudd fra NAV.",
                      " Work includes work with a wage subsidy from NAV.")
MEASURES += imdi_pair("to_education", "Gikk direkte til utdanning", "Went directly to education",
                      "gikk direkte over i utdanning", "went directly to education", EDU_NB, EDU_EN)
MEASURES += imdi_pair("to_work_or_education", "Gikk direkte til arbeid eller utdanning",
                      "Went directly to work or education",
                      "gikk direkte over i arbeid eller utdanning (IMDi kaller dette måloppnåelse)",
                      "went directly to work or education (IMDi calls this goal attainment, "
                      "måloppnåelse)", WORK_NB + EDU_NB, WORK_EN + EDU_EN)
MEASURES += imdi_pair("to_primary_school", "Gikk til grunnskoleopplæring", "Went to primary school",
                      "gikk over til grunnskoleopplæring", "went to primary school (grunnskoleopplæring)",
                      " Grunnskoleopplæring regnes ikke som utdanning her.",
                      " Primary school does not count as education here.")
MEASURES += imdi_pair("to_labour_measures", "Gikk til arbeidsmarkedsrelaterte tiltak",
                      "Went to labour market measures",
                      "gikk over til arbeidsmarkedsrelaterte tiltak",
                      "went to labour market measures (arbeidsmarkedsrelaterte tiltak)")
MEASURES += imdi_pair("other_reason", "Avsluttet av andre årsaker", "Ended for other reasons",
                      "avsluttet programmet av diverse andre årsaker",
                      "ended the programme for various other reasons")
MEASURES += imdi_pair("neither_work_nor_education", "Verken arbeid eller utdanning",
                      "Neither work nor education",
                      "verken gikk direkte over til arbeid eller utdanning",
                      "went directly to neither work nor education", WORK_NB + EDU_NB, WORK_EN + EDU_EN)
# The three counts below are people with one registered end reason each; nobody who went to
# primary school, labour market measures or "other reasons" went to work or education, so
# each count is both the number among all who ended and the number among "neither".
for m_ in MEASURES:
    if m_["measure"] in ("to_primary_school_count", "to_labour_measures_count", "other_reason_count"):
        m_["definition_nb"] += (" Alle disse er blant dem som verken gikk til arbeid eller utdanning, så "
                                "antallet er også telleren for andelen av neither_work_nor_education_count.")
        m_["definition_en"] += (" All of them are among those who went to neither work nor education, so "
                                "the number is also the numerator of the share of neither_work_nor_education_count.")
for stem, count_id, label_nb, label_en, what_nb, what_en in [
    ("neither_to_labour_measures", "to_labour_measures_count",
     "Av dem uten arbeid/utdanning: til arbeidsmarkedsrelaterte tiltak",
     "Of those with neither: to labour market measures",
     "gikk over til arbeidsmarkedsrelaterte tiltak", "went to labour market measures"),
    ("neither_to_primary_school", "to_primary_school_count",
     "Av dem uten arbeid/utdanning: til grunnskoleopplæring",
     "Of those with neither: to primary school",
     "gikk over til grunnskoleopplæring", "went to primary school"),
    ("neither_other_reason", "other_reason_count",
     "Av dem uten arbeid/utdanning: andre årsaker",
     "Of those with neither: other reasons",
     "avsluttet av diverse andre årsaker", "ended for various other reasons"),
]:
    MEASURES.append(m(
        stem, "percent", "imdi_direct", label_nb, label_en,
        f"Andel av de som verken gikk direkte over til arbeid eller utdanning (neither_work_nor_education_count) "
        f"som {what_nb}. Ikke en andel av alle som avsluttet. {IMDI_NOTE_NB}",
        f"Share of those who went directly to neither work nor education (neither_work_nor_education_count) "
        f"who {what_en}. Not a share of all who ended. {IMDI_NOTE_EN}",
        denominator="neither_work_nor_education_count", count_measure=count_id))
for stem, label_nb, label_en, what_nb, what_en in [
    ("to_work_change_pp", "Endring i andel direkte til arbeid", "Change in share directly to work",
     "andelen som gikk direkte til arbeid (to_work)", "the share who went directly to work (to_work)"),
    ("to_education_change_pp", "Endring i andel direkte til utdanning",
     "Change in share directly to education",
     "andelen som gikk direkte til utdanning (to_education)",
     "the share who went directly to education (to_education)"),
    ("to_work_or_education_change_pp", "Endring i andel direkte til arbeid eller utdanning",
     "Change in share directly to work or education",
     "andelen som gikk direkte til arbeid eller utdanning (to_work_or_education)",
     "the share who went directly to work or education (to_work_or_education)"),
    ("women_share_of_ended_change_pp", "Endring i kvinneandel blant dem som avsluttet",
     "Change in women's share of those who ended",
     "kvinneandelen blant dem som avsluttet (women_share_of_ended)",
     "women's share of those who ended (women_share_of_ended)"),
]:
    MEASURES.append(m(
        stem, "percent", "imdi_direct", f"{label_nb} (prosentpoeng)", f"{label_en} (percentage points)",
        f"Publisert endring fra året før i {what_nb}, i prosentpoeng. {PP_NB} {IMDI_NOTE_NB}",
        f"Published change from the previous year in {what_en}, in percentage points. {PP_EN} {IMDI_NOTE_EN}"))
MEASURES += [
    m("women_share_of_ended", "percent", "imdi_direct", "Kvinneandel blant dem som avsluttet",
      "Women's share of those who ended",
      f"Andel kvinner blant alle som avsluttet introduksjonsprogrammet i året (gender = all). {IMDI_NOTE_NB}",
      f"Share of women among all who ended the introduction programme in the year (gender = all). {IMDI_NOTE_EN}",
      denominator="ended"),
    m("ended_change_pct", "percent", "imdi_direct", "Endring i antall avsluttet (prosent)",
      "Change in number who ended (per cent)",
      "Publisert prosentvis endring fra året før i antall som avsluttet introduksjonsprogrammet (IMDi, NIR).",
      "Published percentage change from the previous year in the number who ended the programme (IMDi, NIR)."),
    m("gender_gap_to_work_or_education_pp", "percent", "imdi_direct",
      "Forskjell mellom menn og kvinner i måloppnåelse (prosentpoeng)",
      "Gap between men and women in goal attainment (percentage points)",
      f"Hvor mange prosentpoeng lavere andel kvinner enn menn som går direkte til arbeid eller utdanning, "
      f"slik IMDi oppgir det «erfaringsmessig». {PP_NB} (IMDi, NIR)",
      f"How many percentage points lower women's share going directly to work or education is than men's, "
      f"as IMDi states it 'from experience'. {PP_EN} (IMDi, NIR)"),
    m("ended_shielded_identity", "count", "imdi_direct",
      "Avsluttet med skjermet identitet (inkludert i totalen)",
      "Ended with shielded identity (included in the total)",
      "Antall personer med skjermet identitet som er med i landstotalen for avsluttet, men ikke i noe fylke (IMDi).",
      "Number of people with shielded identity included in the national total who ended, but in no county (IMDi)."),
    m("municipalities_with_5plus_ended", "count", "imdi_direct",
      "Kommuner med fem eller flere som avsluttet", "Municipalities with five or more who ended",
      "Antall kommuner der fem eller flere deltakere avsluttet introduksjonsprogrammet i året (IMDi).",
      "Number of municipalities where five or more participants ended the programme in the year (IMDi)."),
    # participants during the year
    m("participants", "count", "participants", "Deltakere i løpet av året (IMDi)",
      "Participants during the year (IMDi)",
      "Antall personer som deltok i introduksjonsprogram i løpet av året, slik IMDi oppgir det "
      "(nasjonalt introduksjonsregister). Ikke samme tall som SSBs (participants_ssb).",
      "Number of people who took part in the introduction programme during the year, as IMDi gives it "
      "(national introduction register). Not the same count as SSB's (participants_ssb)."),
    m("started", "count", "participants", "Startet i programmet", "Started the programme",
      "Antall nye deltakere som startet i introduksjonsprogram i løpet av året (IMDi, NIR).",
      "Number of new participants who started the introduction programme during the year (IMDi, NIR)."),
    m("participants_change", "count", "participants", "Endring i antall deltakere (IMDi)",
      "Change in number of participants (IMDi)",
      "Publisert endring fra året før i antall deltakere i løpet av året (IMDi).",
      "Published change from the previous year in the number of participants during the year (IMDi)."),
    m("countries_of_origin", "count", "participants", "Antall land deltakerne kom fra",
      "Number of countries participants came from",
      "Antall land deltakerne i introduksjonsprogram i løpet av året kom fra (IMDi).",
      "Number of countries the participants during the year came from (IMDi)."),
    m("countries_of_origin_started", "count", "participants", "Antall land nye deltakere kom fra",
      "Number of countries new participants came from",
      "Antall land de som startet i introduksjonsprogram i året kom fra (IMDi).",
      "Number of countries those who started the programme in the year came from (IMDi)."),
    m("participants_ssb", "count", "participants", "Deltakere i løpet av året (SSB)",
      "Participants during the year (SSB)",
      "Antall personer som deltok i introduksjonsprogrammet i løpet av året, etter SSBs statistikk "
      "Introduksjonsordningen for nyankomne innvandrere (introinnv). Ikke samme tall som IMDis (participants).",
      "Number of people who took part in the introduction programme during the year, from SSB's "
      "statistics on the introduction scheme (introinnv). Not the same count as IMDi's (participants)."),
    m("participants_change_pct", "percent", "participants", "Endring i antall deltakere (IMDi, prosent)",
      "Change in number of participants (IMDi, per cent)",
      "Publisert prosentvis endring fra året før i antall deltakere i løpet av året, IMDis tall "
      "(participants).",
      "Published percentage change from the previous year in the number of participants during the year, "
      "IMDi's count (participants)."),
    m("participants_ssb_change_pct", "percent", "participants", "Endring i antall deltakere (SSB, prosent)",
      "Change in number of participants (SSB, per cent)",
      "Publisert prosentvis endring fra året før i antall deltakere i løpet av året (SSB).",
      "Published percentage change from the previous year in the number of participants during the year (SSB)."),
    m("men_share_of_participants_ssb", "percent", "participants", "Andel menn blant deltakerne (SSB)",
      "Men's share of participants (SSB)",
      "Andel menn blant alle som deltok i introduksjonsprogrammet i løpet av året (gender = all; SSB).",
      "Share of men among all who took part in the programme during the year (gender = all; SSB).",
      denominator="participants_ssb"),
    m("women_share_of_participants_ssb", "percent", "participants", "Andel kvinner blant deltakerne (SSB)",
      "Women's share of participants (SSB)",
      "Andel kvinner blant alle som deltok i introduksjonsprogrammet i løpet av året (gender = all; SSB).",
      "Share of women among all who took part in the programme during the year (gender = all; SSB).",
      denominator="participants_ssb"),
    # No denominator or count links: the share is of ALL participants of the year (age = country = all),
    # while a link means "the same year and coordinates"; linked, participants_ssb would be both count and
    # denominator and every computed share 100 %. Only the published shares are shown.
    m("share_of_participants_ssb", "percent", "participants", "Andel av deltakerne (SSB)",
      "Share of participants (SSB)",
      "Andel av alle deltakere i løpet av året som hører til radens aldersgruppe (age) eller fødeland "
      "(country). Her angir age/country delen, ikke hvem andelen er regnet blant: nevneren er alle "
      "deltakere det året (participants_ssb med age = all og country = all) (SSB).",
      "Share of all participants during the year who belong to the row's age band (age) or country of "
      "birth (country). Here age/country name the part, not the population the share is taken of: the "
      "denominator is all participants that year (participants_ssb with age = all and country = all) (SSB)."),
    m("municipalities_with_participants_ssb", "count", "participants", "Kommuner med deltakere (SSB)",
      "Municipalities with participants (SSB)",
      "Antall kommuner som oppga at de hadde deltakere i introduksjonsprogrammet i året (SSB).",
      "Number of municipalities that reported participants in the programme in the year (SSB)."),
    m("still_in_programme_end_of_year_ssb", "percent", "participants",
      "Fortsatt i programmet ved utgangen av året (SSB)", "Still in the programme at the end of the year (SSB)",
      "Andel av deltakerne i løpet av året som fortsatt var i programmet ved utgangen av året (SSB).",
      "Share of the year's participants who were still in the programme at the end of the year (SSB).",
      denominator="participants_ssb"),
    # SSB ended during the year, direct transitions
    m("ended_ssb", "count", "ssb_direct", "Avsluttet eller avbrøt i løpet av året (SSB)",
      "Ended or left during the year (SSB)",
      "Antall deltakere som avsluttet eller avbrøt introduksjonsprogrammet i løpet av året, slik SSB oppgir det. "
      "Ikke samme tall som IMDis (ended).",
      "Number of participants who completed or left the programme during the year, as SSB gives it. "
      "Not the same count as IMDi's (ended)."),
    m("to_work_ssb", "percent", "ssb_direct", "Gikk direkte til arbeid (SSB)", "Went directly to work (SSB)",
      "Andel av de som avsluttet i året som gikk direkte over i arbeid, slik SSB oppgir det.",
      "Share of those who ended in the year who went directly to work, as SSB gives it.",
      denominator="ended_ssb"),
    m("to_education_ssb", "percent", "ssb_direct", "Gikk direkte til utdanning (SSB)",
      "Went directly to education (SSB)",
      "Andel av de som avsluttet i året som fortsatte i videregående eller høyere utdanning, slik SSB oppgir det.",
      "Share of those who ended in the year who continued in upper secondary or higher education, as SSB gives it.",
      denominator="ended_ssb"),
    # SSB one year after
    m("former_participants_1y", "count", "ssb_one_year_after", "Tidligere deltakere (kullet)",
      "Former participants (cohort)",
      f"Antall personer som avsluttet eller avbrøt introduksjonsprogrammet i året (SSB: «Arbeidssituasjon i alt»). {SSB1Y_NOTE_NB}",
      f"Number of people who completed or left the programme in the year (SSB: 'Arbeidssituasjon i alt'). {SSB1Y_NOTE_EN}"),
]
MEASURES += ssb1y_pair("in_work_or_education", "I arbeid eller utdanning ett år etter",
                       "In work or education one year after",
                       "var sysselsatt og/eller under utdanning", "were employed and/or in education")
MEASURES += ssb1y_pair("employed", "Sysselsatt ett år etter (inkl. kombinert med utdanning)",
                       "Employed one year after (incl. combined with education)",
                       "var sysselsatt, medregnet dem som kombinerer arbeid og utdanning",
                       "were employed, including those combining work and education", with_count=False)
MEASURES += ssb1y_pair("employed_only", "Kun sysselsatt ett år etter", "Employed only, one year after",
                       "var sysselsatt uten å være under utdanning (SSB: «Sysselsatt»)",
                       "were employed and not in education (SSB: 'Sysselsatt')")
MEASURES += ssb1y_pair("employed_and_in_education", "Sysselsatt og under utdanning ett år etter",
                       "Employed and in education one year after",
                       "var både sysselsatt og under utdanning", "were both employed and in education")
MEASURES += ssb1y_pair("in_education_only", "Kun under utdanning ett år etter",
                       "In education only, one year after",
                       "kun var under utdanning (SSB: «Under utdanning»)",
                       "were in education only (SSB: 'Under utdanning')")
MEASURES += ssb1y_pair("registered_unemployed", "Registrert helt arbeidsledig ett år etter",
                       "Registered unemployed one year after",
                       "var registrert helt arbeidsledig", "were registered as wholly unemployed")
MEASURES += ssb1y_pair("other_jobseekers_labour_measures", "Andre arbeidssøkende, på tiltak, ett år etter",
                       "Other jobseekers on labour market measures one year after",
                       "var andre arbeidssøkende på tiltak", "were other jobseekers on labour market measures")
MEASURES += ssb1y_pair("unemployed_or_labour_measures", "Registrert arbeidsledig og/eller på tiltak ett år etter",
                       "Registered unemployed and/or on measures one year after",
                       "var registrert arbeidsledig og/eller på tiltak (i alt)",
                       "were registered unemployed and/or on labour market measures (total)")
MEASURES += ssb1y_pair("other_or_unknown_status", "Annen eller ukjent status ett år etter",
                       "Other or unknown status one year after",
                       "hadde annen eller ukjent status (i alt)", "had another or unknown status (total)")
MEASURES += ssb1y_pair("social_assistance", "Mottok sosialhjelp ett år etter",
                       "Received social assistance one year after",
                       "mottok sosialhjelp (del av «annen eller ukjent status»)",
                       "received social assistance (part of 'other or unknown status')", with_count=False)
MEASURES += ssb1y_pair("unknown_status", "Ukjent status ett år etter", "Unknown status one year after",
                       "hadde ukjent status (del av «annen eller ukjent status»)",
                       "had unknown status (part of 'other or unknown status')", with_count=False)
MEASURES += [
    m("women_share_of_ended_1y", "percent", "ssb_one_year_after", "Kvinneandel i kullet",
      "Women's share of the cohort",
      f"Andel kvinner blant alle som avsluttet introduksjonsprogrammet i året (gender = all). {SSB1Y_NOTE_NB}",
      f"Share of women among all who ended the programme in the year (gender = all). {SSB1Y_NOTE_EN}",
      denominator="former_participants_1y"),
    m("men_share_of_ended_1y", "percent", "ssb_one_year_after", "Mannsandel i kullet",
      "Men's share of the cohort",
      f"Andel menn blant alle som avsluttet introduksjonsprogrammet i året (gender = all). {SSB1Y_NOTE_NB}",
      f"Share of men among all who ended the programme in the year (gender = all). {SSB1Y_NOTE_EN}",
      denominator="former_participants_1y"),
    m("employed_change_pp_1y", "percent", "ssb_one_year_after",
      "Endring i andel sysselsatte ett år etter (prosentpoeng)",
      "Change in share employed one year after (percentage points)",
      f"Publisert endring fra forrige kull i employed_1y, i prosentpoeng. {PP_NB} {SSB1Y_NOTE_NB}",
      f"Published change from the previous cohort in employed_1y, in percentage points. {PP_EN} {SSB1Y_NOTE_EN}"),
    m("in_work_or_education_change_pp_1y", "percent", "ssb_one_year_after",
      "Endring i andel i arbeid eller utdanning ett år etter (prosentpoeng)",
      "Change in share in work or education one year after (percentage points)",
      f"Publisert endring fra forrige kull i in_work_or_education_1y, i prosentpoeng. {PP_NB} {SSB1Y_NOTE_NB}",
      f"Published change from the previous cohort in in_work_or_education_1y, in percentage points. {PP_EN} {SSB1Y_NOTE_EN}"),
    # rare definitions, each in its own series
    m("participants_point_in_time", "count", "point_in_time", "Deltakere nå (øyeblikkstall)",
      "Participants at a point in time",
      "Antall som deltar i introduksjonsprogram på det tidspunktet kilden omtaler («nå»), ikke i løpet av året. "
      "year = året for utsagnet.",
      "Number taking part in the programme at the moment the source describes ('now'), not during the year. "
      "year = the year of the statement."),
    m("ended_cumulative_imdi", "count", "cumulative", "Har avsluttet, akkumulert (IMDi)",
      "Have ended, cumulative (IMDi)",
      "Antall fordrevne fra Ukraina som til sammen har avsluttet introduksjonsprogrammet fram til tidspunktet "
      "kilden omtaler (tall fra IMDi, gjengitt av NRK). year = året for utsagnet.",
      "Number of displaced people from Ukraine who in total have ended the programme up to the time the source "
      "describes (IMDi's figure as reported by NRK). year = the year of the statement."),
    m("ended_cumulative_ssb", "count", "cumulative", "Har avsluttet, akkumulert (SSB)",
      "Have ended, cumulative (SSB)",
      "Antall personer med kollektiv beskyttelse fra Ukraina som til sammen har avsluttet introduksjonsprogrammet "
      "(SSB, fra nasjonalt introduksjonsregister). year = siste år som er med.",
      "Number of people with collective protection from Ukraine who in total have ended the programme "
      "(SSB, from the national introduction register). year = the last year included."),
    m("to_work_or_education_municipal", "percent", "municipal_direct",
      "Gikk til arbeid eller utdanning (kommunens tall)", "Went to work or education (municipality's figure)",
      "Andel deltakere som gikk ut i jobb eller utdanning etter programmet, slik kommunen selv oppgir det "
      "(Trondheim kommune, gjengitt i avis). Ikke nødvendigvis IMDis definisjon.",
      "Share of participants who went to work or education after the programme, as the municipality itself "
      "gives it (Trondheim municipality, quoted in a newspaper). Not necessarily IMDi's definition."),
    m("employed_after_programme_ssb", "percent", "ssb_employed_after_programme",
      "I arbeid etter endt program (SSB, omtalt)", "In work after the programme (SSB, as reported)",
      "Andel ukrainske flyktninger som var i arbeid etter endt introduksjonsprogram, slik Fafo Østforum "
      "gjengir nye tall fra SSB. Målingstidspunkt er ikke oppgitt; year = publiseringsåret.",
      "Share of Ukrainian refugees in work after the programme, as Fafo Østforum reports new SSB figures. "
      "The reference date is not given; year = the year of publication."),
]

SERIES = {
    "imdi_direct": "IMDi (NIR): status directly after the programme, by the year it ended",
    "ssb_one_year_after": "SSB: status in November one year after, by the year the cohort ended",
    "participants": "participants during the year (and starts), any publisher; the id says whose count",
    "ssb_direct": "SSB: ended or left during the year, and direct transitions as SSB words them",
    "point_in_time": "participants at a moment ('now'), not during the year",
    "cumulative": "people who have ended since 2022 in total (Ukrainians)",
    "municipal_direct": "a municipality's own figure for going to work or education",
    "ssb_employed_after_programme": "SSB figure for employment after the programme, as reported by Fafo Østforum",
}

REQUIRED_IDS = [
    "participants", "started", "ended", "no_end_reason", "to_work", "to_education",
    "to_work_or_education", "to_primary_school", "to_labour_measures", "other_reason",
    "neither_work_nor_education", "to_work_count", "to_education_count",
    "to_work_or_education_count", "to_primary_school_count", "to_labour_measures_count",
    "other_reason_count", "neither_work_nor_education_count", "to_work_change_pp",
    "to_education_change_pp", "to_work_or_education_change_pp", "neither_to_labour_measures",
    "neither_to_primary_school", "neither_other_reason", "participants_ssb", "ended_ssb",
    "to_work_ssb", "to_education_ssb", "former_participants_1y", "in_work_or_education_1y",
    "employed_1y", "employed_only_1y", "employed_and_in_education_1y", "in_education_only_1y",
    "registered_unemployed_1y", "unemployed_or_labour_measures_1y",
    "other_or_unknown_status_1y", "women_share_of_ended_1y",
]

# --------------------------------------------------------------------------------------
# Sources: url -> (slug, publisher, title, date)
# date: ISO date when the URL or page shows it, else the (estimated) publication year.
# --------------------------------------------------------------------------------------
GH = "https://github.com/evensrii/Telemark/blob/"
GHP = "/Data/09_Innvandrere%20og%20inkludering/"
SOURCES = {
    "http://nettarkiv.eub.no/nyheter/blant-norges-beste-paa-integrering":
        ("eub-2018-integrering", "Eidsvoll Ullensaker Blad", "Blant Norges beste på integrering", "2018"),
    "http://www.altaposten.no/lokalt/NTB/NTB_innenriks/2017/04/26/Trondheim-kommune-stakk-av-med-pris-for-integrering-14645692.ece":
        ("ntb-altaposten-2017-04-26", "NTB (via Altaposten)",
         "Trondheim kommune stakk av med pris for integrering", "2017-04-26"),
    "https://dagensperspektiv.dev07.ovh.ramsalt.com/kortnytt/2017/flest-menn-i-jobb-etter-introduksjonsprogram":
        ("dagensperspektiv-2017-flest-menn", "Dagens Perspektiv",
         "Flest menn i jobb etter introduksjonsprogram", "2017"),
    "https://dagensperspektiv.dev07.ovh.ramsalt.com/kortnytt/2017/rekordmange-deltok-i-introduksjonsprogram":
        ("dagensperspektiv-2017-rekordmange", "Dagens Perspektiv",
         "Rekordmange deltok i introduksjonsprogram", "2017"),
    "https://dagensperspektiv.dev07.ovh.ramsalt.com/tags/utdanning?page=8":
        ("dagensperspektiv-2019-utdanning", "Dagens Perspektiv",
         "Stikkord «utdanning», side 8 (notis om resultater for 2018)", "2019"),
    "https://fafooestforum.no.91-205-184-217.cpanel.site/nyheter/na-er-rekordmange-ukrainere-i-arbeid":
        ("fafo-ostforum-2025-ukrainere", "Fafo Østforum", "Nå er rekordmange ukrainere i arbeid", "2025"),
    GH + "0360596c792d94893e7596b81c0c5d2433b3c3d0" + GHP + "Introduksjonsprogrammet/Introduksjonsprogrammet%20-%20deltakere.xlsx":
        ("github-telemark-deltakere-xlsx", "evensrii/Telemark (GitHub data repository)",
         "Introduksjonsprogrammet - deltakere.xlsx (IMDi-tall for Vestfold og Telemark)", "2021"),
    GH + "2dac04279168d0bb0d6325216cf232202abc7d94" + GHP + "Introduksjonsprogrammet/deltakere_introduksjonsprogrammet.csv":
        ("github-telemark-deltakere-csv", "evensrii/Telemark (GitHub data repository)",
         "deltakere_introduksjonsprogrammet.csv (deltakere i Telemark)", "2025"),
    GH + "3c3a071ec25889ae30587cd832c1e95808ac79d7" + GHP + "Introduksjonsprogrammet/etter_introduksjonsprogram.csv":
        ("github-telemark-etter-intro-2024", "evensrii/Telemark (GitHub data repository)",
         "etter_introduksjonsprogram.csv (SSB, andel i arbeid eller utdanning etter fylke, 2024)", "2024"),
    GH + "83541874fe640c1b444c4d08dc571e8de5706086" + GHP + "Introduksjonsprogrammet/2023/Figur1_arbeid_utdanning.xlsx":
        ("github-telemark-figur1", "evensrii/Telemark (GitHub data repository)",
         "Figur1_arbeid_utdanning.xlsx (SSB tabell 10824, 2021)", "2021"),
    GH + "d40d336a1af161ec8a21fd9e2c1c9c04e0c491f8" + GHP + "Introduksjonsprogrammet/etter_introduksjonsprogram.csv":
        ("github-telemark-etter-intro-2022", "evensrii/Telemark (GitHub data repository)",
         "etter_introduksjonsprogram.csv (SSB, andel i arbeid eller utdanning etter fylke, 2022)", "2022"),
    GH + "efc81374e899b8631bf61d3ef0039d28c278c313" + GHP + "Introduksjonsprogrammet/etter_introduksjonsprogram.csv":
        ("github-telemark-etter-intro-2023", "evensrii/Telemark (GitHub data repository)",
         "etter_introduksjonsprogram.csv (SSB, andel i arbeid eller utdanning etter fylke, 2023)", "2023"),
    GH + "ffacbc49b9199a3731094111934aa4f6f7558907" + GHP + "introduksjonsprogram_ett_%C3%A5r_etter.txt":
        ("github-telemark-ett-aar-etter", "evensrii/Telemark (GitHub data repository)",
         "introduksjonsprogram_ett_år_etter.txt (Vestfold og Telemark, 2018–2019)", "2019"),
    "https://kommunikasjon.ntb.no/pressemelding/17981274/18000-flyktninger-i-introduksjonsprogram-i-fjor?publisherId=89626":
        ("imdi-ntb-2023-18000-deltakere", "IMDi (pressemelding via NTB Kommunikasjon)",
         "18 000 flyktninger i introduksjonsprogram i fjor", "2023"),
    "https://kommunikasjon.ntb.no/pressemelding/18155118/flere-flyktninger-over-til-arbeid-etter-endt-introduksjonsprogram?publisherId=89626&lang=no":
        ("imdi-ntb-2024-arbeid", "IMDi (pressemelding via NTB Kommunikasjon)",
         "Flere flyktninger over til arbeid etter endt introduksjonsprogram", "2024"),
    "https://kommunikasjon.ntb.no/pressemelding/introduksjonsprogram-i-2020-flere-i-utdanning---faerre-i-jobb?publisherId=89626&releaseId=17910462":
        ("imdi-ntb-2021-utdanning", "IMDi (pressemelding via NTB Kommunikasjon)",
         "Introduksjonsprogram i 2020: flere i utdanning – færre i jobb", "2021"),
    "https://norwaytoday.info/news/record-high-numbers-of-refugees-in-work-or-education":
        ("norwaytoday-2019", "Norway Today", "Record high numbers of refugees in work or education", "2019"),
    "https://ssb.no/arbeid-og-lonn/sysselsetting/artikler/ukrainske-flyktninger-etter-introduksjonsprogram-pa-arbeidsmarkedet":
        ("ssb-2025-ukrainske-flyktninger", "SSB",
         "Ukrainske flyktninger etter introduksjonsprogram på arbeidsmarkedet", "2025"),
    "https://ssb.no/introinnv":
        ("ssb-intro-2024", "SSB",
         "Introduksjonsordningen for nyankomne innvandrere (statistikkside, tall for 2023)", "2025"),
    "https://statbank.ssb.no/en/utdanning/statistikker/introinnv/aar-deltakere":
        ("ssb-statbank-en-2020", "SSB",
         "Introduction scheme for newly arrived immigrants, participants (StatBank tables, 2019)", "2020"),
    "https://statbank.ssb.no/utdanning/statistikker/introinnv/aar-deltakere":
        ("ssb-statbank-2019", "SSB",
         "Introduksjonsordningen for nyankomne innvandrere, deltakere (Statistikkbanken, 2018)", "2019"),
    "https://www.adressa.no/nyheter/i/Ry0AR5/trondheim-sliter-med-a-fa-flyktninger-ut-i-jobb-og-utdannelse":
        ("adressa-2018-trondheim", "Adresseavisen",
         "Trondheim sliter med å få flyktninger ut i jobb og utdannelse", "2018"),
    "https://www.dagbladet.no/nyheter/langt-flere-flyktninger-tar-utdanning/71205967":
        ("dagbladet-2019-utdanning", "Dagbladet", "Langt flere flyktninger tar utdanning", "2019"),
    "https://www.dagsavisen.no/demokraten/gode-resultater-for-nyankomne-innvandrere-i-ostfold-1.1730501":
        ("demokraten-2020-ostfold", "Demokraten (Dagsavisen)",
         "Gode resultater for nyankomne innvandrere i Østfold", "2020"),
    "https://www.dagsavisen.no/nyheter/innenriks/2024/06/24/flere-flyktninger-i-arbeid-etter-introduksjonsprogram/":
        ("dagsavisen-2024-06-24", "Dagsavisen",
         "Flere flyktninger i arbeid etter introduksjonsprogram", "2024-06-24"),
    "https://www.dagsavisen.no/rogalandsavis/rekordhoyt-antall-flyktninger-i-jobb-eller-utdanning-1.1542279":
        ("rogalandsavis-2019", "Rogalandsavis (Dagsavisen)",
         "Rekordhøyt antall flyktninger i jobb eller utdanning", "2019"),
    "https://www.document.no/2023/06/28/rundt-18-000-flyktninger-deltok-i-introduksjonsprogram-i-fjor/":
        ("document-2023-06-28", "Document",
         "Rundt 18 000 flyktninger deltok i introduksjonsprogram i fjor", "2023-06-28"),
    "https://www.fjordabladet.no/npk/innenriks/2020/06/16/Fleirtalet-fr%C3%A5-introprogram-til-utdanning-eller-arbeid-22087079.ece":
        ("fjordabladet-2020-06-16", "Fjordabladet (NPK)",
         "Fleirtalet frå introprogram til utdanning eller arbeid", "2020-06-16"),
    "https://www.fjt.no/nyheter/2020/01/16/Store-forskjeller-mellom-kommuner-n%C3%A5r-det-gjelder-%C3%A5-gj%C3%B8re-flyktninger-arbeidsklare-20844965.ece":
        ("fjt-2020-01-16", "Fjordenes Tidende",
         "Store forskjeller mellom kommuner når det gjelder å gjøre flyktninger arbeidsklare", "2020-01-16"),
    "https://www.imdi.no/arkiv/arkiverte-nyheter/nokkeltall-for-introduksjonsprogrammet-2022/":
        ("imdi-nokkeltall-2022", "IMDi", "Nøkkeltall for introduksjonsprogrammet 2022", "2023"),
    "https://www.imdi.no/arkiv/arkiverte-nyheter/nyheter-2017/rekordmange-deltok-i-introduksjonsprogram/":
        ("imdi-2017-rekordmange", "IMDi", "Rekordmange deltok i introduksjonsprogram", "2017"),
    "https://www.imdi.no/arkiv/arkiverte-nyheter/nyheter-2017/resultater-for-introduksjonsprogrammet-2016/":
        ("imdi-2017-resultater-2016", "IMDi", "Resultater for introduksjonsprogrammet 2016", "2017"),
    "https://www.imdi.no/arkiv/arkiverte-nyheter/nyheter-2018/50-000-flyktninger-bosatt-pa-fem-ar/":
        ("imdi-2018-bosatt", "IMDi", "50 000 flyktninger bosatt på fem år", "2018"),
    "https://www.imdi.no/arkiv/arkiverte-nyheter/nyheter-2019/resultater-for-flyktninger-som-avsluttet-introduksjonsprogram-i-2018/":
        ("imdi-2019-resultater-2018", "IMDi",
         "Resultater for flyktninger som avsluttet introduksjonsprogram i 2018", "2019"),
    "https://www.imdi.no/arkiv/arkiverte-nyheter/nyheter-2021/introduksjonsprogram-i-2020-flere-begynte-pa-utdanning---farre-kom-i-jobb/":
        ("imdi-2021-resultater-2020", "IMDi",
         "Introduksjonsprogram i 2020: flere begynte på utdanning – færre kom i jobb", "2021"),
    "https://www.imdi.no/arkiv/arkiverte-publikasjoner/introduksjonsprogram-2021-stabile-resultater/":
        ("imdi-2022-resultater-2021", "IMDi", "Introduksjonsprogram 2021: stabile resultater", "2022"),
    "https://www.imdi.no/nokkeltall-for-introduksjonsprogrammet-2023/":
        ("imdi-nokkeltall-2023", "IMDi", "Nøkkeltall for introduksjonsprogrammet 2023", "2024-06-24"),
    "https://www.klartale.no/norge/2024/02/19/flere-innvandrere-fikk-seg-jobb-etter-introduksjons-program/":
        ("klartale-2024-02-19", "Klar Tale",
         "Flere innvandrere fikk seg jobb etter introduksjonsprogram", "2024-02-19"),
    "https://www.kommunal-rapport.no/innvandring/en-tredel-faerre-deltakere-i-introduksjonsprogrammet-i-2020/133316!/":
        ("kommunal-rapport-2021", "Kommunal Rapport",
         "En tredel færre deltakere i introduksjonsprogrammet i 2020", "2021"),
    "https://www.ks.no/fagomrader/innvandring-og-integrering/integrering/fortsatt-positiv-trend-i-introduksjonsprogrammet/":
        ("ks-2018-positiv-trend", "KS", "Fortsatt positiv trend i introduksjonsprogrammet", "2018"),
    "https://www.lister24.no/nyheter/i/76bBz3/flere-innvandrere-i-jobb-eller-utdanning-etter-introduksjonsprogram":
        ("lister24-2023", "Lister24",
         "Flere innvandrere i jobb eller utdanning etter introduksjonsprogram", "2023"),
    "https://www.nrk.no/mr/integreringen-kan-bli-enda-bedre-1.14862818":
        ("nrk-mr-2020", "NRK Møre og Romsdal", "Integreringen kan bli enda bedre", "2020"),
    "https://www.nrk.no/norge/karolina-tsymbala-flykta-fra-ukraina-og-deltar-pa-introduksjonsprogram-_-hovudmalet-er-a-fa-jobb-1.16668134":
        ("nrk-2023-tsymbala", "NRK",
         "Karolina Tsymbala flykta frå Ukraina og deltar på introduksjonsprogram: – Hovudmålet er å få jobb",
         "2023"),
    "https://www.nrk.no/rogaland/faerre-flyktningar-i-arbeid-1.13590611":
        ("nrk-rogaland-2017", "NRK Rogaland", "Færre flyktningar i arbeid", "2017"),
    "https://www.nrk.no/vestland/annankvar-i-arbeid-eller-utdanning-1.14598254":
        ("nrk-vestland-2019", "NRK Vestland", "Annankvar i arbeid eller utdanning", "2019"),
    "https://www.nyss.no/npk/innenriks/2021/06/17/Ein-tredel-f%C3%A6rre-deltakarar-i-introduksjonsprogrammet-i-2020-24137730.ece":
        ("nyss-2021-06-17", "Nyss (NPK)",
         "Ein tredel færre deltakarar i introduksjonsprogrammet i 2020", "2021-06-17"),
    "https://www.ssb.no/arbeid-og-lonn/sysselsetting/artikler/hvor-mange-med-kollektiv-beskyttelse-er-sysselsatt-etter-endt-introduksjonsprogram":
        ("ssb-2024-kollektiv-beskyttelse", "SSB",
         "Hvor mange med kollektiv beskyttelse er sysselsatt etter endt introduksjonsprogram?", "2024"),
    "https://www.ssb.no/en/introinnv":
        ("ssb-intro-en-2025", "SSB",
         "Introduction scheme for newly arrived immigrants (statistics page, figures for 2024)", "2025"),
    "https://www.ssb.no/en/utdanning/statistikker/introinnv":
        ("ssb-intro-en-2019", "SSB",
         "Introduction scheme for newly arrived immigrants (statistics page, figures for 2018)", "2019"),
    "https://www.ssb.no/utdanning/artikler-og-publikasjoner/faerre-deltakere-i-introduksjonsprogrammet":
        ("ssb-2019-faerre-deltakere", "SSB", "Færre deltakere i introduksjonsprogrammet", "2019"),
    "https://www.ssb.no/utdanning/artikler-og-publikasjoner/to-av-tre-i-arbeid-eller-utdanning-etter-endt-introduksjonsprogram":
        ("ssb-2020-to-av-tre", "SSB",
         "To av tre i arbeid eller utdanning etter endt introduksjonsprogram", "2020"),
    "https://www.ssb.no/utdanning/statistikker/introinnv/aar-deltakere":
        ("ssb-intro-deltakere-2017", "SSB",
         "Introduksjonsordningen for nyankomne innvandrere, deltakere 2016", "2017"),
    "https://www.ssb.no/utdanning/statistikker/introinnv/aar-tidligere-deltakere":
        ("ssb-intro-tidligere-deltakere-2018", "SSB",
         "Introduksjonsordningen for nyankomne innvandrere, tidligere deltakere (status 2017)", "2018"),
    "https://www.ssb.no/utdanning/voksenopplaering/statistikk/introduksjonsordningen-for-nyankomne-innvandrere/artikler":
        ("ssb-intro-artikler", "SSB",
         "Introduksjonsordningen for nyankomne innvandrere: artikler (oversikt)", "2024"),
    "https://www.ssb.no/utdanning/voksenopplaering/statistikk/introduksjonsordningen-for-nyankomne-innvandrere/artikler/en-tredjedel-faerre-deltakere-i-introduksjonsprogrammet":
        ("ssb-2021-en-tredjedel-faerre", "SSB",
         "En tredjedel færre deltakere i introduksjonsprogrammet", "2021"),
    "https://www.ssb.no/utdanning/voksenopplaering/statistikk/introduksjonsordningen-for-nyankomne-innvandrere/artikler/flere-i-arbeid-eller-utdanning-etter-endt-introduksjonsprogram":
        ("ssb-2023-flere-i-arbeid", "SSB",
         "Flere i arbeid eller utdanning etter endt introduksjonsprogram", "2024-02-19"),
    "https://www.ssb.no/utdanning/voksenopplaering/statistikk/introduksjonsordningen-for-nyankomne-innvandrere/artikler/flere-kvinner-og-menn-i-arbeid-eller-utdanning-etter-endt-introduksjonsprogram":
        ("ssb-2022-flere-kvinner-og-menn", "SSB",
         "Flere kvinner og menn i arbeid eller utdanning etter endt introduksjonsprogram", "2022-10-03"),
    "https://www.utrop.no/nyheter/notis/221796/":
        ("utrop-2020", "Utrop", "Notis 221796 (IMDi-tall om overgang til arbeid eller utdanning 2019)", "2020"),
    "https://www.vestfoldfylke.no/no/kunnskap-om-vestfold/tema/innvandrere-og-integrering/introduksjonsprogrammet/":
        ("vestfoldfylke-introduksjonsprogrammet", "Vestfold fylkeskommune",
         "Introduksjonsprogrammet (Kunnskap om Vestfold)", "2024"),
    # first used by figures-added-2026-12.csv
    "http://norwaytoday.info/news/increase-proportion-immigrants-work-education-completion-introductory-programs/":
        ("norwaytoday-2017", "Norway Today",
         "Increase in proportion of immigrants in work or education after completing introductory programs "
         "(SSB figures for the 2015 cohort)", "2017"),
    "https://www.liberaleren.no/2015/12/21/seks-av-ti-tidligere-deltakere-i-arbeid-eller-utdanning/":
        ("liberaleren-2015-12-21", "Liberaleren",
         "Seks av ti tidligere deltakere i arbeid eller utdanning", "2015-12-21"),
    "https://www.utrop.no/nyheter/nytt/18252/":
        ("utrop-2009", "Utrop",
         "Nyhet 18252 (SSB-tall: status i november 2008 for dem som gikk ut av programmet i 2005–2007)", "2009"),
    "https://ssb.no/en/introinnv":
        ("ssb-intro-en-2024", "SSB",
         "Introduction scheme for newly arrived immigrants (statistics page, preliminary figures for the "
         "2022 cohort, status November 2023)", "2024"),
    "https://www.imdi.no/arkiv/arkiverte-nyheter/nyheter-2018/resultater-for-2017-introduksjonsprogram-for-nyankomne-innvandrere/":
        ("imdi-2018-resultater-2017", "IMDi",
         "Resultater for 2017 – introduksjonsprogram for nyankomne innvandrere", "2018"),
    "https://www.telemarkfylke.no/no/kunnskap-om-telemark/tema/innvandrere-og-integrering/introduksjonsprogrammet/":
        ("telemarkfylke-introduksjonsprogrammet", "Telemark fylkeskommune",
         "Introduksjonsprogrammet (Kunnskap om Telemark)", "2024"),
}

# One page, two dates. SSB's article overview shows each article's lead with the article's own date;
# the 2019 cohort's "61 prosent" is the lead of the article of 29 September 2021 (preliminary figures;
# the final 62 % is in the article of 3 October 2022). Filed under its own slug with that date, so that
# "the later page wins" compares the dates the two figures were published, not the date the overview
# was read. (url, start of quote) -> (slug, publisher, title, date)
SPLIT_SOURCES = {
    ("https://www.ssb.no/utdanning/voksenopplaering/statistikk/introduksjonsordningen-for-nyankomne-innvandrere/artikler",
     "Av de nær 8 100 som gikk ut av introduksjonsprogrammet"):
        ("ssb-intro-artikler-2021-09-29", "SSB",
         "Introduksjonsordningen for nyankomne innvandrere: artikler (oversikt), ingressen til artikkelen "
         "av 29.09.2021 om 2019-kullet (foreløpige tall)", "2021-09-29"),
}


# Sources of the importers (no reference row): `python -m dashboard fetch ssb 10809` writes this id.
# Its date is the table's last update as last fetched; update it when fetching anew.
IMPORTER_SOURCES = [
    ("ssb-statbank-10809", "SSB",
     "Statistikkbanken tabell 10809: Tidligere deltakere i introduksjonsprogrammet. Status på arbeidsmarkedet "
     "i november, etter kjønn og alder", "2024-02-19", "https://www.ssb.no/statbank/table/10809"),
]


def source_of(row):
    """(slug, publisher, title, date, url) of the page a reference row was read from."""
    for (url, start), meta in SPLIT_SOURCES.items():
        if row["source_url"] == url and row["quote"].startswith(start):
            return meta + (url,)
    return SOURCES[row["source_url"]] + (row["source_url"],)


# --------------------------------------------------------------------------------------
# Corrections found by checking every row against its quote (matched on content)
# --------------------------------------------------------------------------------------
def correct(row, slug):
    """Return (row, note): the row as it must be shipped, and what was changed and why ('' if nothing)."""
    if (slug == "vestfoldfylke-introduksjonsprogrammet" and row["definition"] == "ssb_one_year_after"
            and row["measure"] == "in_work_or_education" and row["year"] == "2022" and row["value"] == "63"):
        # The page writes SSB's year of measurement as the cohort year: 63 is SSB's county figure for
        # the 2021 cohort ("Andel 2022" for Vestfold og Telemark in github-telemark-etter-intro-2022).
        return dict(row, year="2021"), "year 2022 -> 2021 (the page's 2022 is SSB's year of measurement)"
    if (slug == "dagensperspektiv-2017-rekordmange" and row["definition"] == "imdi_direct"
            and row["measure"] == "participants" and row["year"] == "2016" and row["value"] == "24000"):
        # "skriver Imdi.no": IMDi's page gives SSB's count of participants (imdi-2017-rekordmange,
        # coded ssb_during_year); SSB's exact figure is 23 961.
        return dict(row, definition="ssb_during_year"), "participants -> participants_ssb (SSB's count)"
    return row, ""


# --------------------------------------------------------------------------------------
# Rows left out by explicit decision (matched on content, not on line numbers)
# --------------------------------------------------------------------------------------
def explicit_leave_out(row, slug):
    """Return a reason string if this row is left out by an explicit rule, else None."""
    if "made by repo author" in row["region_name"]:
        return ("not a published number: 'Telemark (area)' is a sum of 17 municipalities made by the "
                "author of the source repository, not by IMDi/SSB")
    if row["country"] in COMPOSITE_COUNTRIES:
        return ("composite country 'Syria+Eritrea+Somalia' (share of participants from three countries "
                "together) does not fit the one-country vocabulary")
    if (row["definition"] == "ssb_one_year_after" and row["measure"] == "unemployed_or_labour_measures"
            and row["quote"].startswith("7 prosent av mennene og 6 prosent av kvinnene var registrert som ledig")):
        return ("same sentence is already kept as registered_unemployed_1y; the quote says 'registrert som "
                "ledig' (registered unemployed), so shipping it also as 'unemployed and/or on measures' "
                "would give one published number two meanings")
    if slug == "github-telemark-deltakere-csv" and row["year"] == "2025":
        return ("year 2025 from a data file that gives no sign the year is complete (833 against 1 201 in "
                "2024); a running year's count would be read as a full year")
    return None


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------
def load_regions(path: Path):
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    return rows


def valid_in_year(r, year: int) -> bool:
    start = f"{year}-01-01"
    end = f"{year}-12-31"
    return r["gyldig_fra"] <= end and (r["gyldig_til"] == "" or r["gyldig_til"] > start)


def region_level(code: str) -> str:
    return {2: "fylke", 4: "kommune"}.get(len(code), "")


def format_value(raw: str) -> str:
    try:
        d = Decimal(raw)
    except InvalidOperation:
        raise SystemExit(f"not a number: {raw!r}")
    if d == d.to_integral_value():
        return str(int(d))
    s = format(d.normalize(), "f")
    return s


def main(argv):
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    ref_path = Path(argv[1]).resolve()
    ref_regions = ref_path.parent / "regions"
    out_regions = DATA_DIR / "regions"

    # 1. copy region files unchanged (if the reference folder has them)
    if ref_regions.is_dir():
        out_regions.mkdir(parents=True, exist_ok=True)
        for name in REGION_FILES:
            shutil.copyfile(ref_regions / name, out_regions / name)
    regions = load_regions(out_regions / "norwegian_regions_history.csv")

    rows = list(csv.DictReader(ref_path.open(encoding="utf-8")))
    for line, r in enumerate(rows, start=2):
        r["_where"] = (0, line)
    # Figures found later (figures-added-*.csv beside figures.csv): the same columns less region_name
    # and definition; `measure` is already a measure id of this dataset and `country` an ISO code.
    added_files = sorted(ref_path.parent.glob("figures-added-*.csv"))
    for n, path in enumerate(added_files, start=1):
        added = list(csv.DictReader(path.open(encoding="utf-8")))
        for line, r in enumerate(added, start=2):
            r.update(region_name="", definition="", _where=(n, line), _direct=True)
        rows += added
    file_names = [ref_path.name] + [p_.name for p_ in added_files]
    n_in = len(rows)

    def at(where):
        return f"line {where[1]}" if where[0] == 0 else f"{file_names[where[0]]} line {where[1]}"
    measure_ids = {x["measure"] for x in MEASURES}

    unknown_urls = sorted({r["source_url"] for r in rows} - set(SOURCES))
    if unknown_urls:
        raise SystemExit("source_url without an entry in SOURCES:\n  " + "\n  ".join(unknown_urls))
    unknown_measures = sorted({(r["definition"], r["measure"], r["unit"]) for r in rows
                               if not r.get("_direct")} - set(MEASURE_MAP))
    unknown_measures += sorted({r["measure"] for r in rows if r.get("_direct")} - measure_ids)
    if unknown_measures:
        raise SystemExit("(definition, measure, unit) without a mapping, or an unknown measure id:\n  " +
                         "\n  ".join(map(str, unknown_measures)))
    unknown_countries = sorted({r["country"] for r in rows if not r.get("_direct")}
                               - set(COUNTRIES) - COMPOSITE_COUNTRIES)
    unknown_countries += sorted({r["country"] for r in rows if r.get("_direct")} - set(COUNTRIES.values()))
    if unknown_countries:
        raise SystemExit(f"country names without an ISO code (or unknown codes): {unknown_countries}")

    left_out = []  # (reason, row, slug, where, note)
    corrected = []  # (note, row, slug, where)
    candidates = []  # (out_row, ref_row, where)
    for r in rows:
        line = r["_where"]
        slug = source_of(r)[0]
        r, note = correct(r, slug)
        if note:
            corrected.append((note, r, slug, line))
        reason = explicit_leave_out(r, slug)
        if reason:
            left_out.append((reason, r, slug, line, ""))
            continue
        year = int(r["year"])
        # region
        region = r["region"]
        if region == "":
            matches = sorted({x["regionnummer"] for x in regions
                              if x["regionnavn"] == r["region_name"] and valid_in_year(x, year)})
            if len(matches) != 1:
                left_out.append((f"region name '{r['region_name']}' does not resolve to exactly one code "
                                 f"valid in {year} (matches: {matches})", r, slug, line, ""))
                continue
            region = matches[0]
        elif region != "0":
            lvl = region_level(region)
            if not any(x["nivå"] == lvl and x["regionnummer"] == region and valid_in_year(x, year)
                       for x in regions):
                left_out.append((f"region code {region} is not valid in {year}", r, slug, line, ""))
                continue
        # dimensions
        if r["group"] not in GROUPS:
            raise SystemExit(f"{at(line)}: unknown group {r['group']!r}")
        gender = GENDERS.get(r["gender"])
        if gender is None:
            raise SystemExit(f"{at(line)}: unknown gender {r['gender']!r}")
        if r["education"] not in EDUCATIONS:
            raise SystemExit(f"{at(line)}: unknown education {r['education']!r}")
        if r["age"] not in AGES:
            raise SystemExit(f"{at(line)}: unknown age {r['age']!r}")
        country = r["country"] if r.get("_direct") else COUNTRIES[r["country"]]
        # measure
        measure = r["measure"] if r.get("_direct") else MEASURE_MAP[(r["definition"], r["measure"], r["unit"])]
        if measure == "SEX_SHARE_OF_PARTICIPANTS_SSB" or (
                measure == "SHARE_OF_PARTICIPANTS_SSB" and gender != "all"):
            if gender == "all" or r["age"] != "all" or country != "all":
                raise SystemExit(f"{at(line)}: unexpected sex share row")
            measure = f"{gender}_share_of_participants_ssb"
            gender = "all"
        elif measure == "SHARE_OF_PARTICIPANTS_SSB":
            measure = "share_of_participants_ssb"
        if measure in SEX_IN_MEASURE:
            if gender not in ("all", SEX_IN_MEASURE[measure]):
                raise SystemExit(f"{at(line)}: {measure} with gender {gender}")
            gender = "all"
        if r["approx"] not in ("true", "false"):
            raise SystemExit(f"{at(line)}: approx must be true/false")
        out = OrderedDict(
            year=str(year), region=region, group=r["group"], gender=gender,
            education=r["education"], age=r["age"], country=country, measure=measure,
            value=format_value(r["value"]), unit=r["unit"], approx=r["approx"], source=slug,
        )
        candidates.append((out, r, line))

    # 2. resolve duplicate keys within one source
    by_key = defaultdict(list)
    for c in candidates:
        by_key[tuple(c[0][k] for k in KEY_COLUMNS)].append(c)
    kept = []
    merged_duplicates = 0
    for key, group in by_key.items():
        values = {c[0]["value"] for c in group}
        if len(values) == 1:
            approxes = {c[0]["approx"] for c in group}
            if len(approxes) != 1:
                raise SystemExit(f"same value with different approx flags for key {key}")
            kept.append(group[0][0])
            merged_duplicates += len(group) - 1
            for c in group[1:]:
                left_out.append(("DUPLICATE", c[1], c[0]["source"], c[2], ""))
            continue
        exact = [c for c in group if c[0]["approx"] == "false"]
        if len({c[0]["value"] for c in exact}) != 1:
            raise SystemExit(f"conflicting values in one source need a decision: {key} "
                             f"{[(c[2], c[0]['value'], c[0]['approx']) for c in group]}")
        keeper = exact[0]
        kept.append(keeper[0])
        for c in group:
            if c[0]["value"] == keeper[0]["value"]:
                if c is not keeper:
                    merged_duplicates += 1
                    left_out.append(("DUPLICATE", c[1], c[0]["source"], c[2], ""))
                continue
            left_out.append(("the same source gives a rounded value (approx) and an exact value for the "
                             "same cell; the exact value is kept (rounded values published by other sources "
                             "are kept as their own rows)", c[1], c[0]["source"], c[2],
                             f"exact value kept: {keeper[0]['value']}"))

    # 3. measures metadata, checks
    measure_meta = OrderedDict((x["measure"], x) for x in MEASURES)
    if len(measure_meta) != len(MEASURES):
        raise SystemExit("duplicate measure id in MEASURES")
    for x in MEASURES:
        if x["series"] not in SERIES:
            raise SystemExit(f"unknown series {x['series']}")
        for link in ("denominator", "count_measure", "share_measure"):
            if x[link] and x[link] not in measure_meta:
                raise SystemExit(f"{x['measure']}.{link} -> unknown id {x[link]}")
    for req in REQUIRED_IDS:
        if req not in measure_meta:
            raise SystemExit(f"required measure id missing: {req}")
    used = {r["measure"] for r in kept}
    for mid in used:
        if mid not in measure_meta:
            raise SystemExit(f"measure id used in figures but not described: {mid}")
    for r in kept:
        if r["unit"] != measure_meta[r["measure"]]["unit"]:
            raise SystemExit(f"unit mismatch for {r['measure']}: {r['unit']}")
    keys = [tuple(r[k] for k in KEY_COLUMNS) for r in kept]
    assert len(keys) == len(set(keys)), "key not unique"

    # 4. write files
    def sort_key(r):
        return (int(r["year"]), r["region"], r["group"], r["gender"], r["education"], r["age"],
                r["country"], r["measure"], r["source"])
    kept.sort(key=sort_key)
    with (DATA_DIR / "figures.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIGURE_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(kept)
    with (DATA_DIR / "measures.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=MEASURE_COLUMNS, lineterminator="\n")
        w.writeheader()
        for x in sorted(MEASURES, key=lambda x: (x["series"], x["measure"])):
            w.writerow(x)
    used_sources = {source_of(r) for r in rows} | set(IMPORTER_SOURCES)
    slugs = [x[0] for x in used_sources]
    if len(slugs) != len(set(slugs)):
        raise SystemExit("duplicate source slug")
    used_urls = {x[4] for x in used_sources}
    with (DATA_DIR / "sources.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=SOURCE_COLUMNS, lineterminator="\n")
        w.writeheader()
        for slug, publisher, title, date, url in sorted(used_sources):
            w.writerow(dict(source=slug, publisher=publisher, title=title, date=date, url=url))

    # 5. left-out report
    dup_rows = [x for x in left_out if x[0] == "DUPLICATE"]
    real_left = [x for x in left_out if x[0] != "DUPLICATE"]
    by_reason = OrderedDict()
    for reason, r, slug, line, note in sorted(real_left, key=lambda x: (x[0], x[3])):
        by_reason.setdefault(reason, []).append((r, slug, line, note))
    md = ["<!-- left-out:start (generated by data/build/build_from_reference.py; do not edit by hand) -->",
          "",
          f"Reference rows: {n_in} ({' + '.join(file_names)}). Shipped rows: {len(kept)}. "
          f"Left out: {len(real_left)}. Merged as duplicates: {len(dup_rows)} "
          f"({n_in} = {len(kept)} + {len(real_left)} + {len(dup_rows)}). "
          "'line' is the line number in the reference figures.csv, or in the file named "
          "(the header is line 1).",
          ""]
    if corrected:
        md.append(f"- **Corrected before shipping** ({len(corrected)} row{'s' if len(corrected) != 1 else ''}; "
                  "see \"Corrections\" above):")
        for note, r, slug, line in sorted(corrected, key=lambda x: x[3]):
            md.append(f"  - {at(line)}: {r['measure']} = {r['value']} {r['unit']}, source `{slug}`: {note}")
        md.append("")
    for reason, items in by_reason.items():
        md.append(f"- **{reason}** ({len(items)} row{'s' if len(items) != 1 else ''}):")
        for r, slug, line, note in items:
            dims = ", ".join(f"{k}={r[k]}" for k in ("group", "gender", "education", "age", "country")
                             if r[k] != "all")
            where = r["region"] or "(empty)"
            md.append(f"  - {at(line)}: {r['year']} region {where} {r['region_name']!s}"
                      f"{' (' + dims + ')' if dims else ''}: {r['measure']} = {r['value']} {r['unit']}"
                      f"{' (approx)' if r['approx'] == 'true' else ''}, {r['definition']}, source `{slug}`"
                      f"{'; ' + note if note else ''}")
    md.append("")
    dup_by_source = Counter(x[2] for x in dup_rows)
    md.append(f"- **Merged duplicates** ({len(dup_rows)} rows): the same number for the same cell from the "
              "same source, coded twice in the reference (Norwegian and English country names, "
              "`male`/`men`, two reference measure names for one measure, `ssb_participants` and "
              "`ssb_during_year` for one table, an SSB sentence coded both as `ssb_direct` and "
              "`ssb_during_year`). One row is kept; nothing is lost. By source: " +
              ", ".join(f"`{s}` {n}" for s, n in sorted(dup_by_source.items())) + ".")
    md.append("")
    md.append("<!-- left-out:end -->")
    block = "\n".join(md)
    readme = DATA_DIR / "README.md"
    if readme.exists():
        text = readme.read_text(encoding="utf-8")
        start = text.find("<!-- left-out:start")
        end = text.find("<!-- left-out:end -->")
        if start != -1 and end != -1:
            text = text[:start] + block + text[end + len("<!-- left-out:end -->"):]
            readme.write_text(text, encoding="utf-8")
    else:
        print("note: data/README.md not found; left-out block not written", file=sys.stderr)

    # 6. summary
    print(f"rows in:  {n_in}")
    print(f"rows out: {len(kept)}")
    print(f"merged duplicates (same number, same cell, same source): {len(dup_rows)}")
    print(f"corrected: {len(corrected)}")
    print(f"left out: {len(real_left)}")
    for reason, items in by_reason.items():
        print(f"  {len(items):3d}  {reason}")
    print(f"measures: {len(MEASURES)} ({len(used)} used); sources: {len(used_urls)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
