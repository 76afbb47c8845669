"""A member's side of events (RSVP, cancel, confirm an offered seat, "My events", the
calendar settings) and the organiser's attendee list with its CSV export and attendance.

Thin views: each parses what was posted and calls one function of `bpd.events.rsvp`."""

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bpd.events import rsvp as rsvps
from bpd.events.models import CalendarSettings, Event, Occurrence, Rsvp
from bpd.members import services as members
from bpd.members.models import Profile
from bpd.members.selectors import ProfileView
from bpd.members.visibility import Visibility
from bpd.website import spreadsheet
from bpd.website.forms import ConfirmForm

S = Rsvp.Status


# --- A member's answers ------------------------------------------------------------------


def _open_occurrence(request, pk):
    """An occurrence of an event the member may see (drafts only for their organisers)."""
    events = Event.objects.published() | Event.objects.organised_by(request.user)
    return get_object_or_404(Occurrence.objects.select_related("event"), pk=pk, event__in=events)


def _answer(request, pk, action, success):
    occurrence = _open_occurrence(request, pk)
    try:
        row = action(occurrence=occurrence, member=request.user)
    except rsvps.RsvpError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success(row))
    return redirect(reverse("events:detail", args=[occurrence.event.slug]))


def _rsvp_message(row):
    if row.status == S.GOING:
        return _("You have a seat. We will remind you by email before it starts.")
    if row.status == S.OFFERED:
        return _("A seat is offered to you: confirm it on “My events”.")
    return _(
        "All seats are taken: you are on the waiting list. If a seat comes free, we will email you."
    )


@login_required
@require_POST
def rsvp_view(request, pk):
    return _answer(request, pk, rsvps.rsvp, _rsvp_message)


@login_required
@require_POST
def cancel_view(request, pk):
    return _answer(
        request,
        pk,
        rsvps.cancel_rsvp,
        lambda row: _("Your RSVP is cancelled. Thank you for freeing the place."),
    )


@login_required
@require_POST
def confirm_view(request, pk):
    return _answer(
        request, pk, rsvps.confirm_seat, lambda row: _("Your seat is confirmed. See you there.")
    )


@login_required
def mine(request):
    return render(request, "events/rsvp/mine.html", {"mine": rsvps.my_events(request.user)})


# --- Calendar settings ---------------------------------------------------------------------


class RemindersForm(forms.Form):
    reminders = forms.BooleanField(
        label=capfirst(CalendarSettings._meta.get_field("reminders").verbose_name),
        help_text=gettext_lazy("24 hours and 1 hour before each date you have a seat at."),
        required=False,
    )


def _renew_confirm(data=None):
    return ConfirmForm(
        data,
        label=_("I understand that the current address stops working at once."),
        auto_id="renew_%s",
    )


@login_required
def calendar_settings(request):
    """Reminders on or off, and the secret address of the member's calendar feed. A GET
    writes nothing: the settings are made by the first POST."""
    current = CalendarSettings.objects.filter(member=request.user).first()
    form = RemindersForm(initial={"reminders": current.reminders if current else True})
    renew = _renew_confirm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            rsvps.create_calendar_settings(member=request.user)
            messages.success(request, _("Your calendar address is ready."))
            return redirect("events:calendar_settings")
        if action == "reminders":
            form = RemindersForm(request.POST)
            if form.is_valid():
                on = form.cleaned_data["reminders"]
                rsvps.set_reminders(member=request.user, on=on)
                messages.success(
                    request,
                    _("Reminders are on.")
                    if on
                    else _("Reminders are off: we will not email you."),
                )
                return redirect("events:calendar_settings")
        if action == "renew":
            renew = _renew_confirm(request.POST)
            if renew.is_valid():
                rsvps.renew_feed_token(member=request.user)
                messages.success(
                    request, _("Your calendar has a new address: the old one no longer works.")
                )
                return redirect("events:calendar_settings")
    feed_url = ""
    if current is not None:
        feed_url = settings.SITE_URL + reverse("events:personal_feed", args=[current.feed_token])
    context = {"settings": current, "form": form, "renew": renew, "feed_url": feed_url}
    return render(request, "events/rsvp/calendar_settings.html", context)


# --- The organiser's attendee list ------------------------------------------------------------


class AttendanceForm(forms.Form):
    attended = forms.MultipleChoiceField(
        label=gettext_lazy("Who came"),
        help_text=gettext_lazy("Tick everyone who was there; the others are marked absent."),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(str(row.pk), row.name) for row in people]


def _name(row, viewer):
    """A person as the viewer may see them: through their profile's visibility."""
    profile = _profile(row.member)
    view = ProfileView(profile, viewer) if profile else None
    row.name = (view.display_name if view else "") or _("A member (name not shared)")
    shared_narrowly = profile and profile.name_visibility < Visibility.MEMBERS
    row.private_name_seen = bool(
        view and shared_narrowly and view.display_name and not view.is_self
    )
    return row


def _profile(member):
    try:
        return member.profile
    except Profile.DoesNotExist:
        return None


def _record_names_seen(request, rows, context):
    seen = [(row.member, ["display_name"]) for row in rows if row.private_name_seen]
    if seen:
        members.record_access(staff=request.user, seen=seen, context=context)


@login_required
def attendees(request, pk):
    occurrence = get_object_or_404(
        Occurrence.objects.select_related("event"),
        pk=pk,
        event__in=Event.objects.organised_by(request.user),
    )
    rows = [_name(row, request.user) for row in rsvps.attendees(occurrence)]
    going = [row for row in rows if row.status == S.GOING]
    if request.GET.get("format") == "csv":
        return _csv(request, occurrence, rows)
    started = occurrence.starts_at <= timezone.now()
    initial = {"attended": [str(row.pk) for row in going if row.attended]}
    form = AttendanceForm(initial=initial, people=going)
    if request.method == "POST" and started:
        form = AttendanceForm(request.POST, people=going)
        if form.is_valid():
            chosen = set(form.cleaned_data["attended"])
            try:
                rsvps.record_attendance(
                    occurrence=occurrence,
                    by=request.user,
                    attended={row.pk: str(row.pk) in chosen for row in going},
                )
            except rsvps.RsvpError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Attendance saved."))
            return redirect("events:attendees", occurrence.pk)
    _record_names_seen(request, rows, "event attendees")
    context = {
        "occurrence": occurrence,
        "event": occurrence.event,
        "going": going,
        "offered": [row for row in rows if row.status == S.OFFERED],
        "waiting": [row for row in rows if row.status == S.WAITING],
        "cancelled": [row for row in rows if row.status == S.CANCELLED],
        "form": form,
        "started": started,
        "came": sum(1 for row in going if row.attended),
    }
    return render(request, "events/rsvp/attendees.html", context)


def _csv(request, occurrence, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"attendees-{occurrence.event.slug}-{occurrence.starts_at:%Y%m%d-%H%M}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = spreadsheet.Writer(response)
    writer.writerow(
        [_("Name"), _("Status"), _("Place on the waiting list"), _("Offer ends (UTC)"), _("Came")]
    )
    came = {True: _("yes"), False: _("no"), None: ""}
    for row in rows:
        writer.writerow(
            [
                row.name,
                row.get_status_display(),
                row.position if row.status == S.WAITING else "",
                row.offer_expires_at.astimezone(dt.UTC).isoformat(timespec="minutes")
                if row.offer_expires_at and row.status == S.OFFERED
                else "",
                came[row.attended] if row.status == S.GOING else "",
            ]
        )
    rsvps.record_export(occurrence=occurrence, by=request.user, count=len(rows))
    _record_names_seen(request, rows, "event attendees CSV export")
    return response


urlpatterns = [
    path("occurrences/<int:pk>/rsvp/", rsvp_view, name="rsvp"),
    path("occurrences/<int:pk>/cancel/", cancel_view, name="cancel_rsvp"),
    path("occurrences/<int:pk>/confirm/", confirm_view, name="confirm_seat"),
    path("mine/", mine, name="mine"),
    path("calendar/", calendar_settings, name="calendar_settings"),
    path("manage/occurrences/<int:pk>/attendees/", attendees, name="attendees"),
]
