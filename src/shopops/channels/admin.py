from django.contrib import admin

from shopops.channels.models import ChannelAccount


@admin.register(ChannelAccount)
class ChannelAccountAdmin(admin.ModelAdmin):
    list_display = ("name", "channel", "shop", "active")
    list_filter = ("channel", "active")
