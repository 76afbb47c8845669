"""Funding letters: the Fund's staff download, issue and re-issue them; anyone holding one
checks it is genuine by its reference (a consulate, without signing in)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from bpd.fund import letters, selectors, services
from bpd.fund.models import Application
from bpd.fund.views.common import _attempt
from bpd.members.roles import treasurer_required
from bpd.website import languages
from bpd.website.forms import ConfirmForm


def letter_pdf(application, letter):
    """The PDF download of `letter`."""
    response = HttpResponse(
        letters.funding_letter(application, letter), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="funding-letter-{letter.reference}.pdf"'
    )
    return response


def reissue_confirm_form(data=None):
    return ConfirmForm(
        data,
        label=_(
            "I understand that the letter in force is replaced: its reference will say it was "
            "superseded, and the traveller needs the new letter"
        ),
        auto_id="letter_%s",
    )


def _handled(request, pk):
    related = ("round__signatory__profile", "event", "applicant__profile")
    return get_object_or_404(
        Application.objects.letters_handled_by(request.user).select_related(*related), pk=pk
    )


@treasurer_required
def staff_letters(request, pk):
    """An award's funding letters for the treasurer and executors: the letter in force
    (download it), the earlier ones, and issuing or re-issuing it."""
    application = _handled(request, pk)
    current = selectors.current_letter(application)
    confirm = reissue_confirm_form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and (current is None or confirm.is_valid()):
        action = services.issue_letter if current is None else services.reissue_letter
        issued = _attempt(
            request, lambda: action(application=application, actor=request.user), None
        )
        if issued:
            letter = selectors.current_letter(application)
            messages.success(
                request,
                _("Letter issued with the reference %(reference)s.")
                % {"reference": letter.reference},
            )
        return redirect("fund:staff_letters", application.pk)
    round = application.round
    context = {
        "application": application,
        "round": round,
        "letter": current,
        "letters": selectors.letters_of(application),
        "name": letters.letter_name(application),
        "confirm_form": confirm,
        "check_url": letters.check_url(current.reference) if current else "",
        # The round's signatory changed since the letter in force was issued.
        "signatory_changed": current is not None
        and (current.signatory_name, current.signatory_title) != letters.signatory(round),
    }
    return render(
        request, "fund/letters.html", context, status=400 if request.method == "POST" else 200
    )


@treasurer_required
def staff_letter_pdf(request, pk):
    """The letter in force, for the Fund's staff (printing the display name while the
    traveller has not given their passport name)."""
    application = _handled(request, pk)
    letter = selectors.current_letter(application)
    if letter is None:
        messages.info(request, _("No letter has been issued for this award yet."))
        return redirect("fund:staff_letters", application.pk)
    return letter_pdf(application, letter)


def letter_check(request, reference):
    """Public: is the letter with this reference genuine and in force? Shows only what the
    letter itself says of the traveller (their name) and of the trip (event, place, dates)."""
    letter = selectors.letter_to_check(reference)
    context = {"letter": letter, "reference": reference[:60]}
    if letter is not None:
        context["name"] = letters.letter_name(letter.application)
        context["event_country"] = languages.country_name(letter.application.event.country)
    response = render(request, "fund/letter_check.html", context, status=200 if letter else 404)
    response["X-Robots-Tag"] = "noindex"
    return response
