from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jipp.notifications.models import MailState, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox as operators see it: what was sent, what waits, what failed and why. Read-only but
    for one action: send again what could not be sent or may not have arrived (a person's decision
    after reading the error; the worker never resends an uncertain message by itself)."""

    list_display = ["id", "created_at", "email", "kind", "subject", "mail_state", "attempts", "sent_at"]
    list_filter = ["mail_state", "kind"]
    search_fields = ["email", "subject"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    actions = ["send_again"]
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send again (failed or probably sent)"), permissions=["view"])
    def send_again(self, request, queryset):
        count = queryset.filter(mail_state__in=[MailState.FAILED, MailState.UNCERTAIN]).update(
            mail_state=MailState.PENDING, next_attempt_at=timezone.now(), attempts=0
        )
        self.message_user(
            request, _("%(count)d message(s) will be sent again.") % {"count": count}, messages.SUCCESS
        )
