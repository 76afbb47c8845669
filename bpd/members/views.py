import hashlib
import logging
import secrets
from dataclasses import dataclass

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.internal.flows.login_by_code import LoginCodeVerificationProcess
from allauth.account.views import SignupView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bpd.audit import selectors as audit
from bpd.members import selectors, services
from bpd.members.clients.discord import client_for
from bpd.members.clients.http import ServiceError
from bpd.members.demo import ROLE_ACCOUNTS, demo_email
from bpd.members.forms import (
    AboutForm,
    AuditFilterForm,
    CareerForm,
    ContactForm,
    DeleteAccountForm,
    DirectoryFilterForm,
    ExpertiseFilterForm,
    InviteForm,
    LinksForm,
    OnboardingForm,
    PrivacyForm,
    RolesForm,
    WhereForm,
    summary,
)
from bpd.members.jobs import CONTACT_KEPT
from bpd.members.middleware import remember_time_zone
from bpd.members.models import Connection, Invite, Profile
from bpd.members.roles import Role, executor_required, is_executor, role_names
from bpd.members.templatetags.member_labels import kind_label
from bpd.members.visibility import reach
from bpd.website import languages, registry, spreadsheet
from bpd.website.forms import ConfirmForm
from bpd.website.models import SiteSettings
from bpd.website.templatetags.bpd import form_fields
from bpd.website.versions import versioned

PER_PAGE = 24
log = logging.getLogger(__name__)


class JoinView(SignupView):
    """allauth's sign-up, except that a known address gets a sign-in code instead of an error.

    The answer is the same whether or not the address has an account ("we sent you a
    sign-in code"), so the form cannot tell anyone who is a member."""

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is not None:
            LoginCodeVerificationProcess.initiate(request=self.request, user=user, email=email)
            return redirect("account_confirm_login_code")
        return super().form_valid(form)


def _profile(user):
    """The member's profile; an account made outside sign-up (e.g. by `createsuperuser`) gets
    an unsaved one that the onboarding form saves (pages never write on GET)."""
    return Profile.objects.filter(user=user).first() or Profile(user=user)


@login_required
def home(request):
    profile = _profile(request.user)
    if profile.onboarded_at is None:
        return redirect("members:onboarding")
    view = selectors.ProfileView(profile, request.user)
    roles = [Role(name).label for name in sorted(role_names(request.user)) if name in Role.values]
    tasks, cards = registry.hub(request.user)
    context = {"view": view, "profile": profile, "roles": roles, "tasks": tasks, "cards": cards}
    return render(request, "members/home.html", context)


@login_required
def onboarding(request):
    profile = _profile(request.user)
    form = OnboardingForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        services.save_profile(profile=profile, form=form, onboarding=True)
        remember_time_zone(request, profile.time_zone)
        messages.success(request, _("Welcome to Black Python Devs! Your profile is ready."))
        return redirect("members:home")
    return render(request, "members/onboarding.html", {"form": form})


@dataclass(frozen=True)
class Section:
    """One part of the profile, edited on its own page with its own short form."""

    slug: str
    title: str
    form: type

    @property
    def url(self):
        return reverse(f"members:edit_profile_{self.slug}")


SECTIONS = {
    section.slug: section
    for section in (
        Section("about", gettext_lazy("About you"), AboutForm),
        Section("where", gettext_lazy("Where you are"), WhereForm),
        Section("career", gettext_lazy("Career and expertise"), CareerForm),
        Section("links", gettext_lazy("Links"), LinksForm),
        Section("privacy", gettext_lazy("Privacy"), PrivacyForm),
    )
}


@login_required
def edit_profile(request):
    """The profile in short sections, each with what it holds now and a link to change it."""
    profile = _profile(request.user)
    if profile.onboarded_at is None:
        return redirect("members:onboarding")
    sections = [(section, summary(section.form(instance=profile))) for section in SECTIONS.values()]
    context = {"view": selectors.ProfileView(profile, request.user), "sections": sections}
    return render(request, "members/edit_profile.html", context)


@login_required
def edit_profile_section(request, section):
    """One section of the profile: its own form, saved on its own, back to the overview."""
    section = SECTIONS[section]
    profile = _profile(request.user)
    if profile.onboarded_at is None:
        return redirect("members:onboarding")
    form = section.form(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        services.save_profile(profile=profile, form=form)
        remember_time_zone(request, profile.time_zone)
        messages.success(
            request, _("Your changes to “%(section)s” are saved.") % {"section": section.title}
        )
        return redirect(f"{reverse('members:edit_profile')}#{section.slug}")
    return render(request, "members/edit_profile_section.html", {"form": form, "section": section})


@login_required
def directory(request):
    audience = reach(request.user)
    # The page is the same for everyone in an audience, for one query string and language:
    # keep it until a profile changes. The key never holds anything about the viewer.
    raw = f"{audience}|{languages.current()}|{request.GET.urlencode()}|{selectors.DIRECTORY.get()}"
    key = "directory:" + hashlib.sha1(raw.encode()).hexdigest()
    cached = versioned.get(key)
    if cached is None:
        form = DirectoryFilterForm(request.GET or None)
        filters = {k: v for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v}
        profiles = selectors.directory(audience, **filters)
        page = Paginator(profiles, PER_PAGE).get_page(request.GET.get("page"))
        views = [selectors.ProfileView(p, audience=audience) for p in page.object_list]
        query = request.GET.copy()
        query.pop("page", None)
        results = render_to_string(
            "members/_directory_results.html",
            {"page_obj": page, "views": views, "query": query.urlencode()},
            request=request,
        )
        cached = (form_fields(form), results)
        versioned.set(key, cached, 600)
    form_html, results = cached
    # Both were rendered by us from our own templates: safe to insert as HTML.
    return render(
        request,
        "members/directory.html",
        {"form_html": mark_safe(form_html), "results": mark_safe(results)},
    )


@login_required
def profile_detail(request, pk):
    view = selectors.profile_for(request.user, pk)
    if view is None:
        raise Http404
    if is_executor(request.user):
        seen = [(view.profile.user, view.private_fields_seen())]
        services.record_access(staff=request.user, seen=seen, context="member profile page")
    connections = view.profile.user.connections.all() if view.can_see("links_visibility") else []
    context = {
        "view": view,
        "connections": connections,
        "achievements": registry.profile_lines(view.profile.user),
    }
    return render(request, "members/profile.html", context)


# Contact through the expertise directory --------------------------------------------

# A field people never see or fill in (hidden from sight, screen readers and the
# keyboard); programs that fill every field give themselves away.
HONEYPOT = "homepage"


def _contact_origin(request):
    """Where a message comes from, for the rate limits: the member's account, or the
    visitor's IP address (as the sign-in's rate limits read it), as a keyed hash."""
    if request.user.is_authenticated:
        source = f"account:{request.user.pk}"
    else:
        source = f"ip:{get_account_adapter(request).get_client_ip(request)}"
    return salted_hmac("members.contact.origin", source, algorithm="sha256").hexdigest()


def contact(request, pk):
    """Write to a member listed in the expertise directory; the message goes on by email
    and the member's address is never shown."""
    profile = selectors.contactable(pk)
    if profile is None:
        raise Http404
    initial = {}
    if request.user.is_authenticated:
        initial = {
            "sender_name": _profile(request.user).display_name,
            "sender_email": request.user.email,
        }
    form = ContactForm(request.POST or None, kinds=profile.expertise_kinds, initial=initial)
    status = 200
    if request.method == "POST" and request.POST.get(HONEYPOT):
        log.info("Contact form for member %s: hidden field filled in; nothing sent", profile.pk)
        return redirect("members:contact_sent", pk=profile.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.relay_contact_message(
                profile=profile, origin=_contact_origin(request), **form.cleaned_data
            )
        except services.ContactRefused as refusal:
            form.add_error(None, str(refusal))
            status = 429
        else:
            return redirect("members:contact_sent", pk=profile.pk)
    view = selectors.ProfileView(profile, request.user)
    context = {"form": form, "view": view, "honeypot": HONEYPOT}
    return render(request, "members/contact.html", context, status=status)


def contact_sent(request, pk):
    """What happens next, once a message is on its way."""
    profile = selectors.expertise_directory().filter(pk=pk).first()
    if profile is None:
        raise Http404
    view = selectors.ProfileView(profile, request.user)
    context = {"view": view, "kept_days": CONTACT_KEPT.days}
    return render(request, "members/contact_sent.html", context)


def expertise(request):
    form = ExpertiseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    profiles = selectors.expertise_directory(**{k: v for k, v in filters.items() if v})
    page = Paginator(profiles, PER_PAGE).get_page(request.GET.get("page"))
    views = [selectors.ProfileView(profile, request.user) for profile in page.object_list]
    return render(
        request, "members/expertise.html", {"form": form, "page_obj": page, "views": views}
    )


# Connections ---------------------------------------------------------------

PROVIDERS = [Connection.Provider.GITHUB, Connection.Provider.DISCORD]


@login_required
def connections(request):
    existing = {c.provider: c for c in request.user.connections.all()}
    rows = []
    for provider in PROVIDERS:
        client = client_for(provider)
        rows.append({"provider": provider, "client": client, "connection": existing.get(provider)})
    invite_url = SiteSettings.load()["settings"].discord_invite_url
    return render(
        request, "members/connections.html", {"rows": rows, "discord_invite_url": invite_url}
    )


def _callback_url(request, provider):
    return request.build_absolute_uri(reverse("members:connection_callback", args=[provider]))


@login_required
@require_POST
def connection_start(request, provider):
    if provider not in PROVIDERS:
        raise Http404
    client = client_for(provider)
    if not client.configured:
        messages.error(request, _("Connecting this account is not set up on this site yet."))
        return redirect("members:connections")
    state = secrets.token_urlsafe(16)
    request.session[f"connect-{provider}"] = state
    return redirect(
        client.authorize_url(redirect_uri=_callback_url(request, provider), state=state)
    )


@login_required
def connection_callback(request, provider):
    if provider not in PROVIDERS:
        raise Http404
    expected = request.session.pop(f"connect-{provider}", None)
    if not expected or request.GET.get("state") != expected or not request.GET.get("code"):
        messages.error(
            request, _("That connection attempt expired or was not started here. Try again.")
        )
        return redirect("members:connections")
    client = client_for(provider)
    try:
        token = client.exchange_code(
            code=request.GET["code"], redirect_uri=_callback_url(request, provider)
        )
        account = client.account(token)
        services.connect_account(
            user=request.user,
            provider=provider,
            external_id=account["id"],
            username=account["username"],
        )
        if provider == Connection.Provider.DISCORD and client.can_add_to_server:
            client.add_to_server(user_id=account["id"], token=token)
            messages.success(request, _("Discord connected, and you have joined our server."))
        else:
            messages.success(request, _("Account connected."))
    except ServiceError:
        messages.error(
            request, _("We could not reach the service. Nothing was changed; try again later.")
        )
    except ValueError as error:
        messages.error(request, str(error))
    return redirect("members:connections")


@login_required
@require_POST
def connection_remove(request, provider):
    services.disconnect_account(user=request.user, provider=provider)
    messages.success(request, _("Account disconnected."))
    return redirect("members:connections")


# Own your data ------------------------------------------------------------


@login_required
def my_data(request):
    if request.method == "POST":
        export = services.export_member_data(user=request.user)
        response = HttpResponse(export.content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response
    return render(request, "members/my_data.html")


@login_required
def delete_account(request):
    data = request.POST if request.method == "POST" else None  # an empty POST still counts
    form = DeleteAccountForm(data)
    confirm = ConfirmForm(
        data,
        label=_("I understand that my account and personal data are deleted for good."),
    )
    if request.method == "POST" and form.is_valid() and confirm.is_valid():
        services.delete_account(user=request.user, published=form.cleaned_data["published"])
        messages.success(
            request, _("Your account and personal data have been deleted. Goodbye, and thank you.")
        )
        return redirect("pages:home")
    return render(request, "members/delete_account.html", {"form": form, "confirm": confirm})


# Invites -------------------------------------------------------------------


def invite(request, token):
    invite = get_object_or_404(Invite.objects.prefetch_related("groups"), token=token)
    roles = [Role(group.name).label for group in invite.groups.all() if group.name in Role.values]
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_request_login_code')}?next={request.path}")
        try:
            services.redeem_invite(invite=invite, user=request.user)
        except services.InviteError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Welcome! Your new roles are active."))
            return redirect("members:home")
    return render(request, "members/invite.html", {"invite": invite, "roles": roles})


# Staff ---------------------------------------------------------------------


@executor_required
def staff_home(request):
    return render(request, "members/staff/home.html")


@executor_required
def staff_members(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    profiles = selectors.directory(reach(request.user), **{k: v for k, v in filters.items() if v})
    if request.GET.get("format") == "csv":
        return _members_csv(request, profiles.select_related("user"))
    page = Paginator(profiles.select_related("user"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = [selectors.ProfileView(profile, request.user) for profile in page.object_list]
    seen = [(row.profile.user, row.private_fields_seen()) for row in rows]
    services.record_access(staff=request.user, seen=seen, context="staff member list")
    return render(
        request,
        "members/staff/members.html",
        {"form": form, "page_obj": page, "rows": rows, "query": query.urlencode()},
    )


def _members_csv(request, profiles):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="members.csv"'
    writer = None
    seen = []
    for profile in profiles:
        row = selectors.leaders_view_fields(profile)
        if writer is None:
            writer = spreadsheet.DictWriter(response, fieldnames=list(row))
            writer.writeheader()
        writer.writerow(row)
        seen.append(
            (profile.user, selectors.ProfileView(profile, request.user).private_fields_seen())
        )
    services.record_access(staff=request.user, seen=seen, context="CSV export")
    return response


@executor_required
def staff_roles(request, pk):
    """An executor changes another member's roles; the change and its reason are audited."""
    profile = get_object_or_404(Profile.objects.select_related("user"), pk=pk)
    user = profile.user
    current = [r for r in role_names(user) if r in Role.values and r != Role.MEMBER]
    form = RolesForm(request.POST or None, initial={"roles": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_roles(
                actor=request.user,
                user=user,
                roles=form.cleaned_data["roles"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Roles saved."))
            return redirect("members:staff_members")
        except services.RoleError as error:
            form.add_error(None, str(error))
    view = selectors.ProfileView(profile, request.user)
    seen = [(user, view.private_fields_seen())]
    services.record_access(staff=request.user, seen=seen, context="roles page")
    return render(request, "members/staff/roles.html", {"form": form, "view": view})


@executor_required
def staff_invites(request):
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invite = services.create_invite(
            created_by=request.user,
            groups=form.cleaned_data["groups"],
            expires_at=form.expires_at(),
            max_uses=form.cleaned_data["max_uses"],
            email=form.cleaned_data["email"],
            note=form.cleaned_data["note"],
        )
        link = request.build_absolute_uri(reverse("members:invite", args=[invite.token]))
        messages.success(request, _("Invite created. Send this link: %(link)s") % {"link": link})
        return redirect("members:staff_invites")
    invites = Invite.objects.select_related("created_by").prefetch_related("groups")[:100]
    return render(request, "members/staff/invites.html", {"form": form, "invites": invites})


@executor_required
def staff_invite_revoke(request, pk):
    """GET asks for confirmation; POST with the box ticked withdraws the invite."""
    invite = get_object_or_404(Invite.objects.prefetch_related("groups"), pk=pk)
    if invite.revoked_at is not None:
        messages.info(request, _("This invite was already withdrawn."))
        return redirect("members:staff_invites")
    confirm = ConfirmForm(
        request.POST if request.method == "POST" else None,  # an empty POST still counts
        label=_("I understand that nobody can use this invite link any more."),
    )
    if request.method == "POST" and confirm.is_valid():
        services.revoke_invite(invite=invite, actor=request.user)
        messages.success(request, _("Invite withdrawn."))
        return redirect("members:staff_invites")
    return render(
        request, "members/staff/invite_revoke.html", {"invite": invite, "confirm": confirm}
    )


@executor_required
def staff_audit(request):
    """The platform's audit log, filtered by person, object and verb."""
    form = AuditFilterForm(request.GET or None, subject_types=audit.subject_types())
    # The form lists the stored codes ("fund.application"); people read the model's name.
    form.fields["subject_type"].choices = [
        (code, kind_label(code) if code else label)
        for code, label in form.fields["subject_type"].choices
    ]
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit.search(**{k: v for k, v in filters.items() if v})
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "members/staff/audit.html",
        {"form": form, "page_obj": page, "query": query.urlencode()},
    )


# Development only ----------------------------------------------------------


def demo_sign_in(request):
    if not settings.DEMO_SIGN_IN:
        raise Http404
    # One account per role: enough to walk every page, and the list stays short.
    demo = get_user_model().objects.filter(
        email__in=[demo_email(role.value) for role in ROLE_ACCOUNTS]
    )
    if request.method == "POST":
        chosen = request.POST.get("user", "")
        user = get_object_or_404(demo, pk=chosen if chosen.isdigit() else None)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("members:home")
    return render(request, "members/demo_sign_in.html", {"accounts": demo.order_by("email")})
