"""Staff: import a conference list from a file, checking it first (a dry run) and then
confirming. Between the two steps the file waits in the session, so it is sent once."""

import hashlib

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from bpd.conferences import importers
from bpd.members.roles import executor_required

SESSION_KEY = "conference_import"


class ImportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            (importers.PYTHON_ORGANIZERS, _("CSV of the python-organizers/conferences list")),
            (importers.BPD_JSON, _("JSON of the former BPD site (_data/conferences.json)")),
        ],
        widget=forms.RadioSelect,
    )
    file = forms.FileField(label=_("File"), help_text=_("Up to 2 MB, UTF-8."))
    dry_run = forms.BooleanField(
        label=_("Check only: show what would change and write nothing"),
        required=False,
        initial=True,
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > importers.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return file


@executor_required
@require_http_methods(["GET", "POST"])
def import_conferences(request):
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    report, token = None, None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        content = data["file"].read()
        report = importers.import_file(
            path_or_file=_Upload(content),
            format=data["format"],
            by=request.user,
            dry_run=data["dry_run"],
        )
        if report.ok and data["dry_run"]:
            token = hashlib.sha256(content).hexdigest()
            request.session[SESSION_KEY] = {
                "token": token,
                "format": data["format"],
                "content": content.decode("utf-8-sig"),
            }
    return render(
        request,
        "conferences/import.html",
        {"form": form, "report": report, "token": token},
    )


def _confirm(request):
    waiting = request.session.get(SESSION_KEY)
    if not waiting or waiting["token"] != request.POST["token"]:
        messages.error(request, _("That check has expired. Choose the file again."))
        return redirect("conferences:import")
    report = importers.import_file(
        path_or_file=_Upload(waiting["content"].encode()),
        format=waiting["format"],
        by=request.user,
    )
    if report.ok:
        del request.session[SESSION_KEY]
    return render(
        request,
        "conferences/import.html",
        {"form": ImportForm(), "report": report, "token": None},
    )


class _Upload:
    """File contents already read (the size was checked by the form)."""

    def __init__(self, content: bytes):
        self.content, self.size = content, len(content)

    def read(self, limit=-1):
        return self.content


urlpatterns = [path("manage/import/", import_conferences, name="import")]
