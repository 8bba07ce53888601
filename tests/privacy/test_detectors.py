"""Detectors on a planted-PII corpus (fixed seed) and on awkward single values."""

import random

import pytest

from hiraku.privacy.detectors.mynumber import check_digit, is_my_number
from hiraku.privacy.detectors.names import is_person_name
from hiraku.privacy.detectors.phone import is_phone
from hiraku.privacy.scan import scan_table
from tests.privacy.planted import N


def _by_kind(result):
    return {(f.column, f.kind): f for f in result.findings}


def test_recall_on_planted_corpus(corpus):
    columns, rows = corpus
    found = _by_kind(scan_table(columns, rows))
    # 100% for My Number, e-mail and personal phone numbers: every planted value is counted.
    assert found[("個人番号", "my_number")].count == N
    assert found[("メールアドレス", "email")].count == N
    assert found[("電話番号", "phone")].count == N
    for key in [
        ("個人番号", "my_number"),
        ("電話番号", "phone"),
        ("氏名", "person_name"),
        ("メールアドレス", "email"),
        ("住所", "address"),
        ("生年月日", "birth_date"),
    ]:
        assert found[key].risk == "high", key
    assert found[("相談内容", "free_text")].risk == "high"
    # ≥ 90% of planted personal names are read as names, value by value.
    recall = sum(is_person_name(row[0]) for row in rows) / N
    assert recall >= 0.9, recall


def test_recall_without_column_name_hints(corpus):
    _, rows = corpus
    columns = ["a", "b", "c", "d", "e", "f", "g"]
    found = _by_kind(scan_table(columns, rows))
    assert found[("d", "my_number")].count == N
    assert found[("c", "email")].count == N
    assert found[("b", "phone")].count == N
    assert found[("a", "person_name")].risk == "high"


def test_masked_examples_never_show_the_value(corpus):
    columns, rows = corpus
    result = scan_table(columns, rows)
    raw = {cell for row in rows for cell in row[:6]}
    for finding in result.findings:
        assert finding.examples
        for example in finding.examples:
            assert example not in raw
    mn = _by_kind(result)[("個人番号", "my_number")].examples[0]
    assert len(mn) == 12 and mn[4:8] == "****"
    email = _by_kind(result)[("メールアドレス", "email")].examples[0]
    assert email.startswith("us***@example")


def test_my_number_check_digit_and_corporate_numbers():
    assert check_digit("12345678901") == 8 and is_my_number("123456789018")
    assert not is_my_number("123456789017")
    assert check_digit("00000000001") == 9
    # 法人番号 (13 digits) is public: never flagged. 道南バス's is a real one.
    corporate = [["1430001056880", "道南バス株式会社"]] * 20
    assert not scan_table(["法人番号", "名称"], corporate).findings


def test_random_twelve_digit_codes_are_not_my_numbers():
    rng = random.Random(3)
    codes = [[f"{rng.randrange(10**11, 10**12)}"] for _ in range(300)]
    assert not [f for f in scan_table(["管理コード"], codes).findings if f.kind == "my_number"]


@pytest.mark.parametrize(
    "value,expected",
    [
        ("090-1234-5678", True),
        ("０９０１２３４５６７８", True),
        ("0242(39)1111", True),
        ("+81-90-1234-5678", True),
        ("841-0161", False),
        ("2024-04-01", False),
        ("123-4567", False),
    ],
)
def test_phone_values(value, expected):
    assert is_phone(value) is expected


def test_facility_phone_is_low_and_personal_phone_is_high():
    facility = scan_table(
        ["施設名", "住所", "電話番号"],
        [
            ["会津若松市役所", "会津若松市東栄町3-46", "0242-39-1111"],
            ["鶴ヶ城会館", "会津若松市追手町4-47", "0242-28-2288"],
        ],
    )
    assert {f.risk for f in facility.findings} == {"low"}
    personal = scan_table(
        ["名前", "電話番号"], [["山田 太郎", "0242-39-1111"], ["佐藤 花子", "0242-28-2288"]]
    )
    assert {f.kind: f.risk for f in personal.findings} == {"person_name": "high", "phone": "high"}


def test_free_text_slogans_are_not_names():
    slogans = [
        ["四季彩のまち・かみふらの－風土に映える暮しのデザイン－"],
        ["笑顔とがんばりの町　平安浪漫　小野小町誕生伝説"],
    ] * 10
    assert not scan_table(["phrase"], slogans).findings
