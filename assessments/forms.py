from decimal import Decimal

from django import forms

from careers.levels import LEVELS
from careers.models import Career, Education

from .models import Assessment

FIELD_PREFIX = "skill_"
MAX_YEARS = 60


class BackgroundForm(forms.ModelForm):
    highest_education = forms.TypedChoiceField(
        label="Highest education you have completed",
        choices=[("", "Choose one")] + list(Education.choices),
        coerce=int,
        error_messages={
            "required": "Choose your highest education, or “No formal credential”.",
            "invalid_choice": "Choose one of the education levels in the list.",
        },
    )
    years_experience = forms.DecimalField(
        label="Years of relevant work experience",
        help_text="Paid or unpaid work close to this career. Use 0 if you have none; halves are fine (1.5).",
        min_value=Decimal(0),
        max_value=Decimal(MAX_YEARS),
        max_digits=4,
        decimal_places=1,
        error_messages={
            "required": "Enter your years of relevant experience, or 0.",
            "invalid": "Enter a number of years, such as 0, 2 or 1.5.",
            "min_value": "Years of experience cannot be negative.",
            "max_value": f"Enter at most {MAX_YEARS} years.",
            "max_decimal_places": "Use at most one decimal place, such as 1.5.",
        },
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0", "max": str(MAX_YEARS), "inputmode": "decimal"}),
    )

    class Meta:
        model = Assessment
        fields = ["highest_education", "years_experience", "certifications"]
        labels = {"certifications": "Certifications you hold (optional)"}
        help_texts = {"certifications": "One per line, for example “OSHA 10-hour” or “Forklift operator”."}
        widgets = {"certifications": forms.Textarea(attrs={"rows": 3, "maxlength": 2000})}

    def clean_certifications(self):
        text = self.cleaned_data["certifications"].strip()
        if len(text) > 2000:
            raise forms.ValidationError("Keep the list of certifications under 2,000 characters.")
        return "\n".join(line.strip() for line in text.splitlines() if line.strip())


class RatingsForm(forms.Form):
    """One 0-4 radio group per skill requirement of a step.

    Anything the page did not offer (a skill from elsewhere, a skill sent twice, a level out
    of range or not a number) makes the whole form invalid, so nothing is saved.
    """

    def __init__(self, data=None, *, requirements, levels=None):
        levels = levels or {}
        super().__init__(data, initial={f"{FIELD_PREFIX}{skill_id}": level for skill_id, level in levels.items()})
        self.requirements = list(requirements)
        for requirement in self.requirements:
            name = requirement.skill.name
            self.fields[f"{FIELD_PREFIX}{requirement.skill_id}"] = forms.TypedChoiceField(
                label=name,
                choices=[(str(number), title) for number, title, _ in LEVELS],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose a level from 0 to 4 for “{name}”.",
                    "invalid_choice": f"“{name}” can only be rated with one of the levels 0 to 4.",
                },
            )

    def clean(self):
        cleaned = super().clean()
        if self.data:
            strays = [key for key in self.data if key.startswith(FIELD_PREFIX) and key not in self.fields]
            if strays:
                raise forms.ValidationError(
                    "The answers sent included a skill that is not on this page, so nothing was saved. "
                    "Please rate the skills below and save again.",
                    code="unknown_skill",
                )
            doubled = [field.label for key, field in self.fields.items() if len(self.data.getlist(key)) > 1]
            if doubled:
                raise forms.ValidationError(
                    f"More than one level was sent for {', '.join(doubled)}, so nothing was saved. "
                    "Please choose one level per skill.",
                    code="duplicate_skill",
                )
        return cleaned

    def levels(self):
        """{skill id: level} from valid data."""
        return {
            int(key.removeprefix(FIELD_PREFIX)): value
            for key, value in self.cleaned_data.items()
            if key.startswith(FIELD_PREFIX)
        }

    def rows(self):
        """What the template needs to draw each radio group, in the order of the requirements."""
        rows = []
        for requirement in self.requirements:
            bound = self[f"{FIELD_PREFIX}{requirement.skill_id}"]
            chosen = "" if bound.value() is None else str(bound.value())
            examples = requirement.skill.level_examples or {}
            rows.append(
                {
                    "field": bound,
                    "skill": requirement.skill,
                    "options": [
                        {
                            "value": str(number),
                            "number": number,
                            "title": title,
                            "description": description,
                            "example": examples.get(str(number), ""),
                            "checked": chosen == str(number),
                            "id": f"{bound.auto_id}_{number}",
                        }
                        for number, title, description in LEVELS
                    ],
                }
            )
        return rows


class MatchFilterForm(forms.Form):
    """The matches page's filters; a filter left empty or not valid filters nothing."""

    job_zone = forms.TypedChoiceField(
        label="Job zone",
        choices=[("", "Any job zone")] + [(value, f"{value} · {label}") for value, label in Career.JobZone.choices],
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Careers from the built-in guide have no job zone and are left out when you choose one.",
        error_messages={"invalid_choice": "Choose a job zone from 1 to 5, or any."},
    )
    min_readiness = forms.IntegerField(
        label="Minimum readiness (%)",
        min_value=0,
        max_value=100,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "5"}),
        error_messages={
            "invalid": "Enter a whole number from 0 to 100.",
            "min_value": "Enter a whole number from 0 to 100.",
            "max_value": "Enter a whole number from 0 to 100.",
        },
    )

    def filters(self):
        """The filters that were given and valid, as find_matches keywords."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value is not None}
