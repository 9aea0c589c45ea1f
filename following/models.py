"""A person follows an innovation, an agency, a sector, a province or a hub, and gets a digest of
what is new there (``digest.py``). The public follows the same things by Atom feed (``feeds.py``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innovations.models import Innovation, Sector
from jipp.models import Agency, Hub, Province


class TargetKind(models.TextChoices):
    INNOVATION = "innovation", _("Innovation")
    AGENCY = "agency", _("Agency")
    SECTOR = "sector", _("Sector")
    PROVINCE = "province", _("Province")
    HUB = "hub", _("Hub")


# The column that holds each kind's target; exactly that one is set (constraint follow_one_target).
TARGET_FIELD = {
    TargetKind.INNOVATION: "innovation",
    TargetKind.AGENCY: "agency",
    TargetKind.SECTOR: "sector",
    TargetKind.PROVINCE: "province",
    TargetKind.HUB: "hub",
}


def _only(field):
    empty = dict.fromkeys(("innovation", "agency", "province", "hub"))
    condition = Q(**{f"{name}__isnull": True for name in empty if name != field})
    condition &= Q(sector="") if field != "sector" else ~Q(sector="")
    if field != "sector":
        condition &= Q(**{f"{field}__isnull": False})
    return condition


class Follow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    kind = models.CharField(max_length=20, choices=TargetKind.choices)
    innovation = models.ForeignKey(
        Innovation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    sector = models.CharField(max_length=20, choices=Sector.choices, blank=True)
    province = models.ForeignKey(Province, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=TargetKind.values)
                & (
                    (Q(kind="innovation") & _only("innovation"))
                    | (Q(kind="agency") & _only("agency"))
                    | (Q(kind="sector") & _only("sector"))
                    | (Q(kind="province") & _only("province"))
                    | (Q(kind="hub") & _only("hub"))
                ),
                name="follow_one_target",
            ),
            models.UniqueConstraint(
                "user",
                "kind",
                "innovation",
                "agency",
                "sector",
                "province",
                "hub",
                name="follow_unique",
                nulls_distinct=False,
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.kind}"

    @property
    def target(self):
        return getattr(self, TARGET_FIELD[self.kind])


def combine_follows_for_merge(*, duplicate, kept):
    """Before two agencies are merged: who follows both keeps one follow (of the kept agency); the
    merge then moves the rest. Registered with jipp.directory.BEFORE_MERGE."""
    both = Follow.objects.filter(kind=TargetKind.AGENCY, agency=kept).values("user_id")
    removed, _by_model = Follow.objects.filter(
        kind=TargetKind.AGENCY, agency=duplicate, user_id__in=both
    ).delete()
    return {str(_("follows combined")): removed} if removed else {}
