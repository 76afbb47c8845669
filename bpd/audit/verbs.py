"""The fixed list of things the audit log records. A new programme adds its verbs here,
with a label people can read, so the log never shows a raw code."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    # Members and roles
    PRIVATE_VIEWED = "member.private_viewed", _("Saw a member's private fields")
    ROLE_GRANTED = "member.role_granted", _("Role granted")
    ROLE_REMOVED = "member.role_removed", _("Role removed")
    ACCOUNT_DELETED = "member.account_deleted", _("Account deleted")
    INVITE_CREATED = "member.invite_created", _("Invite created")
    INVITE_REDEEMED = "member.invite_redeemed", _("Invite used")
    INVITE_REVOKED = "member.invite_revoked", _("Invite withdrawn")
    # The Fund
    ROUND_CREATED = "fund.round_created", _("Round created")
    ROUND_CHANGED = "fund.round_changed", _("Round changed")
    DRAFT_SAVED = "fund.draft_saved", _("Draft saved")
    SUBMITTED = "fund.submitted", _("Application submitted")
    WITHDRAWN = "fund.withdrawn", _("Application withdrawn")
    CONFLICT_DECLARED = "fund.conflict_declared", _("Conflict of interest declared")
    REVIEW_SUBMITTED = "fund.review_submitted", _("Review submitted")
    VISA_CHECKED = "fund.visa_checked", _("Visa check recorded by staff")
    FEW_REVIEWS_ALLOWED = (
        "fund.few_reviews_allowed",
        _("Allowed into the proposal with too few reviews"),
    )
    DECISION_STAGED = "fund.decision_staged", _("Decision staged")
    DECISIONS_RELEASED = "fund.decisions_released", _("Decisions released")
    OFFERED = "fund.offered", _("Award offered")
    WAITLISTED = "fund.waitlisted", _("Put on the waiting list")
    DECLINED = "fund.declined", _("Not funded")
    OFFER_ACCEPTED = "fund.offer_accepted", _("Award accepted")
    OFFER_DECLINED = "fund.offer_declined", _("Award declined")
    OFFER_LAPSED = "fund.offer_lapsed", _("Offer expired")
    RATE_SET = "fund.rate_set", _("Exchange rate set")
    BOOKING_ADDED = "fund.booking_added", _("Booking recorded")
    BOOKING_STATUS = "fund.booking_status", _("Booking status changed")
    OUT_OF_POCKET_RECORDED = "fund.out_of_pocket_recorded", _("Out-of-pocket cost recorded")
    OUT_OF_POCKET_SETTLED = "fund.out_of_pocket_settled", _("Out-of-pocket cost paid back")
    VISA_OUTCOME = "fund.visa_outcome", _("Visa outcome recorded")
    REPORT_SUBMITTED = "fund.report_submitted", _("Trip report submitted")
    PASSPORT_NAME_GIVEN = "fund.passport_name_given", _("Name as in the passport given")
    LETTER_ISSUED = "fund.letter_issued", _("Funding letter issued")
    LETTER_REISSUED = "fund.letter_reissued", _("Funding letter re-issued")
    WAIT_TIMES_IMPORTED = "fund.wait_times_imported", _("Visa wait times imported")
    # Events
    EVENT_CREATED = "events.created", _("Event created")
    EVENT_CHANGED = "events.changed", _("Event changed")
    EVENT_PUBLISHED = "events.published", _("Event published")
    EVENT_CANCELLED = "events.cancelled", _("Event cancelled")
    OCCURRENCE_CANCELLED = "events.occurrence_cancelled", _("One date of an event cancelled")
    OCCURRENCE_MOVED = "events.occurrence_moved", _("One date of an event moved")
    ATTENDANCE_RECORDED = "events.attendance_recorded", _("Attendance recorded")
    ATTENDEES_EXPORTED = "events.attendees_exported", _("Attendee list downloaded")
    # The conference list
    CONFERENCE_PUBLISHED = "conferences.published", _("Conference published")
    CONFERENCE_REJECTED = "conferences.rejected", _("Conference suggestion rejected")
    CONFERENCE_CHANGED = "conferences.changed", _("Conference changed")
    CONFERENCES_IMPORTED = "conferences.imported", _("Conferences imported")
    # Local communities, sponsorship and sponsored tickets
    COMMUNITY_PROPOSED = "communities.proposed", _("Community proposed")
    COMMUNITY_APPROVED = "communities.approved", _("Community approved")
    COMMUNITY_DECLINED = "communities.declined", _("Community proposal declined")
    COMMUNITY_CHANGED = "communities.changed", _("Community changed")
    COMMUNITY_CLOSED = "communities.closed", _("Community closed")
    LEADER_ADDED = "communities.leader_added", _("Community leader added")
    LEADER_REMOVED = "communities.leader_removed", _("Community leader removed")
    POLICY_CHANGED = "communities.policy_changed", _("Sponsorship policy changed")
    REQUEST_SAVED = "communities.request_saved", _("Sponsorship request written or changed")
    REQUEST_TRANSITION = "communities.request_transition", _("Sponsorship request moved on")
    RULE_OVERRIDDEN = "communities.rule_overridden", _("Sponsorship rule overridden")
    DRAW_PUBLISHED = "communities.draw_published", _("Ticket draw published")
    DRAW_RUN = "communities.draw_run", _("Ticket draw run")
    TICKET_PASSED_ON = "communities.ticket_passed_on", _("Sponsored ticket passed on")
    CODES_IMPORTED = "communities.codes_imported", _("Ticket codes imported")
    CODE_ASSIGNED = "communities.code_assigned", _("Ticket code given to a winner")
    TICKET_ATTENDANCE = "communities.attendance", _("Sponsored ticket attendance recorded")
    # Money (the ledger)
    LEDGER_RECORDED = "ledger.recorded", _("Money recorded in the ledger")
    POOL_CHANGED = "ledger.pool_changed", _("Pool changed")
