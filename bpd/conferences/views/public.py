"""The conference list as everyone sees it, and what members do there: follow, say
they speak, suggest a conference."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bpd.conferences import ical, panels, selectors, services
from bpd.conferences.forms import ConferenceForm, DeadlineFilterForm, FilterForm, TalkForm
from bpd.website.caching import public_page

PER_PAGE = 20


def _query(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@public_page
def index(request):
    """Upcoming published conferences, soonest first, with their next deadline."""
    form = FilterForm(request.GET or None, tags=selectors.all_tags())
    conferences = selectors.conference_list(**form.filters())
    page = Paginator(conferences, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "query": _query(request),
        "filtered": bool(request.GET.keys() - {"page"}),
    }
    return render(request, "conferences/index.html", context)


def detail(request, slug):
    conference = selectors.published(slug)
    if conference is None:
        raise Http404
    context = {
        "conference": conference,
        "deadlines": list(conference.deadlines.all()),
        "speakers": selectors.speakers(conference, request.user),
        "following": selectors.is_following(conference, request.user),
        "talk": selectors.own_talk(conference, request.user),
        "panels": panels.panels(conference),
    }
    return render(request, "conferences/detail.html", context)


@public_page
def deadlines(request):
    """Deadlines still ahead, soonest first, in the reader's zone with the original."""
    form = DeadlineFilterForm(request.GET or None)
    kind = form.cleaned_data.get("kind", "") if form.is_valid() else ""
    page = Paginator(selectors.deadline_list(kind=kind), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "conferences/deadlines.html",
        {"form": form, "page_obj": page, "query": _query(request)},
    )


def deadlines_ics(request):
    calendar = ical.deadlines_calendar(selectors.feed_deadlines())
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="conference-deadlines.ics"'
    return response


def _published_or_404(slug):
    conference = selectors.published(slug)
    if conference is None:
        raise Http404
    return conference


@login_required
@require_POST
def follow(request, slug):
    conference = _published_or_404(slug)
    services.follow(conference=conference, member=request.user)
    messages.success(
        request,
        _("You follow %(name)s: its deadlines reach your email and calendar feed.")
        % {"name": conference.name},
    )
    return redirect("conferences:detail", conference.slug)


@login_required
@require_POST
def unfollow(request, slug):
    conference = _published_or_404(slug)
    services.unfollow(conference=conference, member=request.user)
    messages.success(request, _("You no longer follow %(name)s.") % {"name": conference.name})
    return redirect("conferences:detail", conference.slug)


@login_required
def speaking(request, slug):
    """A member says they speak at this conference (and whether to show it), or takes it back."""
    conference = _published_or_404(slug)
    talk = selectors.own_talk(conference, request.user)
    initial = {"title": talk.title, "consent": talk.consent} if talk else {}
    form = TalkForm(request.POST or None, initial=initial)
    if request.method == "POST" and "remove" in request.POST:
        services.remove_talk(conference=conference, member=request.user)
        messages.success(request, _("Your talk is no longer listed."))
        return redirect("conferences:detail", conference.slug)
    if request.method == "POST" and form.is_valid():
        services.set_talk(
            conference=conference,
            member=request.user,
            title=form.cleaned_data["title"],
            consent=form.cleaned_data["consent"],
        )
        messages.success(request, _("Saved. Thank you for speaking!"))
        return redirect("conferences:detail", conference.slug)
    return render(
        request, "conferences/speaking.html", {"conference": conference, "form": form, "talk": talk}
    )


@login_required
def suggest(request):
    """A member suggests a conference; staff publish or reject it. Their suggestions and
    what became of them are listed below the form."""
    form = ConferenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.suggest(by=request.user, data=form.conference_data(), deadlines=form.deadlines())
        messages.success(
            request,
            _("Thank you! Staff will check it; you will get an email when it is published."),
        )
        return redirect("conferences:suggest")
    return render(
        request,
        "conferences/suggest.html",
        {"form": form, "mine": selectors.suggestions_by(request.user)},
    )


urlpatterns = [
    path("", index, name="index"),
    path("deadlines/", deadlines, name="deadlines"),
    path("deadlines.ics", deadlines_ics, name="deadlines_ics"),
    path("suggest/", suggest, name="suggest"),
    path("<slug:slug>/", detail, name="detail"),
    path("<slug:slug>/follow/", follow, name="follow"),
    path("<slug:slug>/unfollow/", unfollow, name="unfollow"),
    path("<slug:slug>/speaking/", speaking, name="speaking"),
]
