"""Local communities' pages: the public directory and each community's page; a member
proposes a community and sees their communities; leaders edit their own community and
create its events; executors decide proposals, add and remove leaders, close a community.

Reads go through `selectors` (`visible_to`, `editable_by`, `hosting_for`): a leader of
another community gets 403 on this one's edit and new-event pages, and never reaches its
events in the organiser's pages (events' `organised_by`). Every write is one service call."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bpd.audit import selectors as audit_log
from bpd.audit.verbs import Verb
from bpd.communities import forms, hub, selectors, services
from bpd.communities.models import Community, Leadership, Membership
from bpd.events import services as events
from bpd.members.roles import executor_required, is_executor
from bpd.website.caching import public_page
from bpd.website.forms import ConfirmForm
from bpd.website.templatetags.bpd import country_name

PER_PAGE = 20
HISTORY_SHOWN = 30


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Public pages -----------------------------------------------------------------------


@require_GET
@public_page
def index(request):
    form = forms.DirectoryFilterForm(request.GET or None, countries=selectors.countries())
    filters = form.filters()
    page = Paginator(selectors.directory(**filters), PER_PAGE).get_page(request.GET.get("page"))
    communities = list(page.object_list)
    dates = selectors.next_dates(communities)
    rows = [(community, dates.get(community.next_date_id)) for community in communities]
    context = {
        "form": form,
        "page_obj": page,
        "rows": rows,
        "query": _query(request),
        "filtered": bool(filters),
    }
    return render(request, "communities/community/index.html", context)


def _json_ld(community, text, logo_url) -> str:
    """schema.org Organization data for search engines."""
    url = settings.SITE_URL + reverse("communities:detail", args=[community.slug])
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": community.name,
        "url": url,
        "description": text.description[:500],
        "address": {
            "@type": "PostalAddress",
            "addressLocality": community.city.name,
            "addressCountry": community.country,
        },
        "parentOrganization": {"@type": "Organization", "name": "Black Python Devs"},
    }
    same_as = [address for address in [community.website, *community.links.split()] if address]
    if same_as:
        data["sameAs"] = same_as
    if logo_url:
        data["logo"] = settings.SITE_URL + logo_url
    text = json.dumps(data, ensure_ascii=False)
    # Inside <script>: nothing that could close the element or open a comment.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)


@require_GET
@public_page
def detail(request, slug):
    user = request.user
    community = get_object_or_404(selectors.visible_to(user).select_related("city"), slug=slug)
    text = selectors.text_for(community)
    logo_url = community.logo.url if community.logo else ""
    signed_in = user.is_authenticated
    context = {
        "community": community,
        "text": text,
        "text_language_name": dict(settings.LANGUAGES).get(text.language, text.language),
        "country": country_name(community.country),
        "links": community.links.split(),
        "logo_url": logo_url,
        "leaders": selectors.leaders(community, user),
        "members": selectors.member_count(community),
        "coming": selectors.coming_events(community),
        "membership": selectors.membership_of(community, user),
        "can_edit": signed_in and selectors.editable_by(user).filter(pk=community.pk).exists(),
        "can_host": signed_in and selectors.hosting_for(user).filter(pk=community.pk).exists(),
        "json_ld": _json_ld(community, text, logo_url)
        if community.status == Community.Status.ACTIVE
        else "",
        "Kind": Membership.Kind,
    }
    return render(request, "communities/community/detail.html", context)


# --- Joining, following, leaving -------------------------------------------------------------


def _active(slug):
    return get_object_or_404(Community.objects.active(), slug=slug)


@login_required
@require_POST
def join(request, slug):
    community = _active(slug)
    services.join(community=community, user=request.user, kind=Membership.Kind.MEMBER)
    messages.success(
        request,
        _("You joined %(name)s: its next event shows on your hub.") % {"name": community.name},
    )
    return redirect("communities:detail", community.slug)


@login_required
@require_POST
def follow(request, slug):
    community = _active(slug)
    services.join(community=community, user=request.user, kind=Membership.Kind.FOLLOWER)
    messages.success(
        request,
        _("You follow %(name)s: its next event shows on your hub.") % {"name": community.name},
    )
    return redirect("communities:detail", community.slug)


@login_required
@require_POST
def leave(request, slug):
    community = _active(slug)
    if services.leave(community=community, user=request.user):
        messages.success(request, _("You left %(name)s.") % {"name": community.name})
    else:
        messages.info(request, _("You were not a member of %(name)s.") % {"name": community.name})
    return redirect("communities:detail", community.slug)


# --- A member's communities and proposals -------------------------------------------------------


@login_required
def propose(request):
    form = forms.ProposeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.propose(
                by=request.user, data=form.community_data(), logo=form.cleaned_data.get("logo")
            )
        except services.CommunityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _(
                    "Thank you. Your proposal waits for the executors' decision; you will get "
                    "an email, and its state is below."
                ),
            )
            return redirect("communities:mine")
    return render(request, "communities/community/propose.html", {"form": form})


@login_required
def mine(request):
    found = selectors.mine(request.user)
    led = [(community, hub.leader_links(community)) for community in found.led]
    context = {"mine": found, "led": led}
    return render(request, "communities/community/mine.html", context)


# --- Leaders: editing and events ------------------------------------------------------------------


def _community_for(request, slug, allowed):
    """The community at `slug` if `request.user` may see it (else 404), and may do this to
    it by `allowed` (a selector of communities; else 403)."""
    community = get_object_or_404(
        selectors.visible_to(request.user).select_related("city"), slug=slug
    )
    if not allowed(request.user).filter(pk=community.pk).exists():
        raise PermissionDenied
    return community


@login_required
def edit(request, slug):
    community = _community_for(request, slug, selectors.editable_by)
    staff = is_executor(request.user)
    form = forms.EditForm(
        request.POST or None, request.FILES or None, community=community, staff=staff
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_community(
                community=community,
                by=request.user,
                data=form.community_data(),
                texts=form.texts(),
                logo=form.cleaned_data.get("logo"),
                remove_logo=form.cleaned_data.get("remove_logo", False),
            )
        except services.CommunityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("communities:detail", community.slug)
    return render(
        request, "communities/community/edit.html", {"form": form, "community": community}
    )


@login_required
def new_event(request, slug):
    community = _community_for(request, slug, selectors.hosting_for)
    form = forms.CommunityEventForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(
                community=community, by=request.user, data=form.data_for_service()
            )
        except (services.CommunityError, events.EventError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Event saved as a draft. Check its dates, then publish it.")
            )
            return redirect("events:manage_event", event.pk)
    return render(
        request, "communities/community/new_event.html", {"form": form, "community": community}
    )


# --- Executors ------------------------------------------------------------------------------------


@executor_required
def manage(request):
    status = request.GET.get("status", "")
    if status not in Community.Status.values:
        status = ""
    page = Paginator(selectors.for_staff(status=status), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "waiting": list(selectors.waiting_proposals()),
        "page_obj": page,
        "status": status,
        "statuses": Community.Status.choices,
        "query": _query(request),
    }
    return render(request, "communities/community/manage.html", context)


def _staff_community(pk):
    return get_object_or_404(Community.objects.select_related("city", "proposed_by"), pk=pk)


def _close_confirm(data=None):
    return ConfirmForm(
        data,
        label=_(
            "I understand that the community leaves the directory and its leaders no longer act for it"
        ),
        auto_id="close_%s",
    )


def _history(community):
    """[(entry, what it says)]: the latest audit entries about the community, each with
    its reason, or what a change changed, in words."""
    rows = []
    for entry in audit_log.history(community).order_by("-at", "-pk")[:HISTORY_SHOWN]:
        after = entry.after or {}
        if entry.reason:
            said = entry.reason
        elif "hosted_event" in after:
            said = _("Hosts %(event)s") % {"event": after["hosted_event"]}
        elif "leader" in after:
            said = after["leader"]
        elif entry.verb == Verb.COMMUNITY_CHANGED and after:
            said = ", ".join(_field_name(name) for name in after)
        else:
            said = ""
        rows.append((entry, said))
    return rows


def _field_name(name):
    if name == "texts":
        return _("description in other languages")
    try:
        return str(Community._meta.get_field(name).verbose_name)
    except LookupError:
        return name


def _removal_form(leadership, data=None):
    return forms.ReasonForm(
        data,
        auto_id=f"remove_{leadership.pk}_%s",
        help_text=_("Emailed to them and kept in the audit log. Up to 500 characters."),
    )


def _manage_page(request, community, **bound):
    leaders = selectors.staff_leaders(community)
    failed = bound.pop("remove", None)  # (leadership pk, bound form)
    removals = [
        (
            leadership,
            failed[1] if failed and failed[0] == leadership.pk else _removal_form(leadership),
        )
        for leadership in leaders
    ]
    context = {
        "community": community,
        "country": country_name(community.country),
        "text": selectors.text_for(community),
        "approve_form": forms.NoteForm(required=False, auto_id="approve_%s"),
        "decline_form": forms.NoteForm(auto_id="decline_%s"),
        "leader_form": forms.AddLeaderForm(auto_id="leader_%s"),
        "removals": removals,
        "close_form": forms.ReasonForm(auto_id="close_reason_%s"),
        "close_confirm": _close_confirm(),
        "history": _history(community),
        "Status": Community.Status,
        # The refused removal's form, by name too, so the page's error summary finds it.
        "removal_refused": failed[1] if failed else None,
        **bound,
    }
    return render(request, "communities/community/manage_community.html", context)


@executor_required
def manage_community(request, pk):
    return _manage_page(request, _staff_community(pk))


def _done(request, community, text):
    messages.success(request, text)
    return redirect("communities:manage_community", community.pk)


@executor_required
@require_POST
def approve(request, pk):
    community = _staff_community(pk)
    form = forms.NoteForm(request.POST, required=False, auto_id="approve_%s")
    if form.is_valid():
        try:
            services.approve(community=community, by=request.user, note=form.cleaned_data["note"])
        except services.CommunityError as error:
            form.add_error(None, str(error))
        else:
            return _done(
                request,
                community,
                _("%(name)s is active; whoever proposed it leads it and has been emailed.")
                % {"name": community.name},
            )
    return _manage_page(request, community, approve_form=form)


@executor_required
@require_POST
def decline(request, pk):
    community = _staff_community(pk)
    form = forms.NoteForm(request.POST, auto_id="decline_%s")
    if form.is_valid():
        try:
            services.decline(community=community, by=request.user, note=form.cleaned_data["note"])
        except services.CommunityError as error:
            form.add_error(None, str(error))
        else:
            return _done(
                request, community, _("Declined; the member who proposed it has been emailed.")
            )
    return _manage_page(request, community, decline_form=form)


@executor_required
@require_POST
def add_leader(request, pk):
    community = _staff_community(pk)
    form = forms.AddLeaderForm(request.POST, auto_id="leader_%s")
    if form.is_valid():
        try:
            services.add_leader(
                community=community, by=request.user, email=form.cleaned_data["email"]
            )
        except services.CommunityError as error:
            form.add_error("email", str(error))
        else:
            return _done(request, community, _("Leader added; they have been emailed."))
    return _manage_page(request, community, leader_form=form)


@executor_required
@require_POST
def remove_leader(request, pk):
    leadership = get_object_or_404(Leadership.objects.select_related("community"), pk=pk)
    community = _staff_community(leadership.community_id)
    form = _removal_form(leadership, request.POST)
    if form.is_valid():
        try:
            services.remove_leader(
                leadership=leadership, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.CommunityError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, community, _("Leader removed; they have been emailed."))
    return _manage_page(request, community, remove=(leadership.pk, form))


@executor_required
@require_POST
def close(request, pk):
    community = _staff_community(pk)
    form = forms.ReasonForm(request.POST, auto_id="close_reason_%s")
    confirm = _close_confirm(request.POST)
    if form.is_valid() and confirm.is_valid():
        try:
            services.close(community=community, by=request.user, reason=form.cleaned_data["reason"])
        except services.CommunityError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, community, _("The community is closed."))
    return _manage_page(request, community, close_form=form, close_confirm=confirm)


public_patterns = [
    path("", index, name="index"),
]

urlpatterns = [
    path("propose/", propose, name="propose"),
    path("mine/", mine, name="mine"),
    path("manage/", manage, name="manage"),
    path("manage/<int:pk>/", manage_community, name="manage_community"),
    path("manage/<int:pk>/approve/", approve, name="approve"),
    path("manage/<int:pk>/decline/", decline, name="decline"),
    path("manage/<int:pk>/leaders/", add_leader, name="add_leader"),
    path("manage/leaders/<int:pk>/remove/", remove_leader, name="remove_leader"),
    path("manage/<int:pk>/close/", close, name="close"),
]
# A community's own addresses take any slug: communities/urls.py lists them after every
# other path of the app, so "mine/" or "manage/" never reach them (and services never
# gives a community a slug another page uses).
slug_patterns = [
    path("<slug:slug>/", detail, name="detail"),
    path("<slug:slug>/edit/", edit, name="edit"),
    path("<slug:slug>/events/new/", new_event, name="new_event"),
    path("<slug:slug>/join/", join, name="join"),
    path("<slug:slug>/follow/", follow, name="follow"),
    path("<slug:slug>/leave/", leave, name="leave"),
]
