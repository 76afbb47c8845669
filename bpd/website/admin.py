from django import forms
from django.contrib import admin
from reversion.admin import VersionAdmin

from bpd.website import redirects
from bpd.website.forms import URL_FIELD_OVERRIDES
from bpd.website.models import Redirect, SiteSettings, SocialLink


@admin.register(SiteSettings)
class SiteSettingsAdmin(VersionAdmin):
    formfield_overrides = URL_FIELD_OVERRIDES

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SocialLink)
class SocialLinkAdmin(VersionAdmin):
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = ["__str__", "network", "url", "order"]
    list_editable = ["order"]


class RedirectForm(forms.ModelForm):
    class Meta:
        model = Redirect
        fields = ["old_path", "new_path", "source"]

    def clean(self):
        """The service's rules (docs/redirects.md), each message beside its field; the
        paths are kept as they will be stored, a chain already collapsed."""
        cleaned = super().clean()
        old = cleaned.get("old_path", self.instance.old_path)
        new = cleaned.get("new_path")
        if old and new:
            try:
                old, new = redirects.check_redirect(old, new)
            except redirects.RedirectError as error:
                field = error.field if error.field in self.fields else None
                self.add_error(field, str(error))
            else:
                if "old_path" in self.fields:
                    cleaned["old_path"] = old
                cleaned["new_path"] = new
        return cleaned


@admin.register(Redirect)
class RedirectAdmin(VersionAdmin):
    form = RedirectForm
    list_display = ["old_path", "new_path", "source", "created_at"]
    list_filter = ["source"]
    search_fields = ["old_path", "new_path"]

    def get_readonly_fields(self, request, obj=None):
        # The old address is the redirect's key: to change it, delete and add.
        return ["old_path", "created_at"] if obj else ["created_at"]

    def get_changeform_initial_data(self, request):
        return {"source": "admin", **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        saved, _created = redirects.add_redirect(obj.old_path, obj.new_path, source=obj.source)
        obj.pk, obj.new_path, obj.created_at = saved.pk, saved.new_path, saved.created_at
