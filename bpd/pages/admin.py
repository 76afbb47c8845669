from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin

from bpd.pages.models import Page, TeamMember, TeamMemberTranslation
from bpd.website import registry
from bpd.website.document_admin import PreviewAdminMixin, RevisionCompareAdminMixin
from bpd.website.forms import URL_FIELD_OVERRIDES


@admin.register(Page)
class PageAdmin(PreviewAdminMixin, RevisionCompareAdminMixin, VersionAdmin):
    preview_template = "pages/preview.html"
    list_display = ["title", "language", "url", "needs_review", "in_menu", "updated_at"]
    list_filter = ["language", "needs_review", "layout"]
    search_fields = ["title", "body", "path", "translation_key"]
    readonly_fields = ["source_path", "rendered"]
    fieldsets = [
        (None, {"fields": ["title", "language", "path", "translation_key", "layout", "in_menu"]}),
        (None, {"fields": ["description", "body", "body_format", "needs_review"]}),
        (_("As published"), {"classes": ["collapse"], "fields": ["rendered", "source_path"]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "body":
            # The live lists the apps offer (docs/content.md, "Live lists inside a page").
            markers = ", ".join(
                f"[[component:{component.name}]] ({component.label})"
                for component in registry.page_components()
            )
            field.help_text = _(
                "A paragraph holding nothing but one of these markers shows that live list "
                "there: %(markers)s."
            ) % {"markers": markers}
        return field

    @admin.display(description=_("address"))
    def url(self, page):
        return format_html('<a href="{0}">{0}</a>', page.get_absolute_url())

    @admin.display(description=_("rendered page"))
    def rendered(self, document):
        # body_html is sanitised when saved, so it is safe to show as HTML.
        return format_html('<div class="bpd-rendered">{}</div>', document.body_html)


class TeamMemberTranslationInline(admin.StackedInline):
    model = TeamMemberTranslation
    extra = 0


@admin.register(TeamMember)
class TeamMemberAdmin(VersionAdmin):
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = ["name", "role", "city", "country", "order", "active"]
    list_editable = ["order", "active"]
    inlines = [TeamMemberTranslationInline]
    fields = [
        "name", "role", "bio", "city", "country", "photo", "photo_alt",
        "github", "linkedin", "mastodon", "website", "order", "active",
    ]  # fmt: skip
