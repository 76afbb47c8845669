"""The forms of sponsorship: the leader's request, sending it, the executor's decisions,
completing it with the report, and a new version of the policy.

Money is typed in major units ("1,250.00" as 1250.00) and handed to the services in minor
units of its currency (`bpd.ledger.money.to_minor`). Every number, date and text has its
bounds here, with a message that says them."""

import datetime as dt
import zoneinfo
from decimal import Decimal
from types import SimpleNamespace

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bpd.communities import policy as rules
from bpd.communities.models import TEXT_LIMIT, HostedEvent, SponsorshipRequest
from bpd.conferences.models import Conference
from bpd.events.models import Event
from bpd.ledger import money
from bpd.members import gazetteer, regions
from bpd.members.forms import LocationMixin
from bpd.website import languages
from bpd.website.forms import FastSelect
from bpd.website.templatetags.bpd import day, day_range

MAX_ATTENDANCE = 100_000
MAX_TICKETS = 10_000
MAX_AMOUNT = Decimal(10_000_000)  # major units of the policy's currency, for one request
MAX_PRICE = Decimal(1_000_000)  # major units, one ticket
MAX_POOL = Decimal(1_000_000_000)
MAX_EVENT_DAYS = 31
YEARS_AHEAD = 3
MAX_LEAD_DAYS = 730
CONFERENCES_LISTED = 300
COMMENT_LIMIT = 2000


def amount_field(label, *, required=True, minimum=Decimal(0), maximum=MAX_AMOUNT, **kwargs):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=minimum,
        max_value=maximum,
        max_digits=14,
        decimal_places=2,
        **kwargs,
    )


def long_text(label, *, limit=TEXT_LIMIT, rows=4, **kwargs):
    return forms.CharField(
        label=label, max_length=limit, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


def cap(field, limit):
    """A lower upper bound for one form's field, with Django's own (translated) message."""
    field.max_value = limit
    field.validators = [v for v in field.validators if not isinstance(v, MaxValueValidator)]
    field.validators.append(MaxValueValidator(limit))
    field.widget.attrs["max"] = str(limit)


def _latest_first_day():
    return timezone.localdate() + dt.timedelta(days=366 * YEARS_AHEAD)


# --- The leader's request ------------------------------------------------------------------


class RequestForm(LocationMixin, forms.Form):
    """A request for one of `community`'s events, a conference from the list, or an event
    typed in. What the chosen event already says (its name, dates, city) fills what the
    leader leaves empty."""

    event_choice = forms.ChoiceField(label=gettext_lazy("Event"), required=False)
    title = forms.CharField(
        label=gettext_lazy("Event name"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Only if the event is not in the list above."),
    )
    starts_on = forms.DateField(
        label=gettext_lazy("First day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Leave empty to take the dates of the event chosen above."),
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Last day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    venue = forms.CharField(label=gettext_lazy("Venue"), required=False, max_length=200)
    expected_attendance = forms.IntegerField(
        label=gettext_lazy("Expected attendance"),
        min_value=1,
        max_value=MAX_ATTENDANCE,
        help_text=gettext_lazy("How many people you expect, from 1 to 100,000."),
    )
    ticket_price = amount_field(gettext_lazy("Price of one ticket"), maximum=MAX_PRICE)
    ticket_currency = forms.ChoiceField(label=gettext_lazy("Currency of the ticket price"))
    tickets_requested = forms.IntegerField(
        label=gettext_lazy("Tickets asked for"),
        min_value=1,
        max_value=MAX_TICKETS,
        help_text=gettext_lazy("Tickets BPD would fund for members, at most the attendance."),
    )
    amount = amount_field(gettext_lazy("Amount asked"), minimum=Decimal("0.01"))
    organiser_name = forms.CharField(
        label=gettext_lazy("Organiser who will invoice BPD"),
        max_length=200,
        help_text=gettext_lazy("The organisation or person selling the tickets."),
    )
    organiser_contact = forms.EmailField(label=gettext_lazy("Organiser's email"), max_length=254)
    organiser_details = long_text(
        gettext_lazy("Invoicing details"),
        limit=2000,
        required=False,
        help_text=gettext_lazy("Legal name, address, tax number: what their invoice will show."),
    )
    distribution = forms.ChoiceField(
        label=gettext_lazy("How tickets reach members"),
        choices=SponsorshipRequest.Distribution.choices,
        initial=SponsorshipRequest.Distribution.LOTTERY,
        widget=forms.RadioSelect,
    )
    report_plan = long_text(
        gettext_lazy("What the community will report afterwards"),
        help_text=gettext_lazy("E.g. who came, what they learnt, photos, the talks given."),
    )

    def __init__(self, *args, community, policy, sponsorship=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.policy = policy
        # LocationMixin keeps the chosen city on `instance`; the request itself is left as it is.
        self.instance = SimpleNamespace(city=getattr(sponsorship, "city", None))
        self.events = {
            hosted.event.pk: hosted.event
            for hosted in HostedEvent.objects.filter(
                community=community, event__starts_at__date__gte=timezone.localdate()
            )
            .exclude(event__status=Event.Status.CANCELLED)
            .select_related("event__city")
            .order_by("event__starts_at")
        }
        if sponsorship is not None and sponsorship.event_id:
            self.events.setdefault(sponsorship.event_id, sponsorship.event)
        conferences = list(
            Conference.objects.published()
            .upcoming()
            .filter(starts_on__lte=_latest_first_day())
            .order_by("starts_on", "name")[:CONFERENCES_LISTED]
        )
        if sponsorship is not None and sponsorship.conference_id:
            conferences.append(sponsorship.conference)
        self.conferences = {c.pk: c for c in conferences}
        self.fields["event_choice"].choices = [
            ("", _("Not in the list: I type its name below")),
            (
                _("Events %(community)s hosts") % {"community": community.name},
                [(f"event:{pk}", _event_label(e)) for pk, e in self.events.items()],
            ),
            (
                _("Conferences in the list"),
                [(f"conference:{pk}", _conference_label(c)) for pk, c in self.conferences.items()],
            ),
        ]
        self.fields["ticket_currency"].choices = money.currency_choices(first=policy.currency)
        self.fields["ticket_currency"].widget = FastSelect(
            choices=self.fields["ticket_currency"].choices
        )
        self.fields["amount"].label = _("Amount asked, in %(currency)s") % {
            "currency": policy.currency
        }
        self.fields["amount"].help_text = _(
            "In the policy's currency. BPD pays it to the organiser, never to you."
        )
        self.fields["city_name"].help_text = _(
            "Where the event is held. Matched against a list of cities, offline. "
            "Leave empty to take the city of the event chosen above."
        )
        self.fields["country"].label = _("Country")
        self.setup_location()
        if sponsorship is not None and not self.is_bound:
            self.initial.update(self._from_request(sponsorship))
        elif not self.is_bound:
            self.initial.setdefault("ticket_currency", policy.currency)

    fieldsets = [
        (gettext_lazy("The event"), "", ["event_choice", "title", "starts_on", "ends_on"]),
        (gettext_lazy("Where"), "", ["venue", "country", "city_name", "city_choice"]),
        (
            gettext_lazy("Tickets and money"),
            gettext_lazy("The sponsorship buys tickets for members; the rules below check these numbers."),
            ["expected_attendance", "ticket_price", "ticket_currency", "tickets_requested", "amount"],
        ),
        (
            gettext_lazy("Who invoices BPD"),
            gettext_lazy(
                "BPD pays the organiser directly, against their invoice. The money never passes "
                "through you, and you never pay anything yourself."
            ),
            ["organiser_name", "organiser_contact", "organiser_details"],
        ),
        (gettext_lazy("Members and the report"), "", ["distribution", "report_plan"]),
    ]  # fmt: skip

    def _from_request(self, r):
        values = {
            name: getattr(r, name)
            for name in (
                "title", "starts_on", "ends_on", "venue", "expected_attendance", "ticket_currency",
                "tickets_requested", "organiser_name", "organiser_contact", "organiser_details",
                "distribution", "report_plan",
            )
        }  # fmt: skip
        values["ticket_price"] = money.to_major(r.ticket_price, r.ticket_currency)
        values["amount"] = money.to_major(r.amount, self.policy.currency)
        values["country"] = r.city.country
        if r.event_id:
            values["event_choice"] = f"event:{r.event_id}"
        elif r.conference_id:
            values["event_choice"] = f"conference:{r.conference_id}"
        return values

    def clean_event_choice(self):
        value = self.cleaned_data["event_choice"]
        self.chosen_event = self.chosen_conference = None
        kind, _sep, pk = (value or "").partition(":")
        if kind == "event" and pk.isdigit() and int(pk) in self.events:
            self.chosen_event = self.events[int(pk)]
        elif kind == "conference" and pk.isdigit() and int(pk) in self.conferences:
            self.chosen_conference = self.conferences[int(pk)]
        elif value:
            raise forms.ValidationError(_("Choose an event from the list."))
        return value

    def clean_starts_on(self):
        value = self.cleaned_data.get("starts_on")
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("Choose a first day that has not passed."))
        if value and value > _latest_first_day():
            raise forms.ValidationError(_("Choose a first day within three years from today."))
        return value

    def clean(self):
        cleaned = super().clean()
        event = getattr(self, "chosen_event", None)
        conference = getattr(self, "chosen_conference", None)
        if not cleaned.get("title", "").strip():
            if event or conference:
                cleaned["title"] = event.title if event else conference.name
            elif not self.has_error("title") and not self.has_error("event_choice"):
                self.add_error("title", _("Choose the event above, or type its name."))
        else:
            cleaned["title"] = cleaned["title"].strip()
        self._clean_dates(cleaned, event, conference)
        attendance, tickets = cleaned.get("expected_attendance"), cleaned.get("tickets_requested")
        if attendance and tickets and tickets > attendance:
            self.add_error(
                "tickets_requested", _("Ask for at most as many tickets as people expected.")
            )
        self._clean_city(cleaned, event, conference)
        return cleaned

    def _clean_dates(self, cleaned, event, conference):
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if self.has_error("starts_on") or self.has_error("ends_on"):
            return
        if not starts:
            if event:
                zone = zoneinfo.ZoneInfo(event.time_zone)
                starts = ends = timezone.localtime(event.starts_at, zone).date()
            elif conference:
                starts, ends = conference.starts_on, conference.ends_on
            else:
                self.add_error("starts_on", _("Give the event's first day."))
                return
            if starts < timezone.localdate():
                self.add_error("starts_on", _("Choose a first day that has not passed."))
                return
        ends = ends or starts
        if ends < starts:
            self.add_error("ends_on", _("The last day cannot come before the first."))
        elif (ends - starts).days >= MAX_EVENT_DAYS:
            self.add_error("ends_on", _("An event lasts at most 31 days."))
        cleaned["starts_on"], cleaned["ends_on"] = starts, ends

    def _clean_city(self, cleaned, event, conference):
        if not (cleaned.get("city_name") or "").strip():
            if event and event.city_id:
                self.instance.city = event.city
                return
            if conference and conference.city:
                found = list(gazetteer.search(conference.city, country=conference.country, limit=1))
                if found:
                    self.instance.city = found[0]
                    return
            self.add_error("city_name", _("Give the city where the event is held."))
            return
        self.clean_location(cleaned)

    def data_for_service(self):
        """The request's fields, as sponsorship.save_draft takes them."""
        c = self.cleaned_data
        return {
            "event": getattr(self, "chosen_event", None),
            "conference": getattr(self, "chosen_conference", None),
            "title": c["title"],
            "starts_on": c["starts_on"],
            "ends_on": c["ends_on"],
            "venue": c["venue"].strip(),
            "city": self.instance.city,
            "expected_attendance": c["expected_attendance"],
            "ticket_price": money.to_minor(c["ticket_price"], c["ticket_currency"]),
            "ticket_currency": c["ticket_currency"],
            "tickets_requested": c["tickets_requested"],
            "amount": money.to_minor(c["amount"], self.policy.currency),
            "organiser_name": c["organiser_name"].strip(),
            "organiser_contact": c["organiser_contact"],
            "organiser_details": c["organiser_details"].strip(),
            "distribution": c["distribution"],
            "report_plan": c["report_plan"].strip(),
        }

    def check_data(self):
        """What the rules read, for checking unsaved answers."""
        data = self.data_for_service()
        data["country"] = data["city"].country
        return data


def _event_label(event):
    return _("%(title)s — %(date)s") % {"title": event.title, "date": day(event.starts_at)}


def _conference_label(conference):
    return _("%(name)s — %(place)s, %(dates)s") % {
        "name": conference.name,
        "place": conference.city or languages.country_name(conference.country) or _("Online"),
        "dates": day_range(conference.starts_on, conference.ends_on),
    }


class SubmitForm(forms.Form):
    justification = long_text(
        gettext_lazy("Why it should go ahead although it goes beyond a rule"),
        required=False,
        help_text=gettext_lazy("Needed only when a rule marked “can be set aside” is not met."),
    )


class WithdrawForm(forms.Form):
    comment = long_text(
        gettext_lazy("Why you withdraw it"), limit=COMMENT_LIMIT, rows=2, required=False
    )


class CompleteForm(forms.Form):
    report = long_text(
        gettext_lazy("Report"),
        help_text=gettext_lazy(
            "What happened, who came, what the sponsored tickets made possible."
        ),
    )
    tickets_used = forms.IntegerField(
        label=gettext_lazy("Sponsored tickets used"), min_value=0, max_value=MAX_TICKETS
    )

    def __init__(self, *args, sponsorship, **kwargs):
        super().__init__(*args, **kwargs)
        funded = sponsorship.tickets_approved or sponsorship.tickets_requested
        cap(self.fields["tickets_used"], funded)
        self.fields["tickets_used"].help_text = _("From 0 to the %(funded)s tickets funded.") % {
            "funded": funded
        }


# --- The executor's decisions --------------------------------------------------------------


class ApproveForm(forms.Form):
    amount_approved = amount_field(gettext_lazy("Amount approved"), minimum=Decimal("0.01"))
    tickets_approved = forms.IntegerField(
        label=gettext_lazy("Tickets approved"), min_value=1, max_value=MAX_TICKETS
    )
    override_reason = long_text(
        gettext_lazy("Reason for setting a rule aside"),
        limit=2000,
        rows=2,
        required=False,
        help_text=gettext_lazy("Needed when a rule fails now. It is kept in the audit log."),
    )
    comment = long_text(
        gettext_lazy("Note to the community"), limit=COMMENT_LIMIT, rows=2, required=False
    )

    def __init__(self, *args, sponsorship, currency, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.fields["amount_approved"].label = _("Amount approved, in %(currency)s") % {
            "currency": currency
        }
        self.fields["amount_approved"].help_text = _("At most the %(amount)s asked.") % {
            "amount": rules.words(sponsorship.amount, currency)
        }
        self.fields["tickets_approved"].help_text = _("At most the %(tickets)s asked for.") % {
            "tickets": sponsorship.tickets_requested
        }
        cap(self.fields["amount_approved"], money.to_major(sponsorship.amount, currency))
        cap(self.fields["tickets_approved"], sponsorship.tickets_requested)
        if not self.is_bound:
            self.initial.update(
                amount_approved=money.to_major(sponsorship.amount, currency),
                tickets_approved=sponsorship.tickets_requested,
            )

    def amount_minor(self):
        return money.to_minor(self.cleaned_data["amount_approved"], self.currency)


class CommentForm(forms.Form):
    """Why: asking for changes, declining, cancelling. The community reads it."""

    comment = long_text(gettext_lazy("Comment"), limit=COMMENT_LIMIT, rows=3)

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["comment"].label = label


# --- The policy ----------------------------------------------------------------------------


class PolicyForm(forms.Form):
    """A new version of the policy, filled in with the current one's values."""

    min_lead_days = forms.IntegerField(
        label=gettext_lazy("Minimum days between request and event"),
        min_value=0,
        max_value=MAX_LEAD_DAYS,
    )
    lead_time_hard = forms.BooleanField(
        label=gettext_lazy("The lead time cannot be set aside"), required=False
    )
    max_per_event = amount_field(gettext_lazy("Most for one event"), maximum=MAX_POOL)
    per_event_hard = forms.BooleanField(
        label=gettext_lazy("The most per event cannot be set aside"), required=False
    )
    max_per_attendee = amount_field(gettext_lazy("Most per expected attendee"), maximum=MAX_POOL)
    per_attendee_hard = forms.BooleanField(
        label=gettext_lazy("The most per attendee cannot be set aside"), required=False
    )
    max_per_ticket = amount_field(gettext_lazy("Most per sponsored ticket"), maximum=MAX_POOL)
    per_ticket_hard = forms.BooleanField(
        label=gettext_lazy("The most per ticket cannot be set aside"), required=False
    )
    max_per_community_year = amount_field(
        gettext_lazy("Most for one community in a year"), maximum=MAX_POOL
    )
    per_community_hard = forms.BooleanField(
        label=gettext_lazy("The most per community cannot be set aside"), required=False
    )
    pool_total = amount_field(gettext_lazy("The year's pool"), maximum=MAX_POOL)
    note = forms.CharField(
        label=gettext_lazy("What changed and why"),
        max_length=500,
        help_text=gettext_lazy("Kept with the new version and in the audit log."),
    )

    PAIRS = [
        ("min_lead_days", "lead_time_hard"),
        ("max_per_event", "per_event_hard"),
        ("max_per_attendee", "per_attendee_hard"),
        ("max_per_ticket", "per_ticket_hard"),
        ("max_per_community_year", "per_community_hard"),
    ]
    AMOUNTS = ("max_per_event", "max_per_attendee", "max_per_ticket", "max_per_community_year",
               "pool_total")  # fmt: skip

    def __init__(self, *args, policy, region_pools, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = policy.currency
        for code in rules.REGIONS:
            self.fields[f"region_{code}"] = amount_field(
                regions.area_name(code), required=False, maximum=MAX_POOL
            )
        for name in self.AMOUNTS:
            self.fields[name].help_text = _("In %(currency)s.") % {"currency": policy.currency}
        if not self.is_bound:
            for name in ("min_lead_days", *(hard for _value, hard in self.PAIRS)):
                self.initial[name] = getattr(policy, name)
            for name in self.AMOUNTS:
                self.initial[name] = money.to_major(getattr(policy, name), policy.currency)
            for code, amount in region_pools.items():
                self.initial[f"region_{code}"] = money.to_major(amount, policy.currency)
        self.fieldsets = [
            (_("Lead time"), "", ["min_lead_days", "lead_time_hard"]),
            (_("Most for one request"), "", ["max_per_event", "per_event_hard", "max_per_attendee",
                                              "per_attendee_hard", "max_per_ticket", "per_ticket_hard"]),
            (_("Most for one community"), "", ["max_per_community_year", "per_community_hard"]),
            (
                _("The pools"),
                _("Pools cannot be set aside: the ledger never commits more than they hold. "
                  "A region left empty has no share of its own."),
                ["pool_total", *(f"region_{code}" for code in rules.REGIONS)],
            ),
            (_("Why"), "", ["note"]),
        ]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        total = cleaned.get("pool_total")
        for code in rules.REGIONS:
            share = cleaned.get(f"region_{code}")
            if share is not None and total is not None and share > total:
                self.add_error(
                    f"region_{code}", _("A region's share cannot be more than the year's pool.")
                )
        return cleaned

    def data_for_service(self):
        c = self.cleaned_data
        data = {name: c[name] for name in ("min_lead_days", *(hard for _v, hard in self.PAIRS))}
        for name in self.AMOUNTS:
            data[name] = money.to_minor(c[name], self.currency)
        shares = {
            code: money.to_minor(c[f"region_{code}"], self.currency)
            for code in rules.REGIONS
            if c.get(f"region_{code}") is not None
        }
        return data, shares, c["note"].strip()
