"""Workspace forms: an innovation is edited section by section (the KIPP proposal's structure).

Every field except the name may be left empty while the record is a draft; completeness is checked when
it is submitted (innovations.services). Each form carries the record's ``version`` so a stale form is
refused instead of overwriting someone else's change.
"""

from django import forms
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from innovations import uploads
from innovations.models import SDG_CHOICES, Award, Innovation

SECTION_TITLES = {
    "identity": _("Name and summary"),
    "proposal": _("Proposal"),
    "classification": _("Classification"),
    "contact": _("Contact and links"),
}
# section → (title, its fields from the model's one list)
SECTIONS = {key: (title, Innovation.FIELD_SECTIONS[key]) for key, title in SECTION_TITLES.items()}

# POST keys every workspace form may carry besides its own fields.
HOUSEKEEPING_KEYS = {"csrfmiddlewaretoken", "version", "action"}

HELP = {
    "summary": _("At most 200 words: the problem, what you changed, and the result."),
    "significance": _("Results and impact, with figures (before and after)."),
    "adaptability": _("What a replicating agency needs: people, budget, regulation, technology."),
    "started_on": _("Format: YYYY-MM-DD."),
}


def _formfield(model_field, **kwargs):
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


class SectionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    class Meta:
        model = Innovation
        fields = ()
        formfield_callback = _formfield

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in ("version", "name", "agency"):
                continue
            field.required = False
            if isinstance(field, forms.TypedChoiceField) and name != "sdgs":
                field.choices = [("", _("— choose —")), *[c for c in field.choices if c[0] != ""]]
        if "sdgs" in self.fields:
            self.fields["sdgs"] = forms.TypedMultipleChoiceField(
                label=capfirst(_("SDG goals")),  # the Indonesian "tujuan TPB/SDGs" is lower-case
                choices=SDG_CHOICES,
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=self.initial.get("sdgs"),
            )
        if "started_on" in self.fields:
            self.fields["started_on"].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        for name, text in HELP.items():
            if name in self.fields:
                self.fields[name].help_text = text
        for name in ("background", "novelty", "implementation", "significance", "adaptability", "resources",
                     "sustainability", "beneficiaries", "summary"):  # fmt: skip
            if name in self.fields:
                self.fields[name].widget.attrs.setdefault("rows", 5)

    def values(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}


def section_form_class(section):
    _, fields = SECTIONS[section]
    return forms.modelform_factory(Innovation, form=SectionForm, fields=fields, formfield_callback=_formfield)


class CreateInnovationForm(SectionForm):
    """The first section, plus the owning agency (only agencies the person acts for are offered)."""

    version = None

    class Meta:
        model = Innovation
        fields = ("agency", "name", "acronym", "summary")

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["agency"].empty_label = None


class PlainForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class EvidenceForm(PlainForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("For example: SK decree of the team.")
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG, PNG or WebP; at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > uploads.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."), code="too_big")
        return upload


class AwardForm(PlainForm):
    """One award. The rank must belong to the programme (``Award.clean``); an award of another programme
    is ranked "other" and needs its name."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    program = forms.ChoiceField(label=_("Programme"), choices=Award.Program.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000)
    rank = forms.ChoiceField(
        label=_("Rank"),
        choices=[("", "—"), *Award.Rank.choices],
        required=False,
        help_text=_("KIPP: Top 99, Top 45 or Outstanding Achievement. IGA: a rating. Other awards: Other."),
    )
    title = forms.CharField(
        label=_("Name of the award"),
        max_length=200,
        required=False,
        help_text=_("Required for other awards."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].max_value = timezone.localdate().year
        self.fields["year"].validators.append(MaxValueValidator(self.fields["year"].max_value))
        self.fields["year"].widget.attrs["max"] = self.fields["year"].max_value

    def clean(self):
        data = super().clean()
        program, rank = data.get("program"), data.get("rank")
        if program == Award.Program.OTHER and not rank:
            data["rank"] = rank = Award.Rank.OTHER
        if program and not rank:
            self.add_error("rank", _("Choose the rank."))
        elif program and rank not in Award.RANKS_BY_PROGRAM[program]:
            self.add_error("rank", _("This rank does not belong to the chosen programme."))
        if program == Award.Program.OTHER and not (data.get("title") or "").strip():
            self.add_error("title", _("Give the name of the award."))
        return data


class VersionForm(PlainForm):
    """For one-button transitions (submit, publish, re-confirm, archive, feature)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class ReturnForm(VersionForm):
    comment = forms.CharField(
        label=_("Comments for the agency"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say what to change; the agency sees these comments."),
    )


class ArchiveForm(VersionForm):
    comment = forms.CharField(
        label=_("Reason"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
