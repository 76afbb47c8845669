"""Learning programmes' pages: the public list and a programme's page (its reading
list and cohorts, signing up and withdrawing), the member's own programmes, and the
host's page for a cohort and each session's attendance."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bpd.events.models import Occurrence
from bpd.learning import manage_views, selectors, services
from bpd.learning.forms import AttendanceForm, ShowCompletionForm
from bpd.learning.models import Attendance, Cohort, Enrolment, Programme
from bpd.members import services as members
from bpd.members.models import Profile
from bpd.members.selectors import ProfileView
from bpd.members.visibility import Visibility
from bpd.website.caching import public_page

app_name = "learning"
E = Enrolment.Status


@require_GET
@public_page
def index(request):
    return render(request, "learning/index.html", {"programmes": selectors.index()})


@require_GET
@public_page
def detail(request, slug):
    programme = get_object_or_404(selectors.published(), slug=slug)
    text = selectors.text_for(programme)
    context = {
        "programme": programme,
        "text": text,
        "text_language_name": dict(settings.LANGUAGES).get(text.language, text.language),
        "materials": selectors.materials(programme),
        "cohorts": selectors.cohorts(programme, request.user),
        "E": E,
    }
    return render(request, "learning/detail.html", context)


@login_required
@require_POST
def sign_up(request, pk):
    cohort = get_object_or_404(
        Cohort.objects.filter(programme__status=Programme.Status.PUBLISHED).select_related(
            "programme"
        ),
        pk=pk,
    )
    try:
        enrolment = services.sign_up(cohort=cohort, user=request.user)
    except services.LearningError as error:
        messages.error(request, str(error))
    else:
        if enrolment.status == E.ENROLLED:
            messages.success(request, _("You have a place. We emailed you the details."))
        else:
            messages.success(
                request,
                _("The cohort is full: you are on its waiting list, and we will email you."),
            )
    return redirect("learning:detail", cohort.programme.slug)


def _own(request, pk):
    return get_object_or_404(
        Enrolment.objects.filter(user=request.user).select_related("cohort__programme"), pk=pk
    )


@login_required
@require_POST
def withdraw(request, pk):
    enrolment = _own(request, pk)
    try:
        services.withdraw(enrolment=enrolment, user=request.user)
    except services.LearningError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("You have withdrawn. Your place goes to the next person waiting.")
        )
    return redirect("learning:mine")


@require_GET
@login_required
def mine(request):
    context = {
        "enrolments": selectors.enrolments_of(request.user),
        "hosting": list(
            Cohort.objects.filter(hosts=request.user).select_related("programme").order_by("-pk")
        ),
        "E": E,
    }
    return render(request, "learning/mine.html", context)


@login_required
@require_POST
def show_completion(request, pk):
    enrolment = _own(request, pk)
    form = ShowCompletionForm(request.POST)
    shown = form.is_valid() and form.cleaned_data["shown"]
    try:
        services.show_completion(enrolment=enrolment, user=request.user, shown=shown)
    except services.LearningError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Your profile shows this completion.")
            if shown
            else _("Your profile no longer shows it."),
        )
    return redirect("learning:mine")


# --- Hosts ------------------------------------------------------------------------------------


def _hosted(request, pk):
    return get_object_or_404(
        selectors.hosted_by(request.user).select_related("programme", "event"), pk=pk
    )


def _named(enrolment, viewer):
    """A person as the host may see them: through their profile's visibility."""
    try:
        profile = enrolment.user.profile
    except Profile.DoesNotExist:
        profile = None
    view = ProfileView(profile, viewer) if profile else None
    enrolment.name = (view.display_name if view else "") or _("A member (name not shared)")
    enrolment.private_name_seen = bool(
        view
        and profile.name_visibility < Visibility.MEMBERS
        and view.display_name
        and not view.is_self
    )
    return enrolment


def _people(request, cohort):
    rows = [
        _named(e, request.user)
        for e in cohort.enrolments.exclude(status=E.WITHDRAWN)
        .select_related("user__profile")
        .order_by("signed_up_at", "pk")
    ]
    seen = [(row.user, ["display_name"]) for row in rows if row.private_name_seen]
    if seen:
        members.record_access(staff=request.user, seen=seen, context="learning cohort")
    return rows


@require_GET
@login_required
def host(request, pk):
    cohort = _hosted(request, pk)
    people = _people(request, cohort)
    sessions = []
    if cohort.event_id:
        sessions = list(
            Occurrence.objects.filter(event_id=cohort.event_id).order_by("starts_at")[:200]
        )
    context = {
        "cohort": cohort,
        "taking_part": [p for p in people if p.status == E.ENROLLED],
        "waiting": [p for p in people if p.status == E.WAITING],
        "sessions": sessions,
        "now": timezone.now(),
    }
    return render(request, "learning/host.html", context)


@login_required
def attendance(request, pk, occurrence):
    cohort = _hosted(request, pk)
    session = get_object_or_404(Occurrence, pk=occurrence, event_id=cohort.event_id or -1)
    going = [p for p in _people(request, cohort) if p.status == E.ENROLLED]
    came = set(
        Attendance.objects.filter(
            occurrence=session, attended=True, enrolment__cohort=cohort
        ).values_list("enrolment_id", flat=True)
    )
    form = AttendanceForm(initial={"attended": [str(pk) for pk in came]}, people=going)
    started = session.starts_at <= timezone.now()
    if request.method == "POST" and started:
        form = AttendanceForm(request.POST, people=going)
        if form.is_valid():
            chosen = set(form.cleaned_data["attended"])
            try:
                services.record_attendance(
                    cohort=cohort,
                    occurrence=session,
                    by=request.user,
                    attended={row.pk: str(row.pk) in chosen for row in going},
                )
            except services.LearningError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Attendance saved."))
            return redirect("learning:host", cohort.pk)
    context = {
        "cohort": cohort,
        "session": session,
        "form": form,
        "started": started,
        "people": going,
    }
    return render(request, "learning/attendance.html", context)


urlpatterns = [
    path("", index, name="index"),
    path("mine/", mine, name="mine"),
    path("cohorts/<int:pk>/sign-up/", sign_up, name="sign_up"),
    path("cohorts/<int:pk>/host/", host, name="host"),
    path("cohorts/<int:pk>/sessions/<int:occurrence>/", attendance, name="attendance"),
    path("enrolments/<int:pk>/withdraw/", withdraw, name="withdraw"),
    path("enrolments/<int:pk>/show/", show_completion, name="show_completion"),
    *manage_views.urlpatterns,
    # A programme's own page last, so it never hides another path.
    path("<slug:slug>/", detail, name="detail"),
]
