"""Sponsored tickets: members apply and answer offers; leaders of the hosting community
(and executors) set up, run and follow the draw; anyone reads a draw's public page and
checks it with the downloadable script.

Thin views: each fetches through a gate in `bpd.communities.tickets` (a record outside
it is a 404), parses one form and calls one service."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bpd.communities import lottery, tickets
from bpd.communities import tickets_forms as f
from bpd.communities.models import Draw, TicketEntry
from bpd.members import services as members
from bpd.members.models import Profile
from bpd.members.roles import is_executor
from bpd.members.selectors import ProfileView
from bpd.members.visibility import Visibility
from bpd.website.caching import public_page

E = TicketEntry.Status
PER_PAGE = 100
SCRIPT = Path(__file__).resolve().parent.parent / "verify_draw.py"


# --- Members ------------------------------------------------------------------------------


@login_required
def index(request):
    """Tickets you can apply for, and your own entries with their state."""
    mine = tickets.my_entries(request.user)
    now = timezone.now()
    context = {
        "offers": [
            e for e in mine if e.status == E.OFFERED and e.confirm_by and e.confirm_by > now
        ],
        "open": tickets.open_for(request.user),
        "mine": mine,
        "manages": _manages(request.user),
    }
    return render(request, "communities/tickets/index.html", context)


def _manages(user):
    return is_executor(user) or bool(tickets.led_community_ids(user))


@login_required
def apply(request, pk):
    draw = get_object_or_404(
        tickets.published_draws().select_related("request__community", "request__city"), pk=pk
    )
    reason = tickets.ineligible_reason(draw, request.user)
    form = f.ApplyForm(request.POST or None)
    if request.method == "POST" and reason is None and form.is_valid():
        try:
            entry = tickets.apply(
                draw=draw, user=request.user, statement=form.cleaned_data["statement"]
            )
        except tickets.TicketError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("You are in the draw with number %(number)d. We will email you the result.")
                % {"number": entry.number},
            )
            return redirect("communities:tickets")
    context = {"draw": draw, "sponsorship": draw.request, "reason": reason, "form": form}
    return render(request, "communities/tickets/apply.html", context)


def _own_entry(request, pk):
    return get_object_or_404(
        TicketEntry.objects.filter(user=request.user).select_related("draw__request"), pk=pk
    )


def _answer(request, pk, action, success):
    entry = _own_entry(request, pk)
    try:
        action(entry=entry, user=request.user)
    except tickets.TicketError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(reverse("communities:tickets") + "#mine")


@login_required
@require_POST
def confirm(request, pk):
    return _answer(request, pk, tickets.confirm, _("Your ticket is confirmed. Enjoy the event."))


@login_required
@require_POST
def decline(request, pk):
    return _answer(
        request, pk, tickets.decline, _("The ticket is no longer yours: it goes to the next entry.")
    )


@login_required
@require_POST
def withdraw(request, pk):
    return _answer(request, pk, tickets.withdraw, _("Your application is withdrawn."))


# --- Leaders and executors ---------------------------------------------------------------


def _manager_required(request):
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_request_login_code')}?next={request.path}")
    if not (is_executor(request.user) or tickets.led_community_ids(request.user)):
        raise PermissionDenied
    return None


def manage(request):
    """The draws of the communities this person leads (every draw for executors): what to
    set up, run, give codes for and record attendance of."""
    denied = _manager_required(request)
    if denied:
        return denied
    user = request.user
    requests = (
        tickets.drawable_requests(user)
        .filter(draw__isnull=True)
        .select_related("community")
        .order_by("starts_on", "pk")
    )
    draws = list(
        tickets.managed_draws(user)
        .select_related("request__community")
        .annotate(**tickets.draw_counts())
        .order_by("-closes_at", "-pk")[:200]
    )
    now = timezone.now()
    for draw in draws:
        draw.stage = tickets.stage(draw, now)
        draw.stage_label = tickets.STAGE_LABELS[draw.stage]
    context = {"requests": list(requests[:200]), "draws": draws, "executor": is_executor(user)}
    return render(request, "communities/tickets/manage.html", context)


def _managed_draw(request, pk):
    return get_object_or_404(
        tickets.managed_draws(request.user).select_related("request__community", "request__city"),
        pk=pk,
    )


@login_required
def setup(request, pk):
    sponsorship = get_object_or_404(
        tickets.drawable_requests(request.user).select_related("community", "city"), pk=pk
    )
    draw = Draw.objects.filter(request=sponsorship).first()
    form = f.DrawSetupForm(request.POST or None, request=sponsorship)
    if request.method == "POST":
        if draw is not None:
            messages.error(
                request,
                _(
                    "This draw is published: its rules, commitment and randomness source "
                    "cannot change any more."
                ),
            )
            return redirect("communities:draw_setup", sponsorship.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                draw = tickets.publish_draw(
                    request=sponsorship,
                    by=request.user,
                    tickets=data["tickets"],
                    opens_at=data["opens_at"],
                    closes_at=data["closes_at"],
                    radius_km=data["radius_km"],
                    priorities=data["priorities"],
                    confirm_days=data["confirm_days"],
                    randomness_source=data["randomness_source"],
                )
            except tickets.TicketError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request, _("The draw is published. Members near the event can apply.")
                )
                return redirect("communities:draw", draw.pk)
    context = {"sponsorship": sponsorship, "draw": draw, "form": form}
    return render(request, "communities/tickets/setup.html", context)


@login_required
def run(request, pk):
    draw = _managed_draw(request, pk)
    form = f.RunForm(request.POST or None)
    now = timezone.now()
    if request.method == "POST" and form.is_valid():
        try:
            result = tickets.run_draw(
                draw=draw, by=request.user, randomness_value=form.cleaned_data["randomness_value"]
            )
        except tickets.TicketError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The draw is done: %(offered)d of %(entries)d entries are offered a ticket.")
                % {"offered": result.offered, "entries": result.entries},
            )
            return redirect("communities:draw", draw.pk)
    context = {
        "draw": draw,
        "sponsorship": draw.request,
        "form": form,
        "entries": draw.entries.filter(status=E.ENTERED).count(),
        "closed": now >= draw.closes_at,
    }
    return render(request, "communities/tickets/run.html", context)


def _named(rows, viewer):
    """Each entry with `name`: its member as the viewer may see them (profile visibility),
    and whether that was a name shared with leaders and staff only."""
    for row in rows:
        profile = _profile(row.user) if row.user_id else None
        view = ProfileView(profile, viewer) if profile else None
        row.name = (view.display_name if view else "") or _("A member (name not shared)")
        narrow = profile and profile.name_visibility < Visibility.MEMBERS
        row.private_name_seen = bool(view and narrow and view.display_name and not view.is_self)
    return rows


def _profile(user):
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def _record_names_seen(request, rows, context):
    seen = [(row.user, ["display_name"]) for row in rows if row.private_name_seen]
    if seen:
        members.record_access(staff=request.user, seen=seen, context=context)


def _winners(draw, viewer):
    rows = (
        draw.entries.filter(status=E.CONFIRMED)
        .select_related("user__profile", "code")
        .order_by("rank")
    )
    return _named(list(rows), viewer)


@login_required
def codes(request, pk):
    draw = _managed_draw(request, pk)
    form = f.CodesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = tickets.import_codes(draw=draw, by=request.user, text=form.cleaned_data["text"])
        except tickets.TicketError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(count)d codes added.") % {"count": added})
            return redirect("communities:draw_codes", draw.pk)
    return _codes_page(request, draw, form=form)


def _codes_page(request, draw, **forms):
    winners = _winners(draw, request.user)
    without = [row for row in winners if not hasattr(row, "code")]
    for row in winners:
        row.has_code = hasattr(row, "code")
    _record_names_seen(request, winners, "ticket winners")
    counts = draw.codes.aggregate(**tickets.code_counts())
    context = {
        "draw": draw,
        "sponsorship": draw.request,
        "winners": winners,
        "counts": counts,
        "form": forms.get("form") or f.CodesForm(),
        "by_name": forms.get("by_name") or f.ByNameForm(entries=without),
        "without": without,
        "issued": forms.get("issued") or f.IssuedForm(),
        "complete": tickets.codes_complete(draw),
        "paid": draw.request.status == tickets.R.PAID,
    }
    return render(request, "communities/tickets/codes.html", context)


@login_required
@require_POST
def by_name(request, pk):
    draw = _managed_draw(request, pk)
    without = _winners(draw, request.user)
    form = f.ByNameForm(request.POST, entries=[row for row in without if not hasattr(row, "code")])
    if form.is_valid():
        entry = TicketEntry(pk=form.cleaned_data["entry"])
        try:
            tickets.register_by_name(draw=draw, entry=entry, by=request.user)
        except tickets.TicketError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Registered: the winner is told by email."))
        return redirect("communities:draw_codes", draw.pk)
    return _codes_page(request, draw, by_name=form)


@login_required
@require_POST
def issued(request, pk):
    draw = _managed_draw(request, pk)
    form = f.IssuedForm(request.POST)
    if form.is_valid():
        try:
            tickets.mark_tickets_issued(
                draw=draw,
                by=request.user,
                anyway=form.cleaned_data["anyway"],
                comment=form.cleaned_data["comment"],
            )
        except tickets.TicketError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The sponsorship's tickets are marked issued."))
        return redirect("communities:draw_codes", draw.pk)
    return _codes_page(request, draw, issued=form)


@login_required
def attendance(request, pk):
    draw = _managed_draw(request, pk)
    winners = _winners(draw, request.user)
    started = tickets.event_started(draw)
    form = f.AttendanceForm(
        request.POST if request.method == "POST" and started else None,
        initial={"attended": [row.pk for row in winners if row.attended]},
        entries=winners,
    )
    if request.method == "POST" and started and form.is_valid():
        chosen = set(form.cleaned_data["attended"])
        try:
            tickets.record_attendance(
                draw=draw, by=request.user, attended={row.pk: row.pk in chosen for row in winners}
            )
        except tickets.TicketError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Attendance saved."))
        return redirect("communities:draw_attendance", draw.pk)
    executor = is_executor(request.user)
    if executor:
        earlier = tickets.no_shows(row.user_id for row in winners if row.user_id)
        for row in winners:
            row.no_shows = earlier.get(row.user_id, 0) - (row.attended is False)
    _record_names_seen(request, winners, "ticket attendance")
    context = {
        "draw": draw,
        "sponsorship": draw.request,
        "winners": winners,
        "form": form,
        "started": started,
        "executor": executor,
        "came": sum(1 for row in winners if row.attended),
    }
    return render(request, "communities/tickets/attendance.html", context)


# --- Public ---------------------------------------------------------------------------------


def _public_draw(pk):
    return get_object_or_404(
        tickets.published_draws().select_related("request__community", "request__city"), pk=pk
    )


@require_GET
@public_page
def draw_page(request, pk):
    draw = _public_draw(pk)
    drawn = draw.drawn_at is not None
    rows = draw.entries.exclude(status=E.WITHDRAWN)
    rows = rows.order_by("rank", "number") if drawn else rows.order_by("number")
    page = Paginator(
        rows.only("draw_id", "number", "tier", "key", "rank", "status", "attended"), PER_PAGE
    ).get_page(request.GET.get("page"))
    mine = None
    if request.user.is_authenticated:
        mine = draw.entries.filter(user=request.user).exclude(status=E.WITHDRAWN).first()
    context = {
        "draw": draw,
        "sponsorship": draw.request,
        "drawn": drawn,
        "page_obj": page,
        "count": page.paginator.count,
        "mine": mine,
        "tiers": tickets.tier_table(draw),
        "open": tickets.is_open(draw),
        "executor": is_executor(request.user),
        "manager": request.user.is_authenticated and tickets.may_manage(request.user, draw.request),
        "seed_message": lottery.seed_message(
            draw.secret, draw.randomness_source, draw.randomness_value
        ).decode()
        if drawn
        else "",
    }
    return render(request, "communities/tickets/draw.html", context)


@require_GET
def draw_json(request, pk):
    draw = _public_draw(pk)
    response = JsonResponse(tickets.draw_json(draw), json_dumps_params={"indent": 1})
    response["Content-Disposition"] = f'attachment; filename="draw-{draw.pk}.json"'
    return response


@require_GET
def verify_script(request):
    if not SCRIPT.is_file():
        raise Http404
    response = FileResponse(
        SCRIPT.open("rb"), content_type="text/x-python; charset=utf-8", as_attachment=True,
        filename="verify_draw.py",
    )  # fmt: skip
    return response


public_patterns = [
    path("draws/verify_draw.py", verify_script, name="verify_script"),
    path("draws/<int:pk>/", draw_page, name="draw"),
    path("draws/<int:pk>/draw.json", draw_json, name="draw_json"),
]

urlpatterns = [
    path("tickets/", index, name="tickets"),
    path("tickets/manage/", manage, name="draws_manage"),
    path("tickets/<int:pk>/apply/", apply, name="ticket_apply"),
    path("tickets/entry/<int:pk>/confirm/", confirm, name="ticket_confirm"),
    path("tickets/entry/<int:pk>/decline/", decline, name="ticket_decline"),
    path("tickets/entry/<int:pk>/withdraw/", withdraw, name="ticket_withdraw"),
    path("tickets/setup/<int:pk>/", setup, name="draw_setup"),
    path("tickets/run/<int:pk>/", run, name="draw_run"),
    path("tickets/codes/<int:pk>/", codes, name="draw_codes"),
    path("tickets/codes/<int:pk>/by-name/", by_name, name="draw_by_name"),
    path("tickets/codes/<int:pk>/issued/", issued, name="draw_issued"),
    path("tickets/attendance/<int:pk>/", attendance, name="draw_attendance"),
]
