"""The envelope's fast JSON encoder writes what json.dumps + DjangoJSONEncoder wrote."""

import datetime as dt
import decimal
import json
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext_lazy

from hiraku.api.envelope import encode


def test_same_values_as_django_encoder():
    payload = {
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "created": dt.datetime(2024, 4, 1, 9, 30, 15, 123456, tzinfo=dt.UTC),
        "day": dt.date(2024, 4, 1),
        "time": dt.time(8, 30),
        "amount": decimal.Decimal("12.50"),
        "label": gettext_lazy("Done"),
        "text": "会津若松市 / ｱｲﾂﾞ\u2028",
        "numbers": [1, 2.5, -0.0, 10**18, True, None],
    }
    expected = json.loads(json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False))
    assert json.loads(encode(payload)) == expected
    assert "会津" in encode(payload).decode("utf-8")  # not \\u-escaped


def test_what_orjson_refuses_falls_back():
    payload = {"big": 10**30, 1: "non-string key"}
    assert json.loads(encode(payload)) == {"big": 10**30, "1": "non-string key"}


def test_nan_becomes_null():
    assert json.loads(encode({"x": float("nan")})) == {"x": None}
