"""Pages of the reports app (put together with the other apps' pages by shopops/urls.py)."""

from __future__ import annotations

from django.urls import path

from shopops.reports import views

urlpatterns: list = [
    path("todos/", views.todo_list, name="todo_list"),
    path("todos/<int:pk>/status/", views.todo_set_status, name="todo_set_status"),
    path("todos/<int:pk>/snooze/", views.todo_snooze, name="todo_snooze"),
    path("todos/<int:pk>/assign/", views.todo_assign, name="todo_assign"),
    path("todos/<int:pk>/due/", views.todo_due_date, name="todo_due_date"),
    path("todos/<int:pk>/comments/", views.todo_comment_add, name="todo_comment_add"),
]
