"""Numbers, flags, coordinates and header names as Japanese files write them."""

from decimal import Decimal

import pytest

from hiraku.ingest.parsing import (
    has_leading_zero,
    is_missing,
    normalize_header,
    parse_bool,
    parse_coordinate,
    parse_decimal,
    parse_int,
)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("1234", 1234),
        ("1,234", 1234),
        ("１，２３４", 1234),
        ("△12", -12),
        ("▲1,000", -1000),
        ("-5", -5),
        (" 42 ", 42),
        ("1,23", None),
        ("12.0", None),
        ("1e3", None),
        ("99%", None),
        ("abc", None),
        ("△-5", None),
    ],
)
def test_parse_int(text, expected):
    assert parse_int(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("99.2", Decimal("99.2")),
        ("99.2%", Decimal("99.2")),
        ("９９．２％", Decimal("99.2")),
        ("△0.5", Decimal("-0.5")),
        ("24,420,760,388", Decimal("24420760388")),
        ("¥1,000", Decimal("1000")),
        ("1000円", Decimal("1000")),
        ("1.5e3", Decimal("1500")),
        (".5", Decimal("0.5")),
        ("NaN", None),
        ("Infinity", None),
        ("12-34", None),
    ],
)
def test_parse_decimal(text, expected):
    assert parse_decimal(text) == expected


@pytest.mark.parametrize("marker", ["-", "－", "…", "x", "X", "*", "秘匿", "", "  ", "―"])
def test_missing_markers(marker):
    assert is_missing(marker)
    assert parse_decimal(marker) is None and parse_int(marker) is None


def test_values_are_not_missing():
    assert not is_missing("0") and not is_missing("高松市")


@pytest.mark.parametrize(
    "text,expected",
    [
        ("○", True), ("〇", True), ("有", True), ("あり", True), ("はい", True), ("TRUE", True),
        ("yes", True), ("1", True), ("×", False), ("無", False), ("なし", False), ("いいえ", False),
        ("false", False), ("0", False), ("△", None), ("多分", None), ("", None),
    ],
)  # fmt: skip
def test_parse_bool(text, expected):
    assert parse_bool(text) is expected


def test_leading_zero_codes():
    assert has_leading_zero("072028") and has_leading_zero("０００１")
    assert (
        not has_leading_zero("0") and not has_leading_zero("72028") and not has_leading_zero("0.5")
    )


def test_coordinates():
    lon = parse_coordinate("139°55'47.3\"", axis="lon")
    assert lon == pytest.approx(139 + 55 / 60 + 47.3 / 3600)
    assert parse_coordinate("139度55分47.3秒", axis="lon") == pytest.approx(lon)
    assert parse_coordinate("139° 55' 47.3\"", axis="lon") == pytest.approx(lon)
    assert parse_coordinate("34.3475 134.0300") == (34.3475, 134.03)
    assert parse_coordinate("北緯37度29分41.3秒", axis="lat") is None  # prefix words are not parsed
    assert parse_coordinate("N37°29'41.3\"", axis="lat") == pytest.approx(
        37 + 29 / 60 + 41.3 / 3600
    )
    assert parse_coordinate("37.4948", axis="lat") == pytest.approx(37.4948)
    assert parse_coordinate("３７．４９４８", axis="lat") == pytest.approx(37.4948)
    assert parse_coordinate("139.9298", axis="lat") is None  # longitude in a latitude column
    assert parse_coordinate("51.5", axis="lat") is None  # London is not in Japan
    assert parse_coordinate("0", axis="lon") is None
    assert parse_coordinate("139°75'", axis="lon") is None  # minutes over 59
    # takamatsu_evacuation_sites_utf8bom.csv writes "lat,lon" in one quoted field
    assert parse_coordinate("34.34753333,134.03003917") == (34.34753333, 134.03003917)
    assert parse_coordinate("134.03003917,34.34753333") is None  # swapped
    assert parse_coordinate("0,0") is None
    assert parse_coordinate("") is None and parse_coordinate(None) is None


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("校　　名", "校名"),
        ("園    名", "園名"),
        ("特別\n支援", "特別支援"),
        ("１年", "1年"),
        ("六甲ｱｲﾗﾝﾄﾞ", "六甲アイランド"),
        (" Males per 100females ", "Males per 100females"),
        ("人口Population", "人口Population"),
        ("\ufeffpid", "pid"),
        (None, ""),
    ],
)
def test_normalize_header(raw, clean):
    assert normalize_header(raw) == clean
