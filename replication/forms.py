from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jipp.models import University
from replication.models import Evaluation, MentoringSession, ProgressReport, ReplicationRequest

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReplicationRequestForm(forms.ModelForm):
    """The interest (*minat*) with the adaptation plan in the ATM form."""

    requesting_agency = forms.ModelChoiceField(
        queryset=None, label=_("On behalf of"), empty_label=None, required=True
    )

    class Meta:
        model = ReplicationRequest
        fields = [
            "requesting_agency",
            "observed",
            "adopted",
            "modified",
            "local_need",
            "resources",
            "timeline",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ("observed", "adopted", "modified", "local_need", "resources", "timeline")
        }
        help_texts = {
            "observed": _("What you learned about the innovation: how it works, what it achieved."),
            "adopted": _("The parts you will take over unchanged."),
            "modified": _("What you will change, and why: replication is adaptation, not copy-paste."),
            "local_need": _("The problem in your region and the social conditions the adaptation must fit."),
            "resources": _("People, budget, regulation and technology you will commit."),
            "timeline": _("The main steps and when you expect them."),
        }

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requesting_agency"].queryset = agencies
        choices = list(agencies)
        if len(choices) == 1:
            self.fields["requesting_agency"].initial = choices[0].pk
            self.fields["requesting_agency"].widget = forms.HiddenInput()


class DecisionForm(forms.Form):
    APPROVE, REJECT = "approve", "reject"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (APPROVE, pgettext_lazy("decision", "Approve")),
            (REJECT, pgettext_lazy("decision", "Reject")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required for a rejection; the requesting agency reads it."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REJECT and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the rejection."))
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class AgreementForm(forms.Form):
    AGREE, DECLINE = "agree", "decline"
    answer = forms.ChoiceField(
        label=_("Answer of the origin agency"),
        choices=[
            (AGREE, _("We agree to share our knowledge and experience")),
            (DECLINE, _("We decline")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note or reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("For an agreement: what you will share and how. Required when declining."),
    )

    def clean(self):
        data = super().clean()
        if data.get("answer") == self.DECLINE and not (data.get("note") or "").strip():
            self.add_error("note", _("Give the reason for declining."))
        return data


class MentoringSessionForm(forms.ModelForm):
    class Meta:
        model = MentoringSession
        fields = ["held_on", "mentors", "university", "topics", "notes", "follow_ups"]
        widgets = {
            "held_on": DATE_INPUT,
            "topics": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "follow_ups": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, hub=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The hub's partner universities when it has any; otherwise every university.
        queryset = University.objects.order_by("name")
        if hub is not None and hub.universities.exists():
            queryset = hub.universities.order_by("name")
        self.fields["university"].queryset = queryset


class ProgressReportForm(forms.ModelForm):
    class Meta:
        model = ProgressReport
        fields = ["reported_on", "progress", "obstacles", "next_steps"]
        widgets = {
            "reported_on": DATE_INPUT,
            "progress": forms.Textarea(attrs={"rows": 3}),
            "obstacles": forms.Textarea(attrs={"rows": 2}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
        }


class ImplementForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Our adaptation is running in our agency."),
        help_text=_(
            "The portal then creates your agency's own innovation as a draft, filled in from the source "
            "and your plan, for you to complete and send for review."
        ),
    )


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["outcome", "score", "lessons"]
        widgets = {"lessons": forms.Textarea(attrs={"rows": 4})}
