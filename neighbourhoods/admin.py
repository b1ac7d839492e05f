from django.contrib import admin

from .models import Membership, Neighbourhood


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "municipality", "cbs_code"]
    search_fields = ["name", "slug", "municipality", "cbs_code"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "neighbourhood", "role", "created_at"]
    list_filter = ["role", "neighbourhood"]
    search_fields = ["user__username", "neighbourhood__name"]
    autocomplete_fields = ["user", "neighbourhood"]
