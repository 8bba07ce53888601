"""Staff forms. They only bind and render input; hiraku.catalog.schema and actions validate it,
so the web and the Action API give the same messages. Field names are the CKAN ones."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from hiraku.catalog import schema
from hiraku.catalog.licenses import LICENSES
from hiraku.catalog.models import Category, Dataset, UpdateFrequency
from hiraku.conf import setting

_TEXT_FIELDS = (
    "name", "title", "title_en", "notes", "notes_en", "owner_org", "license_id", "author",
    "author_email", "maintainer", "maintainer_email", "url", "version", "update_frequency",
    "spatial", "temporal_start", "temporal_end", "source_note", "state",
)  # fmt: skip


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class DatasetForm(forms.Form):
    title = forms.CharField(label=_("Title (Japanese)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    name = forms.CharField(
        label=_("URL name"),
        max_length=100,
        help_text=_("Lowercase letters a-z, digits, - and _; used in the address of the page."),
        widget=forms.TextInput(attrs={"pattern": "[a-z0-9_\\-]{2,100}", "autocapitalize": "off"}),
    )
    owner_org = forms.ChoiceField(label=_("Organization"))
    notes = forms.CharField(
        label=_("Description (Markdown)"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    notes_en = forms.CharField(
        label=_("Description in English (Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Separate tags with commas (, or 、).")
    )
    groups = forms.MultipleChoiceField(
        label=_("Categories"), required=False, widget=forms.CheckboxSelectMultiple
    )
    license_id = forms.ChoiceField(label=_("Licence"))
    update_frequency = forms.ChoiceField(label=_("Update frequency"), required=False)
    spatial = forms.CharField(
        label=_("Area (local government code)"),
        required=False,
        max_length=6,
        help_text=_("6-digit code with check digit, e.g. 072028 for Aizu-Wakamatsu."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    temporal_start = forms.CharField(label=_("Period from"), required=False, widget=_date_input())
    temporal_end = forms.CharField(label=_("Period to"), required=False, widget=_date_input())
    author = forms.CharField(label=_("Publisher"), required=False, max_length=200)
    author_email = forms.CharField(
        label=_("Publisher e-mail"), required=False, widget=forms.EmailInput()
    )
    maintainer = forms.CharField(label=_("Contact"), required=False, max_length=200)
    maintainer_email = forms.CharField(
        label=_("Contact e-mail"), required=False, widget=forms.EmailInput()
    )
    url = forms.CharField(label=_("Source page"), required=False, widget=forms.URLInput())
    version = forms.CharField(label=_("Version"), required=False, max_length=100)
    source_note = forms.CharField(
        label=_("Source and attribution"),
        required=False,
        help_text=_("Where the data came from and how to credit it (出典)."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    state = forms.ChoiceField(
        label=_("Status"),
        choices=[("active", _("Published")), ("draft", _("Draft (not published)"))],
        initial="active",
    )
    private = forms.BooleanField(
        label=_("Private (only members of the organization can see it)"), required=False
    )
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_org"].choices = [(o.name, str(o)) for o in organizations]
        self.fields["groups"].choices = [(c.name, str(c)) for c in Category.objects.all()]
        self.fields["license_id"].choices = [(lic.id, lic.title) for lic in LICENSES]
        self.fields["license_id"].initial = setting("DEFAULT_LICENSE")
        self.fields["update_frequency"].choices = [("", "—"), *UpdateFrequency.choices]

    SECTIONS = (
        (_("Basic information"), ("title", "title_en", "name", "owner_org", "notes", "notes_en")),
        (
            _("Classification"),
            ("tags", "groups", "license_id", "update_frequency", "spatial")
            + ("temporal_start", "temporal_end"),
        ),
        (
            _("Publisher and source"),
            ("author", "author_email", "maintainer", "maintainer_email", "url", "version")
            + ("source_note",),
        ),
        (_("Visibility"), ("state", "private", "revision")),
    )

    def sections(self) -> list[tuple[str, list]]:
        """[(legend, [bound fields])] so the template renders one fieldset per group."""
        return [(legend, [self[name] for name in names]) for legend, names in self.SECTIONS]

    def ckan_data(self) -> dict:
        """The CKAN-shaped dict that catalog.actions expects."""
        data = {name: self.cleaned_data.get(name) or "" for name in _TEXT_FIELDS}
        data["private"] = bool(self.cleaned_data.get("private"))
        raw_tags = self.cleaned_data.get("tags") or ""
        data["tags"] = [t.strip() for t in re.split(r"[,、，]", raw_tags) if t.strip()]
        data["groups"] = list(self.cleaned_data.get("groups") or [])
        if self.cleaned_data.get("revision") is not None:
            data["revision"] = self.cleaned_data["revision"]
        return data

    @staticmethod
    def initial_from(dataset: Dataset) -> dict:
        initial = {name: getattr(dataset, name, "") for name in _TEXT_FIELDS if name != "owner_org"}
        initial.update(
            owner_org=dataset.organization.name,
            temporal_start=dataset.temporal_start.isoformat() if dataset.temporal_start else "",
            temporal_end=dataset.temporal_end.isoformat() if dataset.temporal_end else "",
            tags=", ".join(t.name for t in dataset.tags.all()),
            groups=[c.name for c in dataset.categories.all()],
            private=dataset.private,
            revision=dataset.revision,
        )
        return initial


class ResourceForm(forms.Form):
    upload = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("Upload a file, or give the URL of a file published elsewhere."),
    )
    url = forms.CharField(
        label=_("URL (instead of a file)"), required=False, widget=forms.URLInput()
    )
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=300,
        help_text=_("Left empty, the file name is used."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    format = forms.CharField(
        label=_("Format"),
        required=False,
        max_length=50,
        help_text=_("For example CSV, XLSX, PDF. Guessed from the file name when empty."),
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("upload") and not (cleaned.get("url") or "").strip():
            self.add_error("upload", _("Choose a file to upload or enter a URL."))
        return cleaned

    def ckan_data(self) -> dict:
        data = {
            k: (self.cleaned_data.get(k) or "").strip() for k in ("name", "description", "format")
        }
        if not self.cleaned_data.get("upload"):
            data["url"] = (self.cleaned_data.get("url") or "").strip()
        return {k: v for k, v in data.items() if v}


class VersionForm(forms.Form):
    upload = forms.FileField(label=_("New file"))
    note = forms.CharField(
        label=_("Note about this version"),
        required=False,
        max_length=1000,
        help_text=_("For example what changed, shown in the version history."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not note_supported():
            del self.fields["note"]


def note_supported() -> bool:
    """catalog.actions.resource_update reads data["note"], but the schema only lets it through
    once "note" is a known resource field; until then the form does not offer it."""
    return "note" in schema.RESOURCE_FIELDS or "note" in schema.RESOURCE_READ_ONLY
