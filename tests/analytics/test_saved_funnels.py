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
