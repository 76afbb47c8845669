"""The Fund's pages. Each view fetches records only through the gate (QuerySet methods
such as `Application.objects.reviewable_by`), parses one form and calls one service;
no view writes a model itself. One module per audience."""

from bpd.fund.views.applicants import (  # noqa: F401
    application_detail,
    apply,
    check_answers,
    index,
    letter,
    passport_name,
    reply,
    submitted,
    trip_report,
    visa_outcome,
    withdraw,
)
from bpd.fund.views.deciding import (  # noqa: F401
    allocate,
    allow_few_reviews,
    decide,
    manage,
    release,
    round_edit,
    stage_proposal,
    visa_check,
)
from bpd.fund.views.letters import letter_check, staff_letter_pdf, staff_letters  # noqa: F401
from bpd.fund.views.money import (  # noqa: F401
    add_booking,
    booking_status,
    bookings,
    cancel_all,
    money_view,
    out_of_pocket,
    report,
    settle,
    wait_times,
)
from bpd.fund.views.reviewing import committee, declare_conflict, review, review_queue  # noqa: F401
