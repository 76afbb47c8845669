"""The organiser's pages: their events, creating and editing one, its dates with seats
taken and waiting, publishing, cancelling the event or one date, moving one date.

Executors organise every event; a local community's leaders organise the events their
community hosts (registered from above: `organiser.add_organiser_check` lets them open
these pages, `models.add_organiser_scope` gives them their events). Every event and date
is fetched through `Event.objects.organised_by(user)`, so anyone else's is a 404. Only
executors create an event here; a community creates its own from its pages."""

import zoneinfo

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bpd.events import discord, organiser, services
from bpd.events.forms import EventForm, MoveForm, ReasonForm, rule_in_words
from bpd.events.models import Event, Occurrence
from bpd.members.roles import executor_required, role_required
from bpd.website.forms import ConfirmForm

organiser_required = role_required(organiser.can_organise)


def _event(request, pk):
    return get_object_or_404(Event.objects.organised_by(request.user).select_related("city"), pk=pk)


def _occurrence(request, pk):
    events = Event.objects.organised_by(request.user)
    return get_object_or_404(
        Occurrence.objects.filter(event__in=events).select_related("event"), pk=pk
    )


def _zone_of(user):
    profile = getattr(user, "profile", None)
    return getattr(profile, "time_zone", "") or "UTC"


@organiser_required
def manage(request):
    context = organiser.events_for(request.user)
    context["new_event_links"] = organiser.new_event_links(request.user)
    return render(request, "events/manage/index.html", context)


@executor_required
def create(request):
    form = EventForm(request.POST or None, default_zone=_zone_of(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            event = services.save_event(event=None, by=request.user, data=form.data_for_service())
        except services.EventError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Event saved as a draft. Check its dates, then publish it.")
            )
            return redirect("events:manage_event", event.pk)
    return render(request, "events/manage/edit.html", {"form": form, "event": None})


@organiser_required
def edit(request, pk):
    event = _event(request, pk)
    if event.status == Event.Status.CANCELLED:
        messages.error(request, _("A cancelled event cannot be changed."))
        return redirect("events:manage_event", event.pk)
    form = EventForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_event(event=event, by=request.user, data=form.data_for_service())
        except services.EventError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Event saved."))
            return redirect("events:manage_event", event.pk)
    return render(request, "events/manage/edit.html", {"form": form, "event": event})


def publish_confirm_form(data=None):
    return ConfirmForm(
        data,
        label=_("I understand that members can see and answer this event once it is published"),
        auto_id="publish_%s",
    )


def _event_page(request, event, publish_confirm=None, status=200):
    coming, more, past = organiser.dates_of(event)
    local_start = event.starts_at.astimezone(zoneinfo.ZoneInfo(event.time_zone))
    context = {
        "event": event,
        "coming": coming,
        "more_coming": more,
        "past": past,
        "rule_words": rule_in_words(event.rule, local_start.date()),
        "publish_confirm": publish_confirm or publish_confirm_form(),
        "webhook_on": discord.webhook_configured(),
        "bot_on": discord.bot_configured(),
        "now": timezone.now(),
    }
    return render(request, "events/manage/event.html", context, status=status)


@organiser_required
def manage_event(request, pk):
    return _event_page(request, _event(request, pk))


@organiser_required
@require_POST
def publish(request, pk):
    event = _event(request, pk)
    confirm = publish_confirm_form(request.POST)
    if not confirm.is_valid():
        return _event_page(request, event, publish_confirm=confirm)
    try:
        services.publish_event(event=event, by=request.user)
    except services.EventError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The event is published."))
    return redirect("events:manage_event", event.pk)


@organiser_required
@require_POST
def announce(request, pk):
    event = _event(request, pk)
    try:
        services.announce_again(event=event, by=request.user)
    except services.EventError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Announced on Discord."))
    return redirect("events:manage_event", event.pk)


def _cancel_page(request, *, template, subject, act, done, label, back):
    reason = ReasonForm(request.POST or None)
    confirm = ConfirmForm(request.POST or None, label=label)
    if request.method == "POST" and reason.is_valid() and confirm.is_valid():
        try:
            act(reason.cleaned_data["reason"])
        except services.EventError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, done)
        return redirect(back)
    context = {"form": reason, "confirm_form": confirm, **subject}
    return render(request, template, context)


@organiser_required
def cancel_event(request, pk):
    event = _event(request, pk)
    if event.status == Event.Status.CANCELLED:
        messages.error(request, _("The event is cancelled already."))
        return redirect("events:manage_event", event.pk)
    return _cancel_page(
        request,
        template="events/manage/cancel_event.html",
        subject={"event": event},
        act=lambda reason: services.cancel_event(event=event, by=request.user, reason=reason),
        done=_("The event is cancelled; everyone with a seat or waiting has been emailed."),
        label=_(
            "I understand that every date still to come is cancelled, and this cannot be undone"
        ),
        back=_back(event),
    )


def _back(event):
    return reverse("events:manage_event", args=[event.pk])


@organiser_required
def cancel_occurrence(request, pk):
    occurrence = _occurrence(request, pk)
    if occurrence.cancelled:
        messages.error(request, _("This date is cancelled already."))
        return redirect("events:manage_event", occurrence.event_id)
    return _cancel_page(
        request,
        template="events/manage/cancel_occurrence.html",
        subject={"event": occurrence.event, "occurrence": occurrence},
        act=lambda reason: services.cancel_occurrence(
            occurrence=occurrence, by=request.user, reason=reason
        ),
        done=_("The date is cancelled; everyone with a seat or waiting has been emailed."),
        label=_("I understand that this date is cancelled, and this cannot be undone"),
        back=_back(occurrence.event),
    )


@organiser_required
def move_occurrence(request, pk):
    occurrence = _occurrence(request, pk)
    if occurrence.cancelled:
        messages.error(request, _("A cancelled date cannot be moved."))
        return redirect("events:manage_event", occurrence.event_id)
    form = MoveForm(request.POST or None, occurrence=occurrence)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_occurrence(
                occurrence=occurrence, by=request.user, starts_at=form.cleaned_data["starts_at"]
            )
        except services.EventError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The date is moved; everyone with a seat or waiting has been emailed.")
            )
            return redirect("events:manage_event", occurrence.event_id)
    context = {"form": form, "event": occurrence.event, "occurrence": occurrence}
    return render(request, "events/manage/move_occurrence.html", context)


urlpatterns = [
    path("manage/", manage, name="manage"),
    path("manage/new/", create, name="create"),
    path("manage/<int:pk>/", manage_event, name="manage_event"),
    path("manage/<int:pk>/edit/", edit, name="edit"),
    path("manage/<int:pk>/publish/", publish, name="publish"),
    path("manage/<int:pk>/announce/", announce, name="announce"),
    path("manage/<int:pk>/cancel/", cancel_event, name="cancel_event"),
    path("manage/occurrences/<int:pk>/cancel/", cancel_occurrence, name="cancel_occurrence"),
    path("manage/occurrences/<int:pk>/move/", move_occurrence, name="move_occurrence"),
]
