"""Staff maintenance of the conference list (moderation itself is /conferences/manage/)."""

from django.contrib import admin

from bpd.conferences.models import Conference, Deadline
from bpd.website.forms import URL_FIELD_OVERRIDES


class DeadlineInline(admin.TabularInline):
    model = Deadline
    extra = 0
    formfield_overrides = URL_FIELD_OVERRIDES


@admin.register(Conference)
class ConferenceAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on", "country", "online", "status", "source"]
    list_filter = ["status", "online", "source"]
    search_fields = ["name", "city", "slug"]
    raw_id_fields = ["suggested_by"]
    readonly_fields = ["created_at"]
    inlines = [DeadlineInline]
    formfield_overrides = URL_FIELD_OVERRIDES


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["conference", "kind", "due_at", "zone"]
    list_filter = ["kind"]
    search_fields = ["conference__name"]
    raw_id_fields = ["conference"]
    formfield_overrides = URL_FIELD_OVERRIDES
