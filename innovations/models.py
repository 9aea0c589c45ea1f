"""Innovation records, following the KIPP proposal and IGA structure agencies already write."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from innovations import phrases, rules
from innovations.states import OPEN_REVISION_STATUSES, InnovationStatus, RevisionStatus
from jipp.models import Agency

SUMMARY_MAX_WORDS = 200
# Owners re-confirm each year that a published innovation is still running.


def validate_summary_length(value: str) -> None:
    words = len(value.split())
    if words > SUMMARY_MAX_WORDS:
        raise ValidationError(
            _("The summary has %(words)d words; at most %(max)d are allowed."),
            code="summary_too_long",
            params={"words": words, "max": SUMMARY_MAX_WORDS},
        )


class Sector(models.TextChoices):
    """Government affairs (*urusan pemerintahan*) an innovation serves."""

    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    POPULATION = "population", _("Population and civil registration")
    LICENSING = "licensing", _("Licensing and investment")
    SOCIAL = "social", _("Social welfare")
    ECONOMY = "economy", _("Economy, cooperatives and small business")
    AGRICULTURE = "agriculture", _("Agriculture and food security")
    FISHERIES = "fisheries", _("Marine affairs and fisheries")
    ENVIRONMENT = "environment", _("Environment")
    PUBLIC_WORKS = "public_works", _("Public works and housing")
    TRANSPORT = "transport", _("Transport")
    TOURISM = "tourism", _("Tourism and culture")
    DISASTER = "disaster", _("Disaster management")
    VILLAGE = "village", _("Village and community development")
    WOMEN_CHILDREN = "women_children", _("Women's empowerment and child protection")
    FINANCE = "finance", _("Regional finance and revenue")
    GOVERNANCE = "governance", _("Governance and bureaucratic reform")
    COMMUNICATION = "communication", _("Communication and informatics")
    EMPLOYMENT = "employment", _("Employment")
    PUBLIC_ORDER = "public_order", _("Public order and safety")


class Stage(models.TextChoices):
    """*Tahapan*."""

    INITIATIVE = "initiative", pgettext_lazy("innovation stage", "Initiative")
    TRIAL = "trial", pgettext_lazy("innovation stage", "Trial")
    IMPLEMENTED = "implemented", pgettext_lazy("innovation stage", "Implemented")


class Form(models.TextChoices):
    """*Bentuk*."""

    GOVERNANCE = "governance", _("Governance")
    PUBLIC_SERVICE = "public_service", _("Public service")
    OTHER = "other", _("Other, by government affair")


class Kind(models.TextChoices):
    """*Jenis*: digital or not."""

    DIGITAL = "digital", pgettext_lazy("innovation type", "Digital")
    NON_DIGITAL = "non_digital", pgettext_lazy("innovation type", "Non-digital")


class Initiator(models.TextChoices):
    """*Inisiator*."""

    REGIONAL_HEAD = "regional_head", _("Regional head")
    COUNCIL_MEMBER = "council_member", _("Council member")
    AGENCY = "agency", _("Agency")
    CIVIL_SERVANT = "civil_servant", _("Civil servant")
    COMMUNITY = "community", _("Community")


SDG_GOALS = {
    1: _("No poverty"),
    2: _("Zero hunger"),
    3: _("Good health and well-being"),
    4: _("Quality education"),
    5: _("Gender equality"),
    6: _("Clean water and sanitation"),
    7: _("Affordable and clean energy"),
    8: _("Decent work and economic growth"),
    9: _("Industry, innovation and infrastructure"),
    10: _("Reduced inequalities"),
    11: _("Sustainable cities and communities"),
    12: _("Responsible consumption and production"),
    13: _("Climate action"),
    14: _("Life below water"),
    15: _("Life on land"),
    16: _("Peace, justice and strong institutions"),
    17: _("Partnerships for the goals"),
}
SDG_CHOICES = list(SDG_GOALS.items())


class InnovationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Innovation.Status.PUBLISHED)

    def search(self, q):
        """Records whose whole text matches ``q`` (websearch syntax: quotes, OR, -exclusion).

        Only matching, no ranking: ranking every match of a common word costs seconds at a million
        rows, so innovations.search ranks a bounded candidate set instead. An empty query matches all.
        """
        from innovations.search import matches_q, phrase_pairs, web_query

        query = web_query(q)
        if query is None:
            return self
        return self.filter(matches_q(query, phrase_pairs(q)))

    def with_facets(self, keys):
        """Records carrying every facet key in ``keys`` (see ``Innovation.facet_keys``)."""
        return self.filter(facet_keys__contains=list(keys)) if keys else self

    def refresh_replication_count(self, source_id):
        """Recount the published adaptations of innovation ``source_id`` and store the figure."""
        count = self.filter(replicated_from_id=source_id, status=Innovation.Status.PUBLISHED).count()
        self.filter(pk=source_id).update(replication_count=count)
        return count

    def visible_to(self, user):
        """What ``user`` may read: everyone sees published records; the rest per jipp.access."""

        return rules.innovations_visible_to(user, self)

    # --- Workflow (issue 4) ---
    def due_for_confirmation(self, today=None):
        """Published records whose owners have not confirmed for a year that they are still running."""
        return self.filter(rules.reconfirmation_due_q(today))


class Innovation(models.Model):
    """A public-service innovation (*inovasi pelayanan publik*) of one agency."""

    Status = InnovationStatus

    # Identity
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    slug = models.SlugField(_("slug"), max_length=240, unique=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="innovations", verbose_name=_("agency")
    )
    # Denormalised from the agency for filtering and facets without joins (kept by save()).
    province = models.ForeignKey(
        "jipp.Province", on_delete=models.PROTECT, related_name="innovations", editable=False
    )
    regency = models.ForeignKey(
        "jipp.Regency", on_delete=models.PROTECT, related_name="innovations", null=True, editable=False
    )

    # KIPP proposal sections
    summary = models.TextField(_("summary"), validators=[validate_summary_length])
    background = models.TextField(_("background and goals"), blank=True)
    novelty = models.TextField(_("novelty and added value"), blank=True)
    implementation = models.TextField(_("implementation"), blank=True)
    significance = models.TextField(_("significance: results and impact"), blank=True)
    adaptability = models.TextField(_("adaptability"), blank=True)
    resources = models.TextField(_("resources"), blank=True)
    sustainability = models.TextField(_("sustainability strategy"), blank=True)
    beneficiaries = models.TextField(_("beneficiaries"), blank=True)

    # Taxonomies
    form = models.CharField(_("form"), max_length=20, choices=Form.choices)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    initiator = models.CharField(_("initiator"), max_length=20, choices=Initiator.choices)
    # Nullable so that a draft can be saved before the date is known; submission requires it.
    started_on = models.DateField(_("started on"), null=True, blank=True)
    sdgs = ArrayField(
        models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(17)]),
        verbose_name=_("SDG goals"),
        default=list,
        blank=True,
    )

    # Contact and links
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    video_url = models.URLField(_("video"), blank=True)

    # Lineage
    replicated_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replications",
        verbose_name=_("replicated from"),
    )

    # How many published innovations were adapted from this one (kept by refresh_replication_count,
    # called whenever an adapted innovation is published or archived): sorting and faceting on it
    # needs no COUNT over the table.
    replication_count = models.PositiveIntegerField(_("times replicated"), default=0, editable=False)

    # Workflow
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    is_featured = models.BooleanField(_("featured"), default=False)
    is_sample = models.BooleanField(
        _("sample record"), default=False, help_text=_("Demonstration data, not a real innovation.")
    )
    last_confirmed_on = models.DateField(_("last confirmed still running"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The open data's modified time: also set by a database trigger (migration 0006) whenever a column
    # the API shows changes, so saves with update_fields and QuerySet.update() keep it right too.
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Search and facets, derived in the database by the trigger in migration 0004 (from this row, its
    # agency and region, and its awards) so every write path keeps them right, bulk loads included.
    # search_head: name and acronym (A) and summary (B) only: small, stored inline, cheap to rank.
    # search_vector: the whole record, plus agency and region names (D), for matching.
    # facet_keys: "s:health", "p:14"-style tokens of every facet, one GIN index for all of them.
    search_head = SearchVectorField(null=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    facet_keys = ArrayField(models.CharField(max_length=40), default=list, editable=False)

    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    # --- Submission and review workflow (issue 4; transitions in innovations/services.py) -----------
    # Optimistic-concurrency token: every write through the workspace bumps it, and every form carries
    # the value it was rendered with, so a stale form or a double submit changes nothing (409).
    version = models.PositiveIntegerField(default=1, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The hub's comments when it last returned the record; shown to the agency until it resubmits.
    review_comment = models.TextField(_("comments from the hub"), blank=True)

    objects = InnovationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("innovation")
        verbose_name_plural = _("innovations")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=InnovationStatus.values),
                name="innovation_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=InnovationStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="innovation_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(sdgs__contained_by=list(range(1, 18))), name="innovation_sdgs_in_range"
            ),
        ]
        indexes = [
            # facet_keys included: the facet counts over the newest results are an index-only scan.
            models.Index(
                fields=["status", "-published_at", "-id"],
                include=["facet_keys"],
                name="innovation_newest_facets",
            ),
            models.Index(fields=["agency", "status"], name="innovation_agency_status"),
            models.Index(fields=["province", "status"], name="innovation_province_status"),
            models.Index(fields=["status", "name", "id"], name="innovation_public_az"),
            # Province and sector facets (and sector alone, by PostgreSQL 18's skip scan).
            models.Index(fields=["province", "sector", "status"], name="innovation_place_sector"),
            models.Index(
                fields=["status", "-replication_count", "-published_at", "-id"],
                name="innovation_public_replicated",
            ),
            # The API's sync order (modified, id), tombstones included (migration 0006, concurrently).
            models.Index(fields=["updated_at", "id"], name="innovation_modified"),
            # Re-confirmation due (innovations.rules.confirmed_on): each province's oldest first, and
            # the due lists and counts of the workspace and monitoring without reading other rows.
            models.Index(
                "province",
                rules.confirmed_on(),
                "id",
                # The expression's own columns too, so that counting due records is an index-only
                # scan (PostgreSQL needs the columns themselves, not only the expression).
                include=["last_confirmed_on", "published_at"],
                condition=Q(status=InnovationStatus.PUBLISHED),
                name="innovation_confirmation_due",
            ),
            # The monthly hub report: records submitted and published in a month, per province.
            models.Index(fields=["province", "submitted_at"], name="innovation_province_submitted"),
            models.Index(fields=["province", "published_at"], name="innovation_province_published"),
            # Featured records (home page, the ministry's workspace): a few among a million.
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(status=InnovationStatus.PUBLISHED, is_featured=True),
                name="innovation_featured_newest",
            ),
            models.Index(Lower("acronym"), name="innovation_acronym_lower"),
            models.Index(Lower("name"), name="innovation_name_lower"),
            GinIndex(fields=["search_head"], name="innovation_search_head"),
            GinIndex(fields=["search_vector"], name="innovation_search_vector"),
            # Adjacent word pairs, for quoted phrases of common words (innovations.phrases).
            GinIndex(phrases.pairs_expression(), name=phrases.INDEX_NAME),
            GinIndex(fields=["facet_keys"], name="innovation_facet_keys"),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def save(self, *args, **kwargs):
        if self.agency_id and (not self.province_id or self._agency_changed()):
            self.province_id = self.agency.province_id
            self.regency_id = self.agency.regency_id
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "province", "regency"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("innovations:detail", kwargs={"slug": self.slug})

    def _agency_changed(self) -> bool:
        return self.agency.province_id != self.province_id or self.agency.regency_id != self.regency_id

    @property
    def sdg_labels(self):
        return [(goal, SDG_GOALS.get(goal, goal)) for goal in self.sdgs]

    # --- Workflow (issue 4) ---
    # The one list of what an owner edits, section by section (the workspace's forms, a revision's
    # data, the review's comparison and the API's detail all read it). A revision holds these fields.
    FIELD_SECTIONS = {
        "identity": ("name", "acronym", "summary"),
        "proposal": (
            "background", "novelty", "implementation", "significance", "adaptability", "resources",
            "sustainability", "beneficiaries",
        ),
        "classification": ("form", "kind", "sector", "stage", "initiator", "started_on", "sdgs"),
        "contact": ("contact_name", "contact_email", "contact_phone", "website", "video_url"),
    }  # fmt: skip
    EDITABLE_FIELDS = tuple(name for names in FIELD_SECTIONS.values() for name in names)
    # A record cannot be submitted while any of these is empty.
    REQUIRED_FOR_SUBMISSION = (
        "name", "summary", "background", "implementation", "significance", "form", "kind", "sector",
        "stage", "initiator", "started_on",
    )  # fmt: skip

    def missing_for_submission(self, values=None):
        """Names of required fields still empty (in ``values`` when given, e.g. a revision's data)."""
        values = values if values is not None else {f: getattr(self, f) for f in self.EDITABLE_FIELDS}
        return [name for name in self.REQUIRED_FOR_SUBMISSION if values.get(name) in (None, "", [])]

    def confirmation_due(self, today=None) -> bool:
        return rules.is_reconfirmation_due(self, today)


class SearchTerm(models.Model):
    """A word of a published innovation's name or acronym, for "did you mean" (pg_trgm similarity).

    Filled by the database trigger of migration 0004 when a record is written as published, so the
    typo lookup searches tens of thousands of distinct words instead of a million names.
    """

    term = models.CharField(max_length=100, primary_key=True)

    class Meta:
        indexes = [GinIndex(OpClass("term", name="gin_trgm_ops"), name="searchterm_trgm")]

    def __str__(self):
        return self.term


class Award(models.Model):
    """A distinction such as KIPP Top 45 of a year or an IGA rating."""

    class Program(models.TextChoices):
        KIPP = "kipp", _("KIPP (national public-service innovation competition)")
        IGA = "iga", _("IGA (regional innovation index)")
        OTHER = "other", _("Other")

    class Rank(models.TextChoices):
        KIPP_TOP_99 = "top99", _("Top 99")
        KIPP_TOP_45 = "top45", _("Top 45")
        KIPP_OUTSTANDING = "outstanding", _("Outstanding Achievement")
        IGA_VERY_INNOVATIVE = "very_innovative", _("Very innovative")
        IGA_INNOVATIVE = "innovative", _("Innovative")
        IGA_LESS_INNOVATIVE = "less_innovative", _("Less innovative")
        OTHER = "other", _("Other")

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="awards")
    program = models.CharField(_("programme"), max_length=10, choices=Program.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    rank = models.CharField(_("rank"), max_length=20, choices=Rank.choices)
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_("For other awards."))

    class Meta:
        ordering = ["-year", "program"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.UniqueConstraint(fields=["innovation", "program", "year", "rank"], name="award_unique"),
        ]

    # The ranks each programme gives; any other award is ranked "other" and needs its own title.
    RANKS_BY_PROGRAM = {
        Program.KIPP: (Rank.KIPP_TOP_99, Rank.KIPP_TOP_45, Rank.KIPP_OUTSTANDING),
        Program.IGA: (Rank.IGA_VERY_INNOVATIVE, Rank.IGA_INNOVATIVE, Rank.IGA_LESS_INNOVATIVE),
        Program.OTHER: (Rank.OTHER,),
    }

    def __str__(self):
        return f"{self.get_program_display()} {self.get_rank_display()} {self.year}"

    @property
    def key(self):
        """Identifies the award within its innovation (the fields of ``award_unique``)."""
        return f"{self.program}-{self.year}-{self.rank}"

    def clean(self):
        # Checked here rather than as database constraints, so no migration is needed; the workspace and
        # the admin both call full_clean().
        errors = {}
        allowed = self.RANKS_BY_PROGRAM.get(self.program)
        if allowed is not None and self.rank and self.rank not in allowed:
            errors["rank"] = _("This rank does not belong to the chosen programme.")
        if self.program == self.Program.OTHER and not (self.title or "").strip():
            errors["title"] = _("Give the name of the award.")
        if self.year is not None and self.year > timezone.localdate().year:
            errors["year"] = _("The year cannot be in the future.")
        if errors:
            raise ValidationError(errors)


def evidence_upload_to(instance, filename):
    import secrets
    from pathlib import PurePath

    # Random stored name: nothing of the uploader's file name reaches the disk.
    suffix = PurePath(filename).suffix.lower()[:6]
    return f"evidence/{secrets.token_urlsafe(18)}{suffix}"


class Evidence(models.Model):
    """*Bukti dukung*: a supporting document or photo (an SK decree, a report, a picture)."""

    class FileType(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"
        WEBP = "image/webp", "WebP"

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=200)
    content_type = models.CharField(max_length=40, choices=FileType.choices)
    size = models.PositiveIntegerField(_("size in bytes"))
    original_name = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    is_removed = models.BooleanField(default=False)  # nothing is hard-deleted by the app
    # Issue 4: a file added to a published record while an edit is under review belongs to that edit and
    # stays private until the edit is published (then this is cleared).
    revision = models.ForeignKey(
        "InnovationRevision", on_delete=models.PROTECT, null=True, blank=True, related_name="evidence"
    )

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.title


class InnovationRevision(models.Model):
    """A proposed edit of a published innovation, waiting for the hub's review.

    The published record keeps serving the public unchanged; ``data`` holds the proposed values of
    ``Innovation.EDITABLE_FIELDS`` (JSON: dates as ISO strings). Publishing the revision copies them onto
    the record; returning it keeps it editable with the hub's comments. At most one open revision per
    record (a database constraint), so edits never fork.
    """

    Status = RevisionStatus
    OPEN_STATUSES = OPEN_REVISION_STATUSES

    innovation = models.ForeignKey(Innovation, on_delete=models.PROTECT, related_name="revisions")
    data = models.JSONField(default=dict)
    # Evidence ids the edit proposes to remove from the public record.
    removed_evidence = ArrayField(models.BigIntegerField(), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    review_comment = models.TextField(_("comments from the hub"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposed edit")
        verbose_name_plural = _("proposed edits")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RevisionStatus.values),
                name="revision_status_valid",
            ),
            models.UniqueConstraint(
                fields=["innovation"],
                condition=Q(status__in=OPEN_REVISION_STATUSES),
                name="revision_one_open_per_innovation",
            ),
        ]

    def __str__(self):
        return f"{self.innovation} · {self.get_status_display()}"


class InnovationTally(models.Model):
    """How many PUBLISHED innovations there are per province, per sector, per stage, per type and per year
    started, and how many records of every status there are (``status``: drafts and archived ones
    too): one row per (dimension, key), under a hundred rows in all.

    Kept by a PostgreSQL trigger on the innovations table (migrations ``0002_database_rules`` and
    ``0005_signed_in_pages_at_scale``), in the same transaction as every insert, delete and change
    of status or of these columns, so it is always exact. The public statistics and the ministry's
    workspace read this small table instead of scanning a million innovations, so a page stays fast
    even when the short cache is cold. Never written by the app.
    """

    class Dimension(models.TextChoices):
        PROVINCE = "province"  # key: the province id
        SECTOR = "sector"
        STAGE = "stage"
        KIND = "kind"
        YEAR = "year"  # key: the year started
        STATUS = "status"  # key: the workflow status; every record, not only published ones

    dimension = models.CharField(max_length=10, choices=Dimension.choices)
    key = models.CharField(max_length=20)
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("innovation tally")
        verbose_name_plural = _("innovation tallies")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "key"], name="innovationtally_dimension_key_unique"),
        ]

    def __str__(self):
        return f"{self.dimension}={self.key}: {self.count}"


# --- Bulk import (issue 12): innovations/importing.py reads the files, these rows remember them ---------


def import_upload_to(instance, filename):
    import secrets
    from pathlib import PurePath

    # Random stored name; the uploader's name is kept in ``original_name`` for display only.
    suffix = PurePath(filename).suffix.lower()[:6]
    return f"imports/{secrets.token_urlsafe(18)}{suffix}"


class ImportRun(models.Model):
    """One file brought in by a person (or by ``manage.py import_innovations``): first checked (every
    problem by row and column, nothing saved), then, if the person confirms, imported.

    Processed by ``innovations.importing.process_run`` — inline for small files, in the background for
    large ones — which keeps ``rows_done`` and the counts current so the page can show progress.
    """

    class Phase(models.TextChoices):
        CHECK = "check", pgettext_lazy("import phase", "Check")
        IMPORT = "import", pgettext_lazy("import phase", "Import")

    class Status(models.TextChoices):
        WAITING = "waiting", pgettext_lazy("import status", "Waiting")
        RUNNING = "running", pgettext_lazy("import status", "Running")
        DONE = "done", pgettext_lazy("import status", "Done")
        FAILED = "failed", pgettext_lazy("import status", "Failed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file = models.FileField(upload_to=import_upload_to, max_length=200)
    original_name = models.CharField(max_length=200)
    file_size = models.PositiveBigIntegerField(default=0)
    # The person's language: problems and the report are written in it, also by a background worker.
    language = models.CharField(max_length=10, default="id")
    publish = models.BooleanField(
        _("publish the new records directly"),
        default=False,
        help_text=_("Only for the ministry; otherwise new records arrive as drafts for their agency."),
    )
    valid_only = models.BooleanField(default=False)
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.CHECK)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    error = models.TextField(blank=True)  # a problem with the file as a whole (nothing was read)
    warnings = models.JSONField(default=list, blank=True)  # e.g. columns that were ignored
    total_rows = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    new_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    refused_count = models.PositiveIntegerField(default=0)
    flagged_count = models.PositiveIntegerField(default=0)
    # The first problems (row, column, reason) for the page; every one is in the report.
    problems = models.JSONField(default=list, blank=True)
    report = models.FileField(upload_to="import-reports/", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(condition=Q(phase__in=["check", "import"]), name="importrun_phase_valid"),
            models.CheckConstraint(
                condition=Q(status__in=["waiting", "running", "done", "failed"]),
                name="importrun_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="importrun_by_newest")]

    def __str__(self):
        return f"{self.original_name} · {self.get_phase_display()} · {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("innovations:import_run", kwargs={"uuid": self.uuid})

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.WAITING, self.Status.RUNNING)

    @property
    def valid_count(self) -> int:
        """Rows the check found acceptable (would be new, updated or unchanged)."""
        return self.new_count + self.updated_count + self.unchanged_count

    @property
    def can_import(self) -> bool:
        """The check is done and something would change: offered as "import" when no row was refused,
        as "import the valid rows" when some were."""
        return (
            self.phase == self.Phase.CHECK
            and self.status == self.Status.DONE
            and (self.new_count + self.updated_count + self.flagged_count) > 0
        )


class SourceRecord(models.Model):
    """Where an imported innovation comes from: the source system and the record's id there (a SINOVIK
    registration number, an IGA id, a hub's own spreadsheet number). Re-importing the same source and id
    updates the record instead of adding one. A record may be known in several sources (KIPP and IGA),
    hence a row per source rather than two columns on the innovation.

    Records exported from this portal carry their own identity (source ``jipp``, id = their slug) and are
    matched on the innovation itself, without a row here.
    """

    innovation = models.ForeignKey(Innovation, on_delete=models.PROTECT, related_name="source_records")
    source = models.CharField(_("source"), max_length=60)  # as first written, for display
    source_key = models.CharField(max_length=60)  # lower-cased: "SINOVIK" and "sinovik" are one source
    source_id = models.CharField(_("id in the source"), max_length=100)
    import_run = models.ForeignKey(
        ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    last_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["imported_at", "id"]
        verbose_name = _("source record")
        verbose_name_plural = _("source records")
        constraints = [
            models.UniqueConstraint(fields=["source_key", "source_id"], name="sourcerecord_source_id_unique"),
        ]

    def __str__(self):
        return f"{self.source} {self.source_id}"


class DuplicateFlag(models.Model):
    """A row of an import that looks like an innovation already in the portal (same agency, similar
    name): held, not created, until a person decides — keep both (the row becomes a record of its own)
    or the same record (the existing record takes the row's source and id, so the next import of the
    file updates it)."""

    class Decision(models.TextChoices):
        OPEN = "open", pgettext_lazy("duplicate decision", "To decide")
        KEEP_BOTH = "keep_both", pgettext_lazy("duplicate decision", "Kept both")
        SAME_RECORD = "same_record", pgettext_lazy("duplicate decision", "Same record")

    import_run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="flags")
    existing = models.ForeignKey(Innovation, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    row_number = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    source = models.CharField(max_length=60)
    source_key = models.CharField(max_length=60)
    source_id = models.CharField(max_length=100)
    data = models.JSONField(default=dict)  # the row's values, as the record would take them
    similarity = models.FloatField()
    decision = models.CharField(max_length=12, choices=Decision.choices, default=Decision.OPEN)
    created = models.ForeignKey(Innovation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=["open", "keep_both", "same_record"]),
                name="duplicateflag_decision_valid",
            ),
            # Re-importing the file before deciding refreshes the open flag instead of adding another.
            models.UniqueConstraint(
                fields=["source_key", "source_id"],
                condition=Q(decision="open"),
                name="duplicateflag_one_open_per_source_id",
            ),
        ]
        indexes = [models.Index(fields=["agency", "decision"], name="duplicateflag_agency_open")]

    def __str__(self):
        return f"{self.name} ~ {self.existing_id}"


class ReconfirmationReminder(models.Model):
    """The last re-confirmation reminder sent to the owning agency's staff for one record (the daily job
    ``innovations.send_reconfirmation_reminders``). ``confirmed_on`` is the record's
    ``last_confirmed_on`` at that time, which names the due period: once the owners confirm again, the
    record's date moves on and its next due period gets one reminder of its own. A table of its own,
    so sending reminders never rewrites innovation rows (their search trigger, their edit version)."""

    innovation = models.OneToOneField(
        Innovation, on_delete=models.CASCADE, related_name="reconfirmation_reminder", primary_key=True
    )
    confirmed_on = models.DateField(null=True, blank=True)
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("re-confirmation reminder")
        verbose_name_plural = _("re-confirmation reminders")

    def __str__(self):
        return f"{self.innovation_id} · {self.sent_at:%Y-%m-%d}"
