from django import forms
from django.utils.translation import gettext_lazy


class AttendanceForm(forms.Form):
    attended = forms.MultipleChoiceField(
        label=gettext_lazy("Who came"),
        help_text=gettext_lazy("Tick everyone who was there; the others are marked absent."),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(str(row.pk), row.name) for row in people]


class ShowCompletionForm(forms.Form):
    shown = forms.BooleanField(
        label=gettext_lazy("Show this completion on my profile"), required=False
    )
