"""The root URL table with the returns router mounted where the lead will mount it (/api/v1/service/returns),
for the API tests until the root api.py carries it: the root API's error handlers, its default auth (closed)."""

from django.urls import path
from ninja import NinjaAPI

from shopops import api as root
from shopops.core.api_auth import UNDECLARED, needs
from shopops.service.api_returns import router
from shopops.urls import urlpatterns as root_patterns

api = NinjaAPI(auth=needs(UNDECLARED), urls_namespace="returns-test")
api._exception_handlers.update(root.api._exception_handlers)
api.add_router("/service/returns", router)

urlpatterns = [path("api/v1/", api.urls), *root_patterns]
