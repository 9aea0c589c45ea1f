"""The workflow statuses of innovation records and of their proposed edits: the one place their values
are written. The models (``Innovation.Status``, ``InnovationRevision.Status``), their database
constraints, the access rules (``innovations.rules``, which the models import) and the views all read
them from here."""

from django.db import models
from django.utils.translation import pgettext_lazy


class InnovationStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("workflow status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("workflow status", "Submitted")
    RETURNED = "returned", pgettext_lazy("workflow status", "Returned")
    PUBLISHED = "published", pgettext_lazy("workflow status", "Published")
    ARCHIVED = "archived", pgettext_lazy("workflow status", "Archived")


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("workflow status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("workflow status", "Submitted")
    RETURNED = "returned", pgettext_lazy("workflow status", "Returned")
    APPLIED = "applied", pgettext_lazy("workflow status", "Published")
    DISCARDED = "discarded", pgettext_lazy("workflow status", "Discarded")


# A proposed edit still under way (at most one per record).
OPEN_REVISION_STATUSES = (RevisionStatus.DRAFT, RevisionStatus.SUBMITTED, RevisionStatus.RETURNED)
# Statuses in which the owner may edit a record (a published one through a proposed edit).
EDITABLE_STATUSES = (InnovationStatus.DRAFT, InnovationStatus.RETURNED, InnovationStatus.PUBLISHED)
