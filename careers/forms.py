from django import forms

from .models import JOB_FAMILIES, Career, Source

MAX_QUERY = 200


class SearchInput(forms.TextInput):
    input_type = "search"


class CareerFilterForm(forms.Form):
    """The career list's search and filters, all in the URL; a filter not valid filters nothing."""

    q = forms.CharField(
        label="Search by job title", required=False,
        # No maxlength: a longer text is cut (clean_q), not refused.
        widget=SearchInput(attrs={"placeholder": "e.g. assembler", "autocomplete": "off"}),
    )
    family = forms.ChoiceField(
        label="Job family",
        choices=[("", "All job families")] + list(JOB_FAMILIES.items()),
        required=False,
        error_messages={"invalid_choice": "Choose a job family from the list."},
    )
    job_zone = forms.TypedChoiceField(
        label="Job zone",
        choices=[("", "Any job zone")] + [(value, f"{value} · {label}") for value, label in Career.JobZone.choices],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose a job zone from 1 to 5, or any."},
    )
    source = forms.ChoiceField(
        label="Source",
        choices=[("", "Any source")] + list(Source.choices),
        required=False,
        error_messages={"invalid_choice": "Choose the career guide, O*NET or any source."},
    )

    def clean_q(self):
        # Any text is a fair search: cut it to size and drop NUL, which PostgreSQL refuses.
        return self.cleaned_data["q"].replace("\x00", "").strip()[:MAX_QUERY]

    def filters(self):
        """The search and the filters that were given and valid."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}

    def apply(self, careers):
        filters = self.filters()
        if "family" in filters:
            careers = careers.in_family(filters["family"])
        if "job_zone" in filters:
            careers = careers.filter(job_zone=filters["job_zone"])
        if "source" in filters:
            careers = careers.filter(source=filters["source"])
        return careers
