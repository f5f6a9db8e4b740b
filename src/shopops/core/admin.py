from django.contrib import admin
from django.http import HttpRequest

from shopops.core.models import AuditEntry, Shop, ShopMembership


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "timezone", "currency")


@admin.register(ShopMembership)
class ShopMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "shop")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_id", "object_repr")
    list_filter = ("action", "object_type")

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False  # the log is append-only

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False
