"""Writes for partners and their offers: staff set up a partner and the people who act
for it; a partner's people (or staff) write an offer and send it for approval; staff
approve or reject it; codes are added to a pool; staff revoke and re-issue claims.

Each function is one change: it takes the row lock of what it moves, checks the state it
starts from, writes, records itself in the audit log (`partners.*` verbs) and emails
people only once the change has committed. Refusals raise PartnerError (OfferInvalid for
an offer's fields, naming each field) and write nothing."""

import csv
import io
import secrets
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from bpd.audit import services as audit
from bpd.audit.verbs import Verb
from bpd.members import choices, mail, regions
from bpd.members import services as members
from bpd.members.models import User
from bpd.members.roles import Role, is_executor
from bpd.partners.models import (
    CODE_LIMIT,
    TEXT_LIMIT,
    Claim,
    Code,
    Offer,
    OfferText,
    Partner,
    PartnerPerson,
    PartnerText,
)
from bpd.website import images, slugs

K, S = Offer.Kind, Offer.Status
# The logo is kept as a WebP at most this wide (pages show it at 160 CSS pixels).
LOGO_WIDTH = 320
PARTNER_FIELDS = (
    "name",
    "slug",
    "language",
    "description",
    "gives_back",
    "website",
    "links",
    "status",
)
OFFER_FIELDS = (
    "kind", "title", "language", "description", "value", "shared_code", "url", "audience",
    "starts_at", "ends_at", "quantity", "countries", "regions", "skill_levels",
    "career_statuses", "first_timers_until", "reclaim_days",
)  # fmt: skip
# What staff may still change once an offer is approved (members may hold claims).
AFTER_APPROVAL = (
    "starts_at", "ends_at", "quantity", "countries", "regions", "skill_levels",
    "career_statuses", "first_timers_until",
)  # fmt: skip
MAX_QUANTITY = 1_000_000
MAX_RECLAIM_DAYS = 365
# One upload of codes: at most this many, in at most this many bytes.
MAX_CODES = 100_000
MAX_CODES_BYTES = 2 * 1024 * 1024
NAMED = 10  # duplicates named in a refusal (the rest are counted)
CHUNK = 5000  # codes looked up or written per query


class PartnerError(Exception):
    """A change refused; the message is for the person who asked, in their language."""


class OfferInvalid(PartnerError):
    """An offer's fields refused: `errors` maps each field (None: the whole offer) to
    its messages."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__(" ".join(message for found in errors.values() for message in found))


def _one_line(text, limit=500):
    return " ".join((text or "").split())[:limit]


def _changed(before, after):
    keys = [key for key in after if after[key] != before.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def executors():
    return User.objects.filter(groups__name=Role.EXECUTOR, is_active=True).distinct()


def acts_for(user, partner) -> bool:
    """Whether `user` may write `partner`'s offers: its people, and executors."""
    if not user.is_authenticated:
        return False
    return is_executor(user) or PartnerPerson.objects.filter(partner=partner, user=user).exists()


def _email_on_commit(people, name, **context):
    """Email each of `people` (active accounts) once the change commits."""
    people = [person for person in people if person is not None and person.is_active]

    def send():
        for person in people:
            mail.send(person, f"partners/email/{name}", context)

    if people:
        transaction.on_commit(send)


# --- Partners ------------------------------------------------------------------------------


def _partner_snapshot(partner):
    values = {name: getattr(partner, name) for name in PARTNER_FIELDS}
    values["logo"] = partner.logo.name if partner.logo else ""
    values["texts"] = {
        text.language: text.description for text in partner.texts.order_by("language")
    }
    return values


def _reserved(slug):
    """Whether /partners/<slug>/ would be another page of the app ("manage", "portal")."""
    return slugs.answered_elsewhere("partners:detail", slug)


def _unique_slug(name, exclude=None):
    rows = Partner.objects.exclude(pk=getattr(exclude, "pk", None))
    return slugs.unique_slug(rows, name, fallback="partner", url_name="partners:detail")


def _store_logo(partner, upload):
    """Keep a WebP copy of `upload` (checked with images.check_upload by the form) under a
    new random name; the old file goes once the change is committed."""
    content, width, height = images.webp_rendition(upload, width=LOGO_WIDTH)
    _drop_logo(partner)
    partner.logo.save(f"{secrets.token_urlsafe(18)}.webp", content, save=False)
    partner.logo_width, partner.logo_height = width, height


def _drop_logo(partner):
    old = partner.logo.name if partner.logo else ""
    if old:
        storage = partner.logo.storage
        transaction.on_commit(lambda: storage.delete(old))
    partner.logo = ""
    partner.logo_width = partner.logo_height = None


def save_partner(*, partner=None, by, data: dict, logo=None, remove_logo=False) -> Partner:
    """Staff create (`partner` None) or edit a partner. `data`: any of PARTNER_FIELDS and
    `texts` ({language: description} for the other languages, "" removing one). A new
    partner's address is made from its name; an address given must be free."""
    if not is_executor(by):
        raise PartnerError(_("Only executors set up partners."))
    with transaction.atomic():
        if partner is None:
            partner, before = Partner(), {}
        else:
            partner = Partner.objects.select_for_update().get(pk=partner.pk)
            before = _partner_snapshot(partner)
        for key in PARTNER_FIELDS:
            if key in data and key != "slug":
                value = data[key]
                setattr(partner, key, value.strip() if isinstance(value, str) else value)
        partner.name = _one_line(partner.name, 120)
        if not partner.name:
            raise PartnerError(_("Give the partner's name."))
        if partner.status not in Partner.Status.values:
            raise PartnerError(_("Choose the partner's status."))
        if partner.language not in dict(settings.LANGUAGES):
            raise PartnerError(_("Choose a language of the site."))
        slug = (data.get("slug") or "").strip()
        if slug and slug != partner.slug:
            if slugify(slug) != slug or _reserved(slug):
                raise PartnerError(_("This address cannot be used: choose another."))
            if Partner.objects.filter(slug=slug).exclude(pk=partner.pk).exists():
                raise PartnerError(_("Another partner has this address already."))
            partner.slug = slug
        elif not partner.slug:
            partner.slug = _unique_slug(partner.name)
        if Partner.objects.filter(name__iexact=partner.name).exclude(pk=partner.pk).exists():
            raise PartnerError(_("A partner with this name exists already."))
        if remove_logo:
            _drop_logo(partner)
        elif logo:
            _store_logo(partner, logo)
        try:
            with transaction.atomic():
                partner.save()
        except IntegrityError:
            raise PartnerError(_("A partner with this name or address exists already.")) from None
        for language, text in (data.get("texts") or {}).items():
            text = (text or "").replace("\r\n", "\n").strip()[:TEXT_LIMIT]
            if language == partner.language or not text or language not in dict(settings.LANGUAGES):
                PartnerText.objects.filter(partner=partner, language=language).delete()
            else:
                PartnerText.objects.update_or_create(
                    partner=partner, language=language, defaults={"description": text}
                )
        old, new = _changed(before, _partner_snapshot(partner))
        if new:
            audit.log(actor=by, verb=Verb.PARTNER_CHANGED, subject=partner, before=old, after=new)
    return partner


# --- The people who act for a partner ------------------------------------------------------


def add_person(*, partner, email, by) -> PartnerPerson:
    """An executor lets the member with `email` act for `partner` in the partner portal;
    they get the partner role if they lack it, and an email in their language."""
    if not is_executor(by):
        raise PartnerError(_("Only executors add people to a partner."))
    email = (email or "").strip()
    user = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
    if user is None:
        raise PartnerError(_("No member has this email address. They must join BPD first."))
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        if partner.status != Partner.Status.ACTIVE:
            raise PartnerError(_("People are added to an active partner only."))
        if PartnerPerson.objects.filter(partner=partner, user=user).exists():
            raise PartnerError(_("This member acts for this partner already."))
        person = PartnerPerson.objects.create(partner=partner, user=user, added_by=by)
        granted = members.grant_scoped_role(
            user=user, role=Role.PARTNER, by=by, reason=f"acts for partner {partner.pk}"
        )
        audit.log(
            actor=by,
            verb=Verb.PARTNER_PERSON_ADDED,
            subject=partner,
            person=user,
            after={"person": user.email},
            role_granted=granted,
        )
        _email_on_commit([user], "person_added", partner=partner)
    return person


def remove_person(*, person, by, reason) -> None:
    """An executor removes someone from a partner, with a reason (emailed to them). When
    they no longer act for any partner and acting for one is what gave them the partner
    role (an earlier PARTNER_PERSON_ADDED entry says so), the role goes too."""
    if not is_executor(by):
        raise PartnerError(_("Only executors remove people from a partner."))
    reason = _one_line(reason)
    if not reason:
        raise PartnerError(_("Say why, in a few words."))
    with transaction.atomic():
        person = (
            PartnerPerson.objects.select_for_update()
            .select_related("partner", "user")
            .filter(pk=person.pk)
            .first()
        )
        if person is None:
            raise PartnerError(_("This person no longer acts for this partner."))
        partner, user = person.partner, person.user
        person.delete()
        audit.log(
            actor=by,
            verb=Verb.PARTNER_PERSON_REMOVED,
            subject=partner,
            person=user,
            before={"person": user.email},
            reason=reason,
        )
        members.take_back_scoped_role(
            user=user,
            role=Role.PARTNER,
            by=by,
            added_verb=Verb.PARTNER_PERSON_ADDED,
            still_in_scope=PartnerPerson.objects.filter(user=user).exists(),
            reason=f"no longer acts for {partner.pk}",
        )
        _email_on_commit([user], "person_removed", partner=partner, reason=reason)


# --- Offers: writing them --------------------------------------------------------------------


def _offer_snapshot(offer):
    values = {}
    for name in OFFER_FIELDS:
        value = getattr(offer, name)
        values[name] = value.isoformat() if hasattr(value, "isoformat") else value
    values["texts"] = (
        {text.language: text.description for text in offer.texts.order_by("language")}
        if offer.pk
        else {}
    )
    return values


def region_choices() -> list[str]:
    """The UN M49 codes an offer may name: the regions and subregions the eligibility
    check compares a member's country with."""
    found = set()
    for country, _name in choices.countries():
        found |= {regions.region_code(country, "region"), regions.region_code(country, "subregion")}
    return sorted(code for code in found if code)


def has_control(text) -> bool:
    return any(unicodedata.category(char) == "Cc" for char in text or "")


def _check_offer(offer, *, codes_given, held):
    """{field: [messages]} of what is wrong with `offer` (its new values set);
    `codes_given`: codes of its pool given to members; `held`: its active claims."""
    errors = {}

    def refuse(field, message):
        errors.setdefault(field, []).append(message)

    if offer.kind not in K.values:
        refuse("kind", _("Choose what kind of offer it is."))
    if not offer.title:
        refuse("title", _("Give the offer a title."))
    elif len(offer.title) > 140:
        refuse("title", _("Keep the title to 140 characters."))
    if not offer.value:
        refuse("value", _("Say in a few words what members get, e.g. “10% off”."))
    elif len(offer.value) > 120:
        refuse("value", _("Keep what members get to 120 characters."))
    if len(offer.description) > TEXT_LIMIT:
        refuse("description", _("Keep the description to 8,000 characters."))
    if offer.language not in dict(settings.LANGUAGES):
        refuse("language", _("Choose a language of the site."))
    if offer.kind == K.SHARED_CODE:
        if not offer.shared_code:
            refuse("shared_code", _("Give the code everyone uses."))
        elif len(offer.shared_code) > CODE_LIMIT or has_control(offer.shared_code):
            refuse(
                "shared_code", _("A code is at most 200 characters, with no control characters.")
            )
    if offer.kind == K.LINK and not offer.url:
        refuse("url", _("Give the address of the landing page."))
    if offer.url:
        try:
            URLValidator(schemes=["https", "http"])(offer.url)
            if len(offer.url) > 500:
                raise ValidationError("")
        except ValidationError:
            refuse("url", _("Give a web address starting with https://."))
    if offer.audience not in Offer.Audience.values:
        refuse("audience", _("Choose who sees the offer."))
    if offer.starts_at and offer.ends_at and offer.ends_at <= offer.starts_at:
        refuse("ends_at", _("The offer must end after it starts."))
    if offer.quantity is not None and not 1 <= offer.quantity <= MAX_QUANTITY:
        refuse("quantity", _("Give a number from 1 to 1,000,000."))
    elif offer.kind == K.SEATS and offer.quantity is None:
        refuse("quantity", _("Say how many seats the partner gives."))
    elif (
        offer.kind == K.UNIQUE_CODES and offer.quantity is not None and offer.quantity < codes_given
    ):
        refuse(
            "quantity",
            _("%(count)s codes have been given to members already: the number cannot be lower.")
            % {"count": codes_given},
        )
    elif offer.kind == K.SEATS and offer.quantity < held:
        refuse(
            "quantity",
            _("Members hold %(count)s seats already: the number cannot be lower.")
            % {"count": held},
        )
    if offer.reclaim_days is not None and not 1 <= offer.reclaim_days <= MAX_RECLAIM_DAYS:
        refuse("reclaim_days", _("Give a number of days from 1 to 365."))
    known = dict(choices.countries())
    if not isinstance(offer.countries, list) or any(code not in known for code in offer.countries):
        refuse("countries", _("Choose countries from the list."))
    if not isinstance(offer.regions, list) or set(offer.regions) - set(region_choices()):
        refuse("regions", _("Choose regions from the list."))
    if not isinstance(offer.skill_levels, list) or set(offer.skill_levels) - set(
        choices.SkillLevel.values
    ):
        refuse("skill_levels", _("Choose levels of Python experience from the list."))
    if not isinstance(offer.career_statuses, list) or set(offer.career_statuses) - set(
        choices.CareerStatus.values
    ):
        refuse("career_statuses", _("Choose career statuses from the list."))
    return errors


def _may_write(offer, by):
    """Refuse `by` writing `offer` in its current state."""
    staff = is_executor(by)
    if not (staff or PartnerPerson.objects.filter(partner_id=offer.partner_id, user=by).exists()):
        raise PartnerError(_("You do not act for this partner."))
    if offer.status == S.WITHDRAWN:
        raise PartnerError(_("A withdrawn offer cannot be changed."))
    if not staff and offer.status not in (S.DRAFT, S.REJECTED):
        raise PartnerError(
            _(
                "Only a draft or a rejected offer can be changed. Ask BPD's staff to change this one."
            )
        )
    return staff


def save_offer(*, offer=None, partner, by, data: dict) -> Offer:
    """Write a new offer (a draft) of `partner`, or change `offer`. Its people change a
    draft or a rejected offer; executors any offer before approval, and after approval its
    dates, quantity and eligibility only. `data`: any of OFFER_FIELDS, and `texts`
    ({language: description}, "" removing one); a key left out keeps its value. Unique
    codes and seats are always for members only; a field another kind does not use is
    emptied. Refusals: OfferInvalid naming each field, or PartnerError."""
    with transaction.atomic():
        if offer is None:
            partner = Partner.objects.select_for_update().get(pk=partner.pk)
            if partner.status != Partner.Status.ACTIVE:
                raise PartnerError(_("An offer is added to an active partner only."))
            offer = Offer(partner=partner, created_by=by, status=S.DRAFT)
            if not acts_for(by, partner):
                raise PartnerError(_("You do not act for this partner."))
            before = {}
        else:
            offer = Offer.objects.select_for_update().select_related("partner").get(pk=offer.pk)
            if offer.partner_id != partner.pk:
                raise PartnerError(_("This offer is another partner's."))
            _may_write(offer, by)
            before = _offer_snapshot(offer)
        if offer.status == S.APPROVED:
            frozen = [
                key for key in data
                if key in OFFER_FIELDS and key not in AFTER_APPROVAL and data[key] != getattr(offer, key)
            ]  # fmt: skip
            if frozen or data.get("texts"):
                raise PartnerError(
                    _("Once approved, only an offer's dates, quantity and eligibility can change.")
                )
        kind_before = offer.kind
        for key in OFFER_FIELDS:
            if key in data:
                value = data[key]
                if isinstance(value, str):
                    value = value.replace("\r\n", "\n").strip()
                if key in ("title", "value"):
                    value = _one_line(value, 1000)
                setattr(offer, key, value)
        codes_given = held = 0
        if offer.pk:
            codes_given = offer.codes.filter(given_at__isnull=False).count()
            held = offer.claims.filter(status=Claim.Status.ACTIVE).count()
            if offer.kind != kind_before and (codes_given or held or offer.codes.exists()):
                raise OfferInvalid({"kind": [_("An offer with codes or claims keeps its kind.")]})
        # What another kind does not use is emptied, so nothing hidden stays behind.
        if offer.kind != K.SHARED_CODE:
            offer.shared_code = ""
        if offer.kind in (K.UNIQUE_CODES, K.SEATS):
            offer.audience = Offer.Audience.MEMBERS
        else:
            offer.quantity = None
        if offer.kind != K.SEATS:
            offer.reclaim_days = None
        errors = _check_offer(offer, codes_given=codes_given, held=held)
        if errors:
            raise OfferInvalid(errors)
        offer.save()
        for language, text in (data.get("texts") or {}).items():
            text = (text or "").replace("\r\n", "\n").strip()[:TEXT_LIMIT]
            if language == offer.language or not text or language not in dict(settings.LANGUAGES):
                OfferText.objects.filter(offer=offer, language=language).delete()
            else:
                OfferText.objects.update_or_create(
                    offer=offer, language=language, defaults={"description": text}
                )
        old, new = _changed(before, _offer_snapshot(offer))
        if new:
            audit.log(
                actor=by, verb=Verb.OFFER_CHANGED, subject=offer, parent=offer.partner,
                before=old, after=new,
            )  # fmt: skip
    return offer


# --- Offers: their lifecycle ---------------------------------------------------------------


def _locked_offer(offer):
    return Offer.objects.select_for_update().select_related("partner").get(pk=offer.pk)


def _move(offer, *, by, to, verb, note="", fields=()):
    before = offer.status
    offer.status = to
    offer.save(update_fields=["status", *fields])
    audit.log(
        actor=by, verb=verb, subject=offer, parent=offer.partner,
        before={"status": before}, after={"status": to}, reason=note,
    )  # fmt: skip


def _people_of(partner):
    return [
        person.user
        for person in PartnerPerson.objects.filter(partner=partner).select_related("user")
    ]


def submit_offer(*, offer, by) -> Offer:
    """A draft or rejected offer goes to executors for approval (they are emailed)."""
    with transaction.atomic():
        offer = _locked_offer(offer)
        _may_write(offer, by)
        if offer.status not in (S.DRAFT, S.REJECTED):
            raise PartnerError(_("Only a draft or a rejected offer can be sent for approval."))
        if offer.partner.status != Partner.Status.ACTIVE:
            raise PartnerError(_("The partnership has ended: its offers cannot be sent."))
        _move(offer, by=by, to=S.PENDING, verb=Verb.OFFER_SUBMITTED)
        _email_on_commit(executors(), "offer_submitted", offer=offer, partner=offer.partner)
    return offer


def _decide(offer, *, by, to, verb, note, refused):
    if not is_executor(by):
        raise PartnerError(_("Only executors approve or reject offers."))
    offer = _locked_offer(offer)
    if offer.status != S.PENDING:
        raise PartnerError(refused)
    offer.decided_by, offer.decided_at, offer.decision_note = by, timezone.now(), note
    _move(
        offer, by=by, to=to, verb=verb, note=note,
        fields=("decided_by", "decided_at", "decision_note"),
    )  # fmt: skip
    return offer


def approve_offer(*, offer, by, note="") -> Offer:
    """Pending → approved: members may claim it within its dates. The partner's people
    are emailed, with the note if there is one."""
    note = _one_line(note)
    with transaction.atomic():
        offer = _decide(
            offer, by=by, to=S.APPROVED, verb=Verb.OFFER_APPROVED, note=note,
            refused=_("Only an offer waiting for approval can be approved."),
        )  # fmt: skip
        _email_on_commit(_people_of(offer.partner), "offer_approved", offer=offer, note=note)
    return offer


def reject_offer(*, offer, by, note) -> Offer:
    """Pending → rejected, with a note the partner's people read (emailed); they may
    change the offer and send it again."""
    note = _one_line(note)
    if not note:
        raise PartnerError(_("Say why, in a few words: the partner reads it."))
    with transaction.atomic():
        offer = _decide(
            offer, by=by, to=S.REJECTED, verb=Verb.OFFER_REJECTED, note=note,
            refused=_("Only an offer waiting for approval can be rejected."),
        )  # fmt: skip
        _email_on_commit(_people_of(offer.partner), "offer_rejected", offer=offer, note=note)
    return offer


def withdraw_offer(*, offer, by, reason="") -> Offer:
    """Pending or approved → withdrawn (by its partner's people or executors): members
    can no longer claim it; claims made stay, and so do its figures."""
    reason = _one_line(reason)
    with transaction.atomic():
        offer = _locked_offer(offer)
        staff = is_executor(by)
        if not (
            staff or PartnerPerson.objects.filter(partner_id=offer.partner_id, user=by).exists()
        ):
            raise PartnerError(_("You do not act for this partner."))
        if offer.status not in (S.PENDING, S.APPROVED):
            raise PartnerError(
                _("Only an offer waiting for approval or approved can be withdrawn.")
            )
        _move(offer, by=by, to=S.WITHDRAWN, verb=Verb.OFFER_WITHDRAWN, note=reason)
    return offer


# --- The pool of unique codes ---------------------------------------------------------------


def parse_codes(text) -> list[str]:
    """The codes in `text`: one per line, or a CSV whose first column (or the column
    headed "code") holds them. Refuses control characters, codes too long, duplicates
    and more than MAX_CODES, naming what is wrong."""
    if len((text or "").encode("utf-8")) > MAX_CODES_BYTES:
        raise PartnerError(_("The codes are more than 2 MB: split them into several uploads."))
    text = (text or "").lstrip("\ufeff")
    rows = csv.reader(io.StringIO(text, newline=""))
    column, codes = 0, []
    try:
        for number, row in enumerate(rows, start=1):
            cells = [cell.strip() for cell in row]
            if number == 1:
                headers = [cell.casefold() for cell in cells]
                if "code" in headers:
                    column = headers.index("code")
                    continue
            code = cells[column] if len(cells) > column else ""
            if not code:
                continue
            if has_control(code):
                raise PartnerError(
                    _("Line %(line)s holds a control character: codes are plain text.")
                    % {"line": number}
                )
            if len(code) > CODE_LIMIT:
                raise PartnerError(
                    _("The code on line %(line)s is longer than %(limit)s characters.")
                    % {"line": number, "limit": CODE_LIMIT}
                )
            codes.append(code)
            if len(codes) > MAX_CODES:
                raise PartnerError(
                    _("At most %(count)s codes at a time: split them into several uploads.")
                    % {"count": f"{MAX_CODES:,}"}
                )
    except csv.Error:
        raise PartnerError(_("The file is not one code per line, nor a CSV we can read.")) from None
    if any(has_control(char) for char in text if char not in "\r\n\t"):
        raise PartnerError(_("The text holds control characters: codes are plain text."))
    seen, twice = set(), []
    for code in codes:
        if code in seen and code not in twice:
            twice.append(code)
        seen.add(code)
    if twice:
        raise PartnerError(
            _("These codes appear more than once: %(codes)s. Nothing was added.")
            % {"codes": _named(twice)}
        )
    if not codes:
        raise PartnerError(_("No code found: give one code per line."))
    return codes


def _named(codes):
    shown = ", ".join(codes[:NAMED])
    if len(codes) > NAMED:
        shown += " " + _("and %(count)s more") % {"count": len(codes) - NAMED}
    return shown


def add_codes(*, offer, by, text) -> int:
    """Add the codes in `text` to the pool of a unique-codes offer, all or none: refused
    when one is already in the pool, appears twice, or the pool would pass the offer's
    quantity. Returns how many were added. The audit log records the count, never a code."""
    codes = parse_codes(text)
    with transaction.atomic():
        offer = _locked_offer(offer)
        staff = is_executor(by)
        if not (
            staff or PartnerPerson.objects.filter(partner_id=offer.partner_id, user=by).exists()
        ):
            raise PartnerError(_("You do not act for this partner."))
        if offer.kind != K.UNIQUE_CODES:
            raise PartnerError(_("Only an offer of unique codes has a pool of codes."))
        if offer.status == S.WITHDRAWN:
            raise PartnerError(_("A withdrawn offer takes no more codes."))
        there = []
        for start in range(0, len(codes), CHUNK):
            chunk = codes[start : start + CHUNK]
            there += Code.objects.filter(offer=offer, code__in=chunk).values_list("code", flat=True)
        if there:
            raise PartnerError(
                _("These codes are in the pool already: %(codes)s. Nothing was added.")
                % {"codes": _named(sorted(there))}
            )
        if offer.quantity is not None:
            usable = offer.codes.filter(revoked=False).count()
            if usable + len(codes) > offer.quantity:
                raise PartnerError(
                    _(
                        "The offer is for %(quantity)s members and its pool has %(usable)s codes: "
                        "%(count)s more would pass that. Nothing was added."
                    )
                    % {"quantity": offer.quantity, "usable": usable, "count": len(codes)}
                )
        now = timezone.now()
        Code.objects.bulk_create(
            (Code(offer=offer, code=code, imported_at=now) for code in codes), batch_size=CHUNK
        )
        audit.log(
            actor=by, verb=Verb.CODES_ADDED, subject=offer, parent=offer.partner, count=len(codes)
        )
    return len(codes)


# --- Revoking and re-issuing claims -----------------------------------------------------------


def _locked_claim(claim):
    """The claim's offer locked first (the order claiming takes), then the claim."""
    offer = _locked_offer(claim.offer)
    claim = Claim.objects.select_for_update(of=("self",)).select_related("user").get(pk=claim.pk)
    claim.offer = offer
    return claim


def revoke_claim(*, claim, by, reason) -> Claim:
    """An executor ends an active claim, with a reason (emailed to the member): its code
    is never given again; a seat goes back to the pool."""
    if not is_executor(by):
        raise PartnerError(_("Only executors revoke claims."))
    reason = _one_line(reason)
    if not reason:
        raise PartnerError(_("Say why, in a few words: the member reads it."))
    with transaction.atomic():
        claim = _locked_claim(claim)
        if claim.status != Claim.Status.ACTIVE:
            raise PartnerError(_("Only an active claim can be revoked."))
        now = timezone.now()
        claim.status, claim.ended_at, claim.ended_by, claim.end_reason = (
            Claim.Status.REVOKED, now, by, reason,
        )  # fmt: skip
        claim.save(update_fields=["status", "ended_at", "ended_by", "end_reason"])
        code_revoked = bool(Code.objects.filter(claim=claim).update(revoked=True))
        audit.log(
            actor=by, verb=Verb.CLAIM_REVOKED, subject=claim.offer, parent=claim.offer.partner,
            person=claim.user, before={"status": Claim.Status.ACTIVE},
            after={"status": Claim.Status.REVOKED}, reason=reason, claim=claim.pk,
            code_revoked=code_revoked,
        )  # fmt: skip
        _email_on_commit([claim.user], "claim_revoked", offer=claim.offer, reason=reason)
    return claim


def reissue_claim(*, claim, by, reason) -> Claim:
    """An executor gives a member a new code from the pool (the old one is revoked, never
    given again), or makes a revoked or reclaimed seat active again while a seat is free.
    Under the offer's lock, so the last code or seat goes to one member only."""
    if not is_executor(by):
        raise PartnerError(_("Only executors re-issue claims."))
    reason = _one_line(reason)
    if not reason:
        raise PartnerError(_("Say why, in a few words."))
    with transaction.atomic():
        claim = _locked_claim(claim)
        offer, before = claim.offer, claim.status
        if claim.user is None:
            raise PartnerError(_("This member's account was deleted."))
        active = Claim.objects.filter(offer=offer, status=Claim.Status.ACTIVE).exclude(pk=claim.pk)
        full = offer.quantity is not None and active.count() >= offer.quantity
        now = timezone.now()
        detail = {}
        if offer.kind == K.UNIQUE_CODES:
            if claim.status == Claim.Status.RECLAIMED:
                raise PartnerError(_("This claim cannot be re-issued."))
            if claim.status != Claim.Status.ACTIVE and full:
                raise PartnerError(_("Every code of this offer is held: none can be re-issued."))
            new = (
                Code.objects.select_for_update()
                .filter(offer=offer, given_at__isnull=True, revoked=False)
                .order_by("id")
                .first()
            )
            if new is None:
                raise PartnerError(_("The pool has no free code left: add codes first."))
            old = Code.objects.filter(claim=claim).first()
            if old is not None:
                # Detached (a claim holds one code) and never given again.
                Code.objects.filter(pk=old.pk).update(claim=None, revoked=True)
                detail["old_code"] = old.pk
            Code.objects.filter(pk=new.pk).update(claim=claim, given_at=now)
            detail["new_code"] = new.pk
        elif offer.kind == K.SEATS:
            if claim.status == Claim.Status.ACTIVE:
                raise PartnerError(_("This member holds the seat already."))
            if full:
                raise PartnerError(_("Every seat of this offer is held: none can be re-issued."))
            # A seat given again waits to be provisioned again, on a new clock.
            claim.provisioned_at = claim.used_at = claim.reminded_at = None
        else:
            raise PartnerError(_("Only a unique code or a seat can be re-issued."))
        claim.status = Claim.Status.ACTIVE
        claim.ended_at, claim.ended_by, claim.end_reason = None, None, ""
        claim.save()
        audit.log(
            actor=by, verb=Verb.CLAIM_REISSUED, subject=offer, parent=offer.partner,
            person=claim.user, before={"status": before}, after={"status": Claim.Status.ACTIVE},
            reason=reason, claim=claim.pk, **detail,
        )  # fmt: skip
        _email_on_commit([claim.user], "claim_reissued", offer=offer, reason=reason)
    return claim
