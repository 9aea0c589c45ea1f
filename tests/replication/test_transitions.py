import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innovations.models import Innovation
from jipp.errors import Conflict
from jipp.models import AuditEntry
from replication import services
from replication.models import (
    Evaluation,
    MentoringSession,
    ProgressReport,
    ReplicationRequest,
)
from tests.replication.conftest import go
from tests.replication.factories import PLAN, make_innovation, make_request

S = ReplicationRequest.Status


def actions(req):
    return list(AuditEntry.for_object(req).order_by("id").values_list("action", "from_state", "to_state"))


# --- Interest -----------------------------------------------------------------------------------


def test_staff_of_another_agency_opens_a_request_with_the_atm_plan(
    world, source, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        req = make_request(source, world.pekanbaru, world.staff_pekanbaru)
    req.refresh_from_db()
    assert req.status == S.INTEREST
    assert req.hub == world.hub_riau  # the requesting agency's hub, not the origin's
    assert req.modified == PLAN["modified"]
    assert actions(req) == [("create", "", "interest")]
    recipients = {address for message in mailoutbox for address in message.to}
    assert "officer_riau@example.id" in recipients
    assert "officer_bali@example.id" not in recipients


def test_staff_cannot_request_their_own_agencys_innovation(world):
    own = make_innovation(world.pekanbaru, name="Own")
    with pytest.raises(PermissionDenied):
        make_request(own, world.pekanbaru, world.staff_pekanbaru)
    assert not ReplicationRequest.objects.exists()


def test_staff_cannot_request_for_an_agency_they_do_not_belong_to(world, source):
    with pytest.raises(PermissionDenied):
        make_request(source, world.siak, world.staff_pekanbaru)


def test_unpublished_innovation_cannot_be_requested(world):
    draft = make_innovation(world.denpasar, name="Draft", status="draft")
    with pytest.raises(PermissionDenied):
        make_request(draft, world.pekanbaru, world.staff_pekanbaru)


def test_second_open_request_from_the_same_agency_is_refused_with_the_first(world, source, req):
    with pytest.raises(services.DuplicateRequest) as raised:
        make_request(source, world.pekanbaru, world.staff_pekanbaru)
    assert raised.value.existing == req
    assert ReplicationRequest.objects.count() == 1


def test_a_new_request_is_allowed_once_the_first_is_closed(world, source, req):
    req.reject(by=world.officer_riau, reason="Belum siap.")
    again = make_request(source, world.pekanbaru, world.staff_pekanbaru)
    assert again.pk != req.pk and again.status == S.INTEREST


# --- Decision -----------------------------------------------------------------------------------


def test_hub_officer_approves_with_a_reason(world, req):
    moment = datetime.datetime(2026, 5, 1, 9, tzinfo=datetime.UTC)
    req.approve(by=world.officer_riau, reason="Relevan untuk Pekanbaru.", now=moment)
    req.refresh_from_db()
    assert (req.status, req.decided_at, req.decision_reason) == (
        S.APPROVED,
        moment,
        "Relevan untuk Pekanbaru.",
    )
    assert req.last_activity_at == moment
    assert actions(req)[-1] == ("approve", "interest", "approved")


def test_officer_of_other_hub_cannot_approve(world, req):
    with pytest.raises(PermissionDenied):
        req.approve(by=world.officer_bali, reason="x")
    req.refresh_from_db()
    assert req.status == S.INTEREST
    assert actions(req) == [("create", "", "interest")]


@pytest.mark.parametrize("who", ["staff_pekanbaru", "staff_denpasar", "ministry", "outsider"])
def test_only_the_hub_decides(world, req, who):
    with pytest.raises(PermissionDenied):
        req.reject(by=getattr(world, who), reason="Tidak.")
    req.refresh_from_db()
    assert req.status == S.INTEREST


def test_rejection_needs_a_reason(world, req):
    with pytest.raises(ValidationError):
        req.reject(by=world.officer_riau, reason="  ")
    req.refresh_from_db()
    assert req.status == S.INTEREST


def test_hub_officer_rejects_with_a_reason(world, req, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        req.reject(by=world.officer_riau, reason="Anggaran belum tersedia.")
    req.refresh_from_db()
    assert req.status == S.REJECTED and req.decision_reason == "Anggaran belum tersedia."
    assert {a for m in mailoutbox for a in m.to} >= {"staff_pekanbaru@example.id"}


def test_emails_are_sent_only_after_commit(world, req, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        req.approve(by=world.officer_riau)
    assert mailoutbox == []  # nothing before the transaction commits
    assert len(callbacks) == 3  # one message per recipient: two requester addresses, the origin
    for callback in callbacks:
        callback()
    to = {a for m in mailoutbox for a in m.to}
    assert {"staff_pekanbaru@example.id", "staff_denpasar@example.id"} <= to
    assert "officer_riau@example.id" not in to  # the actor is not told of their own step


def test_requester_withdraws_while_undecided(world, req):
    req.withdraw(by=world.staff_pekanbaru, reason="Prioritas berubah.")
    req.refresh_from_db()
    assert req.status == S.WITHDRAWN and req.withdrawn_at is not None
    assert actions(req)[-1] == ("withdraw", "interest", "withdrawn")


def test_approving_a_withdrawn_request_is_refused(world, req):
    req.withdraw(by=world.staff_pekanbaru)
    with pytest.raises(Conflict):
        req.approve(by=world.officer_riau)
    req.refresh_from_db()
    assert req.status == S.WITHDRAWN
    assert [a[0] for a in actions(req)] == ["create", "withdraw"]


def test_a_stale_copy_cannot_approve_a_withdrawn_request(world, req):
    stale = ReplicationRequest.objects.get(pk=req.pk)
    req.withdraw(by=world.staff_pekanbaru)
    with pytest.raises(Conflict):
        stale.approve(by=world.officer_riau)  # re-checked on the locked row, not on the stale copy
    assert ReplicationRequest.objects.get(pk=req.pk).status == S.WITHDRAWN


def test_cannot_withdraw_once_decided(world, req):
    req.approve(by=world.officer_riau)
    with pytest.raises(Conflict):
        req.withdraw(by=world.staff_pekanbaru)


def test_origin_agency_cannot_withdraw(world, req):
    with pytest.raises(PermissionDenied):
        req.withdraw(by=world.staff_denpasar)


def test_deciding_twice_is_refused(world, req):
    req.approve(by=world.officer_riau)
    with pytest.raises(Conflict):
        req.reject(by=world.officer_riau, reason="Berubah pikiran.")


# --- Agreement ----------------------------------------------------------------------------------


def test_origin_staff_confirm_the_agreement(world, req):
    go(req, world, S.APPROVED)
    req.confirm_agreement(by=world.staff_denpasar, note="Kami kirim SOP dan kode sumber.")
    req.refresh_from_db()
    assert req.status == S.AGREED and req.agreed_at and req.agreement_note.startswith("Kami kirim")
    assert actions(req)[-1] == ("agree", "approved", "agreed")


def test_the_hub_records_the_agreement_on_behalf_of_the_origin(world, req):
    go(req, world, S.APPROVED)
    req.confirm_agreement(by=world.officer_riau, note="Kesepakatan ditandatangani 3 Maret.")
    assert req.status == S.AGREED


def test_origin_staff_decline_with_a_reason(world, req):
    go(req, world, S.APPROVED)
    with pytest.raises(ValidationError):
        req.decline_agreement(by=world.staff_denpasar, reason="")
    req.decline_agreement(by=world.staff_denpasar, reason="Sistem sedang diganti.")
    req.refresh_from_db()
    assert req.status == S.DECLINED and req.declined_at and req.agreement_note == "Sistem sedang diganti."


@pytest.mark.parametrize("who", ["staff_pekanbaru", "staff_siak", "officer_bali", "ministry"])
def test_only_origin_or_hub_answer_for_the_origin(world, req, who):
    go(req, world, S.APPROVED)
    with pytest.raises(PermissionDenied):
        req.confirm_agreement(by=getattr(world, who))
    assert ReplicationRequest.objects.get(pk=req.pk).status == S.APPROVED


def test_agreement_before_approval_is_refused(world, req):
    with pytest.raises(Conflict):
        req.confirm_agreement(by=world.staff_denpasar)


# --- Mentoring and progress ---------------------------------------------------------------------


def test_first_mentoring_session_starts_mentoring_and_later_ones_keep_it(world, req):
    go(req, world, S.AGREED)
    req.record_mentoring(
        by=world.officer_riau,
        held_on=datetime.date(2026, 4, 2),
        mentors="Tim Hub Riau",
        university=world.unri,
        topics="SOP layanan",
        notes="Baik",
        follow_ups="Uji coba",
    )
    req.refresh_from_db()
    started = req.mentoring_started_at
    assert req.status == S.MENTORING and started
    req.record_mentoring(
        by=world.officer_riau, held_on=datetime.date(2026, 4, 9), mentors="Tim", topics="Evaluasi"
    )
    req.refresh_from_db()
    assert req.status == S.MENTORING and req.mentoring_started_at == started
    assert MentoringSession.objects.filter(request=req).count() == 2
    assert [a for a in actions(req) if a[0] == "mentoring"] == [
        ("mentoring", "agreed", "mentoring"),
        ("mentoring", "mentoring", "mentoring"),
    ]


def test_mentoring_before_agreement_is_refused(world, req):
    go(req, world, S.APPROVED)
    with pytest.raises(Conflict):
        req.record_mentoring(
            by=world.officer_riau, held_on=datetime.date(2026, 4, 2), mentors="x", topics="y"
        )
    assert not MentoringSession.objects.exists()


@pytest.mark.parametrize("who", ["staff_pekanbaru", "staff_denpasar", "officer_bali"])
def test_only_the_hub_records_mentoring(world, req, who):
    go(req, world, S.AGREED)
    with pytest.raises(PermissionDenied):
        req.record_mentoring(
            by=getattr(world, who), held_on=datetime.date(2026, 4, 2), mentors="x", topics="y"
        )
    assert not MentoringSession.objects.exists()


def test_mentoring_session_needs_topics(world, req):
    go(req, world, S.AGREED)
    with pytest.raises(ValidationError):
        req.record_mentoring(by=world.officer_riau, held_on=datetime.date(2026, 4, 2), mentors="x", topics="")


def test_requester_files_progress_reports(world, req):
    go(req, world, S.MENTORING)
    req.report_progress(
        by=world.staff_pekanbaru, reported_on=datetime.date(2026, 5, 1), progress="50% desa terlayani"
    )
    assert ProgressReport.objects.get(request=req).progress == "50% desa terlayani"
    assert actions(req)[-1] == ("progress", "mentoring", "mentoring")


def test_progress_before_agreement_is_refused(world, req):
    with pytest.raises(Conflict):
        req.report_progress(by=world.staff_pekanbaru, reported_on=datetime.date(2026, 5, 1), progress="x")


@pytest.mark.parametrize("who", ["staff_denpasar", "officer_riau", "staff_siak"])
def test_only_the_requester_reports_progress(world, req, who):
    go(req, world, S.MENTORING)
    with pytest.raises(PermissionDenied):
        req.report_progress(by=getattr(world, who), reported_on=datetime.date(2026, 5, 1), progress="x")


# --- Implemented: the adapted draft ---------------------------------------------------------------


def test_declaring_implemented_creates_the_agencys_own_draft_with_lineage(world, source, req):
    go(req, world, S.MENTORING)
    draft = services.declare_implemented(request=req, by=world.staff_pekanbaru)
    req.refresh_from_db()
    draft.refresh_from_db()
    assert req.status == S.IMPLEMENTED and req.implemented_at and req.result_innovation == draft
    assert draft.status == Innovation.Status.DRAFT
    assert draft.replicated_from == source
    assert draft.agency == world.pekanbaru and draft.province == world.riau
    assert draft.slug != source.slug
    # Pre-filled from the source …
    assert (draft.name, draft.acronym, draft.summary, draft.sector, draft.form, draft.kind) == (
        source.name,
        source.acronym,
        source.summary,
        source.sector,
        source.form,
        source.kind,
    )
    assert draft.sdgs == source.sdgs
    # … and from the ATM plan.
    assert draft.background == PLAN["local_need"]
    assert draft.novelty == PLAN["modified"]
    assert PLAN["observed"] in draft.implementation and PLAN["adopted"] in draft.implementation
    assert draft.resources == PLAN["resources"]
    assert draft.contact_email == PLAN["contact_email"]
    assert draft.created_by == world.staff_pekanbaru
    assert AuditEntry.for_object(draft).get().action == "create_from_replication"
    assert actions(req)[-1] == ("implemented", "mentoring", "implemented")
    # A draft is not yet a verified replication: the count moves when it is published.
    source.refresh_from_db()
    assert source.replication_count == 0


def test_implemented_before_mentoring_is_refused_and_creates_nothing(world, req):
    go(req, world, S.AGREED)
    with pytest.raises(Conflict):
        services.declare_implemented(request=req, by=world.staff_pekanbaru)
    assert Innovation.objects.count() == 1
    assert ReplicationRequest.objects.get(pk=req.pk).status == S.AGREED


def test_only_the_requester_declares_implemented(world, req):
    go(req, world, S.MENTORING)
    for who in (world.staff_denpasar, world.officer_riau, world.ministry):
        with pytest.raises(PermissionDenied):
            services.declare_implemented(request=req, by=who)
    assert Innovation.objects.count() == 1


def test_model_refuses_implemented_from_the_wrong_state(world, req):
    draft = make_innovation(world.pekanbaru, name="Manual", status="draft")
    with pytest.raises(Conflict):
        req.mark_implemented(by=world.staff_pekanbaru, result_innovation=draft)


# --- Evaluation ---------------------------------------------------------------------------------


def test_hub_officer_evaluates_and_the_request_closes(world, req):
    go(req, world, S.IMPLEMENTED)
    req.evaluate(by=world.officer_riau, outcome="partial", score=70, lessons="Butuh pelatihan operator.")
    req.refresh_from_db()
    assert req.status == S.EVALUATED and req.evaluated_at and not req.is_open
    assert (req.evaluation.outcome, req.evaluation.score) == ("partial", 70)
    assert actions(req)[-1][0:3] == ("evaluate", "implemented", "evaluated")
    with pytest.raises(Conflict):
        req.record_mentoring(
            by=world.officer_riau, held_on=datetime.date(2026, 6, 1), mentors="x", topics="y"
        )
    with pytest.raises(Conflict):
        req.report_progress(by=world.staff_pekanbaru, reported_on=datetime.date(2026, 6, 1), progress="x")


def test_the_ministry_may_evaluate(world, req):
    go(req, world, S.IMPLEMENTED)
    req.evaluate(by=world.ministry, outcome="successful", score=90, lessons="Bagus.")
    assert Evaluation.objects.get(request=req).evaluated_by == world.ministry


def test_evaluating_before_implementation_is_refused(world, req):
    go(req, world, S.MENTORING)
    with pytest.raises(Conflict):
        req.evaluate(by=world.officer_riau, outcome="successful", score=90, lessons="x")
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("who", ["officer_bali", "staff_pekanbaru", "staff_denpasar"])
def test_only_hub_or_ministry_evaluate(world, req, who):
    go(req, world, S.IMPLEMENTED)
    with pytest.raises(PermissionDenied):
        req.evaluate(by=getattr(world, who), outcome="successful", score=90, lessons="x")


def test_score_out_of_range_is_refused(world, req):
    go(req, world, S.IMPLEMENTED)
    with pytest.raises(ValidationError):
        req.evaluate(by=world.officer_riau, outcome="successful", score=101, lessons="x")
    assert ReplicationRequest.objects.get(pk=req.pk).status == S.IMPLEMENTED


def test_evaluating_twice_is_refused(world, req):
    go(req, world, S.EVALUATED)
    with pytest.raises(Conflict):
        req.evaluate(by=world.ministry, outcome="successful", score=90, lessons="x")


# --- Provinces without a hub ---------------------------------------------------------------------


def test_the_ministry_facilitates_requests_from_a_province_without_hub(world, source):
    from jipp.models import Agency, Membership, Province

    papua = Province.objects.create(code="91", name="Papua", slug="papua")
    agency = Agency.objects.create(name="Dinas Papua", slug="dinas-papua", level="province", province=papua)
    staff = __import__("tests.conftest", fromlist=["make_user"]).make_user("staff_papua")
    Membership.objects.create(user=staff, role="staff", agency=agency)
    req = make_request(source, agency, staff)
    assert req.hub is None
    with pytest.raises(PermissionDenied):
        req.approve(by=world.officer_riau)
    req.approve(by=world.ministry)
    assert req.status == S.APPROVED


def test_requests_from_a_province_with_an_inactive_hub_go_to_the_ministry(world, source):
    world.hub_riau.status = "inactive"
    world.hub_riau.save(update_fields=["status"])
    req = make_request(source, world.pekanbaru, world.staff_pekanbaru)
    assert req.hub is None
    with pytest.raises(PermissionDenied):
        req.approve(by=world.officer_riau)
    req.approve(by=world.ministry)
    assert req.status == S.APPROVED
