"""Accounts, access requests, the workspace and the review workflow (issue 4).

The owning agency is Disdukcapil Kota Pekanbaru (Riau): its staff edit, Riau's officers review, Bali's
officers and Denpasar's staff see nothing of it (404), the ministry reads it but only features (403 for
the rest), administrators pass every check.
"""

from tests.authz import Case, everyone, signed_in
from tests.workflow.helpers import (
    make_access_request,
    make_evidence,
    make_innovation,
    make_revision,
    png_bytes,
    upload,
)

ANON_302 = {"anonymous": 302}


def roles(anonymous, owner_staff, other_staff, hub_officer, other_officer, ministry, admin):
    return {
        "anonymous": anonymous,
        "owner_staff": owner_staff,
        "other_staff": other_staff,
        "hub_officer": hub_officer,
        "other_officer": other_officer,
        "ministry": ministry,
        "admin": admin,
    }


def signed_in_405():
    return signed_in(405)


def _innovation(status, **extra):
    def kwargs(w):
        w.innovation = make_innovation(w.pekanbaru, status=status, by=w.staff_pekanbaru, **extra)
        return {"pk": w.innovation.pk}

    return kwargs


def _published_with_edit(w):
    w.innovation = make_innovation(w.pekanbaru, status="published", by=w.staff_pekanbaru)
    make_revision(w.innovation, by=w.staff_pekanbaru)
    return {"pk": w.innovation.pk}


def _version(w, **extra):
    return {"version": w.innovation.version, **extra}


def _draft_with_evidence(w):
    w.innovation = make_innovation(w.pekanbaru, status="draft", by=w.staff_pekanbaru)
    w.evidence = make_evidence(w.innovation)
    return {"pk": w.innovation.pk, "evidence_pk": w.evidence.pk}


def _draft_with_award(w):
    from innovations.models import Award

    w.innovation = make_innovation(w.pekanbaru, status="draft", by=w.staff_pekanbaru)
    w.award = Award.objects.create(innovation=w.innovation, program="kipp", year=2023, rank="top45")
    return {"pk": w.innovation.pk, "award_key": w.award.key}


def _award_data(w):
    return {"version": w.innovation.version, "program": "kipp", "year": 2024, "rank": "top99", "title": ""}


def _evidence_of(status):
    def kwargs(w):
        w.innovation = make_innovation(w.pekanbaru, status=status, by=w.staff_pekanbaru)
        w.evidence = make_evidence(w.innovation)
        return {"pk": w.evidence.pk}

    return kwargs


def _access_request(w):
    from tests.conftest import make_user

    person = make_user("pemohon")
    w.access_request = make_access_request(person, w.pekanbaru)
    return {"pk": w.access_request.pk}


def _unconfirmed(w):
    from jipp.accounts.views import confirmation_token
    from tests.conftest import make_user

    person = make_user("baru")
    person.is_active = False
    person.save(update_fields=["is_active"])
    make_access_request(person, w.pekanbaru)
    return {"token": confirmation_token(person)}


def _officer_membership(w):
    from jipp.models import Membership

    return {"pk": Membership.objects.get(user=w.officer_riau, role="officer").pk}


NEW_INNOVATION = {"agency": "", "name": "Inovasi Baru", "acronym": "IB", "summary": "Ringkas."}


def _new_innovation_data(w):
    return {**NEW_INNOVATION, "agency": w.pekanbaru.pk}


def _identity_data(w):
    return {"version": w.innovation.version, "name": "Nama Baru", "acronym": "", "summary": "Ringkasan baru."}


def _evidence_data(w):
    return {"version": w.innovation.version, "title": "Foto", "file": upload("foto.png", png_bytes())}


def _registration_data(w):
    return {
        "first_name": "Rina",
        "last_name": "Putri",
        "email": "rina@example.id",
        "username": "rina",
        "password1": "sangat-rahasia-sekali-2026",
        "password2": "sangat-rahasia-sekali-2026",
        "agency": w.siak.pk,
        "position": "Analis",
        "message": "",
    }


# Who may act, by kind of action, on a record of the owning agency.
EDIT = roles(302, 302, 404, 404, 404, 403, 302)  # on a draft: officers do not see drafts
REVIEW = roles(302, 403, 404, 302, 404, 403, 302)
CONFIRM = roles(302, 302, 404, 403, 404, 403, 302)
ARCHIVE = roles(302, 302, 404, 302, 404, 403, 302)
FEATURE = roles(302, 403, 404, 403, 404, 302, 302)
PUBLISHED_EDIT = roles(302, 302, 404, 403, 404, 403, 302)
GET_405 = signed_in(405)
CONFIRM_PAGE = roles(302, 200, 404, 404, 404, 403, 200)  # the GET of a removal on a draft

CASES = [
    # --- accounts ---
    Case("sign_in", "get", roles(200, 302, 302, 302, 302, 302, 302)),
    Case(
        "sign_in",
        "post",
        roles(200, 302, 302, 302, 302, 302, 302),
        data=lambda w: {"username": "nobody", "password": "wrong-password"},
    ),
    Case("sign_out", "get", everyone(405)),
    Case("sign_out", "post", everyone(302)),
    Case("password_change", "get", signed_in(200)),
    Case("password_change", "post", signed_in(200), data=lambda w: {"old_password": "x"}),
    Case("password_change_done", "get", signed_in(200)),
    Case("password_change_done", "post", signed_in(405)),
    Case("password_reset", "get", everyone(200)),
    Case("password_reset", "post", everyone(302), data=lambda w: {"email": "staff_pekanbaru@example.id"}),
    Case("password_reset_done", "get", everyone(200)),
    Case("password_reset_done", "post", everyone(405)),
    Case(
        "password_reset_confirm",
        "get",
        everyone(200),
        kwargs=lambda w: {"uidb64": "MQ", "token": "bad-token"},
    ),
    Case(
        "password_reset_confirm",
        "post",
        everyone(200),
        kwargs=lambda w: {"uidb64": "MQ", "token": "bad-token"},
    ),
    Case("password_reset_complete", "get", everyone(200)),
    Case("password_reset_complete", "post", everyone(405)),
    # Registration: anyone may ask for access (signed-in people for another agency).
    Case("register", "get", everyone(200)),
    Case("register", "post", everyone(302), data=_registration_data),
    # Sign-up answers the same page whether or not the address has an account; the emailed link
    # confirms the address (GET shows the button, POST confirms and signs in).
    Case("register_sent", "get", everyone(200)),
    Case("register_sent", "post", everyone(405)),
    Case("register_confirm", "get", everyone(200), kwargs=lambda w: {"token": "bad-token"}),
    Case("register_confirm", "post", everyone(400), kwargs=lambda w: {"token": "bad-token"}),
    Case("register_confirm", "get", everyone(200), kwargs=_unconfirmed, id="register_confirm[get valid]"),
    Case("register_confirm", "post", everyone(302), kwargs=_unconfirmed, id="register_confirm[post valid]"),
    # The ministry decides for provinces without an active hub (none here: it sees an empty queue).
    Case("access_request_list", "get", roles(302, 403, 403, 200, 200, 200, 200)),
    Case("access_request_list", "post", roles(302, 405, 405, 405, 405, 405, 405)),
    Case("access_request_detail", "get", roles(302, 403, 403, 200, 404, 404, 200), kwargs=_access_request),
    Case(
        "access_request_detail",
        "post",
        roles(302, 403, 403, 302, 404, 404, 302),
        kwargs=_access_request,
        data=lambda w: {"decision": "approve", "note": ""},
    ),
    Case("officer_list", "get", roles(302, 403, 403, 403, 403, 200, 200)),
    Case(
        "officer_list",
        "post",
        roles(302, 403, 403, 403, 403, 302, 302),
        data=lambda w: {"account": "outsider", "hub": w.hub_bali.pk, "title": "Anggota"},
    ),
    Case("officer_revoke", "get", GET_405, kwargs=_officer_membership),
    Case("officer_revoke", "post", roles(302, 403, 403, 403, 403, 302, 302), kwargs=_officer_membership),
    # --- workspace ---
    Case("innovations:workspace", "get", signed_in(200)),
    Case("innovations:workspace", "post", GET_405),
    Case("innovations:innovation_create", "get", roles(302, 200, 200, 403, 403, 403, 200)),
    # Another agency's staff forging the owning agency's id: a 400 and nothing created.
    Case(
        "innovations:innovation_create",
        "post",
        roles(302, 302, 400, 403, 403, 403, 302),
        data=_new_innovation_data,
    ),
    Case(
        "innovations:workspace_innovation",
        "get",
        roles(302, 200, 404, 200, 404, 200, 200),
        kwargs=_innovation("submitted"),
    ),
    Case(
        "innovations:workspace_innovation",
        "get",
        roles(302, 200, 404, 404, 404, 200, 200),
        kwargs=_innovation("draft"),
        id="workspace_innovation[get draft]",
    ),
    Case(
        "innovations:workspace_innovation",
        "get",
        roles(302, 200, 404, 200, 404, 200, 200),
        kwargs=_innovation("published"),
        id="workspace_innovation[get published]",
    ),
    Case("innovations:workspace_innovation", "post", GET_405, kwargs=_innovation("submitted")),
    Case(
        "innovations:innovation_edit",
        "get",
        roles(302, 200, 404, 404, 404, 403, 200),
        kwargs=lambda w: {**_innovation("draft")(w), "section": "identity"},
    ),
    Case(
        "innovations:innovation_edit",
        "post",
        EDIT,
        kwargs=lambda w: {**_innovation("draft")(w), "section": "identity"},
        data=_identity_data,
    ),
    Case(
        "innovations:innovation_edit",
        "post",
        roles(302, 302, 404, 403, 404, 403, 302),
        kwargs=lambda w: {**_innovation("published")(w), "section": "identity"},
        data=_identity_data,
        id="innovation_edit[post published]",
    ),
    # Submitted records are frozen: their owners get a 409 saying why.
    Case(
        "innovations:innovation_edit",
        "get",
        roles(302, 409, 404, 403, 404, 403, 409),
        kwargs=lambda w: {**_innovation("submitted")(w), "section": "identity"},
        id="innovation_edit[get submitted]",
    ),
    Case("innovations:evidence_add", "get", GET_405, kwargs=_innovation("draft")),
    Case("innovations:evidence_add", "post", EDIT, kwargs=_innovation("draft"), data=_evidence_data),
    # Removals: GET is the confirmation page (what will be removed, and the POST button).
    Case("innovations:evidence_remove", "get", CONFIRM_PAGE, kwargs=_draft_with_evidence),
    Case("innovations:evidence_remove", "post", EDIT, kwargs=_draft_with_evidence, data=_version),
    Case("innovations:award_add", "get", GET_405, kwargs=_innovation("draft")),
    Case("innovations:award_add", "post", EDIT, kwargs=_innovation("draft"), data=_award_data),
    Case(
        "innovations:award_add",
        "post",
        PUBLISHED_EDIT,
        kwargs=_innovation("published"),
        data=_award_data,
        id="award_add[post published]",
    ),
    Case("innovations:award_remove", "get", CONFIRM_PAGE, kwargs=_draft_with_award),
    Case("innovations:award_remove", "post", EDIT, kwargs=_draft_with_award, data=_version),
    Case("innovations:evidence_download", "get", everyone(200), kwargs=_evidence_of("published")),
    Case(
        "innovations:evidence_download",
        "get",
        roles(404, 200, 404, 404, 404, 200, 200),
        kwargs=_evidence_of("draft"),
        id="evidence_download[get draft]",
    ),
    Case(
        "innovations:evidence_download",
        "get",
        roles(404, 200, 404, 200, 404, 200, 200),
        kwargs=_evidence_of("submitted"),
        id="evidence_download[get submitted]",
    ),
    Case("innovations:evidence_download", "post", everyone(405), kwargs=_evidence_of("published")),
    Case("innovations:innovation_submit", "get", GET_405, kwargs=_innovation("draft")),
    Case("innovations:innovation_submit", "post", EDIT, kwargs=_innovation("draft"), data=_version),
    Case("innovations:innovation_publish", "get", GET_405, kwargs=_innovation("submitted")),
    Case("innovations:innovation_publish", "post", REVIEW, kwargs=_innovation("submitted"), data=_version),
    Case("innovations:innovation_return", "get", GET_405, kwargs=_innovation("submitted")),
    Case(
        "innovations:innovation_return",
        "post",
        REVIEW,
        kwargs=_innovation("submitted"),
        data=lambda w: _version(w, comment="Tambahkan angka hasil."),
    ),
    Case("innovations:innovation_reconfirm", "get", GET_405, kwargs=_innovation("published")),
    Case("innovations:innovation_reconfirm", "post", CONFIRM, kwargs=_innovation("published"), data=_version),
    Case("innovations:innovation_archive", "get", GET_405, kwargs=_innovation("published")),
    Case("innovations:innovation_archive", "post", ARCHIVE, kwargs=_innovation("published"), data=_version),
    Case("innovations:innovation_feature", "get", GET_405, kwargs=_innovation("published")),
    Case("innovations:innovation_feature", "post", FEATURE, kwargs=_innovation("published"), data=_version),
    Case(
        "innovations:innovation_unfeature", "get", GET_405, kwargs=_innovation("published", is_featured=True)
    ),
    Case(
        "innovations:innovation_unfeature",
        "post",
        FEATURE,
        kwargs=_innovation("published", is_featured=True),
        data=_version,
    ),
    Case("innovations:innovation_discard_edit", "get", GET_405, kwargs=_published_with_edit),
    Case(
        "innovations:innovation_discard_edit",
        "post",
        PUBLISHED_EDIT,
        kwargs=_published_with_edit,
        data=_version,
    ),
]
