"""The network's core: regions, agencies, hubs, universities, people's roles and the audit trail."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Province(models.Model):
    """*Provinsi*, with its official two-digit Kemendagri code (Riau = ``14``)."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    # Set on every change by a database trigger (migration 0002): the open data's modified time.
    updated_at = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{2}$"), name="province_code_two_digits"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("province_detail", kwargs={"slug": self.slug})


class Regency(models.Model):
    """*Kabupaten* (regency) or *kota* (city), code like ``14.71`` (Kota Pekanbaru)."""

    class Kind(models.TextChoices):
        REGENCY = "kabupaten", pgettext_lazy("region kind", "Regency")
        CITY = "kota", pgettext_lazy("region kind", "City")

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="regencies")
    code = models.CharField(_("code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    updated_at = models.DateTimeField(_("modified"), auto_now=True)  # also kept by a trigger

    class Meta:
        ordering = ["code"]
        verbose_name = _("regency or city")
        verbose_name_plural = _("regencies and cities")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{2}\.[0-9]{2}$"), name="regency_code_format"
            ),
            models.CheckConstraint(condition=Q(kind__in=["kabupaten", "kota"]), name="regency_kind_valid"),
        ]

    def __str__(self):
        return self.name


class AgencyStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("agency status", "Active")
    # Proposed by a person asking for access; seen only by them and the officer deciding the request.
    PROPOSED = "proposed", pgettext_lazy("agency status", "Proposed")
    REJECTED = "rejected", pgettext_lazy("agency status", "Proposal rejected")
    # Merged into another agency (``merged_into``); its old page redirects there.
    MERGED = "merged", pgettext_lazy("agency status", "Merged")


class AgencyQuerySet(models.QuerySet):
    def listed(self):
        """Agencies anyone may see and choose: not proposed, rejected or merged away."""
        return self.filter(status=AgencyStatus.ACTIVE)

    def governments(self):
        return self.filter(is_government=True)


class Agency(models.Model):
    """*Instansi*: a government office that owns innovations.

    A *government* (``is_government``: a *Pemerintah Provinsi/Kabupaten/Kota*, or a ministry or agency
    of the central government) heads a tree of one level: its units (*dinas*, *badan*, *direktorat*)
    point to it with ``parent``. The database holds the shape (migration
    ``jipp/0002_agency_directory``): a parent is an active government of the same level and region, a
    government has no parent, so there are no cycles and no tree is deeper than two.
    """

    Status = AgencyStatus

    class Level(models.TextChoices):
        CENTRAL = "central", _("Central ministry or agency")
        PROVINCE = "province", _("Province government")
        REGENCY = "regency", _("Regency or city government")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    level = models.CharField(_("government level"), max_length=10, choices=Level.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("province")
    )
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        related_name="agencies",
        null=True,
        blank=True,
        verbose_name=_("regency or city"),
    )
    website = models.URLField(_("website"), blank=True)
    is_government = models.BooleanField(
        _("government"),
        default=False,
        help_text=_("A province, regency or city government, or a central ministry or agency."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("part of"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("merged into"),
    )
    # Which entry of the directory (``load_agencies``) this agency is: "province:14", "regency:14.71",
    # "central:kementerian-dalam-negeri". Kept through renames and merges, so a second run never
    # creates an agency again.
    directory_key = models.CharField(max_length=120, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("modified"), auto_now=True)  # also kept by a trigger

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=["central", "province", "regency"]), name="agency_level_valid"
            ),
            # A regency/city office belongs to a regency; province and central offices do not.
            models.CheckConstraint(
                condition=(
                    Q(level="regency", regency__isnull=False) | (~Q(level="regency") & Q(regency=None))
                ),
                name="agency_regency_matches_level",
            ),
            models.CheckConstraint(condition=Q(status__in=AgencyStatus.values), name="agency_status_valid"),
            # A government heads its tree: it has no parent (so trees are one level deep, never cycles).
            models.CheckConstraint(
                condition=Q(is_government=False) | Q(parent=None), name="agency_government_has_no_parent"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=AgencyStatus.MERGED, merged_into__isnull=False)
                    | (~Q(status=AgencyStatus.MERGED) & Q(merged_into=None))
                ),
                name="agency_merged_into_when_merged",
            ),
            # One government per region: load_agencies and merges rely on it.
            models.UniqueConstraint(
                fields=["province"],
                condition=Q(is_government=True, level="province", status=AgencyStatus.ACTIVE),
                name="agency_one_province_government",
            ),
            models.UniqueConstraint(
                fields=["regency"],
                condition=Q(is_government=True, level="regency", status=AgencyStatus.ACTIVE),
                name="agency_one_regency_government",
            ),
        ]
        indexes = [
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="agency_name_trgm"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("innovations:agency_detail", kwargs={"slug": self.slug})

    def clean(self):
        """The tree's rules with a message for forms (the database trigger refuses the same)."""
        from django.core.exceptions import ValidationError

        parent = self.parent
        if parent is None:
            return
        if self.is_government:
            raise ValidationError({"parent": _("A government is not part of another agency.")})
        if (
            not parent.is_government
            or parent.status != AgencyStatus.ACTIVE
            or parent.pk == self.pk
            or (parent.level, parent.province_id, parent.regency_id)
            != (self.level, self.province_id, self.regency_id)
        ):
            raise ValidationError(
                {"parent": _("An agency can only be part of the government of its own region.")}
            )


class AgencyRedirect(models.Model):
    """An agency's former address: renamed (new slug) or merged into another agency. The agency page
    answers a 301 to the agency's current page for an old slug."""

    old_slug = models.SlugField(max_length=220, unique=True)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agency redirect")
        verbose_name_plural = _("agency redirects")

    def __str__(self):
        return f"{self.old_slug} → {self.agency.slug}"


class University(models.Model):
    """*Perguruan tinggi*: a partner for mentoring replicating agencies."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="universities", verbose_name=_("province")
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("university")
        verbose_name_plural = _("universities")

    def __str__(self):
        return self.name


class HubStatus(models.TextChoices):
    PILOT = "pilot", _("Pilot")
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")


class Hub(models.Model):
    """*Hub JIPP*: a province designated by the ministry to spread innovation by replication."""

    Status = HubStatus

    province = models.OneToOneField(
        Province, on_delete=models.PROTECT, related_name="hub", verbose_name=_("province")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    year_designated = models.PositiveSmallIntegerField(_("year designated"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    description = models.TextField(_("description"), blank=True)
    universities = models.ManyToManyField(
        University, blank=True, related_name="hubs", verbose_name=_("partner universities")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("modified"), auto_now=True)  # also kept by a trigger

    class Meta:
        ordering = ["province__code"]
        verbose_name = _("hub")
        verbose_name_plural = _("hubs")
        constraints = [
            models.CheckConstraint(
                condition=Q(year_designated__gte=2000, year_designated__lte=2100), name="hub_year_plausible"
            ),
            models.CheckConstraint(condition=Q(status__in=HubStatus.values), name="hub_status_valid"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("hub_detail", kwargs={"slug": self.slug})

    def set_status(self, status, *, by, comment=""):
        """The ministry changes a hub's status (pilot, active, inactive); audited."""
        from django.db import transaction

        if status not in self.Status.values:
            raise ValueError(f"unknown hub status {status!r}")
        with transaction.atomic():
            hub = Hub.objects.select_for_update().get(pk=self.pk)
            previous = hub.status
            if previous == status:
                return False
            hub.status = self.status = status
            hub.save(update_fields=["status"])
            AuditEntry.record(
                hub, actor=by, action="hub_status", from_state=previous, to_state=status, comment=comment
            )
        return True


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Membership(models.Model):
    """A person's role: staff of one agency, officer of one hub (*tim pelaksana*), or ministry."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Agency staff")
        OFFICER = "officer", _("Hub officer")
        MINISTRY = "ministry", _("Ministry (PANRB)")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships")
    title = models.CharField(_("position"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="staff", agency__isnull=False, hub=None)
                    | Q(role="officer", hub__isnull=False, agency=None)
                    | Q(role="ministry", agency=None, hub=None)
                ),
                name="membership_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "agency"], condition=Q(role="staff"), name="membership_unique_staff"
            ),
            models.UniqueConstraint(
                fields=["user", "hub"], condition=Q(role="officer"), name="membership_unique_officer"
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(role="ministry"), name="membership_unique_ministry"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.agency or self.hub or ''}"


class AuditEntry(models.Model):
    """Append-only record of a state change: who, when, what, from which state to which, and why.

    Written by the model method or service that makes the change, inside the same transaction.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    object_type = models.CharField(
        max_length=60
    )  # "innovations.innovation", "replication.replicationrequest"
    object_id = models.BigIntegerField()
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["object_type", "object_id", "created_at"], name="audit_object_idx")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.object_type}#{self.object_id} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit entries are append-only.")

    @classmethod
    def record(cls, obj, *, actor, action, from_state="", to_state="", comment=""):
        return cls.objects.create(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            object_type=obj._meta.label_lower,
            object_id=obj.pk,
            action=action,
            from_state=from_state or "",
            to_state=to_state or "",
            comment=comment or "",
        )

    @classmethod
    def for_object(cls, obj):
        return cls.objects.filter(object_type=obj._meta.label_lower, object_id=obj.pk).select_related("actor")
