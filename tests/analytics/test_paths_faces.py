"""Paths through the API, the page (Sankey data, tables, xlsx; empty lake) and the CLI."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from tests.analytics.behaviour_data import PATH_ROWS
from tests.analytics.faces import lake  # noqa: F401

pytestmark = pytest.mark.django_db
URL = "/api/v1/analytics/paths"
DAY = {"from": "2026-11-01", "to": "2026-11-01"}


def test_api_answers_paths_and_edges(api_as, lake):  # noqa: F811
    lake(PATH_ROWS)
    data = api_as("ads").get(URL, DAY).json()
    assert data["sessions"] == 5 and data["paths"][0] == {"steps": ["pv", "cart", "buy"], "sessions": 2, "share": 0.4}
    assert {"step": 1, "source": "pv", "target": "cart", "sessions": 3} in data["edges"]


@pytest.mark.parametrize(("params", "field"), [({**DAY, "limit": "-1"}, "limit"), ({**DAY, "start": "%%"}, "start"),
                                               ({"from": "2026-11-02", "to": "2026-11-01"}, "to")])
def test_api_bad_input_is_422_naming_the_field(api_as, lake, params, field):  # noqa: F811
    lake(PATH_ROWS)
    response = api_as("viewer").get(URL, params)
    assert response.status_code == 422 and [e["field"] for e in response.json()["errors"]] == [field]


def test_page_sankey_table_xlsx_and_empty_lake(client_as, lake):  # noqa: F811
    lake(PATH_ROWS)
    client = client_as("operator")
    html = client.get("/analytics/paths/", DAY).content.decode()
    chart = json.loads(html.split('id="paths-data" type="application/json">')[1].split("</script>")[0])
    assert len(chart["source"]) == len(chart["target"]) == len(chart["value"]) == 7 + 3  # + where sessions end
    assert 'id="paths-chart"' in html
    xlsx = client.get("/analytics/paths/", {**DAY, "export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    lake([])
    empty = client.get("/analytics/paths/")
    assert empty.status_code == 200 and "paths-data" not in empty.content.decode()


def test_cli(lake, capsys):  # noqa: F811
    lake(PATH_ROWS)
    call_command("paths", "--from", "2026-11-01", "--to", "2026-11-01", "--start", "cart", "--json")
    assert json.loads(capsys.readouterr().out)["paths"][0]["steps"] == ["cart", "buy"]
    with pytest.raises(CommandError) as caught:
        call_command("paths", "--from", "2026-11-01", "--to", "nope")
    assert caught.value.returncode == 2
