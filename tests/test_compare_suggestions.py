"""The compare field's suggestions (assets/js/dashboard.js, compareOptions), run in Node as the browser runs
them: each completes the name being typed after the last comma and keeps the names before it. The browser
test (tests/test_browser_solo_user.py) types into the field at 1920×1080."""
from __future__ import annotations

from dashboard.web.layout import region_options

from .helpers import run_dashboard_js


def options(text: str, names: list[str]) -> list[str]:
    """compareOptions(text, names) in a context with no page: the file's listeners go nowhere."""
    return run_dashboard_js([("compareOptions", [text, names], [], "")])[0]["value"]


NAMES = region_options()


def test_the_first_name_is_suggested_from_the_whole_list():
    assert options("Ber", NAMES) == NAMES


def test_after_a_comma_each_suggestion_keeps_the_names_before_it():
    got = options("Oslo (03), Ber", NAMES)
    assert got and all(o.startswith("Oslo (03), ") for o in got)
    assert "Oslo (03), Bergen (4601, 2020–)" in got and "Oslo (03), Bergen (1201, 2016–2019)" in got
    assert "Oslo (03), Oslo (03, 2016–)" not in got                  # the region chosen already is left out
    assert "Oslo (03), Oslo (0301, 2016–)" in got                    # the municipality is another region
    assert len(got) == len(NAMES) - sum(1 for n in NAMES if n.startswith("Oslo (03,"))


def test_names_typed_without_codes_and_semicolons_are_kept_as_typed():
    """The text before the name being typed stays exactly as typed, spaces too: the browser offers an option
    only where it starts with what is in the field."""
    got = options("oslo;  Vestland (46),ber", NAMES)
    assert all(o.startswith("oslo;  Vestland (46),") for o in got)
    assert not any(o.endswith(("Oslo (03, 2016–)", "Vestland (46, 2020–)")) for o in got)
    assert "oslo;  Vestland (46),Bergen (4601, 2020–)" in got
    assert "Oslo (03),   Bergen (4601, 2020–)" in options("Oslo (03),   Ber", NAMES)


def test_eight_names_are_the_most_and_nothing_more_is_suggested():
    eight = ", ".join(["03", "11", "15", "18", "31", "32", "33", "34"]) + ", "
    assert options(eight, NAMES) == []
    assert len(options(eight.rsplit(",", 2)[0] + ", ", NAMES)) > 800     # seven: the others are offered
