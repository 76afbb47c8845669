from django.contrib import admin
from reversion.admin import VersionAdmin

from bpd.website.forms import URL_FIELD_OVERRIDES
from bpd.website.models import SiteSettings, SocialLink


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
