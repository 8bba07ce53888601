"""Validation of incoming dataset, resource and organization data (CKAN dict shapes).

Used by the Action API and the staff forms alike, so both give the same messages. Unknown
fields are refused; read-only fields that package_show returns (id, metadata_created, …) are
accepted and ignored, so a client may send back what it read.
"""

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator, URLValidator

from .errors import ValidationFailed, bilingual
from .licenses import LICENSES_BY_ID
from .models import UpdateFrequency
from .validators import is_valid_local_government_code, validate_name

DATASET_FIELDS = {
    "name": "str",
    "title": "str",
    "title_en": "str",
    "notes": "str",
    "notes_en": "str",
    "owner_org": "str",
    "license_id": "str",
    "author": "str",
    "author_email": "email",
    "maintainer": "str",
    "maintainer_email": "email",
    "url": "url",
    "version": "str",
    "update_frequency": "str",
    "spatial": "str",
    "temporal_start": "date",
    "temporal_end": "date",
    "source_note": "str",
    "private": "bool",
    "state": "str",
    "tags": "list",
    "groups": "list",
    "extras": "list",
    "resources": "list",
}
DATASET_READ_ONLY = {
    "id",
    "metadata_created",
    "metadata_modified",
    "num_resources",
    "num_tags",
    "organization",
    "type",
    "creator_user_id",
    "license_title",
    "license_url",
    "isopen",
    "revision",
    "relationships_as_object",
    "relationships_as_subject",
    "title_translated",
    "notes_translated",
    "notes_rendered",
    "api_url",
    "web_url",
}
RESOURCE_FIELDS = {
    "name": "str",
    "description": "str",
    "url": "str",
    "format": "str",
    "package_id": "str",
    "position": "int",
    "extras": "dict",
}
RESOURCE_READ_ONLY = {
    "id",
    "created",
    "last_modified",
    "metadata_modified",
    "size",
    "hash",
    "mimetype",
    "url_type",
    "state",
    "version_number",
    "versions",
    "datastore_active",
    "encoding",
    "upload",
    "cache_url",
    "mimetype_inner",
    "resource_type",
    "package_name",
    "original_filename",
}
ORGANIZATION_FIELDS = {
    "name": "str",
    "title": "str",
    "title_en": "str",
    "description": "str",
    "description_en": "str",
    "image_url": "url",
    "parent": "str",
}
ORGANIZATION_READ_ONLY = {
    "id",
    "created",
    "type",
    "is_organization",
    "state",
    "package_count",
    "users",
    "approval_status",
    "display_name",
    "num_followers",
    "image_display_url",
    "groups",
    "extras",
    "tags",
    "packages",
}

_TYPE_NAMES = {
    "str": ("文字列", "a string"),
    "bool": ("真偽値", "a boolean"),
    "list": ("リスト", "a list"),
    "dict": ("オブジェクト", "an object"),
    "int": ("整数", "an integer"),
    "date": ("日付 (YYYY-MM-DD)", "a date (YYYY-MM-DD)"),
    "email": ("メールアドレス", "an e-mail address"),
    "url": ("URL", "a URL"),
}


class Errors:
    """Collects field errors so the caller sees every problem at once, as CKAN does."""

    def __init__(self) -> None:
        self.items: dict[str, list[str]] = {}

    def add(self, field: str, ja: str, en: str) -> None:
        self.items.setdefault(field, []).append(bilingual(ja, en))

    def raise_if_any(self) -> None:
        if self.items:
            fields = ", ".join(sorted(self.items))
            raise ValidationFailed(
                bilingual(f"入力内容に誤りがあります: {fields}", f"Invalid input: {fields}"),
                self.items,
            )


def _coerce(value: Any, kind: str) -> Any:
    """Return the value as `kind`, or raise ValueError. Form posts send strings for everything."""
    if kind in ("str", "email", "url"):
        if value is None:
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            raise ValueError
        value = value.strip()
        if kind == "email" and value:
            EmailValidator()(value)
        if kind == "url" and value:
            URLValidator(schemes=["http", "https"])(value)
        return value
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in (
            "true",
            "1",
            "yes",
            "on",
            "false",
            "0",
            "no",
            "off",
            "",
        ):
            return value.lower() in ("true", "1", "yes", "on")
        raise ValueError
    if kind == "int":
        if isinstance(value, bool):
            raise ValueError
        return int(value)
    if kind == "list":
        if isinstance(value, list):
            return value
        raise ValueError
    if kind == "dict":
        if isinstance(value, dict):
            return value
        raise ValueError
    if kind == "date":
        if value in (None, ""):
            return None
        if isinstance(value, dt.date):
            return value
        return dt.date.fromisoformat(str(value)[:10])
    raise AssertionError(kind)


def _check_fields(data: dict, allowed: dict, read_only: set, errors: Errors) -> dict:
    if not isinstance(data, dict):
        raise ValidationFailed(bilingual("JSONオブジェクトが必要です", "A JSON object is required"))
    cleaned = {}
    for key, value in data.items():
        if key in read_only:
            continue
        kind = allowed.get(key)
        if kind is None:
            errors.add(key, f"不明な項目です: {key}", f"Unknown field: {key}")
            continue
        try:
            cleaned[key] = _coerce(value, kind)
        except (ValueError, TypeError, DjangoValidationError):
            ja, en = _TYPE_NAMES[kind]
            errors.add(key, f"{ja}を指定してください", f"Must be {en}")
    return cleaned


def _tag_names(raw: list, errors: Errors) -> list[str]:
    names = []
    for item in raw:
        name = item.get("name") if isinstance(item, dict) else item
        if not isinstance(name, str) or not name.strip():
            errors.add("tags", "タグ名が空です", "A tag name is empty")
            continue
        name = name.strip()
        if len(name) > 100 or re.search(r"[,\n\r\t]", name):
            errors.add("tags", f"タグ名が不正です: {name[:30]}", f"Invalid tag name: {name[:30]}")
            continue
        names.append(name)
    return list(dict.fromkeys(names))


def _ref_names(raw: list, field: str, errors: Errors) -> list[str]:
    refs = []
    for item in raw:
        ref = (item.get("name") or item.get("id")) if isinstance(item, dict) else item
        if not isinstance(ref, str) or not ref:
            errors.add(field, "名前かIDが必要です", "Each item needs a name or id")
            continue
        refs.append(ref)
    return refs


def _extras(raw: list, errors: Errors) -> dict:
    result = {}
    for item in raw:
        if not (isinstance(item, dict) and isinstance(item.get("key"), str)):
            errors.add(
                "extras",
                "extras は {key, value} のリストです",
                "extras must be a list of {key, value}",
            )
            continue
        value = item.get("value", "")
        result[item["key"]] = value if isinstance(value, str) else str(value)
    return result


def _check_name(name: str, errors: Errors) -> None:
    try:
        validate_name(name)
    except DjangoValidationError:
        errors.add(
            "name",
            "半角英小文字・数字・-・_ の2〜100文字にしてください",
            "Must be 2-100 characters of lowercase a-z, 0-9, - and _",
        )


def clean_dataset(data: dict, *, partial: bool) -> dict:
    """Return model-ready values. `partial` (package_patch) makes every field optional."""
    errors = Errors()
    cleaned = _check_fields(data, DATASET_FIELDS, DATASET_READ_ONLY, errors)
    if not partial:
        for required in ("name", "title", "owner_org"):
            if not cleaned.get(required):
                errors.add(required, "必須項目です", "Missing value")
    if "name" in cleaned:
        _check_name(cleaned["name"], errors)
    if "title" in cleaned and len(cleaned["title"]) > 300:
        errors.add("title", "300文字以内にしてください", "Must be at most 300 characters")
    if cleaned.get("license_id") and cleaned["license_id"] not in LICENSES_BY_ID:
        errors.add("license_id", "不明なライセンスです", "Unknown licence id")
    if "license_id" in cleaned and not cleaned["license_id"]:
        del cleaned["license_id"]  # keep the default rather than store an empty licence
    if (
        cleaned.get("update_frequency")
        and cleaned["update_frequency"] not in UpdateFrequency.values
    ):
        errors.add(
            "update_frequency",
            f"更新頻度は次のいずれかです: {', '.join(UpdateFrequency.values)}",
            f"Must be one of: {', '.join(UpdateFrequency.values)}",
        )
    if cleaned.get("spatial") and not is_valid_local_government_code(cleaned["spatial"]):
        errors.add(
            "spatial",
            "6桁の全国地方公共団体コード (検査数字付き) を指定してください",
            "Must be a 6-digit local government code with a valid check digit",
        )
    start, end = cleaned.get("temporal_start"), cleaned.get("temporal_end")
    if start and end and start > end:
        errors.add("temporal_end", "終了日が開始日より前です", "End date is before the start date")
    if "state" in cleaned and cleaned["state"] not in ("draft", "active"):
        errors.add("state", "state は draft か active です", "state must be draft or active")
    if "tags" in cleaned:
        cleaned["tags"] = _tag_names(cleaned["tags"], errors)
    if "groups" in cleaned:
        cleaned["groups"] = _ref_names(cleaned["groups"], "groups", errors)
    if "extras" in cleaned:
        cleaned["extras"] = _extras(cleaned["extras"], errors)
    errors.raise_if_any()
    return cleaned


def clean_resource(data: dict, *, partial: bool, has_upload: bool = False) -> dict:
    errors = Errors()
    cleaned = _check_fields(data, RESOURCE_FIELDS, RESOURCE_READ_ONLY, errors)
    url = cleaned.get("url", "")
    if url and not has_upload:
        try:
            URLValidator(schemes=["http", "https", "ftp"])(url)
        except DjangoValidationError:
            errors.add("url", "URLが正しくありません", "Not a valid URL")
    if not partial and not has_upload and not url:
        errors.add(
            "url",
            "ファイルをアップロードするかURLを指定してください",
            "Upload a file or give a URL",
        )
    if len(cleaned.get("name", "")) > 300:
        errors.add("name", "300文字以内にしてください", "Must be at most 300 characters")
    errors.raise_if_any()
    return cleaned


def clean_organization(data: dict, *, partial: bool) -> dict:
    errors = Errors()
    cleaned = _check_fields(data, ORGANIZATION_FIELDS, ORGANIZATION_READ_ONLY, errors)
    if not partial and not cleaned.get("name"):
        errors.add("name", "必須項目です", "Missing value")
    if cleaned.get("name"):
        _check_name(cleaned["name"], errors)
    if not partial and not cleaned.get("title"):
        cleaned["title"] = cleaned.get("name", "")
    errors.raise_if_any()
    return cleaned
