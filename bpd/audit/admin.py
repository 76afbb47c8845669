from django.contrib import admin

from bpd.audit.models import Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the services, never edited."""

    list_display = ["at", "actor_label", "verb", "subject_type", "subject_id", "subject_label"]
    list_filter = ["verb", "subject_type"]
    search_fields = ["actor_label", "subject_label", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
