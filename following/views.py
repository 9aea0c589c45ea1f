"""Following: a page per target to follow or stop following it (public pages only link here, so they
stay free of CSRF tokens and per-person content and can be cached), and the list of what one follows."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from following import targets
from following.models import Follow
from jipp.notifications.outbox import settings_for


@login_required
@require_safe
def follow_list(request):
    follows = Follow.objects.filter(user=request.user).select_related(
        "innovation", "agency", "province", "hub"
    )
    return render(
        request,
        "following/follow_list.html",
        {
            "follows": [(follow, targets.of_follow(follow)) for follow in follows],
            "own": settings_for(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def follow(request, kind, key):
    target = targets.resolve(kind, key)
    existing = Follow.objects.filter(user=request.user, kind=kind, **target.lookup).first()
    if request.method == "POST":
        wanted = request.POST.get("follow")
        if wanted not in ("1", "0"):
            return render(
                request, "following/follow.html", {"target": target, "following": existing}, status=400
            )
        if wanted == "1" and existing is None:
            try:
                with transaction.atomic():
                    Follow.objects.create(user=request.user, kind=kind, **target.lookup)
            except IntegrityError:
                pass  # followed a moment ago in another tab: the same outcome
            messages.success(request, _("You now follow %(name)s.") % {"name": target.name})
        elif wanted == "0" and existing is not None:
            existing.delete()
            messages.success(request, _("You no longer follow %(name)s.") % {"name": target.name})
        return redirect("following:follow", kind=kind, key=key)
    return render(
        request,
        "following/follow.html",
        {"target": target, "following": existing, "own": settings_for(request.user)},
    )
