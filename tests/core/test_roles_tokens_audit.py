"""Roles are Django groups with exactly the permissions of core.roles; tokens are stored hashed; audit log."""

import pytest
from django.contrib.auth.models import Group

from shopops.core import roles
from shopops.core.errors import Conflict, InvalidInput
from shopops.core.models import ApiToken, AuditEntry
from shopops.core.selectors import token_find, user_role
from shopops.core.services import roles_sync, token_create, token_revoke, user_create, user_set_role


def test_groups_hold_exactly_the_declared_permissions(db):
    roles_sync()
    for role, perms in roles.ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert held == set(perms), role


def test_service_role_cannot_touch_prices_or_costs(db):
    assert roles.CHANGE_PRICES not in roles.ROLE_PERMISSIONS[roles.SERVICE]
    assert roles.VIEW_COSTS not in roles.ROLE_PERMISSIONS[roles.SERVICE]
    assert all(p.split(".")[1].startswith("view_") for p in roles.ROLE_PERMISSIONS[roles.VIEWER])


def test_user_create_validates_and_audits(shop, user_of):
    with pytest.raises(InvalidInput) as bad_role:
        user_create(username="x1", password="Long-enough-9", role="boss", shops=[shop])
    assert bad_role.value.errors[0].field == "role"
    with pytest.raises(InvalidInput) as weak:
        user_create(username="x2", password="123", role=roles.VIEWER, shops=[shop])
    assert weak.value.errors[0].field == "password"
    with pytest.raises(Conflict):
        user_create(username="operator", password="Long-enough-9", role=roles.VIEWER, shops=[shop])
    admin = user_of(roles.ADMIN)
    user = user_create(username="newbie", password="Long-enough-9", role=roles.VIEWER, shops=[shop], actor=admin)
    user_set_role(user=user, role=roles.OPERATOR, actor=admin)
    assert user_role(user=user) == roles.OPERATOR
    actions = list(AuditEntry.objects.filter(object_type="user", object_id=str(user.pk)).values_list("action", "changes"))
    assert ("user.role", {"role": [roles.VIEWER, roles.OPERATOR]}) in actions


def test_tokens_are_stored_hashed_and_revocable(user_of):
    user = user_of(roles.OPERATOR)
    token, clear = token_create(user=user, name="erp")
    assert clear.startswith("sho_") and len(clear) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert clear not in (stored.key_hash, stored.prefix) and len(stored.key_hash) == 64
    assert token_find(clear=clear).user == user
    assert token_find(clear=clear + "x") is None
    token_revoke(token=token)
    assert token_find(clear=clear) is None


def test_audit_page_shows_user_events_of_this_shop_only(client_as, shop):
    from shopops.core.services import shop_create

    other = shop_create(code="elsewhere", name="别处")
    user_create(username="here-user", password="Long-enough-9", role=roles.VIEWER, shops=[shop])
    user_create(username="there-user", password="Long-enough-9", role=roles.VIEWER, shops=[other])
    html = client_as("admin").get("/audit/").content.decode()
    assert "here-user" in html and "there-user" not in html
