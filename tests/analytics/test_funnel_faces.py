"""Funnel through the API, the page (chart, tables, xlsx; empty lake) and the CLI."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from tests.analytics.behaviour_data import FUNNEL_ROWS
from tests.analytics.faces import lake  # noqa: F401

pytestmark = pytest.mark.django_db
URL = "/api/v1/analytics/funnel"


def test_api_answers_the_funnel(api_as, lake):  # noqa: F811
    lake(FUNNEL_ROWS)
    response = api_as("viewer").get(URL, {"steps": "pv,cart,buy", "from": "2026-11-01", "to": "2026-11-02",
                                          "mode": "strict", "by": "channel"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert [r["people"] for r in data["rows"]] == [8, 5, 4]  # tests/analytics/behaviour_data.py
    assert data["mode"] == "strict" and {g["value"] for g in data["groups"]} == {"web", "app"}


@pytest.mark.parametrize(("params", "field"), [
    ({"steps": "pv", "from": "2026-11-01", "to": "2026-11-02"}, "steps"),
    ({"steps": "pv,buy", "from": "x", "to": "2026-11-02"}, "from"),
    ({"steps": "pv,buy", "from": "2026-11-01", "to": "2026-11-02", "window": "1y"}, "window"),
    ({"steps": "pv,buy", "from": "2026-11-01", "to": "2026-11-02", "mode": "fast"}, "mode"),
    ({"steps": "pv,buy", "to": "2026-11-02"}, "from"),
])
def test_api_bad_input_is_422_naming_the_field(api_as, lake, params, field):  # noqa: F811
    lake(FUNNEL_ROWS)
    response = api_as("admin").get(URL, params)
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


def test_service_role_is_refused(api_as, client_as):
    assert api_as("service").get(URL, {"steps": "pv,buy", "from": "2026-11-01", "to": "2026-11-02"}).status_code == 403
    assert client_as("service").get("/analytics/funnel/").status_code == 403


def test_page_shows_chart_table_and_exports_xlsx(client_as, lake):  # noqa: F811
    lake(FUNNEL_ROWS)
    client = client_as("operator")
    page = client.get("/analytics/funnel/", {"step": ["pv", "cart", "buy"], "from": "2026-11-01",
                                             "to": "2026-11-02", "by": "channel"})
    html = page.content.decode()
    assert page.status_code == 200 and 'id="funnel-data"' in html and 'id="funnel-chart"' in html
    assert "analytics/behaviour.js" in html and "vendor/plotly.min.js" in html
    chart = json.loads(html.split('id="funnel-data" type="application/json">')[1].split("</script>")[0])
    assert chart["series"][0]["y"] == [8, 5, 5]
    xlsx = client.get("/analytics/funnel/", {"steps": "pv,cart,buy", "from": "2026-11-01", "to": "2026-11-02",
                                             "export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_page_defaults_to_the_log_and_shows_field_errors(client_as, lake):  # noqa: F811
    lake(FUNNEL_ROWS)
    client = client_as("viewer")
    page = client.get("/analytics/funnel/")
    assert page.status_code == 200 and 'id="funnel-data"' in page.content.decode()
    bad = client.get("/analytics/funnel/", {"steps": "pv,cart", "window": "soon"})
    assert bad.status_code == 200 and "<code>window</code>" in bad.content.decode()


def test_page_on_an_empty_lake(client_as, lake):  # noqa: F811
    lake([])
    page = client_as("admin").get("/analytics/funnel/")
    assert page.status_code == 200
    assert "funnel-data" not in page.content.decode()


def test_cli_json_and_bad_input(lake, capsys):  # noqa: F811
    lake(FUNNEL_ROWS)
    call_command("funnel", "--steps", "pv,cart,buy", "--from", "2026-11-01", "--to", "2026-11-02", "--json")
    data = json.loads(capsys.readouterr().out)
    assert [r["people"] for r in data["rows"]] == [8, 5, 5]
    call_command("funnel", "--steps", "pv,cart,buy", "--from", "2026-11-01", "--to", "2026-11-02", "--mode", "any")
    assert "of previous" in capsys.readouterr().out
    with pytest.raises(CommandError) as caught:
        call_command("funnel", "--steps", "pv,cart", "--from", "2026-11-01", "--to", "2026-11-02", "--window", "9x")
    assert caught.value.returncode == 2 and "window" in str(caught.value)
