from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from jipp.notifications.models import FREQUENCIES, Kind, NotificationSettings


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ["language", *FREQUENCIES]
        widgets = dict.fromkeys(FREQUENCIES, forms.RadioSelect)
        help_texts = {
            "language": _("Emails and the inbox are written in this language."),
            Kind.RECORDS.value: _(
                "An innovation of your agency published or returned; your access request decided."
            ),
            Kind.REPLICATIONS.value: _(
                "Steps of the replication requests of your agency, or of its innovations."
            ),
            Kind.QUEUE.value: _(
                "Submissions, replication requests and access requests waiting for your decision."
            ),
            Kind.FOLLOWED.value: _(
                "What is new in the innovations, agencies, sectors, provinces and hubs you follow."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = list(settings.LANGUAGES)
        self.fields["language"].required = True
        for kind, offered in FREQUENCIES.items():
            field = self.fields[kind]
            field.choices = [(f.value, f.label) for f in offered]
            field.widget.choices = field.choices


class UnsubscribeForm(forms.Form):
    """RFC 8058: a mail program posts ``List-Unsubscribe=One-Click``; the confirm page posts nothing
    else either. The token in the URL is the authority."""

    List_Unsubscribe = forms.CharField(required=False)
