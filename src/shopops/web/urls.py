from django.urls import path

from shopops.web import urls_analytics, urls_campaigns, urls_imports, urls_inventory, urls_reports
from shopops.web.views import account, auth, customers, dashboard, orders, products, users

app_name = "web"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("orders/", orders.order_list, name="order_list"),
    path("orders/<int:pk>/", orders.order_detail, name="order_detail"),
    path("products/", products.product_list, name="product_list"),
    path("products/new/", products.product_create, name="product_create"),
    path("products/<int:pk>/", products.product_detail, name="product_detail"),
    path("products/<int:pk>/skus/<int:sku_pk>/", products.sku_edit, name="sku_edit"),
    path("customers/", customers.customer_list, name="customer_list"),
    path("customers/<int:pk>/", customers.customer_detail, name="customer_detail"),
    path("users/", users.user_list, name="user_list"),
    path("audit/", account.audit_log, name="audit_log"),
    path("profile/", account.profile, name="profile"),
    path("language/", account.switch_language, name="switch_language"),
    path("shop/", account.switch_shop, name="switch_shop"),
]

for _module in (urls_analytics, urls_campaigns, urls_imports, urls_inventory, urls_reports):
    urlpatterns += _module.urlpatterns
