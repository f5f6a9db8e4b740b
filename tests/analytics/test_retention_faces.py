"""Retention through the API, the page (heatmap data, table, xlsx; empty lake) and the CLI."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from tests.analytics.behaviour_data import RETENTION_ROWS
from tests.analytics.faces import lake  # noqa: F401

pytestmark = pytest.mark.django_db
URL = "/api/v1/analytics/retention"
RANGE = {"from": "2026-11-02", "to": "2026-11-17", "period": "week"}


def test_api_answers_weekly_cohorts(api_as, lake):  # noqa: F811
    lake(RETENTION_ROWS)
    data = api_as("operator").get(URL, RANGE).json()
    assert [(c["cohort"], c["users"], [p["users"] for p in c["periods"]]) for c in data["cohorts"]] == [
        ("2026-11-02", 3, [3, 1, 2]), ("2026-11-09", 1, [1, 0])]


@pytest.mark.parametrize(("params", "field"), [({**RANGE, "period": "year"}, "period"),
                                               ({**RANGE, "cohort": "first_pv"}, "cohort")])
def test_api_bad_input_is_422_naming_the_field(api_as, lake, params, field):  # noqa: F811
    lake(RETENTION_ROWS)
    response = api_as("viewer").get(URL, params)
    assert response.status_code == 422 and [e["field"] for e in response.json()["errors"]] == [field]


def test_page_heatmap_table_xlsx_and_empty_lake(client_as, lake):  # noqa: F811
    lake(RETENTION_ROWS)
    client = client_as("viewer")
    html = client.get("/analytics/retention/", RANGE).content.decode()
    chart = json.loads(html.split('id="retention-data" type="application/json">')[1].split("</script>")[0])
    assert chart["y"] == ["2026-11-02", "2026-11-09"] and chart["z"][1] == [1.0, 0.0, None]
    xlsx = client.get("/analytics/retention/", {**RANGE, "export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    lake([])
    empty = client.get("/analytics/retention/")
    assert empty.status_code == 200 and "retention-data" not in empty.content.decode()


def test_cli(lake, capsys):  # noqa: F811
    lake(RETENTION_ROWS)
    call_command("retention", "--from", "2026-11-02", "--to", "2026-11-17", "--period", "week",
                 "--cohort", "first_buy", "--json")
    assert [c["users"] for c in json.loads(capsys.readouterr().out)["cohorts"]] == [1, 1]
    with pytest.raises(CommandError) as caught:
        call_command("retention", "--from", "2026-11-02", "--to", "2026-11-17", "--period", "month")
    assert caught.value.returncode == 2 and "period" in str(caught.value)
