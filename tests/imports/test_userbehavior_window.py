"""A UserBehavior file whose rows all fall outside the dataset's window is refused, saying which window, the
file's own dates and how to widen it (docs/rules/platforms.md#tianchi-userbehavior-dataset); widened, it
imports."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopops.imports.filetypes import ReadError
from shopops.imports.formats import FORMATS
from shopops.imports.lake_import import import_lake_file
from shopops.imports.services import import_job_create, import_job_run
from shopops.lake.storage import table_version
from shopops.lake.tables import EVENTS

JAN_1_2018 = 1514764800  # 08:00 in Asia/Shanghai


@pytest.fixture(autouse=True)
def lake(settings, tmp_path):
    settings.SHOPOPS_LAKE_URI = str(tmp_path / "lake")


def _file(tmp_path: Path, stamps: list[int]) -> Path:
    path = tmp_path / "ub.csv"
    path.write_text("".join(f"{i},{100 + i},7,{'buy' if i % 5 == 0 else 'pv'},{s}\n"
                            for i, s in enumerate(stamps, start=1)))
    return path


def _run(path: Path, **options: str):
    return import_lake_file(shop_id=1, fmt=FORMATS["taobao-userbehavior"], path=str(path), channel_account_id=None,
                            channel="taobao", skip_invalid=False, dry_run=False, options=options)


def test_every_row_outside_the_window_rejects_the_file(tmp_path):
    path = _file(tmp_path, [JAN_1_2018 + 3600 * i for i in range(25)])
    with pytest.raises(ReadError) as refused:
        _run(path)
    text = str(refused.value.text)
    assert "2017-11-25..2017-12-03" in text and "25 of 25" in text and "2018-01-01..2018-01-02" in text
    assert "--date-from" in text and "--date-to" in text
    assert table_version(EVENTS) is None  # nothing written
    widened = _run(path, date_from="2018-01-01", date_to="2018-01-02")
    assert widened.inserted == 25 and widened.skipped == 0


def test_some_rows_inside_is_still_an_import_with_the_rest_skipped(tmp_path):
    inside = 1511740800  # 2017-11-27
    result = _run(_file(tmp_path, [inside, JAN_1_2018, JAN_1_2018]))
    assert result.inserted == 1 and result.skipped == 2 and result.written


def test_the_job_fails_with_the_message_and_writes_nothing(shop, tmp_path):
    path = _file(tmp_path, [JAN_1_2018] * 25)
    job = import_job_run(job_id=import_job_create(shop=shop, format_name="taobao-userbehavior",
                                                  path=str(path)).pk)
    assert job.status == "rejected" and job.inserted == 0
    assert len(job.errors) == 1 and job.errors[0]["column"] == "file"
    assert "2017-11-25" in job.errors[0]["message"] and "2017-12-03" in job.errors[0]["message"]
    assert table_version(EVENTS) is None
