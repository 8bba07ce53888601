"""Catalog tables: organizations, categories, tags, datasets, resources and their file versions.

Writes go through hiraku.catalog.actions; reads that cross relations through selectors.
Every upload becomes an immutable ResourceVersion; Resource.current_version points at the newest.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .licenses import license_choices
from .validators import validate_local_government_code, validate_name


class Capacity(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    EDITOR = "editor", _("Editor")
    MEMBER = "member", _("Member")


class DatasetState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    DELETED = "deleted", _("Deleted")


class UpdateFrequency(models.TextChoices):
    REALTIME = "realtime", _("Real time")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")
    IRREGULAR = "irregular", _("Irregular")
    NEVER = "never", _("Not updated")


class Organization(models.Model):
    """A city department (部) or section (課); sections nest under departments via parent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("URL name"), max_length=100, unique=True, validators=[validate_name])
    title = models.CharField(_("Name (Japanese)"), max_length=200)
    title_en = models.CharField(_("Name (English)"), max_length=200, blank=True)
    description = models.TextField(_("Description"), blank=True)
    description_en = models.TextField(_("Description (English)"), blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("Parent organization"),
    )
    image_url = models.URLField(max_length=2000, blank=True)
    state = models.CharField(max_length=20, default="active")
    created = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organizations"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.title

    def ancestors(self) -> list["Organization"]:
        """Parents from nearest to root; departments are shallow, so a walk is cheap."""
        chain, seen, node = [], {self.pk}, self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain


class Membership(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    capacity = models.CharField(max_length=20, choices=Capacity.choices, default=Capacity.MEMBER)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.capacity})"


class Category(models.Model):
    """A theme such as 人口・世帯 or 防災; exposed as CKAN groups."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=100, unique=True, validators=[validate_name])
    title = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    image_url = models.URLField(max_length=2000, blank=True)
    position = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.title


class Tag(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Dataset(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("URL name"), max_length=100, unique=True, validators=[validate_name])
    title = models.CharField(_("Title (Japanese)"), max_length=300)
    title_en = models.CharField(_("Title (English)"), max_length=300, blank=True)
    notes = models.TextField(_("Description (Markdown)"), blank=True)
    notes_en = models.TextField(_("Description in English (Markdown)"), blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="datasets"
    )
    categories = models.ManyToManyField(Category, blank=True, related_name="datasets")
    tags = models.ManyToManyField(Tag, blank=True, related_name="datasets")
    license_id = models.CharField(
        _("Licence"), max_length=50, choices=license_choices(), default="cc-by-4.0"
    )
    author = models.CharField(_("Publisher"), max_length=200, blank=True)
    author_email = models.EmailField(_("Publisher e-mail"), blank=True)
    maintainer = models.CharField(_("Contact"), max_length=200, blank=True)
    maintainer_email = models.EmailField(_("Contact e-mail"), blank=True)
    url = models.URLField(_("Source page"), max_length=2000, blank=True)
    version = models.CharField(_("Version"), max_length=100, blank=True)
    update_frequency = models.CharField(
        _("Update frequency"), max_length=20, choices=UpdateFrequency.choices, blank=True
    )
    spatial = models.CharField(
        _("Area (local government code)"),
        max_length=6,
        blank=True,
        validators=[validate_local_government_code],
    )
    temporal_start = models.DateField(_("Period from"), null=True, blank=True)
    temporal_end = models.DateField(_("Period to"), null=True, blank=True)
    source_note = models.TextField(
        _("Source and attribution"),
        blank=True,
        help_text=_("Where the data came from and how to credit it (出典)."),
    )
    extras = models.JSONField(default=dict, blank=True)
    state = models.CharField(
        max_length=20, choices=DatasetState.choices, default=DatasetState.ACTIVE
    )
    private = models.BooleanField(_("Private"), default=False)
    # Optimistic concurrency: every write bumps it; an edit based on an older value is refused.
    revision = models.PositiveIntegerField(default=1)
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="shared_datasets",
        help_text=_("Users who may read this dataset while it is private, without being members."),
    )
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-modified"]
        indexes = [
            # Covers the visibility filter that starts every search, so it never reads full rows.
            models.Index(fields=["state", "private", "id"], name="dataset_visible_ids"),
            models.Index(fields=["organization", "state"]),
            models.Index(fields=["-modified"]),
            models.Index(fields=["license_id"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(license_id=""), name="dataset_has_licence"),
        ]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.state == DatasetState.ACTIVE and not self.private


def resource_version_path(instance: "ResourceVersion", filename: str) -> str:
    return f"resources/{instance.resource_id}/v{instance.number}/{filename}"


class Resource(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="resources")
    name = models.CharField(_("Name"), max_length=300)
    description = models.TextField(_("Description"), blank=True)
    url = models.URLField(
        _("URL"), max_length=2000, blank=True, help_text=_("For a linked (not uploaded) resource.")
    )
    url_type = models.CharField(
        max_length=20, blank=True, help_text="'upload' for an uploaded file"
    )
    format = models.CharField(_("Format"), max_length=50, blank=True)
    position = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=20, default="active")
    current_version = models.ForeignKey(
        "ResourceVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    extras = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "created"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "name"],
                condition=models.Q(state="active"),
                name="unique_active_resource_name_per_dataset",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ResourceVersion(models.Model):
    """One upload of a resource's file. Never changed after it is written."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=resource_version_path, max_length=500, blank=True)
    source_url = models.URLField(max_length=2000, blank=True)
    original_filename = models.CharField(max_length=300, blank=True)
    size = models.BigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    mimetype = models.CharField(max_length=200, blank=True)
    format = models.CharField(max_length=50, blank=True)
    note = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="unique_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("ResourceVersion is immutable; add a new version instead.")
        super().save(*args, **kwargs)


class ActivityEvent(models.Model):
    """Audit trail of every user-visible write (who, what, when, a snapshot of the change)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=50)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=64)
    dataset = models.ForeignKey(
        Dataset, null=True, blank=True, on_delete=models.CASCADE, related_name="activity"
    )
    data = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.verb} {self.object_type} {self.object_id}"
