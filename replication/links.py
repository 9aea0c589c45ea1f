"""Where a person should be sent for the innovation a replication produced (the adapted innovation).

Used by the request page and by the e-mails, so both always agree: the workspace page of the record when
it is in the person's workspace (its owner completes the draft there; the reviewing hub and the ministry
read it there), its public page once it is published, otherwise no link at all. The rules themselves
come from ``jipp.access``.
"""

from dataclasses import dataclass

from django.urls import reverse

from innovations import rules as innovation_rules
from innovations.models import Innovation


@dataclass(frozen=True)
class AdaptedLinks:
    workspace_url: str | None = None  # the record in the person's workspace
    public_url: str | None = None  # the public page, once published
    is_owner: bool = False  # the person's agency owns (and completes) the record

    @property
    def url(self):
        """The one link to show when only one is shown: the workspace first, then the public page."""
        return self.workspace_url or self.public_url


NO_LINKS = AdaptedLinks()


def adapted_innovation_links(user, innovation):
    """The links to ``innovation`` that ``user`` may follow (one query when there is a record)."""
    if innovation is None:
        return NO_LINKS
    in_workspace = (
        user is not None
        and user.is_authenticated
        and innovation_rules.innovations_in_workspace(
            user, Innovation.objects.filter(pk=innovation.pk)
        ).exists()
    )
    return AdaptedLinks(
        workspace_url=reverse("innovations:workspace_innovation", kwargs={"pk": innovation.pk})
        if in_workspace
        else None,
        public_url=innovation.get_absolute_url()
        if innovation.status == Innovation.Status.PUBLISHED
        else None,
        is_owner=bool(in_workspace and innovation_rules.is_owner(user, innovation)),
    )
