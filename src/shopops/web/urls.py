from django.urls import path

from shopops.web import views

app_name = "web"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("orders/", views.order_list, name="order_list"),
    path("orders/<int:pk>/", views.order_detail, name="order_detail"),
    path("products/", views.product_list, name="product_list"),
    path("products/new/", views.product_create, name="product_create"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    path("products/<int:pk>/skus/<int:sku_pk>/", views.sku_edit, name="sku_edit"),
    path("customers/", views.customer_list, name="customer_list"),
    path("customers/<int:pk>/", views.customer_detail, name="customer_detail"),
    path("users/", views.user_list, name="user_list"),
    path("audit/", views.audit_log, name="audit_log"),
    path("profile/", views.profile, name="profile"),
    path("language/", views.switch_language, name="switch_language"),
    path("shop/", views.switch_shop, name="switch_shop"),
]
