"""The import API (202 + job, then status/summary) and the web page (upload → progress → summary, errors xlsx)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from shopops.imports.services import export_sample


def _sample(shop, tmp_path, name="jd-orders") -> bytes:
    path = tmp_path / f"{name}.csv"
    export_sample(shop=shop, format_name=name, path=str(path), limit=20)
    return path.read_bytes()


def test_api_upload_returns_202_and_the_job_reports_its_summary(api_as, shop, tmp_path,
                                                                django_capture_on_commit_callbacks):
    client = api_as("operator")
    data = _sample(shop, tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/imports", {"format": "jd-orders",
                                                   "file": SimpleUploadedFile("jd.csv", data, "text/csv")})
    assert response.status_code == 202, response.content
    job = response.json()["job"]
    status = client.get(f"/api/v1/imports/{job}").json()
    assert status["status"] == "done" and status["progress"] == 1.0
    assert status["rows"] > 0 and status["errors"] == []
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post("/api/v1/imports", {"format": "jd-orders",
                                                "file": SimpleUploadedFile("jd.csv", data, "text/csv")}).json()["job"]
    assert client.get(f"/api/v1/imports/{again}").json()["unchanged"] == status["rows"]
    listed = client.get("/api/v1/imports").json()
    assert listed["count"] >= 2


def test_api_rejects_bad_requests_as_json(api_as, shop, tmp_path):
    client = api_as("operator")
    unknown = client.post("/api/v1/imports", {"format": "nope", "file": SimpleUploadedFile("a.csv", b"a,b\n1,2\n")})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "format"
    assert client.get("/api/v1/imports/999999").status_code == 404
    ads = api_as("ads").post("/api/v1/imports", {"format": "jd-orders",
                                                 "file": SimpleUploadedFile("jd.csv", _sample(shop, tmp_path))})
    assert ads.status_code == 403  # the ads role imports ad reports, not orders


def test_web_upload_shows_summary_and_errors_xlsx(client_as, shop, tmp_path, django_capture_on_commit_callbacks):
    client = client_as("operator")
    data = _sample(shop, tmp_path).decode("gbk").splitlines()
    header = data[0].split(",")
    qty = header.index("订购数量")
    row = data[1].split(",")
    row[qty] = "-1"
    data[1] = ",".join(row)
    body = ("\r\n".join(data) + "\r\n").encode("gbk")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/imports/new/", {"format": "jd-orders", "file": SimpleUploadedFile("jd.csv", body)})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-status="rejected"' in text and "订购数量" in text
    errors = client.get(response["Location"] + "errors.xlsx")
    assert errors.status_code == 200 and errors["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "jd.csv" in client.get("/imports/").content.decode()


def test_web_upload_without_file_explains(client_as):
    response = client_as("operator").post("/imports/new/", {"format": "jd-orders"})
    assert response.status_code == 422
