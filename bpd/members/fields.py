from django import forms
from django.db import models


class CodeListField(models.CharField):
    """A short list of codes stored as ",a,b," so any database can filter on one code.

    Filter with `Q(field__contains=",code,")` (see `contains_code`).
    """

    def __init__(self, *args, choices_source=None, **kwargs):
        self.choices_source = choices_source
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("choices_source", None)
        return name, path, args, kwargs

    @staticmethod
    def parse(value):
        if value is None or value == "":
            return []
        if isinstance(value, (list, tuple)):
            return list(value)
        return [code for code in value.split(",") if code]

    def from_db_value(self, value, expression, connection):
        return self.parse(value)

    def to_python(self, value):
        return self.parse(value)

    def get_prep_value(self, value):
        if isinstance(value, str):
            return value  # a lookup value such as ",data,"
        codes = [str(code) for code in value or []]
        return "," + ",".join(codes) + "," if codes else ""

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def formfield(self, **kwargs):
        choices = self.choices_source() if self.choices_source else []
        return forms.MultipleChoiceField(
            choices=choices,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )


def contains_code(field, code):
    return models.Q(**{f"{field}__contains": f",{code},"})
