"""Offers' part of "download my data" and "delete my account": the member's claims.

The export holds every claim with its offer, partner, state, the member's own code and,
for a seat, exactly what was shared with the partner and when. On deletion the claims
stay without the person (the foreign key sets the member to NULL), so the partner's
counts and the pool stay right; the email shared for a seat is erased first."""

from django.utils.translation import gettext as _

from bpd.partners import selectors
from bpd.partners.models import Claim
from bpd.website.registry import Section
from bpd.website.templatetags.bpd import moment

MODELS = {
    "partners.Claim": (
        "a member's claims of partner offers are exported (offer, partner, state, their code, "
        "the email shared for a seat and when); on deletion the claims stay without the "
        "person, for the partner's counts and the pool, and the shared email is erased"
    ),
    "partners.PartnerPerson": (
        "the partners a member acts for are exported by name; the link goes with the account "
        "(its foreign key cascades), the partner stays"
    ),
    "partners.Offer": (
        "offers a member wrote or decided stay (they are the partner's and BPD's); who wrote "
        "or decided them is cleared when the account is deleted, the audit log keeps the act"
    ),
    "partners.Redemption": (
        "redemptions a partner's person reported stay (counts for the partner); who reported "
        "them is cleared when the account is deleted"
    ),
}


def collect(user):
    rows = []
    for claim in selectors.mine(user):
        offer, code = claim.offer, selectors.code_of(claim)
        rows.append(
            {
                "partner": offer.partner.name,
                "offer": offer.title,
                "value": offer.value,
                "kind": offer.kind,
                "status": claim.status,
                "claimed_at": claim.claimed_at,
                "code": code.code if code else "",
                "redeem_at": offer.url,
                "until": offer.ends_at,
                "shared_email": claim.shared_email,
                "shared_at": claim.consented_at,
                "provisioned_at": claim.provisioned_at,
                "used_at": claim.used_at,
                "ended_at": claim.ended_at,
                "end_reason": claim.end_reason,
            }
        )
    acts_for = list(user.partner_roles.order_by("pk").values_list("partner__name", flat=True))
    return {"claims": rows, "acts_for_partners": acts_for}


def forget(user, published_choice):
    """Erase the emails shared for seats; the claims themselves lose the member through
    their foreign key when the account goes."""
    return Claim.objects.filter(user=user).exclude(shared_email="").update(shared_email="")


def readable(data):
    statuses = dict(Claim.Status.choices)
    rows = []
    for claim in data["claims"]:
        lines = [(_("What you get"), claim["value"]), (_("Claimed"), moment(claim["claimed_at"]))]
        if claim["code"]:
            lines.append((_("Your code"), claim["code"]))
        if claim["redeem_at"]:
            lines.append((_("Where to use it"), claim["redeem_at"]))
        if claim["until"]:
            lines.append((_("Until"), moment(claim["until"])))
        if claim["shared_email"]:
            lines.append(
                (
                    _("Shared with the partner"),
                    _("%(email)s on %(when)s")
                    % {"email": claim["shared_email"], "when": moment(claim["shared_at"])},
                )
            )
        if claim["end_reason"]:
            lines.append((_("Why it ended"), claim["end_reason"]))
        title = _("%(partner)s: %(offer)s") % {"partner": claim["partner"], "offer": claim["offer"]}
        rows.append((title, str(statuses.get(claim["status"], claim["status"])), lines))
    for name in data.get("acts_for_partners", []):
        rows.append((_("You act for the partner"), name))
    return [Section(_("Your codes and seats from partners"), rows)] if rows else []
