from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from bpd.members import services
from bpd.members.models import Connection, Invite, Profile, Skill, User
from bpd.members.roles import role_names
from bpd.members.selectors import ProfileView
from bpd.website.forms import URL_FIELD_OVERRIDES


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "is_staff", "is_active", "date_joined", "language"]
    search_fields = ["email", "profile__display_name"]
    readonly_fields = [
        "date_joined",
        "last_login",
        "code_of_conduct_accepted_at",
        "identity_affirmed_at",
    ]
    fieldsets = [
        (None, {"fields": ["email", "language", "is_active"]}),
        (_("Roles"), {"fields": ["groups", "is_staff", "is_superuser"]}),
        (
            _("History"),
            {
                "fields": [
                    "date_joined",
                    "last_login",
                    "code_of_conduct_accepted_at",
                    "identity_affirmed_at",
                ]
            },
        ),
    ]
    add_fieldsets = [(None, {"fields": ["email", "language", "groups"]})]
    list_filter = ["is_staff", "is_active", "groups"]
    filter_horizontal = ["groups"]

    PRIVILEGES = ["is_superuser", "is_staff", "groups", "user_permissions"]

    def get_readonly_fields(self, request, obj=None):
        """Only superusers change privileges here; executors change roles on the staff
        pages, where each change is audited."""
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [f for f in self.PRIVILEGES if f not in fields]
        return fields

    def save_related(self, request, form, formsets, change):
        """Role changes made here are written to the audit log, with who made them."""
        user = form.instance
        before = set(role_names(user)) if change else set()
        super().save_related(request, form, formsets, change)
        user._bpd_roles = None
        services.record_role_change(actor=request.user, user=user, before=before)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELD_OVERRIDES
    """Staff maintenance only; opening a profile here is recorded like any staff access."""

    list_display = ["__str__", "country", "skill_level", "onboarded_at"]
    search_fields = ["display_name", "user__email"]
    list_filter = ["skill_level", "career_status", "in_expertise_directory"]
    raw_id_fields = ["user", "city"]
    filter_horizontal = ["skills"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        profile = self.get_object(request, object_id)
        if profile is not None:
            fields = ProfileView(profile, request.user).private_fields_seen()
            services.record_access(
                staff=request.user, seen=[(profile.user, fields)], context="admin"
            )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):
    list_display = ["__str__", "email", "uses", "max_uses", "expires_at", "revoked_at"]
    filter_horizontal = ["groups"]


admin.site.register(Skill)
admin.site.register(Connection)
