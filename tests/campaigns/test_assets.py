"""The campaign asset plan (店铺视觉): services (checked whole), to-do items for open assets, the campaign page's
section (add / edit / status, overdue highlighted, Chinese labels), the API and who may do what."""

from __future__ import annotations

import datetime as dt

import pytest

from shopops.campaigns import services
from shopops.campaigns.models import CampaignAsset
from shopops.catalog.selectors import skus_by_code
from shopops.channels.selectors import channel_account_names
from shopops.channels.services import channel_accounts_create_defaults
from shopops.core.errors import InvalidInput
from shopops.core.models import User
from shopops.core.services import roles_sync, shop_create, user_create
from shopops.demo.seed_campaigns import campaigns_demo_seed
from shopops.imports.formats.samples import SampleLine, SampleOrder, write_order_sample
from shopops.imports.services import import_job_create, import_job_run, import_summary
from shopops.reports.models import TodoItem
from tests.campaigns.test_campaigns import plan

YESTERDAY = dt.date.today() - dt.timedelta(days=1)


@pytest.fixture
def campaign(shop):
    return services.campaign_save(shop=shop, data=plan(sorted(skus_by_code(shop=shop))[:3]))


def _todo(campaign, asset):
    return TodoItem.objects.get(shop=campaign.shop, source="campaign", key=f"asset:{campaign.pk}:{asset.pk}")


def test_an_open_asset_is_a_to_do_item_of_its_owner_until_done_or_cancelled(campaign, user_of):
    asset = services.campaign_asset_add(campaign=campaign, kind="banner", title="首页头图", channel="tmall",
                                        owner=user_of("operator"), due_date=dt.date(2026, 10, 14))
    todo = _todo(campaign, asset)
    assert todo.status == "open" and todo.assignee == user_of("operator")
    assert str(todo.due_date) == "2026-10-14" and "首页头图" in todo.title
    services.campaign_asset_set_status(asset=asset, status="in_progress")
    assert _todo(campaign, asset).status == "open"
    services.campaign_asset_set_status(asset=asset, status="done")
    assert _todo(campaign, asset).status == "done"
    services.campaign_asset_set_status(asset=asset, status="planned")  # reopened
    assert _todo(campaign, asset).status == "open"
    services.campaign_asset_update(asset=asset, status="cancelled")
    assert _todo(campaign, asset).status != "open"


def test_an_unowned_asset_goes_to_the_operators(campaign):
    asset = services.campaign_asset_add(campaign=campaign, kind="detail_page", title="详情页更新")
    todo = _todo(campaign, asset)
    assert todo.assignee is None and todo.role == "operator"


def test_bad_input_names_every_field_and_saves_nothing(campaign):
    stranger = User.objects.create(username="stranger-asset")
    with pytest.raises(InvalidInput) as caught:
        services.campaign_asset_add(campaign=campaign, kind="poster", title=" ", channel="myspace",
                                    owner=stranger, status="lost", note="x" * 501)
    assert {e.field for e in caught.value.errors} == {"kind", "title", "channel", "owner", "status", "note"}
    assert not CampaignAsset.objects.filter(campaign=campaign).exists()
    asset = services.campaign_asset_add(campaign=campaign, title="主图")
    with pytest.raises(InvalidInput):
        services.campaign_asset_update(asset=asset, status="finished", title="新主图")
    asset.refresh_from_db()
    assert asset.title == "主图" and asset.status == "planned"


def test_the_page_shows_the_plan_in_chinese_with_overdue_assets_highlighted(client_as, campaign, user_of):
    services.campaign_asset_add(campaign=campaign, kind="main_image", title="白底图补拍", channel="tmall",
                                owner=user_of("operator"), due_date=YESTERDAY - dt.timedelta(days=3),
                                status="in_progress")
    services.campaign_asset_add(campaign=campaign, kind="banner", title="已完成头图",
                                due_date=YESTERDAY - dt.timedelta(days=3), status="done")
    page = client_as("viewer").get(f"/campaigns/{campaign.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'id="assets"' in page and "白底图补拍" in page and "天猫" in page
    assert page.count('class="overdue"') == 1  # the done one is not overdue
    assert 'name="action" value="add"' not in page.split('id="assets"')[1].split("</section>")[0]  # viewer: read only


def test_page_forms_add_edit_and_move_status(client_as, campaign, user_of):
    url = f"/campaigns/{campaign.pk}/assets/"
    operator = client_as("operator")
    response = operator.post(url, {"action": "add", "kind": "banner", "title": "会场 banner", "channel": "jd",
                                   "owner": user_of("service").pk, "due_date": "2026-10-10", "note": "尺寸 1920×600"})
    assert response.status_code == 302 and response["Location"].endswith("#assets")
    asset = CampaignAsset.objects.get(campaign=campaign)
    assert (asset.kind, asset.channel, asset.owner, asset.note) == ("banner", "jd", user_of("service"), "尺寸 1920×600")
    operator.post(url, {"action": "edit", "asset": asset.pk, "kind": "banner", "title": "会场 banner v2",
                        "channel": "", "owner": user_of("service").pk, "due_date": "2026-10-12", "note": ""})
    asset.refresh_from_db()
    assert asset.title == "会场 banner v2" and asset.channel == "" and str(asset.due_date) == "2026-10-12"
    # the owner (客服 here, who may not change campaigns) may move the status, not edit or add
    service = client_as("service")
    assert service.post(url, {"action": "status", "asset": asset.pk, "status": "in_progress"}).status_code == 302
    assert service.post(url, {"action": "edit", "asset": asset.pk, "title": "x"}).status_code == 403
    assert service.post(url, {"action": "add", "title": "x"}).status_code == 403
    asset.refresh_from_db()
    assert asset.status == "in_progress" and asset.title == "会场 banner v2"
    assert client_as("viewer").post(url, {"action": "status", "asset": asset.pk,
                                          "status": "done"}).status_code == 403
    bad = operator.post(url, {"action": "add", "title": ""}, follow=True)
    assert CampaignAsset.objects.filter(campaign=campaign).count() == 1 and bad.status_code == 200


def test_api_lists_adds_and_patches_assets(api_as, campaign):
    base = f"/api/v1/campaigns/{campaign.pk}/assets"
    created = api_as("operator").post(base, {"kind": "main_image", "title": "主图 活动版", "channel": "tmall",
                                             "owner": "operator", "due_date": "2020-01-01"},
                                      content_type="application/json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["owner"] == "operator" and body["status"] == "planned" and body["overdue"] is True
    listed = api_as("viewer").get(base).json()
    assert listed["count"] == 1 and listed["items"][0]["title"] == "主图 活动版"
    patched = api_as("operator").patch(f"{base}/{body['id']}", {"status": "done", "owner": None},
                                       content_type="application/json")
    assert patched.status_code == 200, patched.json()
    assert patched.json()["status"] == "done" and patched.json()["owner"] is None
    assert patched.json()["overdue"] is False and patched.json()["title"] == "主图 活动版"


@pytest.mark.parametrize(("payload", "field"), [({"title": "x", "owner": "nobody"}, "owner"),
                                                ({"title": "x", "status": "lost"}, "status"),
                                                ({"title": "x", "kind": "poster"}, "kind")])
def test_api_rejects_bad_fields_with_422_naming_them(api_as, campaign, payload, field):
    response = api_as("admin").post(f"/api/v1/campaigns/{campaign.pk}/assets", payload,
                                    content_type="application/json")
    assert response.status_code == 422
    assert field in str(response.json())
    assert not CampaignAsset.objects.filter(campaign=campaign).exists()


def test_api_permissions(api_as, campaign):
    base = f"/api/v1/campaigns/{campaign.pk}/assets"
    assert api_as("viewer").post(base, {"title": "x"}, content_type="application/json").status_code == 403
    asset = services.campaign_asset_add(campaign=campaign, title="主图")
    assert api_as("viewer").patch(f"{base}/{asset.pk}", {"status": "done"},
                                  content_type="application/json").status_code == 403
    assert api_as("operator").patch(f"{base}/999999", {"status": "done"},
                                    content_type="application/json").status_code == 404


def test_the_demo_campaigns_get_an_asset_plan_with_owners_and_one_overdue_asset(shop):
    end = dt.date(2026, 11, 20)
    seeded = campaigns_demo_seed(shop=shop, end_date=end)
    past = CampaignAsset.objects.filter(campaign_id=seeded["past"])
    upcoming = CampaignAsset.objects.filter(campaign_id=seeded["upcoming"])
    assert past.count() >= 4 and set(past.values_list("status", flat=True)) == {"done"}
    assert all(a.owner_id and a.due_date for a in [*past, *upcoming])
    overdue = [a for a in upcoming if a.due_date <= end and a.status in ("planned", "in_progress")]
    assert len(overdue) == 1 and overdue[0].status == "in_progress"
    open_todos = TodoItem.objects.filter(shop=shop, source="campaign", key__startswith=f"asset:{seeded['upcoming']}:",
                                         status="open")
    assert open_todos.count() == upcoming.exclude(status__in=["done", "cancelled"]).count() >= 1


def test_the_asset_plan_works_in_a_shop_built_only_from_imports(db, tmp_path, client):
    """A new shop with nothing but an imported order file: a campaign gets its asset plan, page and to-dos."""

    roles_sync()
    shop = shop_create(code="imported-assets", name="花间")
    channel_accounts_create_defaults(shop=shop)
    owner = user_create(username="huajian-admin", password="Admin-pass-2026", role="admin", shops=[shop],
                        validate=False)
    paid = dt.datetime(2026, 10, 1, 10, tzinfo=dt.UTC)
    orders = tmp_path / "orders.csv"
    write_order_sample("taobao-orders", orders, [SampleOrder(
        order_no="9001", buyer="tb_a", placed_at=paid, paid_at=paid, status="paid", paid_fen=9900, shipping_fen=0,
        lines=(SampleLine("TEE-1", "T恤", 9900, 1),))])
    account = next(name for name in channel_account_names(shop=shop) if "天猫" in name or "tmall" in name.lower())
    job = import_job_create(shop=shop, format_name="taobao-orders", path=str(orders), channel_account=account)
    assert import_summary(import_job_run(job_id=job.pk))["status"] == "done"
    campaign = services.campaign_save(shop=shop, data={
        "name": "双11 花间", "warmup_start": "2026-10-20", "main_start": "2026-10-31", "main_end": "2026-11-11",
        "return_end": "2026-11-12", "channels": ["tmall"]})
    asset = services.campaign_asset_add(campaign=campaign, kind="banner", title="会场 banner", owner=owner,
                                        due_date=dt.date(2020, 1, 1))
    assert _todo(campaign, asset).assignee == owner
    client.force_login(owner)
    page = client.get(f"/campaigns/{campaign.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "会场 banner" in page and 'class="overdue"' in page
