from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "bpd.communities"
    verbose_name = _("Local communities")

    def ready(self):
        # Imported here: models can be used only once the app registry is ready.
        from bpd.communities import models  # noqa: F401

        _register_communities()
        _register_sponsorship()
        from bpd.communities import payments_hub

        # The treasurer's task (sponsorships to pay), the Money card's link, the mail.
        payments_hub.register()
        _register_tickets()


def _register_sponsorship():
    """Sponsorship requests: the hub card and tasks (leaders, executors), the leader's
    link on the communities card, the public list of completed sponsorships (cached,
    in the footer and the sitemap), personal data, mail."""
    from bpd.communities import hub, sponsorship_data, sponsorship_hub
    from bpd.communities.models import Policy, RegionPool, SponsorshipRequest
    from bpd.website import mail, registry

    registry.add_hub(order=24, card=sponsorship_hub.card, tasks=sponsorship_hub.tasks)
    hub.add_leader_link(_("Request sponsorship"), "communities:sponsorship_new_for", order=30)
    registry.add_menu_link(
        "footer", _("Local events BPD sponsored"), "communities:sponsored", order=17,
        group="how-we-work",
    )  # fmt: skip
    registry.add_sitemap_section(sponsorship_hub.sitemap_entries, order=46)
    # The public list shows completed requests (and the policy's currency).
    registry.add_public_content(SponsorshipRequest, Policy, RegionPool)
    registry.add_personal_data(
        "sponsorship",
        collect=sponsorship_data.collect,
        models=sponsorship_data.MODELS,
        readable=sponsorship_data.readable,
    )
    mail.add_kinds(
        {
            "communities/email/request_submitted": _("Sponsorship: a request to review"),
            "communities/email/request_approved": _("Sponsorship: a request approved"),
            "communities/email/request_declined": _("Sponsorship: a request declined"),
            "communities/email/request_changes": _("Sponsorship: changes asked for"),
            "communities/email/request_cancelled": _("Sponsorship: a sponsorship cancelled"),
        }
    )


def _register_tickets():
    """Sponsored tickets: the hub card and tasks, the job that lapses unconfirmed offers,
    cached draw pages, personal data, mail."""
    from bpd.communities import ticket_data, ticket_jobs, tickets_hub  # noqa: F401
    from bpd.communities.models import Draw, TicketEntry
    from bpd.website import mail, registry

    registry.add_hub(order=23, card=tickets_hub.card, tasks=tickets_hub.tasks)
    # A draw's public page is cached for visitors: it shows entries and their outcomes.
    registry.add_public_content(Draw, TicketEntry)
    registry.add_personal_data(
        "sponsored_tickets",
        collect=ticket_data.collect,
        forget=ticket_data.forget,
        models=ticket_data.MODELS,
        readable=ticket_data.readable,
    )
    mail.add_kinds(
        {
            "communities/email/ticket_offered": _("Sponsored tickets: a ticket to confirm"),
            "communities/email/ticket_waiting": _("Sponsored tickets: on the waiting list"),
            "communities/email/ticket_lapsed": _("Sponsored tickets: an offer lapsed"),
            "communities/email/ticket_code": _("Sponsored tickets: the winner's code"),
        }
    )


def _register_communities():
    """Communities: menus, the hub card and tasks, the sitemap and the home page's list,
    cached pages, personal data, the events a community's leaders organise, mail."""
    from django.db.models.signals import post_delete, post_save

    from bpd.communities import hub, hub_tasks, models, personal_data, selectors, signals, sitemap
    from bpd.events import organiser
    from bpd.events.models import add_host_namer, add_organiser_scope
    from bpd.members.models import Profile
    from bpd.website import mail, registry

    registry.add_menu_link(
        "header", _("Communities"), "communities:index", order=16, current=_in_communities
    )
    registry.add_menu_link(
        "footer", _("Local communities"), "communities:index", order=16, group="take-part"
    )
    registry.add_programme(sitemap.programme, order=25)
    registry.add_sitemap_section(sitemap.entries, order=45)
    registry.add_hub(order=22, card=hub.card, tasks=hub_tasks.proposals)
    # The directory and community pages are cached for visitors: a change to a community,
    # its texts, leaders, members or the events it hosts rebuilds them (the events'
    # own dates are events' public content already), and so does a leader's profile.
    registry.add_public_content(
        models.Community,
        models.CommunityText,
        models.Leadership,
        models.Membership,
        models.HostedEvent,
    )
    post_save.connect(signals.profile_saved, sender=Profile, dispatch_uid="communities-leader")
    post_delete.connect(
        signals.profile_saved, sender=Profile, dispatch_uid="communities-leader-del"
    )
    registry.add_personal_data(
        "communities",
        collect=personal_data.collect,
        forget=personal_data.forget,
        models=personal_data.MODELS,
        readable=personal_data.readable,
    )
    # A community's leaders organise the events it hosts (events never imports us).
    add_organiser_scope(selectors.organiser_scope)
    add_host_namer(selectors.host_of_event)
    organiser.add_organiser_check(selectors.leads_any)
    organiser.add_new_event_links(_new_event_links)
    mail.add_kinds(
        {
            "communities/email/community_approved": _("Communities: a proposal approved"),
            "communities/email/community_declined": _("Communities: a proposal declined"),
            "communities/email/community_leader_added": _("Communities: made a leader"),
            "communities/email/community_leader_removed": _("Communities: no longer a leader"),
            "communities/email/new_event": _("Communities: a new event for members and followers"),
        }
    )


def _in_communities(request):
    match = getattr(request, "resolver_match", None)
    return getattr(match, "app_name", None) == "communities"


def _new_event_links(user):
    """The events organiser's "New event" for each active community `user` leads."""
    from django.urls import reverse
    from django.utils.translation import gettext

    from bpd.communities.models import Community

    led = Community.objects.led_by(user).filter(status=Community.Status.ACTIVE)
    return [
        (
            gettext("New event for %(community)s") % {"community": community.name},
            reverse("communities:new_event", args=[community.slug]),
        )
        for community in led.order_by("name", "pk")
    ]
