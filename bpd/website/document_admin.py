"""Admin helpers for documents (`documents.Document`): the preview of unsaved edits, and
the comparison of a saved version with the one before it or with the current text."""

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.forms.utils import ErrorList, pretty_name
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import path, re_path, reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from reversion.errors import RevertError
from reversion.models import Version

from bpd.website import markdown, page_components
from bpd.website.text_diff import diff_html


class PreviewAdminMixin:
    """A "Preview" button on the change form that renders unsaved edits as the public page.

    The button posts the form to the preview view in a new tab (plain HTML
    `formaction`, no JavaScript); nothing is saved. Set `preview_template` to the
    public template, which gets `document` and `is_preview`.
    """

    preview_template = None
    change_form_template = "admin/website/change_form_with_preview.html"

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_preview"
        view = self.admin_site.admin_view(require_POST(self.preview_view))
        return [
            path("preview/", view, name=name),
            # The change form's preview: the form is checked against the saved document,
            # so its own address and translation key are not taken "by another one".
            path("<path:object_id>/preview/", view, name=name),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id=None):
        document = None
        if object_id is not None:
            document = self.get_object(request, unquote(object_id))
            if document is None:
                raise Http404
            if not self.has_change_permission(request, document):
                raise PermissionDenied
        elif not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        form_class = self.get_form(request, document, change=document is not None)
        form = form_class(request.POST, request.FILES, instance=document)
        form.is_valid()  # fills cleaned_data; a preview of invalid input still helps the editor
        document = form.instance
        # Many-to-many values (a post's tags) cannot be set on an unsaved object.
        many_to_many = {field.name for field in document._meta.many_to_many}
        for name, value in form.cleaned_data.items():
            if name not in many_to_many and hasattr(document, name):
                setattr(document, name, value)
        document.body_html = markdown.render(document.body, body_format=document.body_format)
        with translation.override(document.language or "en"):
            return render(
                request,
                self.preview_template,
                {
                    "document": document,
                    # Pages show the live lists their markers name (page_components).
                    "body_parts": page_components.body_parts(
                        document.body_html, request, translation.get_language()
                    ),
                    "is_preview": True,
                    "form_errors": readable_errors(form),
                    "canonical": request.path,
                },
            )


def readable_errors(form):
    """The form's errors as one list, each led by its field's label ("Path: …"); errors
    about the whole form (an address already taken) stand alone. Renders as a <ul>."""
    lines = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        for error in errors:
            if field is None:
                lines.append(error)
            else:
                label = field.label or pretty_name(name)
                lines.append(_("%(field)s: %(error)s") % {"field": label, "error": error})
    return ErrorList(lines)


class RevisionCompareAdminMixin:
    """On a versioned document's history (django-reversion's `VersionAdmin`), a "Compare
    with previous" and a "Compare with current" link on each saved version: what changed
    in `compare_fields`, word by word (`text_diff.diff_html`). Put it before VersionAdmin."""

    compare_fields = ("title", "description", "body")
    object_history_template = "admin/website/object_history_with_compare.html"
    compare_template = "admin/website/revision_compare.html"

    def get_urls(self):
        return [
            # Positional like reversion's own revision page beside it.
            re_path(
                r"^([^/]+)/history/(\d+)/compare/$",
                self.admin_site.admin_view(self.compare_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_compare",
            ),
            *super().get_urls(),
        ]

    def _compare_url(self, object_id, version_id, against=""):
        url = reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_compare",
            args=(quote(object_id), version_id),
        )
        return f"{url}?against={against}" if against else url

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        actions = getattr(response, "context_data", {}).get("action_list")
        if actions:
            object_id = unquote(object_id)
            versions = Version.objects.get_for_object_reference(self.model, object_id)
            by_revision = dict(versions.values_list("revision_id", "pk"))
            oldest, newest = min(by_revision.values()), max(by_revision.values())
            for action in actions:
                version_id = by_revision[action["revision"].pk]
                if version_id != oldest:
                    action["compare_url"] = self._compare_url(object_id, version_id)
                if version_id != newest:
                    action["compare_current_url"] = self._compare_url(
                        object_id, version_id, "current"
                    )
        return response

    def compare_view(self, request, object_id, version_id):
        object_id = unquote(object_id)
        document = self.get_object(request, object_id)
        if document is None:
            raise Http404
        if not self.has_view_or_change_permission(request, document):
            raise PermissionDenied
        # Newest first, so the first older than `version` is the one just before it.
        versions = (
            Version.objects.get_for_object(document)
            .select_related("revision", "revision__user")
            .order_by("-pk")
        )
        version = versions.filter(pk=version_id).first()
        if version is None:
            raise Http404
        against_current = request.GET.get("against") == "current"
        earlier = None if against_current else versions.filter(pk__lt=version.pk).first()
        try:
            if against_current:
                old, new = (
                    version.field_dict,
                    {n: getattr(document, n) for n in self.compare_fields},
                )
            else:
                old, new = (earlier.field_dict if earlier else {}), version.field_dict
        except RevertError as error:  # saved before a change to the model it cannot follow
            messages.error(request, str(error))
            return redirect(self._history_url(object_id))
        fields = []
        for name in self.compare_fields:
            html = diff_html(old.get(name) or "", new.get(name) or "")
            label = capfirst(self.opts.get_field(name).verbose_name)
            fields.append({"label": label, "diff": html, "changed": bool(html)})
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": document,
            "title": _("What changed in %(name)s") % {"name": document},
            "version": version,
            "earlier": earlier,
            "against_current": against_current,
            "fields": fields,
            "changed": any(field["changed"] for field in fields),
            "previous_url": self._compare_url(object_id, version.pk),
            "current_url": self._compare_url(object_id, version.pk, "current"),
            "history_url": self._history_url(object_id),
            "revision_url": reverse(
                f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_revision",
                args=(quote(object_id), version.pk),
            ),
        }
        return TemplateResponse(request, self.compare_template, context)

    def _history_url(self, object_id):
        return reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_history",
            args=(quote(object_id),),
        )
