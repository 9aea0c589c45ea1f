"""Hub pages: the public page of a province hub and its management by the hub's own officers
(``/hub/<slug>/kelola/…``); the ministry's designation of hubs and changes of status.

Every rule is in jipp.access (``get_hub_for_editing``, ``require_hub_designation``); every write goes
through hubs.services and is audited.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from hubs import rules, services, statistics
from hubs.forms import (
    ConfirmForm,
    HubDesignationForm,
    HubDocumentForm,
    HubEventForm,
    HubPageForm,
    HubStatusForm,
    HubTeamMemberForm,
    PartnerUniversityForm,
)
from hubs.models import HubDocument, HubEvent, HubTeamMember
from innovations.models import Innovation
from jipp.models import Hub, University
from jipp.steps import Step, post_step
from replication.models import ReplicationRequest

PUBLIC_LIST_LIMIT = 10


# --- Public ---------------------------------------------------------------------------------------


@require_safe
def hub_list(request):
    hubs = Hub.objects.select_related("province").order_by("province__name")
    return render(request, "hubs/hub_list.html", {"hubs": hubs})


@require_safe
def hub_detail(request, slug):
    hub = get_object_or_404(Hub.objects.select_related("province"), slug=slug)
    team = list(hub.team.filter(is_published=True, is_removed=False))
    universities = list(hub.universities.all())
    documents = list(hub.documents.current())
    events = list(hub.events.current()[:20])
    innovations = list(
        Innovation.objects.published()
        .filter(province_id=hub.province_id)
        .select_related("agency")
        .order_by("-published_at", "-id")[:PUBLIC_LIST_LIMIT]
    )
    replications = list(
        # Requests under way or done; undecided, rejected and withdrawn ones are not for the public page.
        ReplicationRequest.objects.public()
        .filter(hub=hub)
        .select_related("source", "requesting_agency")
        .order_by("-created_at", "-id")[:PUBLIC_LIST_LIMIT]
    )
    figures = statistics.national_figures()
    coverage = figures["coverage_by_province"].get(hub.province_id)
    province_figures = figures["by_province"].get(hub.province_id, {})
    return render(
        request,
        "hubs/hub_detail.html",
        {
            "hub": hub,
            "team": team,
            "universities": universities,
            "documents": documents,
            "events": events,
            "innovations": innovations,
            "replications": replications,
            "coverage": coverage,
            "province_figures": province_figures,
            "can_edit": rules.can_edit_hub(request.user, hub),
        },
    )


@require_safe
def hub_document_file(request, slug, pk):
    """Serve an uploaded hub document with its *detected* type, never inline as anything else."""
    document = get_object_or_404(HubDocument.objects.current().exclude(file=""), hub__slug=slug, pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=document.content_type)
    # Only the four validated types are ever stored, so showing them inline is safe; the sandbox CSP
    # below keeps even a hostile PDF from running script in the portal's origin.
    response["Content-Disposition"] = f'inline; filename="{document.file.name.rsplit("/", 1)[-1]}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; object-src 'self'; sandbox"
    return response


# --- Management by the hub's officers -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def hub_manage(request, slug):
    hub = rules.get_hub_for_editing(request.user, slug)
    form = HubPageForm(request.POST or None, instance=hub)
    if request.method == "POST":
        if form.is_valid():
            services.update_hub_page(hub=hub, by=request.user, description=form.cleaned_data["description"])
            messages.success(request, _("The hub page was saved."))
            return redirect("hub_manage", slug=hub.slug)
        status = 400
    else:
        status = 200
    context = {
        "hub": hub,
        "form": form,
        "team": hub.team.filter(is_removed=False),
        "universities": hub.universities.all(),
        "documents": hub.documents.current(),
        "events": hub.events.current(),
    }
    return render(request, "hubs/hub_manage.html", context, status=status)


def _item_form(request, hub, form_class, *, instance=None, title, files=False):
    data = request.POST if request.method == "POST" else None
    form = form_class(data, request.FILES if files and data is not None else None, instance=instance)
    if data is not None:
        if form.is_valid():
            item = form.save(commit=False)
            services.save_hub_item(hub=hub, by=request.user, item=item, changed=form.changed_data)
            messages.success(request, _("Saved."))
            return redirect("hub_manage", slug=hub.slug)
        return render(
            request, "hubs/hub_item_form.html", {"hub": hub, "form": form, "title": title}, status=400
        )
    return render(request, "hubs/hub_item_form.html", {"hub": hub, "form": form, "title": title})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def hub_team_add(request, slug):
    hub = rules.get_hub_for_editing(request.user, slug)
    return _item_form(request, hub, HubTeamMemberForm, title=_("Add a team member"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def hub_team_edit(request, slug, pk):
    hub = rules.get_hub_for_editing(request.user, slug)
    member = get_object_or_404(HubTeamMember, hub=hub, pk=pk, is_removed=False)
    return _item_form(request, hub, HubTeamMemberForm, instance=member, title=_("Edit a team member"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def hub_event_add(request, slug):
    hub = rules.get_hub_for_editing(request.user, slug)
    return _item_form(request, hub, HubEventForm, title=_("Add an event"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def hub_event_edit(request, slug, pk):
    hub = rules.get_hub_for_editing(request.user, slug)
    event = get_object_or_404(HubEvent, hub=hub, pk=pk, is_removed=False)
    return _item_form(request, hub, HubEventForm, instance=event, title=_("Edit an event"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def hub_document_add(request, slug):
    hub = rules.get_hub_for_editing(request.user, slug)
    return _item_form(request, hub, HubDocumentForm, title=_("Add a regulation or document"), files=True)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def hub_document_edit(request, slug, pk):
    """Correct a document's title, number, date or link, or replace its file (audited as a change)."""
    hub = rules.get_hub_for_editing(request.user, slug)
    document = get_object_or_404(HubDocument, hub=hub, pk=pk, is_removed=False)
    return _item_form(
        request, hub, HubDocumentForm, instance=document, title=_("Edit a regulation or document"), files=True
    )


_REMOVABLE = {"team": HubTeamMember, "event": HubEvent, "document": HubDocument}


def _removal_details(kind, item):
    if kind == "team":
        return [(_("Team member"), item.name), (_("Role in the team"), item.role)]
    if kind == "event":
        return [(_("Event"), item.title), (_("Date"), date_format(item.held_on, "DATE_FORMAT"))]
    return [(_("Document"), item.title), (_("Number"), item.number or "–")]


def _removal_name(kind, item):
    """How the confirmation page names the item: an event by its localized date and title."""
    if kind == "event":
        return f"{date_format(item.held_on, 'DATE_FORMAT')}: {item.title}"
    return str(item)


def _confirm_page(request, hub, *, title, details, button):
    """GET of a removal: say what will be removed, with the POST button (no JavaScript needed)."""
    return render(
        request,
        "jipp/confirm_remove.html",
        {
            "title": title,
            "details": details,
            "note": _("It disappears from the public page; the audit log keeps who removed it and when."),
            "button": button,
            "action_url": request.path,
            "hidden": [],
            "back_url": reverse("hub_manage", kwargs={"slug": hub.slug}),
            "back_label": _("Manage %(name)s") % {"name": hub.name},
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def hub_item_remove(request, slug, kind, pk):
    hub = rules.get_hub_for_editing(request.user, slug)
    model = _REMOVABLE.get(kind)
    if model is None:
        raise Http404
    item = get_object_or_404(model, hub=hub, pk=pk, is_removed=False)
    if request.method != "POST":
        return _confirm_page(
            request,
            hub,
            title=_("Remove %(name)s?") % {"name": _removal_name(kind, item)},
            details=_removal_details(kind, item),
            button=_("Remove %(name)s") % {"name": _removal_name(kind, item)},
        )
    remove = Step(
        form=ConfirmForm,
        allowed=rules.can_edit_hub,
        perform=lambda user, hub, data: services.remove_hub_item(item=item, by=user),
        success=_lazy("Removed."),
        done=_to_manage,
    )
    return post_step(request, hub, remove, invalid=_bad_form, back_url=_manage_url(hub))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def hub_university_add(request, slug):
    hub = rules.get_hub_for_editing(request.user, slug)
    form = PartnerUniversityForm(request.POST or None, hub=hub)
    if request.method == "POST":
        if form.is_valid():
            university = services.add_partner_university(
                hub=hub,
                by=request.user,
                university=form.cleaned_data["university"],
                name=form.cleaned_data["name"],
                website=form.cleaned_data["website"],
            )
            messages.success(request, _("%(name)s is now a partner university.") % {"name": university.name})
            return redirect("hub_manage", slug=hub.slug)
        status = 400
    else:
        status = 200
    context = {"hub": hub, "form": form, "title": _("Add a partner university")}
    return render(request, "hubs/hub_item_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def hub_university_remove(request, slug, pk):
    hub = rules.get_hub_for_editing(request.user, slug)
    university = get_object_or_404(University.objects.filter(hubs=hub), pk=pk)
    if request.method != "POST":
        return _confirm_page(
            request,
            hub,
            title=_("Remove %(name)s?") % {"name": university.name},
            details=[(_("Partner university"), university.name)],
            button=_("Remove %(name)s") % {"name": university.name},
        )
    remove = Step(
        form=ConfirmForm,
        allowed=rules.can_edit_hub,
        perform=lambda user, hub, data: services.remove_partner_university(
            hub=hub, by=user, university=university
        ),
        success=_lazy("Removed."),
        done=_to_manage,
    )
    return post_step(request, hub, remove, invalid=_bad_form, back_url=_manage_url(hub))


def _manage_url(hub):
    return reverse("hub_manage", kwargs={"slug": hub.slug})


def _to_manage(hub, result):
    return _manage_url(hub)


def _bad_form(form, error):
    return HttpResponseBadRequest()  # the 400 page (jipp.ops.middleware.ErrorPageMiddleware)


# --- The ministry: designation and status ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def hub_designate(request):
    rules.require_hub_designation(request.user)
    form = HubDesignationForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            hub = services.designate_hub(by=request.user, hub=form.save(commit=False))
            messages.success(request, _("%(name)s was designated.") % {"name": hub.name})
            return redirect("monitoring_hub", slug=hub.slug)
        status = 400
    else:
        status = 200
    context = {"form": form, "title": _("Designate a hub")}
    return render(request, "hubs/hub_designate.html", context, status=status)


@login_required
@require_POST
def hub_status(request, slug):
    rules.require_hub_designation(request.user)
    hub = get_object_or_404(Hub, slug=slug)
    return post_step(request, hub, CHANGE_STATUS, invalid=_bad_form, back_url=_monitoring_url(hub, None))


def _monitoring_url(hub, result):
    return reverse("monitoring_hub", kwargs={"slug": hub.slug})


CHANGE_STATUS = Step(
    form=HubStatusForm,
    allowed=lambda user, hub: rules.can_designate_hubs(user),
    perform=lambda user, hub, data: hub.set_status(data["status"], by=user, comment=data["comment"]),
    # set_status says whether anything changed: no message when the status was already that one.
    success=lambda changed: _("The hub's status was changed.") if changed else None,
    done=_monitoring_url,
)
