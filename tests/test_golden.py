"""/data.csv answers exactly what it answered before the one-model refactor, for a sample of views
(tests/golden: a frozen copy of the data and the answers)."""
import json
from pathlib import Path

import pytest

from dashboard.web.app import create_app

GOLDEN = Path(__file__).parent / "golden"
VIEWS = json.loads((GOLDEN / "data_csv" / "views.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def client():
    return create_app(GOLDEN / "data").server.test_client()


@pytest.mark.parametrize("query", sorted(VIEWS))
def test_data_csv_is_unchanged(client, query):
    expected = (GOLDEN / "data_csv" / f"{VIEWS[query]}.csv").read_bytes()
    got = client.get("/data.csv?" + query)
    assert got.status_code == 200
    assert got.get_data() == expected


def test_the_sample_holds_rows():
    """Most sampled views have cells, so the comparison checks numbers and not only headers."""
    with_rows = [q for q, f in VIEWS.items() if (GOLDEN / "data_csv" / f"{f}.csv").read_bytes().count(b"\n") > 1]
    assert len(with_rows) >= 20
