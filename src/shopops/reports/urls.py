"""Pages of the reports app (put together with the other apps' pages by shopops/urls.py)."""

from __future__ import annotations

from django.urls import path

from shopops.reports import views

urlpatterns: list = [
    path("todos/", views.todo_list, name="todo_list"),
    path("todos/<int:pk>/status/", views.todo_set_status, name="todo_set_status"),
]
