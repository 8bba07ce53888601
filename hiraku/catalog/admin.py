from django.contrib import admin

from .models import (
    ActivityEvent,
    Category,
    Dataset,
    Membership,
    Organization,
    Resource,
    ResourceVersion,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "parent")
    search_fields = ("name", "title")
    inlines = [MembershipInline]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "position")


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "organization", "state", "private", "modified")
    list_filter = ("state", "private", "organization")
    search_fields = ("name", "title")
    filter_horizontal = ("shared_with", "categories")
    readonly_fields = ("revision", "created", "modified")


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ("name", "dataset", "format", "state")


@admin.register(ResourceVersion)
class ResourceVersionAdmin(admin.ModelAdmin):
    list_display = ("resource", "number", "size", "created")

    def has_change_permission(self, request, obj=None):
        return False  # versions are immutable


@admin.register(ActivityEvent)
class ActivityEventAdmin(admin.ModelAdmin):
    list_display = ("created", "actor", "verb", "object_type", "object_id")
    list_filter = ("verb", "object_type")
