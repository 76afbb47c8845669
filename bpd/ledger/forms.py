"""The ledger page's filters (GET): a value that is not one of the choices is ignored."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bpd.ledger import selectors
from bpd.ledger.models import Entry, Programme
from bpd.members import regions


class EntryFilterForm(forms.Form):
    pool = forms.ChoiceField(label=_("Pool"), required=False)
    programme = forms.ChoiceField(label=_("Programme"), required=False)
    year = forms.ChoiceField(label=_("Year"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args, pools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.pools = {str(pool.pk): pool for pool in pools}
        self.fields["pool"].choices = [
            ("", _("Every pool")),
            *((str(pool.pk), pool.name) for pool in pools),
        ]
        self.fields["programme"].choices = [("", _("Every programme")), *Programme.choices]
        years = sorted({pool.year for pool in pools}, reverse=True)
        self.fields["year"].choices = [("", _("Every year")), *((str(y), str(y)) for y in years)]
        self.fields["kind"].choices = [("", _("Every kind")), *Entry.Kind.choices]
        self.fields["region"].choices = [
            ("", _("Anywhere")),
            *((code, regions.area_name(code)) for code in selectors.REGIONS),
            (selectors.NO_REGION, _("No one region")),
        ]

    def filters(self):
        """The valid filters as keyword arguments for `selectors.entries` (an invalid one is
        left out, the others still apply)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})  # an unbound form filters nothing
        year = data.get("year")
        return {
            "pool": self.pools.get(data.get("pool") or ""),
            "programme": data.get("programme") or "",
            "year": int(year) if year else None,
            "kind": data.get("kind") or "",
            "region": data.get("region") or "",
        }
