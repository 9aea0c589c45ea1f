"""The inbox in the workspace, the notification settings and the signed unsubscribe link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from jipp.notifications import rules
from jipp.notifications import unsubscribe as unsubscribing
from jipp.notifications.delivery import body_of
from jipp.notifications.forms import NotificationSettingsForm
from jipp.notifications.models import FREQUENCIES, Kind, NotificationSettings
from jipp.notifications.outbox import settings_for

PAGE_SIZE = 25


def _cursor(request):
    """The ``sebelum`` parameter: the id of the last entry of the previous page (keyset paging)."""
    raw = request.GET.get("sebelum", "")
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise ValueError(raw)
    return int(raw)


@login_required
@require_safe
def inbox(request):
    try:
        before = _cursor(request)
    except ValueError:
        return HttpResponseBadRequest(_("This page link is not valid. Open the inbox from the menu."))
    entries = rules.notifications_of(request.user).order_by("-id")
    if before is not None:
        entries = entries.filter(id__lt=before)
    page = list(entries.only("id", "subject", "url", "kind", "created_at", "read_at")[: PAGE_SIZE + 1])
    has_next = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    return render(
        request,
        "notifications/inbox.html",
        {
            "entries": page,
            "next_cursor": page[-1].id if has_next else None,
            "is_first_page": before is None,
            "own": settings_for(request.user),
        },
    )


@login_required
@require_safe
def notification_detail(request, pk):
    notification = get_object_or_404(rules.notifications_of(request.user), pk=pk)
    return render(
        request,
        "notifications/notification_detail.html",
        {"notification": notification, "body": body_of(notification, footer=False)},
    )


@login_required
@require_POST
def mark_read(request, pk):
    notification = get_object_or_404(rules.notifications_of(request.user), pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = rules.notifications_of(request.user).unread().update(read_at=timezone.now())
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notification_settings(request):
    own = NotificationSettings.objects.filter(user=request.user).first() or NotificationSettings(
        user=request.user, language=request.LANGUAGE_CODE
    )
    form = NotificationSettingsForm(request.POST or None, instance=own)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form}, status=400 if form.errors else 200)


# One-click unsubscribe (RFC 8058): mail programs POST without a CSRF token and without cookies; the
# signed token is what authorises it, so CSRF protection adds nothing here.
# never_cache: a page reached by a personal token is never kept in the public page cache.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    try:
        kind, user_id, email = unsubscribing.read(token)
    except signing.BadSignature:
        raise Http404(
            _("This unsubscribe link does not work. Open the notification settings instead.")
        ) from None
    context = {"kind": kind, "email": email, "personal": user_id is not None, "token": token}
    if request.method == "POST":
        unsubscribing.unsubscribe(kind=kind, user_id=user_id, email=email)
        return TemplateResponse(request, "notifications/unsubscribed.html", context)
    context["choosable"] = kind in FREQUENCIES
    context["is_account"] = kind == Kind.ACCOUNT
    return TemplateResponse(request, "notifications/unsubscribe.html", context)
