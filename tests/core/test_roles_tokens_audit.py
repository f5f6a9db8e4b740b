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


# ------------------------------------------------------------------ passwords: validated with the user, tokens die

def test_a_password_like_the_user_name_is_refused_everywhere_a_user_is_created(shop, client_as):
    """UserAttributeSimilarityValidator only works when it is given the user: every face must give it."""
    with pytest.raises(InvalidInput) as like_name:
        user_create(username="zhangwei2026", password="zhangwei2026", role=roles.VIEWER, shops=[shop])
    assert like_name.value.errors[0].field == "password"
    with pytest.raises(InvalidInput):
        user_create(username="li.ming", password="Li.Ming.1", role=roles.VIEWER, shops=[shop])
    response = client_as("admin").post("/users/", {"action": "create", "username": "wangfang88",
                                                   "password": "wangfang88", "role": "viewer"})
    assert response.status_code == 422
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username__in=["zhangwei2026", "li.ming", "wangfang88"]).exists()


def test_the_profile_password_change_refuses_the_user_name_and_revokes_every_token(user_of):
    from django.test import Client

    user = user_of(roles.OPERATOR)
    tokens = [token_create(user=user, name=name)[1] for name in ("erp", "bi")]
    browser = Client()
    browser.force_login(user)
    form = {"action": "password", "old_password": "Test-pass-2026"}
    weak = browser.post("/profile/", {**form, "new_password1": "operator1", "new_password2": "operator1"})
    assert weak.status_code == 200 and all(token_find(clear=t) for t in tokens)  # refused: tokens untouched
    done = browser.post("/profile/", {**form, "new_password1": "Brand-new-pass-26",
                                      "new_password2": "Brand-new-pass-26"}, follow=True)
    assert done.status_code == 200
    assert all(token_find(clear=t) is None for t in tokens)
    html = done.content.decode()
    assert "2" in html and ("API 令牌" in html or "API token" in html)  # the user is told, with the count
    assert browser.get("/profile/").status_code == 200  # still logged in (session hash updated)
    assert AuditEntry.objects.filter(action="token.revoke", object_id=str(user.pk)).exists()


def test_an_administrator_resets_a_password_the_tokens_die_with_the_old_one(client_as, user_of):
    target = user_of(roles.SERVICE)
    _token, clear = token_create(user=target, name="crm")
    admin = client_as("admin")
    weak = admin.post("/users/", {"action": "password", "user": target.pk, "password": "service1"})
    assert weak.status_code == 422 and token_find(clear=clear) is not None
    done = admin.post("/users/", {"action": "password", "user": target.pk, "password": "Reset-by-admin-26"})
    assert done.status_code == 302
    target.refresh_from_db()
    assert target.check_password("Reset-by-admin-26") and token_find(clear=clear) is None
    assert AuditEntry.objects.filter(action="user.password", object_id=str(target.pk),
                                     actor=user_of(roles.ADMIN)).exists()
    assert client_as("operator").post("/users/", {"action": "password", "user": target.pk,
                                                  "password": "Other-pass-2026"}).status_code == 403


def test_an_administrator_of_one_shop_cannot_reset_passwords_of_users_of_other_shops(shop):
    from django.test import Client

    from shopops.core.services import shop_create

    other = shop_create(code="pw-other", name="别家")
    b_admin = user_create(username="pw-b-admin", password="Stranger-pass-26", role=roles.ADMIN, shops=[other])
    both = user_create(username="pw-both", password="Both-pass-2026", role=roles.VIEWER, shops=[shop, other])
    client = Client()
    client.force_login(b_admin)
    assert client.post("/users/", {"action": "password", "user": both.pk,
                                   "password": "Taken-over-2026"}).status_code == 422
    both.refresh_from_db()
    assert both.check_password("Both-pass-2026")


def test_any_password_change_revokes_tokens_but_a_hash_upgrade_does_not(user_of):
    """The rule holds outside ShopOps' own forms too (Django admin, `shopops changepassword`): they all go
    through set_password + save. A login that re-hashes the same password is not a change."""
    from shopops.core.services import user_set_password

    user = user_of(roles.ADS)
    _token, clear = token_create(user=user, name="ads-api")
    user.check_password("Test-pass-2026")  # no upgrade needed with the test hasher: nothing happens
    user.save()  # saving other fields is not a password change either
    assert token_find(clear=clear) is not None
    with pytest.raises(InvalidInput) as weak:
        user_set_password(user=user, password="ads")
    assert weak.value.errors[0].field == "password" and token_find(clear=clear) is not None
    user.set_password("Changed-elsewhere-26")
    user.save()
    assert token_find(clear=clear) is None
    _token, again = token_create(user=user, name="ads-api-2")
    assert user_set_password(user=user, password="Changed-again-2026") == 1
    assert token_find(clear=again) is None


def test_a_hash_upgrade_on_login_keeps_the_tokens(user_of, settings):
    from django.contrib.auth.hashers import make_password

    user = user_of(roles.VIEWER)
    user.password = make_password("Test-pass-2026", hasher="md5")  # an old hash Django will upgrade
    user.save(update_fields=["password"])
    _token, clear = token_create(user=user, name="keep")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher",
                                 "django.contrib.auth.hashers.MD5PasswordHasher"]
    assert user.check_password("Test-pass-2026")
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_")  # upgraded
    assert token_find(clear=clear) is not None


def test_an_administrator_resetting_their_own_password_stays_logged_in(client_as, user_of):
    admin = client_as("admin")
    me = user_of(roles.ADMIN)
    assert admin.post("/users/", {"action": "password", "user": me.pk,
                                  "password": "My-own-reset-2026"}).status_code == 302
    assert admin.get("/users/").status_code == 200
