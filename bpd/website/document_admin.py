"""Admin helpers for documents (`documents.Document`): the preview of unsaved edits."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path
from django.utils import translation
from django.views.decorators.http import require_POST

from bpd.website import markdown


class PreviewAdminMixin:
    """A "Preview" button on the change form that renders unsaved edits as the public page.

    The button posts the form to the preview view in a new tab (plain HTML
    `formaction`, no JavaScript); nothing is saved. Set `preview_template` to the
    public template, which gets `document` and `is_preview`.
    """

    preview_template = None
    change_form_template = "admin/website/change_form_with_preview.html"

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
        # Many-to-many values (a post's tags) cannot be set on an unsaved object.
        many_to_many = {field.name for field in document._meta.many_to_many}
        for name, value in form.cleaned_data.items():
            if name not in many_to_many and hasattr(document, name):
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
