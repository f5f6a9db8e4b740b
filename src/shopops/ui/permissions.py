"""Every page declares the permission it needs (the role-walk test reads ``shopops_permission``)."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

LOGIN_ONLY = "login"


def page_requires(perm: str) -> Callable:
    """Login required (302 to /login/), then ``perm`` required (403)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if perm != LOGIN_ONLY and not request.user.has_perm(perm):
                raise PermissionDenied
            if request.shop is None:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.shopops_permission = perm  # type: ignore[attr-defined]
        return wrapper

    return decorate


def public_page(view: Callable) -> Callable:
    view.shopops_permission = "public"  # type: ignore[attr-defined]
    return view
