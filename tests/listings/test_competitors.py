"""Competitor tracking (docs/rules/listings.md#competitors): a sequence of competitor-snapshot imports raises
each change's to-do exactly once (re-importing fires nothing), title diffs by words, main-image changes by
perceptual hash (a resized re-encoded copy is no change, another picture is), the price band, the events on
the GMV explanation, the API/CLI JSON, permissions, and a new shop built only from imports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from PIL import Image, ImageDraw

from shopops.analytics.selectors.timeline import timeline_events
from shopops.catalog.models import Listing
from shopops.channels.services import channel_accounts_create_defaults
from shopops.core.middleware import SHOP_SESSION_KEY
from shopops.core.services import shop_create
from shopops.imports.services import import_job_create
from shopops.imports.tasks import import_job_task
from shopops.listings import rivalry
from shopops.listings.models import Competitor, CompetitorEvent, CompetitorItem
from shopops.listings.selectors import competitors as sel
from shopops.listings.services import competitors as svc
from shopops.listings.tokens import ShopTokenizer
from shopops.reports.models import TodoItem

HEADER = ["日期", "店铺", "商品ID", "标题", "价格", "到手价", "销量", "评价数", "排名", "链接"]
D0 = dt.date(2026, 11, 1)
RIVAL = "对手旗舰店"


@pytest.fixture(autouse=True)
def lake(settings, tmp_path):
    settings.SHOPOPS_LAKE_URI = str(tmp_path / "lake")


def _row(day: int, price: str, promo: str = "", title: str = "保温杯 316不锈钢 大容量", item: str = "9001") -> list[str]:
    return [(D0 + dt.timedelta(days=day)).isoformat(), RIVAL, item, title, price, promo, "120", "300", "5",
            f"https://item.example.com/{item}"]


def _import(shop, tmp_path: Path, rows: list[list[str]], name: str = "snap") -> dict:
    path = tmp_path / f"{name}.csv"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([HEADER, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    out = io.StringIO()
    call_command("import", "competitor-snapshot", str(path), "--shop", shop.code, "--no-warm-up", "--json",
                 stdout=out)
    return json.loads(out.getvalue())


def _todos(shop) -> list[TodoItem]:
    return list(TodoItem.objects.filter(shop=shop, source=svc.TODO_SOURCE).order_by("key"))


def _our_listing(shop) -> tuple[Listing, int]:
    listing = Listing.objects.filter(shop=shop).order_by("id").first()
    ours = sel.ours_for(shop=shop, listings=[listing])
    return listing, ours.price_fen


def _yuan(fen: int) -> str:
    return f"{fen / 100:.2f}"


def test_a_backlog_of_snapshots_puts_old_changes_on_the_timeline_and_only_recent_ones_in_the_todos(shop, tmp_path):
    """A year of snapshots imported at once: every change is an event, only those within ALERT_DAYS of the newest
    observation are to-dos (docs/rules/listings.md#competitors)."""
    rows = [_row(0, "99.00"), _row(1, "99.00", title="保温杯 新款"),  # an old title change
            _row(svc.ALERT_DAYS + 10, "99.00", title="保温杯 新款 送杯套")]  # a recent one
    _import(shop, tmp_path, rows)
    item = CompetitorItem.objects.get(shop=shop, item_id="9001")
    assert sorted(e.date for e in CompetitorEvent.objects.filter(item=item, kind="title")) == [
        D0 + dt.timedelta(days=1), D0 + dt.timedelta(days=svc.ALERT_DAYS + 10)]
    assert [t.due_date for t in _todos(shop)] == [D0 + dt.timedelta(days=svc.ALERT_DAYS + 10)]


def test_each_change_fires_once_over_a_snapshot_sequence(shop, tmp_path):
    listing, ours = _our_listing(shop)
    above, below = _yuan(ours + 1000), _yuan(ours - 100)
    rows = [_row(0, above)]
    first = _import(shop, tmp_path, rows)
    assert first["competitors"]["items_created"] == 1
    item = CompetitorItem.objects.get(shop=shop, item_id="9001")
    item.rivals.set([listing])
    assert _todos(shop) == []  # the first observation is the baseline

    rows.append(_row(1, above, promo=_yuan(ours + 500)))  # a promotion appears
    rows.append(_row(2, below, promo="", title="保温杯 316不锈钢 大容量 送杯套"))  # below our price, title change
    _import(shop, tmp_path, rows)
    kinds = sorted(t.data["kind"] for t in _todos(shop))
    assert kinds == ["below_price", "promo", "title"]

    _import(shop, tmp_path, rows)  # the same snapshots again: nothing new
    assert len(_todos(shop)) == 3
    assert svc.competitor_changes_detect(shop=shop) == {"items_created": 0}

    rows.append(_row(3, below, title="保温杯 316不锈钢 大容量 送杯套"))  # still below: no new to-do
    rows.append(_row(4, above, title="保温杯 316不锈钢 大容量 送杯套"))  # back above
    rows.append(_row(5, below, title="保温杯 316不锈钢 大容量 送杯套"))  # below again: a new change
    _import(shop, tmp_path, rows)
    todos = _todos(shop)
    assert sorted(t.data["kind"] for t in todos) == ["below_price", "below_price", "promo", "title"]
    title = next(t for t in todos if t.data["kind"] == "title")
    assert "".join(title.data["added"]) == "送杯套"
    assert title.data["removed"] == []
    assert CompetitorEvent.objects.filter(item=item).count() == 4


def test_title_diff_by_words_keeps_protected_words_whole():
    tokenizer = ShopTokenizer(["BZ-YQ1722"])
    diff = rivalry.title_diff("BZ-YQ1722 保温杯 大容量", "BZ-YQ1722 保温杯 便携 小巧", tokenizer)
    assert diff["removed"] == ["大容量"]
    assert "便携" in diff["added"] and "BZ-YQ1722" not in diff["added"] + diff["removed"]


def test_a_promo_drop_and_the_floor_fire_once():
    tokenizer = ShopTokenizer()
    ours = rivalry.Ours(price_fen=10_000, floor_fen=8_000)
    obs = [rivalry.Observation(D0, "t", 12_000, None), rivalry.Observation(D0 + dt.timedelta(1), "t", 12_000, 9_000),
           rivalry.Observation(D0 + dt.timedelta(2), "t", 12_000, 7_900),
           rivalry.Observation(D0 + dt.timedelta(3), "t", 12_000, 7_900)]
    seen, found = rivalry.changes(rivalry.Seen(), obs, ours, tokenizer)
    assert [(c.date.day, c.kind) for c in found] == [(2, "promo"), (2, "below_price"), (3, "promo"),
                                                      (3, "below_floor")]
    again, more = rivalry.changes(seen, obs, ours, tokenizer)
    assert more == [] and again == seen


def _picture(kind: str) -> Image.Image:
    image = Image.new("RGB", (800, 800), "white")
    draw = ImageDraw.Draw(image)
    if kind == "cup":
        draw.rectangle((250, 150, 550, 700), fill=(30, 60, 160))
        draw.ellipse((540, 300, 700, 500), outline=(30, 60, 160), width=30)
    else:
        draw.polygon([(100, 700), (400, 100), (700, 700)], fill=(200, 40, 40))
        draw.rectangle((0, 0, 200, 200), fill=(0, 0, 0))
    return image


def _bytes(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def test_a_resized_reencoded_copy_is_no_change_and_another_picture_is(shop):
    competitor = svc.competitor_save(shop=shop, data={"name": "图片对手", "channel": "tmall"})
    item = svc.competitor_item_save(competitor=competitor, data={"item_id": "img-1"})
    first = svc.image_add(item=item, content=_bytes(_picture("cup"), "PNG"), file_name="a.png", day=D0)
    assert not first.changed and first.distance is None
    copy = _picture("cup").resize((430, 430)).convert("RGB")
    same = svc.image_add(item=item, content=_bytes(copy, "JPEG", quality=60), file_name="a.jpg",
                         day=D0 + dt.timedelta(1))
    assert not same.changed and same.distance <= rivalry.PHASH_SAME_MAX
    other = svc.image_add(item=item, content=_bytes(_picture("other"), "PNG"), file_name="b.png",
                          day=D0 + dt.timedelta(2))
    assert other.changed and other.distance > rivalry.PHASH_SAME_MAX
    assert [t.data["kind"] for t in _todos(shop)] == ["image"]
    with pytest.raises(svc.InvalidInput):
        svc.image_add(item=item, content=b"not an image", file_name="x.txt")


def test_price_band():
    assert rivalry.price_band([]) is None
    assert rivalry.price_band([300, 100, 200]) == {"min": 100, "median": 200, "max": 300, "count": 3}
    assert rivalry.price_band([100, 201, 300, 400])["median"] == 250


def test_events_show_on_the_gmv_explanation(shop, tmp_path, client_as):
    listing, ours = _our_listing(shop)
    rows = [_row(0, _yuan(ours + 1000))]
    _import(shop, tmp_path, rows)
    CompetitorItem.objects.get(shop=shop, item_id="9001").rivals.set([listing])
    rows.append(_row(1, _yuan(ours - 1)))
    _import(shop, tmp_path, rows)
    day = D0 + dt.timedelta(1)
    events = timeline_events(shop=shop, date_from=day, date_to=day)
    assert [(e.source, e.date) for e in events] == [("competitor", day)]
    assert RIVAL in events[0].subject
    page = client_as("operator").get("/analytics/gmv-explain/panel/", {"from": day.isoformat(), "to": day.isoformat()})
    assert page.status_code == 200
    text = page.content.decode()
    assert RIVAL in text and "data-panel=\"timeline\"" in text


def test_api_and_cli_json(shop, tmp_path, api_as):
    _import(shop, tmp_path, [_row(0, "59.90", promo="49.90"), _row(1, "59.90", promo="45.00")])
    listed = api_as("viewer").get("/api/v1/competitors")
    assert listed.status_code == 200
    (rival,) = [c for c in listed.json() if c["name"] == RIVAL]
    (item,) = rival["items"]
    assert item["latest"]["price"] == "59.90" and item["latest"]["promo_price"] == "45.00"
    assert item["changes"] == ["promo"]
    one = api_as("viewer").get(f"/api/v1/competitors/{rival['id']}")
    assert one.json() == rival
    timeline = api_as("viewer").get(f"/api/v1/competitors/{rival['id']}/items/{item['id']}/timeline").json()
    assert [p["promo_price"] for p in timeline["points"]] == ["49.90", "45.00"]
    assert [e["kind"] for e in timeline["events"]] == ["promo"]
    assert api_as("viewer").get(f"/api/v1/competitors/{rival['id']}/items/999999/timeline").status_code == 404
    out = io.StringIO()
    call_command("competitors", "--shop", shop.code, "--json", stdout=out)
    assert [c for c in json.loads(out.getvalue()) if c["name"] == RIVAL] == [rival]
    refreshed = io.StringIO()
    call_command("competitors", "--shop", shop.code, "--refresh", "--json", stdout=refreshed)
    assert json.loads(refreshed.getvalue())["detected"] == {"items_created": 0}


def test_permissions(shop, api_as, client_as):
    assert api_as("viewer").post("/api/v1/competitors", {"name": "x"}, content_type="application/json"
                                 ).status_code == 403
    made = api_as("operator").post("/api/v1/competitors", {"name": "新对手", "channel": "jd"},
                                   content_type="application/json")
    assert made.status_code == 201 and made.json()["items"] == []
    bad = api_as("operator").post("/api/v1/competitors", {"name": "", "channel": "nope"},
                                  content_type="application/json")
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"name", "channel"}
    assert client_as("viewer").get("/competitors/add/").status_code == 403
    assert client_as("viewer").get("/competitors/").status_code == 200
    page = client_as("operator").post("/competitors/add/", {"name": "<b>恶意</b>", "channel": "tmall"})
    assert page.status_code == 302
    rival = Competitor.objects.get(shop=shop, name="<b>恶意</b>")
    listing = client_as("viewer").get("/competitors/")
    assert "&lt;b&gt;恶意&lt;/b&gt;" in listing.content.decode() and "<b>恶意</b>" not in listing.content.decode()
    assert client_as("viewer").post(f"/competitors/{rival.pk}/items/add/", {"item_id": "1"}).status_code == 403


def test_a_new_shop_built_only_from_imports(tmp_path, client_as, user_of):
    fresh = shop_create(code="fresh-rivals", name="新店")
    channel_accounts_create_defaults(shop=fresh)
    summary = _import(fresh, tmp_path, [_row(0, "59.90"), _row(0, "88.00", item="9002"),
                                        _row(1, "55.00", promo="50.00")])
    assert summary["status"] == "done" and summary["competitors"]["items_created"] == 2
    (rival,) = sel.competitors_json(shop=fresh)
    assert rival["name"] == RIVAL and rival["channel"] == "tmall"
    assert {i["item_id"]: i["latest"]["price"] for i in rival["items"]} == {"9001": "55.00", "9002": "88.00"}
    assert [t.data["kind"] for t in _todos(fresh)] == ["promo"]
    user = user_of("operator")
    user.shop_memberships.create(shop=fresh)
    client = client_as("operator")
    session = client.session
    session[SHOP_SESSION_KEY] = fresh.pk
    session.save()
    item = CompetitorItem.objects.get(shop=fresh, item_id="9001")
    page = client.get(f"/competitors/{rival['id']}/items/{item.pk}/")
    assert page.status_code == 200 and "timeline-data" in page.content.decode()
    assert "对手旗舰店" in client.get("/competitors/").content.decode()


def test_pages_render(shop, tmp_path, client_as):
    listing, ours = _our_listing(shop)
    _import(shop, tmp_path, [_row(0, _yuan(ours + 100)), _row(1, _yuan(ours - 100), promo=_yuan(ours - 200))])
    item = CompetitorItem.objects.get(shop=shop, item_id="9001")
    item.rivals.set([listing])
    client = client_as("viewer")
    for url in ("/competitors/", f"/competitors/{item.competitor_id}/",
                f"/competitors/{item.competitor_id}/items/{item.pk}/", f"/competitors/rivals/{listing.pk}/"):
        assert client.get(url).status_code == 200, url
    fragment = client.get(f"/competitors/rivals/{listing.pk}/").content.decode()
    assert RIVAL in fragment
    operator = client_as("operator")
    assert operator.get(f"/competitors/{item.competitor_id}/items/{item.pk}/edit/").status_code == 200
    saved = operator.post(f"/competitors/{item.competitor_id}/items/{item.pk}/observations/",
                          {"date": (D0 + dt.timedelta(2)).isoformat(), "price": "abc"})
    assert saved.status_code == 302
    assert not item.observations.exists()
    operator.post(f"/competitors/{item.competitor_id}/items/{item.pk}/observations/",
                  {"date": (D0 + dt.timedelta(2)).isoformat(), "price": _yuan(ours + 500), "title": "手填标题"})
    points = sel.item_observations(item)
    assert [p.source for p in points] == ["import", "import", "manual"]


def test_a_web_upload_runs_the_detection_in_the_worker(shop, tmp_path):
    """The worker's import task is followed by the detection task (tests run huey's tasks at once)."""
    path = tmp_path / "worker.csv"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([HEADER, _row(0, "60.00"), _row(1, "60.00", promo="50.00")])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    job = import_job_create(shop=shop, format_name="competitor-snapshot", path=str(path))
    with mock.patch("shopops.imports.tasks.analytics_warm_up", return_value={}):
        import_job_task(job.pk)
    assert CompetitorItem.objects.filter(shop=shop, item_id="9001").exists()
    assert [t.data["kind"] for t in _todos(shop)] == ["promo"]


def test_bad_hand_input_says_which_field_and_changes_nothing(shop):
    competitor = svc.competitor_save(shop=shop, data={"name": "手填对手"})
    item = svc.competitor_item_save(competitor=competitor, data={"item_id": "h-1"})
    with pytest.raises(svc.InvalidInput) as info:
        svc.observation_add(item=item, data={"date": "2026-13-01", "price": "1.234", "reviews": "-3"})
    assert {e.field for e in info.value.errors} == {"date", "price", "reviews"}
    with pytest.raises(svc.InvalidInput) as info:
        svc.competitor_item_save(competitor=competitor, data={"item_id": "h-2", "url": "javascript:alert(1)"})
    assert {e.field for e in info.value.errors} == {"url"}
    assert not item.observations.exists() and competitor.items.count() == 1
