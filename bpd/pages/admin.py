from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from reversion.admin import VersionAdmin

from bpd.pages import markdown
from bpd.pages.models import Page, TeamMember, TeamMemberTranslation
from bpd.website.forms import URL_FIELD_OVERRIDES


class PreviewAdminMixin:
    """A "Preview" button on the change form that renders unsaved edits as the public page.

    The button posts the form to the preview view in a new tab (plain HTML
    `formaction`, no JavaScript); nothing is saved.
    """

    preview_template = None
    change_form_template = "admin/pages/change_form_with_preview.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "preview/",
                self.admin_site.admin_view(require_POST(self.preview_view)),
                name="{}_{}_preview".format(*info),
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request):
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        form_class = self.get_form(request)
        form = form_class(request.POST, request.FILES)
        form.is_valid()  # fills cleaned_data; a preview of invalid input still helps the editor
        document = form.instance
        for name, value in form.cleaned_data.items():
            if hasattr(document, name) and name not in {"tags"}:
                setattr(document, name, value)
        document.body_html = markdown.render(document.body)
        with translation.override(document.language or "en"):
            return render(
                request,
                self.preview_template,
                {
                    "document": document,
                    "is_preview": True,
                    "form_errors": form.errors,
                    "canonical": request.path,
                },
            )


@admin.register(Page)
class PageAdmin(PreviewAdminMixin, VersionAdmin):
    preview_template = "pages/preview.html"
    list_display = ["title", "language", "url", "needs_review", "in_menu", "updated_at"]
    list_filter = ["language", "needs_review", "layout"]
    search_fields = ["title", "body", "path", "translation_key"]
    readonly_fields = ["source_path", "rendered"]
    fieldsets = [
        (None, {"fields": ["title", "language", "path", "translation_key", "layout", "in_menu"]}),
        (None, {"fields": ["description", "body", "needs_review"]}),
        (_("As published"), {"classes": ["collapse"], "fields": ["rendered", "source_path"]}),
    ]

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
