"""Forms of the partner portal: the redemptions file, and the seats to mark."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bpd.partners import portal


class RedemptionsForm(forms.Form):
    file = forms.FileField(
        label=_("Redemptions file (CSV)"),
        help_text=_(
            "Columns: code (or reference for a seat, e.g. S-123) and date (YYYY-MM-DD). "
            "Up to 2 MB and 100,000 lines."
        ),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > portal.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return file


class SeatsForm(forms.Form):
    seats = forms.TypedMultipleChoiceField(
        label=_("Seats"),
        help_text=_(
            "Tick the seats (by their reference in the table), then say what you did for them."
        ),
        widget=forms.CheckboxSelectMultiple,
        coerce=int,
    )

    def __init__(self, *args, claims, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seats"].choices = [(claim.pk, _label(claim)) for claim in claims]


def _label(claim):
    # The reference only: the table above pairs it with the email, and a long address
    # beside a checkbox would not fit a phone's width.
    return portal.seat_reference(claim)
