"""Every transition writes exactly one audit entry, in the same transaction, with who, from and to."""

import pytest

from innovations import services
from innovations.models import InnovationRevision
from jipp.errors import Conflict
from jipp.models import AuditEntry
from tests.workflow.helpers import make_evidence, make_innovation, make_revision, upload

pytestmark = pytest.mark.django_db


def _call(world, name):
    staff, officer, ministry = world.staff_pekanbaru, world.officer_riau, world.ministry
    if name == "create":
        innovation = services.create_innovation(by=staff, agency=world.pekanbaru, values={"name": "Baru"})
        return innovation, staff, ("create", "", "draft")
    if name == "submit":
        innovation = make_innovation(world.pekanbaru, by=staff)
        services.submit(innovation_id=innovation.pk, by=staff, version=innovation.version)
        return innovation, staff, ("submit", "draft", "submitted")
    if name in ("publish", "return"):
        innovation = make_innovation(world.pekanbaru, status="submitted", by=staff)
        if name == "publish":
            services.publish(innovation_id=innovation.pk, by=officer, version=innovation.version)
            return innovation, officer, ("publish", "submitted", "published")
        services.return_for_changes(
            innovation_id=innovation.pk, by=officer, version=innovation.version, comment="c"
        )
        return innovation, officer, ("return", "submitted", "returned")
    innovation = make_innovation(world.pekanbaru, status="published", by=staff)
    if name == "reconfirm":
        services.reconfirm(innovation_id=innovation.pk, by=staff, version=innovation.version)
        return innovation, staff, ("reconfirm", "published", "published")
    if name == "archive":
        services.archive(innovation_id=innovation.pk, by=officer, version=innovation.version)
        return innovation, officer, ("archive", "published", "archived")
    if name == "feature":
        services.set_featured(
            innovation_id=innovation.pk, by=ministry, version=innovation.version, featured=True
        )
        return innovation, ministry, ("feature", "", "")
    if name == "start_edit":
        services.save_section(
            innovation_id=innovation.pk, by=staff, version=innovation.version, values={"acronym": "X"}
        )
        return innovation, staff, ("start_edit", "published", "published")
    if name == "add_evidence":
        services.add_evidence(
            innovation_id=innovation.pk, by=staff, version=innovation.version, title="t", upload=upload()
        )
        # Adding a file to a published record opens an edit first: two entries, the last is the file.
        return innovation, staff, ("add_evidence", "", "")
    if name == "remove_evidence":
        evidence = make_evidence(innovation)
        services.remove_evidence(evidence_id=evidence.pk, by=staff, version=innovation.version)
        return innovation, staff, ("remove_evidence", "", "")
    revision = make_revision(
        innovation, by=staff, status="submitted" if name.endswith("_edit_decided") else "draft"
    )
    if name == "submit_edit":
        services.submit(innovation_id=innovation.pk, by=staff, version=innovation.version)
        return innovation, staff, ("submit_edit", "edit:draft", "edit:submitted")
    if name == "discard_edit":
        services.discard_revision(innovation_id=innovation.pk, by=staff, version=innovation.version)
        assert InnovationRevision.objects.get(pk=revision.pk).status == "discarded"
        return innovation, staff, ("discard_edit", "published", "published")
    if name == "publish_edit_decided":
        services.publish(innovation_id=innovation.pk, by=officer, version=innovation.version)
        return innovation, officer, ("publish_edit", "edit:submitted", "published")
    services.return_for_changes(
        innovation_id=innovation.pk, by=officer, version=innovation.version, comment="c"
    )
    return innovation, officer, ("return_edit", "edit:submitted", "edit:returned")


TRANSITIONS = [
    "create", "submit", "publish", "return", "reconfirm", "archive", "feature", "start_edit", "add_evidence",
    "remove_evidence", "submit_edit", "discard_edit", "publish_edit_decided", "return_edit_decided",
]  # fmt: skip


@pytest.mark.parametrize("name", TRANSITIONS)
def test_every_transition_writes_one_audit_entry(world, name):
    innovation, actor, (action, from_state, to_state) = _call(world, name)
    entries = AuditEntry.for_object(innovation)
    latest = entries.first()
    assert (latest.action, latest.from_state, latest.to_state, latest.actor) == (
        action,
        from_state,
        to_state,
        actor,
    )
    assert entries.filter(action=action).count() == 1


def test_a_refused_transition_writes_nothing(world):
    innovation = make_innovation(world.pekanbaru, status="published", by=world.staff_pekanbaru)
    with pytest.raises(Conflict):
        services.publish(innovation_id=innovation.pk, by=world.officer_riau, version=innovation.version)
    with pytest.raises(Conflict):
        services.reconfirm(
            innovation_id=innovation.pk, by=world.staff_pekanbaru, version=innovation.version + 1
        )
    assert not AuditEntry.for_object(innovation).exists()
