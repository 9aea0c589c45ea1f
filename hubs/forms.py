"""Forms of the network core: hub page management and hub designation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hubs.models import HubDocument, HubEvent, HubTeamMember
from jipp import uploads
from jipp.models import Hub, Province, University


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class NoColon:
    """Labels without Django's ":" suffix, like every other form of the portal."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class HubPageForm(NoColon, forms.ModelForm):
    class Meta:
        model = Hub
        fields = ["description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}


class HubTeamMemberForm(NoColon, forms.ModelForm):
    class Meta:
        model = HubTeamMember
        fields = ["name", "role", "organisation", "order", "is_published"]


class HubEventForm(NoColon, forms.ModelForm):
    class Meta:
        model = HubEvent
        fields = ["kind", "title", "held_on", "place", "summary"]
        widgets = {"held_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 5})}


class HubDocumentForm(NoColon, forms.ModelForm):
    upload = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, JPEG, PNG or WebP, at most 10 MB. Or give a link instead."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp"}),
    )
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https", max_length=200)
    field_order = ["kind", "title", "number", "issued_on", "upload", "link"]

    class Meta:
        model = HubDocument
        fields = ["kind", "title", "number", "issued_on", "link"]
        widgets = {"issued_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.file:
            self.fields["upload"].help_text = _(
                "Current file: %(name)s. Upload another only to replace it (PDF, JPEG, PNG or WebP, at most "
                "10 MB)."
            ) % {"name": self.instance.original_name or self.instance.file.name.rsplit("/", 1)[-1]}

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            self.checked = uploads.validate_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        has_file = bool(cleaned.get("upload")) or bool(self.instance.pk and self.instance.file)
        if not has_file and not cleaned.get("link") and not self.has_error("upload"):
            raise forms.ValidationError(_("Upload a file or give a link."))
        return cleaned

    def save(self, commit=True):
        document = super().save(commit=False)
        upload = self.cleaned_data.get("upload")
        if upload:
            document.content_type = self.checked.content_type
            document.size = self.checked.size
            document.original_name = self.checked.original_name
            # The validated (for images: re-encoded) bytes, under a random name (hub_document_upload_to).
            document.file.save("upload", self.checked.content, save=False)
        if commit:
            document.save()
        return document


class PartnerUniversityForm(NoColon, forms.Form):
    """Add a partner: pick a university already known to the portal, or name a new one."""

    university = forms.ModelChoiceField(
        label=_("University already in the portal"), queryset=University.objects.none(), required=False
    )
    name = forms.CharField(label=_("Or the name of a new university"), max_length=200, required=False)
    website = forms.URLField(label=_("Its website"), required=False, assume_scheme="https")

    def __init__(self, *args, hub, **kwargs):
        super().__init__(*args, **kwargs)
        self.hub = hub
        self.fields["university"].queryset = University.objects.exclude(hubs=hub).order_by("name")

    def clean(self):
        cleaned = super().clean()
        university, name = cleaned.get("university"), (cleaned.get("name") or "").strip()
        if bool(university) == bool(name):
            raise forms.ValidationError(_("Choose a university from the list or name a new one (not both)."))
        if name and University.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(
                _("That university is already in the portal: choose it from the list.")
            )
        cleaned["name"] = name
        return cleaned


class HubDesignationForm(NoColon, forms.ModelForm):
    class Meta:
        model = Hub
        fields = ["province", "name", "year_designated", "status", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = Province.objects.filter(hub__isnull=True).order_by("name")


class HubStatusForm(NoColon, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Hub.Status.choices)
    comment = forms.CharField(label=_("Reason"), max_length=500, required=False)


class ConfirmForm(forms.Form):
    """The button of a removal's confirmation page: no fields besides the CSRF token."""
