"""The pages of the people who run learning programmes.

Executors: the list of every programme, a new programme, a programme's page (its text in
each language, its cohorts), a new cohort. A cohort's hosts (and executors): their
cohort's settings, and the programme's materials (its reading list). Others: 403 on the
executors' pages, 404 on a programme or cohort they do not run."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bpd.learning import manage
from bpd.learning.manage_forms import CohortForm, MaterialForm, ProgrammeForm
from bpd.learning.models import Cohort, Enrolment, Material, Programme
from bpd.members.roles import executor_required, is_executor

E = Enrolment.Status


def _field_error(form, error):
    """A service's refusal shown at its field (or above the form)."""
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error))


@executor_required
@require_GET
def index(request):
    programmes = Programme.objects.annotate(
        cohort_count=Count("cohorts", distinct=True),
        taking_part=Count("cohorts__enrolments", filter=Q(cohorts__enrolments__status=E.ENROLLED)),
    ).order_by("status", "title", "pk")
    return render(request, "learning/manage/index.html", {"programmes": programmes})


@executor_required
def programme_new(request):
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = manage.save_programme(by=request.user, data=form.data_for_service())
        except manage.ManageError as error:
            _field_error(form, error)
        else:
            messages.success(request, _("Programme saved. Now add a cohort and its materials."))
            return redirect("learning:programme_edit", programme.slug)
    return render(request, "learning/manage/programme_new.html", {"form": form})


@executor_required
def programme_edit(request, slug):
    programme = get_object_or_404(Programme, slug=slug)
    form = ProgrammeForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            programme = manage.save_programme(
                programme=programme, by=request.user, data=form.data_for_service()
            )
        except manage.ManageError as error:
            _field_error(form, error)
        else:
            messages.success(request, _("Programme saved."))
            return redirect("learning:programme_edit", programme.slug)
    cohorts = programme.cohorts.annotate(
        taking_part=Count("enrolments", filter=Q(enrolments__status=E.ENROLLED)),
        waiting=Count("enrolments", filter=Q(enrolments__status=E.WAITING)),
    ).select_related("event")
    context = {"programme": programme, "form": form, "cohorts": cohorts}
    return render(request, "learning/manage/programme.html", context)


@executor_required
def cohort_new(request, slug):
    programme = get_object_or_404(Programme, slug=slug)
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            manage.save_cohort(
                programme=programme,
                by=request.user,
                data=form.data_for_service(),
                hosts=form.cleaned_data["hosts"],
            )
        except manage.ManageError as error:
            _field_error(form, error)
        else:
            messages.success(request, _("Cohort saved."))
            return redirect("learning:programme_edit", programme.slug)
    context = {"programme": programme, "form": form, "cohort": None}
    return render(request, "learning/manage/cohort.html", context)


@login_required
def cohort_edit(request, pk):
    executor = is_executor(request.user)
    cohorts = Cohort.objects.select_related("programme", "event")
    if not executor:
        cohorts = cohorts.filter(hosts=request.user)
    cohort = get_object_or_404(cohorts, pk=pk)
    form = CohortForm(request.POST or None, cohort=cohort, executor=executor)
    if request.method == "POST" and form.is_valid():
        try:
            manage.save_cohort(
                cohort=cohort,
                by=request.user,
                data=form.data_for_service(),
                hosts=form.cleaned_data["hosts"] if executor else None,
            )
        except manage.ManageError as error:
            _field_error(form, error)
        else:
            messages.success(request, _("Cohort saved."))
            return redirect("learning:host", cohort.pk)
    context = {"programme": cohort.programme, "form": form, "cohort": cohort}
    return render(request, "learning/manage/cohort.html", context)


def _run(request, programme):
    if not manage.may_run_programme(request.user, programme):
        raise Http404


@login_required
def materials(request, slug):
    programme = get_object_or_404(Programme, slug=slug)
    _run(request, programme)
    form = MaterialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            manage.save_material(programme=programme, by=request.user, data=form.data_for_service())
        except manage.ManageError as error:
            _field_error(form, error)
        else:
            messages.success(request, _("Material added."))
            return redirect("learning:materials", programme.slug)
    context = {
        "programme": programme,
        "form": form,
        "materials": programme.materials.select_related("offer__partner"),
        "executor": is_executor(request.user),
    }
    return render(request, "learning/manage/materials.html", context)


def _material(request, pk):
    material = get_object_or_404(Material.objects.select_related("programme"), pk=pk)
    _run(request, material.programme)
    return material


@login_required
def material_edit(request, pk):
    material = _material(request, pk)
    form = MaterialForm(request.POST or None, material=material)
    if request.method == "POST" and form.is_valid():
        try:
            manage.save_material(
                material=material,
                programme=material.programme,
                by=request.user,
                data=form.data_for_service(),
            )
        except manage.ManageError as error:
            _field_error(form, error)
        else:
            messages.success(request, _("Material saved."))
            return redirect("learning:materials", material.programme.slug)
    context = {"material": material, "programme": material.programme, "form": form}
    return render(request, "learning/manage/material.html", context)


@login_required
@require_POST
def material_remove(request, pk):
    material = _material(request, pk)
    slug = material.programme.slug
    manage.remove_material(material=material, by=request.user)
    messages.success(request, _("Material removed from the list."))
    return redirect("learning:materials", slug)


urlpatterns = [
    path("manage/", index, name="manage"),
    path("manage/new/", programme_new, name="programme_new"),
    path("manage/<slug:slug>/", programme_edit, name="programme_edit"),
    path("manage/<slug:slug>/cohorts/new/", cohort_new, name="cohort_new"),
    path("manage/<slug:slug>/materials/", materials, name="materials"),
    path("cohorts/<int:pk>/edit/", cohort_edit, name="cohort_edit"),
    path("materials/<int:pk>/edit/", material_edit, name="material_edit"),
    path("materials/<int:pk>/remove/", material_remove, name="material_remove"),
]
