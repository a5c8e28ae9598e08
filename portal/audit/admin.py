"""The audit log in the Django admin: readable by staff, never added to, changed or deleted."""

from django.contrib import admin

from portal.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "actor_label", "person_label", "target_label", "space", "ip"]
    list_filter = ["action", "space"]
    list_select_related = ["space"]
    search_fields = ["actor_label", "person_label", "target_label", "summary"]
    date_hierarchy = "at"
    fields = [
        "at",
        "action",
        "actor_label",
        "person_label",
        "space_label",
        "target_type",
        "target_id",
        "target_label",
        "summary",
        "before",
        "after",
        "ip",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
