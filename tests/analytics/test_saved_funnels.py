"""Saved funnels: named step lists per shop; bad input names the field and writes nothing."""

from __future__ import annotations

import pytest

from shopops.analytics.models import SavedFunnel
from shopops.analytics.services.funnels import saved_funnel_delete, saved_funnel_save
from shopops.core.errors import InvalidInput, NotFound

pytestmark = pytest.mark.django_db


def test_save_replaces_a_funnel_of_the_same_name(shop):
    first = saved_funnel_save(shop=shop, name="详情→加购→下单", steps=["pv", "cart", "buy"])
    again = saved_funnel_save(shop=shop, name="详情→加购→下单", steps=["pv", "buy"], mode="any")
    assert first.pk == again.pk and again.steps == ["pv", "buy"] and again.mode == "any"
    saved_funnel_delete(shop=shop, funnel_id=again.pk)
    assert not SavedFunnel.objects.filter(pk=again.pk).exists()
    with pytest.raises(NotFound):
        saved_funnel_delete(shop=shop, funnel_id=again.pk)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"name": "", "steps": ["pv", "buy"]}, "name"),
    ({"name": "x", "steps": ["pv"]}, "steps"),
    ({"name": "x", "steps": ["pv", "buy"], "mode": "loose"}, "mode"),
])
def test_bad_funnels_name_the_field_and_save_nothing(shop, kwargs, field):
    with pytest.raises(InvalidInput) as caught:
        saved_funnel_save(shop=shop, **kwargs)
    assert [e.field for e in caught.value.errors] == [field]
    assert not SavedFunnel.objects.filter(shop=shop).exists()


def test_a_bad_window_names_the_field(shop):
    with pytest.raises(InvalidInput) as caught:
        saved_funnel_save(shop=shop, name="x", steps=["pv", "buy"], window="forever")
    assert [e.field for e in caught.value.errors] == ["window"]


def test_the_funnel_page_saves_lists_opens_and_deletes_funnels(client_as, shop):
    operator = client_as("operator")
    response = operator.post("/analytics/funnel/save/", {"name": "详情→加购→下单", "step": ["pv", "cart", "buy"],
                                                         "window": "2h", "mode": "strict"})
    assert response.status_code == 302 and "step=pv&step=cart&step=buy&window=2h&mode=strict" in response.url
    funnel = SavedFunnel.objects.get(shop=shop, name="详情→加购→下单")
    assert funnel.steps == ["pv", "cart", "buy"] and funnel.window == "2h" and funnel.mode == "strict"
    page = operator.get("/analytics/funnel/").content.decode()
    assert "/analytics/funnel/save/" in page and "详情→加购→下单" in page and "step=pv&amp;step=cart&amp;step=buy&amp;window=2h&amp;mode=strict" in page
    bad = operator.post("/analytics/funnel/save/", {"name": "", "step": ["pv", "buy"]}, follow=True)
    assert SavedFunnel.objects.filter(shop=shop).count() == 1 and bad.status_code == 200
    assert operator.post(f"/analytics/funnel/saved/{funnel.pk}/delete/").status_code == 302
    assert not SavedFunnel.objects.filter(pk=funnel.pk).exists()


def test_the_read_only_viewer_may_not_save_funnels(client_as, shop):
    viewer = client_as("viewer")
    assert viewer.post("/analytics/funnel/save/", {"name": "x", "step": ["pv", "buy"]}).status_code == 403
    assert "/analytics/funnel/save/" not in viewer.get("/analytics/funnel/").content.decode()
    assert not SavedFunnel.objects.filter(shop=shop).exists()
