"""The member's claim form: for seats, the consent to share their email address."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bpd.partners.models import Offer


class ClaimForm(forms.Form):
    """Empty for codes, links and shared codes (one click); a seat asks the member to
    agree, with their own address and the partner's name in the sentence."""

    consent = forms.BooleanField(
        required=True,
        # The design system's wording for a box to tick (translated already).
        error_messages={"required": gettext_lazy("Tick the box to confirm, or go back.")},
    )

    def __init__(self, *args, offer, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer = offer
        if offer.kind == Offer.Kind.SEATS:
            self.fields["consent"].label = _(
                "Share my email address %(email)s with %(partner)s so they can give me the seat"
            ) % {"email": user.email, "partner": offer.partner.name}
        else:
            del self.fields["consent"]

    def agreed(self) -> bool:
        return bool(self.cleaned_data.get("consent"))
