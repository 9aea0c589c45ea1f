"""Accounts: sign in and out, passwords, session limits, sign-in throttling, access requests and the
appointment of hub officers. Rules come from jipp.accounts.rules; writes go through jipp.accounts.services."""

import re
import secrets
import time

from axes.backends import AxesStandaloneBackend
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from jipp import access, directory, errors
from jipp.accounts import rules, services
from jipp.accounts.models import AccessRequest
from jipp.models import Agency, AuditEntry, Hub, Membership
from jipp.notifications.models import Kind
from jipp.notifications.outbox import notify, remember_language
from jipp.ops.ratelimits import by_posted_email, limited, over_limit
from jipp.steps import Step, post_step

User = get_user_model()

SESSION_STARTED = "jipp_signed_in_at"
SESSION_SEEN = "jipp_seen_at"
AGENCY_MATCH_LIMIT = 20


# --- Authentication plumbing ---------------------------------------------------------------------------


class ThrottledSignInBackend(AxesStandaloneBackend):
    """django-axes' lockout check for sign-ins made through a web request.

    Calls without a request (the test client's ``login()``, a shell) are not web sign-ins and carry no
    address to throttle; they fall through to the model backend instead of raising.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def start_session_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SESSION_STARTED] = now
        request.session[SESSION_SEEN] = now


class SessionExpiryMiddleware:
    """Signed-in sessions end 30 minutes after the last request and 12 hours after signing in.

    The last-seen time is written at most once a minute, so busy pages do not rewrite the session on
    every request.
    """

    WRITE_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.get(SESSION_STARTED)
            seen = session.get(SESSION_SEEN)
            if started is None or seen is None:
                session[SESSION_STARTED] = started or now
                session[SESSION_SEEN] = now
            elif (
                now - started > settings.SESSION_ABSOLUTE_TIMEOUT
                or now - seen > settings.SESSION_IDLE_TIMEOUT
            ):
                logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                return HttpResponseRedirect(f"{settings.LOGIN_URL}?next={_safe_next(request)}")
            elif now - seen >= self.WRITE_EVERY:
                session[SESSION_SEEN] = now
        return self.get_response(request)


def _safe_next(request):
    from urllib.parse import quote

    path = request.get_full_path() if request.method == "GET" else "/ruang-kerja/"
    return quote(path, safe="/")


class SignInForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    username = forms.CharField(label=_("User name or email"), max_length=254)

    def clean(self):
        # Accept an email address as well: sign in with the account that has it (when exactly one does).
        username = self.cleaned_data.get("username", "")
        if "@" in username:
            matches = list(User.objects.filter(email__iexact=username).values_list("username", flat=True)[:2])
            if len(matches) == 1:
                self.cleaned_data["username"] = matches[0]
        return super().clean()


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """POST only (Django's LogoutView answers GET with 405)."""

    template_name = "accounts/signed_out.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, its email written to the outbox (kind ``account``: always sent, never
    unsubscribable, not in the inbox) so a mail server outage delays it rather than losing it."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        notify(
            to=context["user"],
            email=to_email,
            kind=Kind.ACCOUNT,
            template=email_template_name,
            context={key: context[key] for key in ("user", "uid", "token")},
            language=translation.get_language(),
        )


# Each reset request sends an email: limited per address and per email address asked for, so
# nobody can flood an inbox or use the portal to send mail in bulk.
@method_decorator(limited("password-reset-email", key=by_posted_email), name="post")
@method_decorator(limited("password-reset"), name="post")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")
    form_class = OutboxPasswordResetForm

    @property
    def extra_email_context(self):
        # The link is built on the portal's public address, never on the request's Host header.
        return {"site_url": settings.JIPP_SITE_URL}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# --- Access requests -------------------------------------------------------------------------------


class PlainForm(forms.Form):
    """Labels without a trailing colon (they read as questions in both languages)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class AccessRequestForm(PlainForm):
    """What a person tells the hub: the agency they work for and their position."""

    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.listed(),
        error_messages={"required": _("Find your agency and choose it from the list.")},
    )
    new_unit_name = forms.CharField(
        label=_("Name of your unit"),
        required=False,
        max_length=200,
        help_text=_(
            "Only if your unit is not in the list: choose the government it belongs to above "
            "(for example Pemerintah Kota Pekanbaru) and write the unit's full name here, for example "
            "Dinas Kesehatan Kota Pekanbaru. The hub decides it with your request."
        ),
    )
    position = forms.CharField(label=_("Position"), max_length=200)
    message = forms.CharField(
        label=_("Message to the hub"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=AccessRequest._meta.get_field("message").help_text,
    )

    def clean(self):
        cleaned = super().clean()
        agency = cleaned.get("agency")
        unit_name = directory.normalise_name(cleaned.get("new_unit_name", ""))
        if unit_name and agency is not None:
            if not agency.is_government:
                self.add_error(
                    "new_unit_name",
                    _(
                        "To propose a new unit, choose the government it belongs to (Pemerintah …) "
                        "in the list."
                    ),
                )
            else:
                same = directory.same_name_in_region(
                    unit_name,
                    level=agency.level,
                    province_id=agency.province_id,
                    regency_id=agency.regency_id,
                )
                if same is not None:
                    self.add_error(
                        "new_unit_name",
                        _("%(name)s is already in the list: choose it instead.") % {"name": same.name},
                    )
        return cleaned


class RegistrationForm(AccessRequestForm):
    """Sign-up. It never says whether an email address already has an account (that is told only to
    the address's owner, by email), and asks for no user name: people sign in with their email, and
    the portal picks the user name (``_new_username``), so no "this name is taken" answer can reveal
    who has an account."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Work email"),
        max_length=254,
        help_text=_("You sign in with this address. We send a link to it to confirm it is yours."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    field_order = [
        "agency",
        "new_unit_name",
        "position",
        "message",
        "first_name",
        "last_name",
        "email",
        "password1",
        "password2",
    ]

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def clean(self):
        cleaned = super().clean()
        one, two = cleaned.get("password1"), cleaned.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("The two passwords differ."))
        elif one:
            candidate = User(
                username=(cleaned.get("email") or "").split("@")[0],
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                validate_password(one, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


def _agency_matches(query):
    query = " ".join(query.replace("\x00", "").split())[:100]
    if len(query) < 2:
        return []
    words = query.split()
    condition = Q()
    for word in words:
        condition &= (
            Q(name__icontains=word) | Q(regency__name__icontains=word) | Q(province__name__icontains=word)
        )
    # Listed agencies only (nobody sees another person's proposed unit); governments first, so the
    # one a new unit belongs to is never cut off by its many offices.
    return list(
        Agency.objects.listed()
        .filter(condition)
        .select_related("province", "regency")
        .order_by("-is_government", "name")[:AGENCY_MATCH_LIMIT]
    )


# --- Sign-up: confirm the email address first ------------------------------------------------------

CONFIRM_MAX_AGE = 3 * 24 * 3600  # a confirmation link works for three days
_CONFIRM_SALT = "jipp.accounts.views.register-confirm"


def _confirm_fingerprint(user):
    """Changes once the account is confirmed (or its password or address changes): a link works once."""
    return salted_hmac(_CONFIRM_SALT, f"{user.pk}|{user.password}|{user.is_active}|{user.email}").hexdigest()[
        :20
    ]


def confirmation_token(user):
    return signing.dumps({"u": user.pk, "f": _confirm_fingerprint(user)}, salt=_CONFIRM_SALT, compress=True)


def _user_for_token(token):
    """The unconfirmed account a confirmation link is for, or None (bad, expired or already used)."""
    try:
        data = signing.loads(token, salt=_CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
        user = User.objects.get(pk=int(data["u"]), is_active=False, last_login__isnull=True)
    except (signing.BadSignature, KeyError, TypeError, ValueError, User.DoesNotExist):
        return None
    if not constant_time_compare(str(data.get("f", "")), _confirm_fingerprint(user)):
        return None
    return user


def _absolute(path):
    return f"{settings.JIPP_SITE_URL}{path}"


def _new_username(email):
    """A user name for a new account, from the email's local part (people sign in with the email)."""
    base = re.sub(r"[^\w.+-]", "", email.split("@")[0].lower())[:30] or "pengguna"
    candidate = base
    while User.objects.filter(username__iexact=candidate).exists():
        candidate = f"{base}{secrets.randbelow(9000) + 1000}"
    return candidate


def _sign_up(request, data):
    """Create the unconfirmed account and its access request, or tell an existing account's owner.

    Both ways the person is sent to the same "check your email" page, so the page never reveals
    whether the address already has an account; only the address's owner learns it, by email.
    """
    language = translation.get_language()
    email = data["email"]
    existing = User.objects.filter(email__iexact=email).order_by("-is_active", "pk").first()
    if existing is not None:
        make_password(data["password1"])  # the same work as a new account, so timing tells nothing
        unconfirmed = not existing.is_active and existing.last_login is None
        notify(
            to=existing,
            kind=Kind.ACCOUNT,
            template="accounts/email/register_existing.txt",
            context={
                "user": existing,
                "confirm_url": _absolute(reverse("register_confirm", args=[confirmation_token(existing)]))
                if unconfirmed
                else "",
                "reset_url": _absolute(reverse("password_reset")),
                "sign_in_url": _absolute(reverse("sign_in")),
            },
            language=language,
        )
        return
    for attempt in range(3):
        try:
            with transaction.atomic():
                user = User(
                    username=_new_username(email),
                    email=email,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    is_active=False,  # until the person opens the link sent to the address
                )
                user.set_password(data["password1"])
                user.full_clean()
                user.save()
                services.request_access(
                    user=user,
                    agency=data["agency"],
                    new_unit_name=data["new_unit_name"],
                    position=data["position"],
                    message=data["message"],
                    notify=False,  # the hub hears of it once the address is confirmed
                )
                remember_language(user, language)
                notify(
                    to=user,
                    kind=Kind.ACCOUNT,
                    template="accounts/email/register_confirm.txt",
                    context={
                        "user": user,
                        "agency": data["agency"],
                        "confirm_url": _absolute(
                            reverse("register_confirm", args=[confirmation_token(user)])
                        ),
                        "hours": CONFIRM_MAX_AGE // 3600,
                    },
                    language=language,
                )
            return
        except (IntegrityError, ValidationError):
            # Someone took the same user name a moment earlier: pick another.
            if attempt == 2:
                raise


@require_http_methods(["GET", "POST"])
def register(request):
    """Sign up and ask to act for an agency (anonymous), or ask for another agency (signed in).

    Finding the agency needs no JavaScript: the "Find" button (``formnovalidate``, so the browser does
    not insist on the other fields first) posts the form back with everything typed so far and lists
    matching agencies. The agency comes first on the page, before the personal fields, because
    passwords are never sent back into a page: whoever fills the form from the top has not typed them
    yet when they search.
    """
    signed_in = request.user.is_authenticated
    form_class = AccessRequestForm if signed_in else RegistrationForm
    pending = None
    if signed_in:
        pending = (
            AccessRequest.objects.filter(user=request.user, status=AccessRequest.Status.PENDING)
            .select_related("agency")
            .first()
        )
    query = request.POST.get("agency_query", request.GET.get("instansi", ""))
    status = 200
    passwords_cleared = False
    if request.method == "POST" and "find_agency" not in request.POST:
        refused = over_limit(request, "register")  # submissions only; finding an agency is free
        if refused:
            return refused
        form = form_class(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if not signed_in:
                # Each submission may send an email to the address given: limited per address too.
                refused = over_limit(request, "password-reset-email", key=by_posted_email)
                if refused:
                    return refused
                try:
                    _sign_up(request, data)
                except ValidationError as error:
                    # The proposed unit was listed by someone else a moment ago (the form checked it).
                    form.add_error(None, error)
                    status = 400
                else:
                    return redirect("register_sent")
            else:
                try:
                    with transaction.atomic():
                        services.request_access(
                            user=request.user,
                            agency=data["agency"],
                            new_unit_name=data["new_unit_name"],
                            position=data["position"],
                            message=data["message"],
                        )
                except errors.Conflict as conflict:
                    messages.error(request, str(conflict))
                    status = 409
                except ValidationError as error:
                    form.add_error(None, error)
                    status = 400
                else:
                    messages.success(
                        request,
                        _("Your request was sent to the hub. You will get an email when it is decided."),
                    )
                    return redirect("innovations:workspace")
        else:
            status = 400
    else:
        if request.method == "POST":
            # The "find" round trip: keep everything typed (passwords are never echoed back).
            form = form_class(
                initial={
                    k: v for k, v in request.POST.items() if k not in ("password1", "password2", "agency")
                }
            )
            passwords_cleared = bool(request.POST.get("password1") or request.POST.get("password2"))
        else:
            form = form_class()
    selected_id = request.POST.get("agency", "")
    matches = _agency_matches(query)
    selected = None
    if selected_id.isdigit():
        selected = (
            Agency.objects.listed().select_related("province", "regency").filter(pk=int(selected_id)).first()
        )
        if selected and selected not in matches:
            matches.insert(0, selected)
    return render(
        request,
        "accounts/register.html",
        {
            "form": form,
            "agency_query": query,
            "agency_matches": matches,
            "selected_agency_id": selected.pk if selected else None,
            "searched": len(query.strip()) >= 2,
            "pending": pending,
            "passwords_cleared": passwords_cleared,
        },
        status=status,
    )


@require_safe
def register_sent(request):
    """After a sign-up: the same page whether or not the address already had an account."""
    return render(request, "accounts/register_sent.html")


@require_http_methods(["GET", "HEAD", "POST"])
def register_confirm(request, token):
    """The link in the confirmation email: GET shows a button (mail scanners that open links must not
    confirm anything); POST activates the account, signs the person in and tells the hub."""
    user = _user_for_token(token)
    if user is None:
        return render(
            request,
            "accounts/register_confirm.html",
            {"valid": False},
            status=400 if request.method == "POST" else 200,
        )
    if request.method == "POST":
        with transaction.atomic():
            user = User.objects.select_for_update().get(pk=user.pk)
            if user.is_active:  # confirmed by a parallel request a moment ago
                return redirect("sign_in")
            user.is_active = True
            user.save(update_fields=["is_active"])
            access_request = (
                AccessRequest.objects.filter(user=user, status=AccessRequest.Status.PENDING)
                .select_related("agency")
                .first()
            )
            if access_request is not None:
                AuditEntry.record(access_request, actor=user, action="confirm_email", comment=user.email)
                services.notify_deciders(access_request)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _(
                "Your email address is confirmed. Your request was sent to the hub; you will get an email "
                "when it is decided."
            ),
        )
        return redirect("innovations:workspace")
    return render(request, "accounts/register_confirm.html", {"valid": True, "person": user})


@login_required
@require_safe
def access_request_list(request):
    """The decider's queue: pending requests oldest first, with how long each has waited."""
    access.require(rules.can_decide_access_requests(request.user))
    queryset = rules.access_requests_for_decider(
        request.user, AccessRequest.objects.select_related("agency", "agency__province", "user")
    )
    # Sign-ups whose email address is not confirmed yet wait out of the queue (see register_confirm).
    pending = list(queryset.pending().filter(user__is_active=True).order_by("created_at", "id")[:200])
    decided = list(queryset.exclude(status=AccessRequest.Status.PENDING).order_by("-decided_at", "-id")[:20])
    return render(
        request,
        "accounts/access_request_list.html",
        {"pending": pending, "decided": decided, "now": timezone.now()},
    )


class DecisionForm(PlainForm):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])
    unit_name = forms.CharField(
        label=_("Name of the new unit"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"size": 60}),
        help_text=_("Correct the name if needed: approving adds the unit to the directory under this name."),
    )
    note = forms.CharField(
        label=_("Note to the person"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def access_request_detail(request, pk):
    access_request = rules.get_access_request_for_decider(request.user, pk)
    status = 200
    proposed_unit = access_request.agency.status == Agency.Status.PROPOSED
    form = DecisionForm(initial={"unit_name": access_request.agency.name})
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                services.decide_access_request(
                    access_request_id=access_request.pk,
                    by=request.user,
                    approve=form.cleaned_data["decision"] == "approve",
                    note=form.cleaned_data["note"],
                    unit_name=form.cleaned_data["unit_name"] if proposed_unit else "",
                )
            except errors.Conflict as conflict:
                messages.error(request, str(conflict))
                status = 409
            except ValidationError as error:
                form.add_error(None if hasattr(error, "error_dict") else "note", error)
                status = 400
            else:
                messages.success(request, _("Decision saved. The person was notified by email."))
                return redirect("access_request_list")
        else:
            status = 400
        access_request.refresh_from_db()
    others = (
        Membership.objects.active().filter(agency=access_request.agency, role="staff").select_related("user")
    )
    proposed_unit = access_request.agency.status == Agency.Status.PROPOSED
    return render(
        request,
        "accounts/access_request_detail.html",
        {
            "access_request": access_request,
            "form": form,
            "colleagues": list(others[:20]),
            "proposed_unit": proposed_unit,
            "history": list(AuditEntry.for_object(access_request)),
        },
        status=status,
    )


# --- Hub officers ----------------------------------------------------------------------------------


class AppointOfficerForm(PlainForm):
    account = forms.CharField(label=_("User name or email of the account"), max_length=254)
    hub = forms.ModelChoiceField(label=_("Hub"), queryset=Hub.objects.select_related("province"))
    title = forms.CharField(label=_("Position in the implementation team"), max_length=200, required=False)

    def clean_account(self):
        value = self.cleaned_data["account"].strip()
        users = list(
            User.objects.filter(Q(username__iexact=value) | Q(email__iexact=value), is_active=True)[:2]
        )
        if len(users) != 1:
            raise ValidationError(_("No single active account has this user name or email."))
        return users[0]


@login_required
@require_http_methods(["GET", "POST"])
def officer_list(request):
    access.require(rules.can_appoint_officers(request.user))
    form = AppointOfficerForm()
    status = 200
    if request.method == "POST":
        form = AppointOfficerForm(request.POST)
        if form.is_valid():
            try:
                services.appoint_officer(
                    user=form.cleaned_data["account"],
                    hub=form.cleaned_data["hub"],
                    title=form.cleaned_data["title"],
                    by=request.user,
                )
            except errors.Conflict as conflict:
                messages.error(request, str(conflict))
                status = 409
            else:
                messages.success(request, _("Officer appointed."))
                return redirect("officer_list")
        else:
            status = 400
    officers = (
        Membership.objects.active()
        .filter(role="officer")
        .select_related("user", "hub", "hub__province")
        .order_by("hub__province__name", "user__username")
    )
    return render(request, "accounts/officer_list.html", {"form": form, "officers": officers}, status=status)


@login_required
@require_POST
def officer_revoke(request, pk):
    access.require(rules.can_appoint_officers(request.user))
    if not Membership.objects.filter(pk=pk, role="officer").exists():
        from django.http import Http404

        raise Http404
    return post_step(
        request,
        pk,
        REVOKE_OFFICER,
        invalid=lambda form, error: HttpResponseBadRequest(),
        back_url=reverse("officer_list"),
    )


REVOKE_OFFICER = Step(
    form=forms.Form,  # the button: nothing but the CSRF token
    allowed=lambda user, pk: rules.can_appoint_officers(user),
    perform=lambda user, pk, data: services.revoke_officer(membership_id=pk, by=user),
    success=_("The appointment was ended."),
    done=lambda pk, result: reverse("officer_list"),
)


# --- The agency directory: renames and merges (officers for their province, the ministry for all) ---

AGENCIES_PER_PAGE = 50


def _page_number(request):
    value = request.GET.get("page", "1")
    return int(value) if value.isdigit() and 0 < int(value) < 10_000 else 1


@login_required
@require_safe
def agency_directory(request):
    """The agencies this person may correct, governments first within each region, with a name
    filter. The agency table is small (thousands, not millions): a counted page is fine here."""
    access.require(directory.can_manage_agencies(request.user))
    query = directory.normalise_name(request.GET.get("q", ""))[:100]
    agencies = directory.agencies_managed_by(request.user).select_related("province", "regency", "parent")
    if query:
        agencies = agencies.filter(
            Q(name__icontains=query) | Q(regency__name__icontains=query) | Q(province__name__icontains=query)
        )
    # Each province's own government and offices first, then its regencies and cities in code order.
    agencies = agencies.order_by(
        "province__code", F("regency__code").asc(nulls_first=True), "-is_government", "name", "pk"
    )
    page = Paginator(agencies, AGENCIES_PER_PAGE).get_page(_page_number(request))
    return render(request, "accounts/agency_directory.html", {"page": page, "query": query})


class RenameAgencyForm(PlainForm):
    # Agency names are long ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten …").
    name = forms.CharField(label=_("New name"), max_length=200, widget=forms.TextInput(attrs={"size": 60}))


class MergeAgencyForm(PlainForm):
    kept = forms.ModelChoiceField(
        label=_("Keep this agency"),
        queryset=Agency.objects.none(),
        empty_label=_("Choose the agency to keep"),
        error_messages={"invalid_choice": _("Choose one of the agencies listed.")},
    )
    comment = forms.CharField(
        label=_("Note for the history"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kept"].queryset = candidates
        self.fields["kept"].label_from_instance = lambda a: (
            f"{a.name} ({_('government')})" if a.is_government else a.name
        )


def _merge_candidates(user, agency):
    """The agencies ``agency`` may be merged into: listed, same level and region, in the person's scope."""
    candidates = (
        directory.agencies_managed_by(user)
        .filter(level=agency.level, province_id=agency.province_id, regency_id=agency.regency_id)
        .exclude(pk=agency.pk)
        .order_by("-is_government", "name", "pk")
    )
    # A government is merged only into another government (its units need one to belong to).
    return candidates.filter(is_government=True) if agency.is_government else candidates


@login_required
@require_http_methods(["GET", "POST"])
def agency_manage(request, pk):
    """One agency: its place in the directory, its history, and renaming it (the old address keeps
    answering with a redirect)."""
    agency = directory.get_agency_for_manager(request.user, pk)
    status = 200
    form = RenameAgencyForm(initial={"name": agency.name})
    if request.method == "POST":
        form = RenameAgencyForm(request.POST)
        if form.is_valid():
            try:
                directory.rename_agency(agency_id=agency.pk, name=form.cleaned_data["name"], by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
                status = 400
            else:
                messages.success(request, _("The agency was renamed; its old address leads to the new one."))
                return redirect("agency_manage", pk=agency.pk)
        else:
            status = 400
    units = list(agency.units.listed().order_by("name")[:200]) if agency.is_government else []
    return render(
        request,
        "accounts/agency_manage.html",
        {
            "agency": agency,
            "form": form,
            "units": units,
            "history": list(directory.history_of(agency)[:50]),
            "has_candidates": _merge_candidates(request.user, agency).exists(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_merge(request, pk):
    """Merge this agency (the duplicate) into another of its region: choose the one to keep, see what
    will move, confirm. Everything moves in one transaction; the old address redirects."""
    duplicate = directory.get_agency_for_manager(request.user, pk)
    candidates = _merge_candidates(request.user, duplicate)
    status = 200
    if request.method == "POST":
        form = MergeAgencyForm(request.POST, candidates=candidates)
        if form.is_valid() and request.POST.get("confirm") == "1":
            kept = form.cleaned_data["kept"]
            try:
                moved = directory.merge_agencies(
                    duplicate_id=duplicate.pk,
                    kept_id=kept.pk,
                    by=request.user,
                    comment=form.cleaned_data["comment"],
                )
            except errors.Conflict as conflict:
                messages.error(request, str(conflict))
                status = 409
            except ValidationError as error:
                form.add_error(None, error)
                status = 400
            else:
                messages.success(
                    request,
                    _("%(duplicate)s was merged into %(kept)s (%(count)s records moved).")
                    % {"duplicate": duplicate.name, "kept": kept.name, "count": sum(moved.values())},
                )
                return redirect("agency_manage", pk=kept.pk)
        elif form.is_valid():
            form.add_error(None, _("Confirm the merge with the button below the summary."))
            status = 400
        else:
            status = 400
    else:
        # Nothing chosen yet (or the empty choice sent): the form; a forged choice is a 400 below.
        form = MergeAgencyForm(request.GET if request.GET.get("kept") else None, candidates=candidates)
    kept = form.cleaned_data.get("kept") if form.is_bound and form.is_valid() else None
    if request.method == "GET" and form.is_bound and not form.is_valid():
        status = 400
    return render(
        request,
        "accounts/agency_merge.html",
        {
            "agency": duplicate,
            "form": form,
            "kept": kept,
            "moving": _what_moves(duplicate) if kept else [],
        },
        status=status,
    )


MOVES_COUNTED_UP_TO = 10_000


def _what_moves(agency):
    """How many rows of each kind point to ``agency``: one bounded count per foreign key to Agency (a
    fixed number of queries; never a full count on the innovations table)."""
    rows = []
    for model, field in directory.references_to_agency():
        count = model._base_manager.filter(**{field: agency})[: MOVES_COUNTED_UP_TO + 1].count()
        if count:
            rows.append((model._meta.verbose_name_plural, model._meta.get_field(field).verbose_name, count))
    return rows
