"""Analytics pages, one module per area; each module lists its ``urlpatterns`` (analytics/urls.py)."""
