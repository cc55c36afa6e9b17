from decimal import Decimal

from django import forms

from careers.levels import LEVELS, ONET_MAX_LEVEL, as_asked
from careers.models import Career, Education, SkillRequirement

from .models import Assessment

FIELD_PREFIX = "skill_"
MAX_YEARS = 60
GUIDE_TITLES = {number: title for number, title, _ in LEVELS}


class YearsInput(forms.NumberInput):
    """Years as a person writes them: "1" and "1.5", never the stored "1.0"."""

    def format_value(self, value):
        if isinstance(value, Decimal) and value.is_finite():
            return f"{value.normalize():f}"
        return super().format_value(value)


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
        error_messages={
            "required": "Enter your years of relevant experience, or 0.",
            "invalid": "Enter a number of years, such as 0, 2 or 1.5.",
            "min_value": "Years of experience cannot be negative.",
            "max_value": f"Enter at most {MAX_YEARS} years.",
        },
        widget=YearsInput(attrs={"step": "0.5", "min": "0", "max": str(MAX_YEARS), "inputmode": "decimal"}),
    )

    job_search = forms.CharField(
        label="Your current or last job (optional)",
        help_text="Search the careers by title, for example “assembler”. Your answers then start at the "
                  "levels that job asks for, where it asks for the same skills; you adjust them.",
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "search"}),
    )
    job = forms.IntegerField(required=False, widget=forms.RadioSelect,
                             error_messages={"invalid": "Choose a job from the list your search found."})

    class Meta:
        model = Assessment
        fields = ["highest_education", "years_experience", "certifications"]
        labels = {"certifications": "Certifications you hold (optional)"}
        help_texts = {"certifications": "One per line, for example “OSHA 10-hour” or “Forklift operator”."}
        widgets = {"certifications": forms.Textarea(attrs={"rows": 3, "maxlength": 2000})}

    def clean_years_experience(self):
        years = self.cleaned_data["years_experience"]
        if years is None:
            return years
        # Whole or half years, as the hint says; "1.50" is a half too. The bounds keep it to 4 digits.
        if (years * 2) % 1:
            raise forms.ValidationError("Use whole or half years, such as 1 or 1.5.", code="not_half")
        return years.quantize(Decimal("0.1"))

    def clean_job(self):
        """The chosen job: a career of the catalog with requirements to start answers from, or none."""
        job_id = self.cleaned_data["job"]
        if job_id is None:
            return None
        job = Career.objects.filter(pk=job_id, requirements__isnull=False).first() if 0 < job_id < 2**31 else None
        if job is None:
            raise forms.ValidationError("Choose a job from the list your search found.", code="unknown_job")
        return job

    def clean_certifications(self):
        text = self.cleaned_data["certifications"].strip()
        if len(text) > 2000:
            raise forms.ValidationError("Keep the list of certifications under 2,000 characters.")
        return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def find_jobs(text, limit=10):
    """The careers a job search finds, best first, among those with requirements (search.Match rows)."""
    text = (text or "")[:200]
    if not text.strip():
        return []
    return Career.objects.filter(pk__in=SkillRequirement.objects.values("career_id")).ranked_search(text)[:limit]


class RatingsForm(forms.Form):
    """One radio group per skill requirement of a step, on that requirement's own scale.

    A guide skill is rated 0-4 (careers.levels.LEVELS, with the skill's own example at each
    level); an O*NET skill or knowledge area 0-7, O*NET's anchor examples at the levels O*NET gives them and no
    words of ours at the other levels. Anything the page did not offer (a skill from elsewhere,
    a skill sent twice, a level outside the requirement's scale or not a whole number) makes
    the whole form invalid, so nothing is saved.

    levels are the draft's answers that count on the requirement's scale now
    (questionnaire.split_answers); prefilled are the skill ids whose answer was filled in from
    the person's job and left as it was.
    """

    def __init__(self, data=None, *, requirements, levels=None, prefilled=()):
        levels = levels or {}
        super().__init__(data, initial={f"{FIELD_PREFIX}{skill_id}": level for skill_id, level in levels.items()})
        self.requirements = list(requirements)
        self.prefilled = set(prefilled)
        for requirement in self.requirements:
            name = requirement.skill.name
            top = requirement.scale_max
            self.fields[f"{FIELD_PREFIX}{requirement.skill_id}"] = forms.TypedChoiceField(
                label=name,
                choices=[(str(number), str(number)) for number in range(top + 1)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose a level from 0 to {top} for “{name}”.",
                    "invalid_choice": f"“{name}” can only be rated with one of the levels 0 to {top}.",
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

    def scales(self):
        """The scales this page's requirements use, each once, for the explanation at the top."""
        return sorted({requirement.scale_max for requirement in self.requirements})

    def answered_count(self):
        return sum(1 for row in self.rows() if row["chosen"] != "")

    def rows(self):
        """What the template needs to draw each radio group, in the order of the requirements."""
        if hasattr(self, "_rows"):
            return self._rows
        rows = []
        for requirement in self.requirements:
            key = f"{FIELD_PREFIX}{requirement.skill_id}"
            bound = self[key]
            value = bound.value()
            chosen = "" if value in (None, "") else str(value)
            onet = requirement.scale_max == ONET_MAX_LEVEL
            examples = requirement.skill.level_examples or {}
            options = []
            for number in range(requirement.scale_max + 1):
                if onet:
                    # O*NET describes a few levels of each element by anchors (2, 4 and 6 for skills; for a
                    # knowledge area wherever O*NET puts them, Medicine and Dentistry at 1, 5 and 7); the
                    # others stay bare.
                    title = ""
                    example = examples.get(str(number), "")
                else:
                    title = GUIDE_TITLES.get(number, "")
                    example = examples.get(str(number), "")
                options.append({
                    "value": str(number),
                    "number": number,
                    "title": title,
                    "example": example,
                    "checked": chosen == str(number),
                    "id": f"{bound.auto_id}_{number}",
                })
            rows.append({
                "field": bound,
                "skill": requirement.skill,
                "scale_max": requirement.scale_max,
                "onet": onet,
                "asked": f"{as_asked(requirement.level, requirement.scale_max):g}",
                "chosen": chosen,
                # Marked while it still holds the job's level; a changed answer is the person's own.
                "prefilled": requirement.skill_id in self.prefilled and chosen == str(self.initial.get(key, "")),
                "options": options,
                "anchors": [option for option in options if onet and option["example"]],
                # O*NET's skills have anchors at 2, 4 and 6, each drawn under its two levels on a wide
                # screen; a knowledge area's may sit at neighbouring levels (Medicine and Dentistry: 1, 5, 7),
                # and those are listed one under another instead, so that none covers another.
                "anchors_paired": all(option["number"] % 2 == 0 for option in options if onet and option["example"]),
            })
        self._rows = rows
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
