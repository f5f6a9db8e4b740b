"""Pages: thin views over selectors and services (DESIGN.md layer rule)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from shopops.catalog import selectors as catalog_selectors
from shopops.catalog import services as catalog_services
from shopops.catalog.domain import ProductInput, SkuInput, margin_rate
from shopops.catalog.models import Product
from shopops.channels.domain import CHANNELS, channel_label
from shopops.core import roles
from shopops.core import selectors as core_selectors
from shopops.core import services as core_services
from shopops.core.clock import today
from shopops.core.errors import ShopOpsError
from shopops.core.middleware import SHOP_SESSION_KEY
from shopops.core.money import format_fen
from shopops.members import selectors as member_selectors
from shopops.members.models import Customer
from shopops.orders import selectors as order_selectors
from shopops.orders.models import Order, Refund
from shopops.web.dashboard import dashboard_data
from shopops.web.listing import Filter, ListPage, render_list
from shopops.web.permissions import LOGIN_ONLY, page_requires, public_page
from shopops.web.tables import Column


def _channel_options() -> list[tuple[str, str]]:
    language = translation.get_language() or "zh-hans"
    return [(c.code, channel_label(c.code, language)) for c in CHANNELS]


def _parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _local(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


# ---------------------------------------------------------------- auth


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


login_view = public_page(LoginView.as_view())
logout_view = public_page(auth_views.LogoutView.as_view())


# ---------------------------------------------------------------- dashboard


@page_requires(roles.VIEW_DASHBOARD)
def dashboard(request: HttpRequest) -> HttpResponse:
    shop = request.shop
    default_day = today(shop.timezone) - dt.timedelta(days=1)
    day = _parse_date(request.GET.get("date")) or default_day
    data = dashboard_data(shop=shop, day=day)
    labels = {
        "gmv": _("GMV"), "orders": _("Paid orders"), "buyers": _("Buyers"), "aov": _("AOV"),
        "refund": _("Refund amount"),
    }
    language = translation.get_language() or "zh-hans"
    chart = {
        "x": [row["date"].isoformat() for row in data["trend"]],
        "gmv": [str(format_fen(row["gmv_fen"])) for row in data["trend"]],
        "orders": [row["orders"] for row in data["trend"]],
        "labels": {"gmv": _("GMV (¥)"), "orders": _("Paid orders")},
    }
    channels = [
        {**row, "label": channel_label(row["channel"], language),
         "share": (row["gmv_fen"] / data["gmv30_fen"]) if data["gmv30_fen"] else None}
        for row in data["channels"]
    ]
    return render(request, "web/dashboard.html", {
        **data, "labels": labels, "chart": chart, "channel_rows": channels,
    })


# ---------------------------------------------------------------- orders

ORDER_COLUMNS = [
    Column("order_no", gettext_lazy("Order number"), lambda o: o.order_no, sort="order_no",
           link=lambda o: reverse("web:order_detail", args=[o.pk])),
    Column("channel", gettext_lazy("Channel"), lambda o: channel_label(o.channel, translation.get_language() or ""),
           sort="channel"),
    Column("customer", gettext_lazy("Customer"), lambda o: o.customer.name,
           link=lambda o: reverse("web:customer_detail", args=[o.customer_id])),
    Column("paid_at", gettext_lazy("Paid at"), lambda o: _local(o.paid_at), sort="paid_at"),
    Column("status", gettext_lazy("Status"), lambda o: o.get_status_display()),
    Column("goods", gettext_lazy("Goods"), lambda o: o.goods_fen, money=True),
    Column("discount", gettext_lazy("Discount"), lambda o: o.discount_fen, money=True, sort="discount"),
    Column("shipping", gettext_lazy("Shipping"), lambda o: o.shipping_fen, money=True),
    Column("paid", gettext_lazy("Paid amount"), lambda o: o.paid_fen, money=True, sort="paid"),
    Column("refunded", gettext_lazy("Refunded"), lambda o: o.refunded_fen, money=True),
]


@page_requires(roles.VIEW_ORDERS)
def order_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    refunded = {"yes": True, "no": False}.get(g.get("refunded", ""))
    qs, active_sort = order_selectors.order_list(
        shop=request.shop, q=g.get("q", ""), channel=g.get("channel", ""), status=g.get("status", ""),
        date_from=_parse_date(g.get("date_from")), date_to=_parse_date(g.get("date_to")), refunded=refunded,
        sort=g.get("sort", ""),
    )
    page = ListPage(
        title=gettext_lazy("Orders"),
        columns=ORDER_COLUMNS,
        filters=[
            Filter("channel", gettext_lazy("Channel"), _channel_options()),
            Filter("status", gettext_lazy("Status"), [(v, str(label)) for v, label in Order.Status.choices]),
            Filter("refunded", gettext_lazy("Refunds"), [("yes", _("With refunds")), ("no", _("Without refunds"))]),
            Filter("date_from", gettext_lazy("Paid from"), kind="date"),
            Filter("date_to", gettext_lazy("Paid to"), kind="date"),
        ],
        export_name="orders",
        search_placeholder=gettext_lazy("Order number, customer"),
    )
    return render_list(request, page, qs, active_sort)


@page_requires(roles.VIEW_ORDERS)
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = order_selectors.order_detail(shop=request.shop, pk=pk)
    if order is None:
        raise Http404
    language = translation.get_language() or ""
    return render(request, "web/order_detail.html", {
        "order": order, "channel_name": channel_label(order.channel, language),
        "reasons": dict(Refund.Reason.choices),
    })


# ---------------------------------------------------------------- products


def _product_columns(show_cost: bool) -> list[Column]:
    return [
        Column("spu_code", gettext_lazy("SPU code"), lambda p: p.spu_code, sort="spu_code",
               link=lambda p: reverse("web:product_detail", args=[p.pk])),
        Column("title", gettext_lazy("Title"), lambda p: p.title, sort="title",
               link=lambda p: reverse("web:product_detail", args=[p.pk])),
        Column("category", gettext_lazy("Category"), lambda p: p.category.name, sort="category"),
        Column("skus", gettext_lazy("SKUs"), lambda p: p.sku_count, sort="skus", numeric=True),
        Column("min_price", gettext_lazy("Lowest price"), lambda p: p.min_price_fen, money=True, sort="price"),
        Column("max_price", gettext_lazy("Highest price"), lambda p: p.max_price_fen, money=True),
        Column("status", gettext_lazy("Status"), lambda p: p.get_status_display()),
        Column("launched", gettext_lazy("Launched"), lambda p: p.launched_on, sort="launched"),
    ]


@page_requires(roles.VIEW_PRODUCTS)
def product_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    qs, active_sort = catalog_selectors.product_list(
        shop=request.shop, q=g.get("q", ""), category=g.get("category", ""), status=g.get("status", ""),
        sort=g.get("sort", ""),
    )
    page = ListPage(
        title=gettext_lazy("Products"),
        columns=_product_columns(request.user.has_perm(roles.VIEW_COSTS)),
        filters=[
            Filter("category", gettext_lazy("Category"),
                   [(c.code, c.name) for c in catalog_selectors.categories(shop=request.shop)]),
            Filter("status", gettext_lazy("Status"), [(v, str(label)) for v, label in Product.Status.choices]),
        ],
        export_name="products",
        search_placeholder=gettext_lazy("SPU/SKU code, title"),
        actions=[{"url": reverse("web:product_create"), "label": _("New product")}]
        if request.user.has_perm(roles.ADD_PRODUCTS) else [],
    )
    return render_list(request, page, qs, active_sort)


@page_requires(roles.VIEW_PRODUCTS)
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    product = catalog_selectors.product_detail(shop=request.shop, pk=pk)
    if product is None:
        raise Http404
    show_cost = request.user.has_perm(roles.VIEW_COSTS)
    skus = [
        {"sku": s, "price": format_fen(s.price_fen), "cost": format_fen(s.cost_fen) if show_cost else None,
         "margin": margin_rate(s.price_fen, s.cost_fen) if show_cost else None}
        for s in product.skus.all()
    ]
    language = translation.get_language() or ""
    listings = [{"listing": li, "channel": channel_label(li.channel_account.channel, language)}
                for li in product.listings.all()]
    return render(request, "web/product_detail.html", {
        "product": product, "skus": skus, "listings": listings, "show_cost": show_cost,
        "can_edit_prices": request.user.has_perm(roles.CHANGE_PRICES),
    })


@page_requires(roles.CHANGE_PRICES)
@require_POST
def sku_edit(request: HttpRequest, pk: int, sku_pk: int) -> HttpResponse:
    sku = catalog_selectors.sku_of_product(shop=request.shop, product_id=pk, sku_id=sku_pk)
    if sku is None:
        raise Http404
    try:
        catalog_services.sku_update(
            sku=sku, price=request.POST.get("price"), cost=request.POST.get("cost"),
            active=request.POST.get("active") == "on", actor=request.user,
        )
    except ShopOpsError as exc:
        messages.error(request, f"{sku.sku_code}: {exc.detail} " + " ".join(e.message for e in exc.errors))
    else:
        messages.success(request, _("SKU %s saved.") % sku.sku_code)
    return redirect("web:product_detail", pk=pk)


@page_requires(roles.ADD_PRODUCTS)
@require_http_methods(["GET", "POST"])
def product_create(request: HttpRequest) -> HttpResponse:
    categories = catalog_selectors.categories(shop=request.shop)
    form = {"spu_code": "", "title": "", "category": "", "brand": "", "skus": [{}] * 3}
    errors: list = []
    detail = ""
    if request.method == "POST":
        p = request.POST
        codes, prices, costs, attrs = (p.getlist(k) for k in ("sku_code", "price", "cost", "attributes"))
        sku_rows = []
        for index, code in enumerate(codes):
            price = prices[index] if index < len(prices) else ""
            cost = costs[index] if index < len(costs) else ""
            attr_text = attrs[index] if index < len(attrs) else ""
            if not (code.strip() or price.strip() or cost.strip()):
                continue
            attributes = {}
            for part in attr_text.replace("；", ";").split(";"):
                if ":" in part.replace("：", ":"):
                    key, _sep, value = part.replace("：", ":").partition(":")
                    attributes[key.strip()] = value.strip()
            sku_rows.append({"sku_code": code.strip(), "price": price.strip(), "cost": cost.strip(),
                             "attributes": attr_text, "parsed": attributes})
        form = {k: p.get(k, "") for k in ("spu_code", "title", "category", "brand")}
        form["skus"] = sku_rows + [{}] * max(0, 3 - len(sku_rows))
        data = ProductInput(
            spu_code=form["spu_code"].strip(), title=form["title"], category=form["category"],
            brand=form["brand"].strip(),
            skus=tuple(SkuInput(s["sku_code"], s["price"] or "", s["cost"] or "", s["parsed"]) for s in sku_rows),
        )
        try:
            product = catalog_services.product_create(shop=request.shop, data=data, actor=request.user)
        except ShopOpsError as exc:
            detail, errors = exc.detail, exc.errors
        else:
            messages.success(request, _("Product %s created.") % product.spu_code)
            return redirect("web:product_detail", pk=product.pk)
    return render(request, "web/product_form.html", {
        "form": form, "categories": categories, "errors": errors, "detail": detail,
    }, status=422 if errors else 200)


# ---------------------------------------------------------------- customers

CUSTOMER_COLUMNS = [
    Column("code", gettext_lazy("Customer code"), lambda c: c.code, sort="code",
           link=lambda c: reverse("web:customer_detail", args=[c.pk])),
    Column("name", gettext_lazy("Nickname"), lambda c: c.name, sort="name",
           link=lambda c: reverse("web:customer_detail", args=[c.pk])),
    Column("province", gettext_lazy("Province"), lambda c: c.province),
    Column("city", gettext_lazy("City"), lambda c: c.city),
    Column("orders", gettext_lazy("Orders"), lambda c: c.orders_count, sort="orders", numeric=True),
    Column("paid", gettext_lazy("Total paid"), lambda c: c.paid_fen_total, money=True, sort="paid"),
    Column("first_seen", gettext_lazy("First seen"), lambda c: _local(c.created_at), sort="first_seen"),
    Column("last_order", gettext_lazy("Last order"), lambda c: _local(c.last_order_at), sort="last_order"),
]


@page_requires(roles.VIEW_CUSTOMERS)
def customer_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    try:
        min_orders = int(g.get("min_orders") or 0) or None
    except ValueError:
        min_orders = None
    qs, active_sort = member_selectors.customer_list(
        shop=request.shop, q=g.get("q", ""), channel=g.get("channel", ""), province=g.get("province", ""),
        min_orders=min_orders, sort=g.get("sort", ""),
    )
    page = ListPage(
        title=gettext_lazy("Customers"),
        columns=CUSTOMER_COLUMNS,
        filters=[
            Filter("channel", gettext_lazy("Channel"), _channel_options()),
            Filter("province", gettext_lazy("Province"), [(p, p) for p in member_selectors.provinces(shop=request.shop)]),
            Filter("min_orders", gettext_lazy("Repeat buyers"), [("2", _("2+ orders")), ("3", _("3+ orders")),
                                                          ("5", _("5+ orders"))]),
        ],
        export_name="customers",
        search_placeholder=gettext_lazy("Code, nickname, phone, channel id"),
    )
    return render_list(request, page, qs, active_sort)


@page_requires(roles.VIEW_CUSTOMERS)
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    customer: Customer | None = member_selectors.customer_detail(shop=request.shop, pk=pk)
    if customer is None:
        raise Http404
    orders, _sort = order_selectors.order_list(shop=request.shop, customer_id=customer.pk)
    language = translation.get_language() or ""
    identities = [{"channel": channel_label(i.channel, language), "external_id": i.external_id}
                  for i in customer.identities.all()]
    show_orders = request.user.has_perm(roles.VIEW_ORDERS)
    return render(request, "web/customer_detail.html", {
        "customer": customer, "identities": identities, "orders": orders[:100] if show_orders else [],
        "show_orders": show_orders,
        "aov_fen": customer.paid_fen_total // customer.orders_count if customer.orders_count else None,
    })


# ---------------------------------------------------------------- users


@page_requires(roles.MANAGE_USERS)
@require_http_methods(["GET", "POST"])
def user_list(request: HttpRequest) -> HttpResponse:
    errors: list = []
    detail = ""
    form = {"username": "", "role": roles.OPERATOR}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "create":
                form = {"username": request.POST.get("username", "").strip(), "role": request.POST.get("role", "")}
                core_services.user_create(
                    username=form["username"], password=request.POST.get("password", ""), role=form["role"],
                    shops=[request.shop], actor=request.user,
                )
                messages.success(request, _("User %s created.") % form["username"])
                return redirect("web:user_list")
            target = core_selectors.user_in_shop(shop=request.shop, pk=int(request.POST.get("user") or 0))
            if target is None:
                raise Http404
            if action == "role":
                core_services.user_set_role(user=target, role=request.POST.get("role", ""), actor=request.user)
            elif action == "active":
                core_services.user_set_active(user=target, active=request.POST.get("active") == "1",
                                              actor=request.user)
            else:
                raise Http404
            messages.success(request, _("User %s saved.") % target.get_username())
            return redirect("web:user_list")
        except ShopOpsError as exc:
            detail, errors = exc.detail, exc.errors
    language = translation.get_language() or ""
    role_choices = [(k, v[0] if language.startswith("zh") else v[1]) for k, v in roles.ROLE_LABELS.items()]
    users = [{"user": u, "role": core_selectors.user_role(user=u)} for u in core_selectors.users_of_shop(shop=request.shop)]
    return render(request, "web/users.html", {
        "users": users, "role_choices": role_choices, "errors": errors, "detail": detail, "form": form,
    }, status=422 if detail else 200)


# ---------------------------------------------------------------- audit, profile, shop switch


@page_requires(roles.VIEW_AUDIT)
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = core_selectors.audit_entries(shop=request.shop)
    return render(request, "web/audit_log.html", {"entries": entries})


@page_requires(LOGIN_ONLY)
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    new_token = None
    password_form = PasswordChangeForm(request.user)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "password":
            password_form = PasswordChangeForm(request.user, request.POST)
            if password_form.is_valid():
                core_services.user_change_password(user=request.user, form=password_form)
                update_session_auth_hash(request, request.user)
                messages.success(request, _("Password changed."))
                return redirect("web:profile")
        elif action == "language":
            try:
                core_services.user_set_language(user=request.user, language=request.POST.get("language", ""))
            except ShopOpsError as exc:
                messages.error(request, exc.detail)
            else:
                return redirect("web:profile")
        elif action == "token":
            _token, new_token = core_services.token_create(user=request.user, name=request.POST.get("name", ""))
        elif action == "revoke":
            token = request.user.api_tokens.filter(pk=request.POST.get("token") or 0, revoked_at__isnull=True).first()
            if token is None:
                raise Http404
            core_services.token_revoke(token=token, actor=request.user)
            messages.success(request, _("Token revoked."))
            return redirect("web:profile")
    tokens = request.user.api_tokens.filter(revoked_at__isnull=True).order_by("-created_at")
    return render(request, "web/profile.html", {
        "tokens": tokens, "new_token": new_token, "password_form": password_form, "role_label": {
            k: v[0] if (translation.get_language() or "").startswith("zh") else v[1]
            for k, v in roles.ROLE_LABELS.items()
        }.get(core_selectors.user_role(user=request.user) or "", ""),
    })


@page_requires(LOGIN_ONLY)
@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    try:
        core_services.user_set_language(user=request.user, language=request.POST.get("language", ""))
    except ShopOpsError as exc:
        messages.error(request, exc.detail)
    return _back(request)


@page_requires(LOGIN_ONLY)
@require_POST
def switch_shop(request: HttpRequest) -> HttpResponse:
    shop = core_selectors.shop_for_user(user=request.user, code=request.POST.get("shop", ""))
    if shop is None:
        raise PermissionDenied
    request.session[SHOP_SESSION_KEY] = shop.pk
    return _back(request)


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)
