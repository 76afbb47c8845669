"""Helpers every Fund view uses."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from bpd.fund.forms import ConflictForm
from bpd.fund.services import FundError
from bpd.website.forms import ConfirmForm


def _attempt(request, action, success):
    """Run one service call; show `success` or the reason it was refused. True if it ran."""
    try:
        action()
    except FundError as error:
        messages.error(request, str(error))
        return False
    if success:
        messages.success(request, success)
    return True


def _refuse_invalid(request, form, *target):
    """A POST whose form does not validate changes nothing and says why."""
    errors = [str(e) for field in form.errors.values() for e in field]
    messages.error(request, " ".join(errors) or _("That request was not understood."))
    return redirect(*target)


def conflict_forms(data=None):
    """The conflict form and its "I understand" box, as the review and decide pages show them
    (their own ids: the decide page has a "reason" and a box of its own)."""
    confirm = ConfirmForm(
        data,
        label=_("I understand that I will never review or decide this application again"),
        auto_id="conflict_%s",
    )
    return ConflictForm(data, auto_id="conflict_%s"), confirm
