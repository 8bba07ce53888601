"""和暦 and other date/time forms: fixed examples, era boundaries and property tests."""

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hiraku.ingest.parsing import (
    END_OF_DAY,
    FiscalYear,
    infer_date_order,
    parse_date,
    parse_datetime,
    parse_time,
)
from hiraku.ingest.parsing.wareki import ERAS, Era


@pytest.mark.parametrize(
    "text,expected",
    [
        ("令和5年4月1日", date(2023, 4, 1)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("R5.4.1", date(2023, 4, 1)),
        ("R05.04.01", date(2023, 4, 1)),
        ("R5/4/1", date(2023, 4, 1)),
        ("r5-4-1", date(2023, 4, 1)),
        ("H31.4.30", date(2019, 4, 30)),
        ("S64.1.7", date(1989, 1, 7)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("令和５年４月１日", date(2023, 4, 1)),
        ("Ｒ５．４．１", date(2023, 4, 1)),
        ("令和五年四月一日", date(2023, 4, 1)),
        ("昭和六十四年一月七日", date(1989, 1, 7)),
        ("令和5年4月1日(土)", date(2023, 4, 1)),
        ("平成27年５月１日", date(2015, 5, 1)),
        ("大正元年7月30日", date(1912, 7, 30)),
        ("明治元年10月23日", date(1868, 10, 23)),
        ("2023-04-01", date(2023, 4, 1)),
        ("2023/4/1", date(2023, 4, 1)),
        ("2023.4.1", date(2023, 4, 1)),
        ("2023年4月1日", date(2023, 4, 1)),
        ("二〇二三年四月一日", date(2023, 4, 1)),
        ("20230401", date(2023, 4, 1)),
        ("13/1/2023", date(2023, 1, 13)),  # day first is the only reading
        ("1/13/2023", date(2023, 1, 13)),  # month first is the only reading
    ],
)
def test_date_forms(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "H31.5.1",  # 平成 ended on 2019-04-30
        "S64.1.8",  # 昭和 ended on 1989-01-07
        "令和元年4月30日",  # before 令和 began
        "平成元年1月7日",  # before 平成 began
        "R5.2.30",  # no such day
        "R0.1.1",
        "2023/13/1",
        "3/1/2023",  # ambiguous without the column's order
        "令和5年",
        "明日",
        "",
        "-",
    ],
)
def test_dates_rejected(text):
    assert parse_date(text) is None


def test_fiscal_years():
    assert parse_date("令和2年度") == FiscalYear(2020)
    assert parse_date("令和元年度") == FiscalYear(2019)
    assert parse_date("平成31年度") == FiscalYear(2019)  # FY2019 began under 平成
    assert parse_date("2020年度") == FiscalYear(2020)
    assert parse_date("R2年度") == FiscalYear(2020)
    assert parse_date("昭和64年度") is None  # 昭和 ended before April 1989
    fy = FiscalYear(2020)
    assert (fy.start, fy.end, fy.isoformat()) == (date(2020, 4, 1), date(2021, 3, 31), "2020年度")


def test_us_dates_follow_the_column():
    # takamatsu_population_by_age_202303.csv: every value is 3/1/2023 = 2023-03-01
    assert infer_date_order(["3/1/2023"] * 5) == "mdy"
    assert parse_date("3/1/2023", order="mdy") == date(2023, 3, 1)
    assert infer_date_order(["3/1/2023", "25/1/2023"]) == "dmy"
    assert parse_date("3/1/2023", order="dmy") == date(2023, 1, 3)
    assert infer_date_order(["13/1/2023", "1/13/2023"]) is None


def test_times():
    assert parse_time("8:30") == time(8, 30)
    assert parse_time("08:30:00") == time(8, 30)
    assert parse_time("8時30分") == time(8, 30)
    assert parse_time("８時") == time(8, 0)
    assert parse_time("午後1時30分") == time(13, 30)
    assert parse_time("午前0時") == time(0, 0)
    assert parse_time("24:00") == END_OF_DAY  # "until midnight" in opening hours
    assert parse_time("25:00") is None
    assert parse_time("8:75") is None
    assert parse_time("午後13時") is None
    assert parse_time("月火水") is None


def test_datetimes():
    assert parse_datetime("2023-04-01T08:30:00") == datetime(2023, 4, 1, 8, 30)
    assert parse_datetime("2023/4/1 8:30") == datetime(2023, 4, 1, 8, 30)
    assert parse_datetime("令和5年4月1日 8時30分") == datetime(2023, 4, 1, 8, 30)
    assert parse_datetime("令和5年4月1日8時30分") == datetime(2023, 4, 1, 8, 30)
    assert parse_datetime("2023-04-01T08:30:00+09:00").utcoffset() == timedelta(hours=9)
    assert parse_datetime("2023/4/1") is None


def _era_formats(era: Era, day: date) -> list[str]:
    """Every supported way to write `day` in `era`."""
    y = day.year - era.offset
    m, d = day.month, day.day
    kanji_year = "元" if y == 1 else str(y)
    wide = str.maketrans("0123456789", "０１２３４５６７８９")
    return [
        f"{era.name}{kanji_year}年{m}月{d}日",
        f"{era.name}{y}年{m}月{d}日".translate(wide),
        f"{era.letter}{y}.{m}.{d}",
        f"{era.letter}{y:02d}.{m:02d}.{d:02d}",
        f"{era.letter}{y}/{m}/{d}",
        f"{era.letter.lower()}{y}-{m}-{d}",
        f"{era.name[0]}{y}.{m}.{d}",
        f"{era.name}{_kanji(y)}年{_kanji(m)}月{_kanji(d)}日",
    ]


def _kanji(n: int) -> str:
    digits = "〇一二三四五六七八九"
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else digits[tens] + "十")) + (
        digits[ones] if ones else ""
    )


@st.composite
def era_days(draw):
    era = draw(st.sampled_from(ERAS))
    last = era.last_day or date(2099, 12, 31)
    first = max(era.first_day, date(1873, 1, 1))  # the Gregorian calendar in Japan
    if first > last:
        first = era.first_day
    day = draw(st.dates(min_value=first, max_value=last))
    return era, day


@given(era_days())
def test_every_era_and_form_round_trips(era_day):
    era, day = era_day
    for text in _era_formats(era, day):
        assert parse_date(text) == day, text


@given(st.sampled_from(ERAS[:-1]), st.integers(min_value=1, max_value=400))
def test_days_after_an_era_ended_are_rejected(era, days_after):
    day = era.last_day + timedelta(days=days_after)
    y = day.year - era.offset
    assert parse_date(f"{era.letter}{y}.{day.month}.{day.day}") is None
    assert parse_date(f"{era.name}{y}年{day.month}月{day.day}日") is None


@given(st.sampled_from(ERAS[1:]), st.integers(min_value=1, max_value=400))
def test_days_before_an_era_began_are_rejected(era, days_before):
    day = era.first_day - timedelta(days=days_before)
    y = day.year - era.offset
    if y < 1:
        return  # not writable in this era at all
    assert parse_date(f"{era.letter}{y}.{day.month}.{day.day}") is None


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_western_forms_round_trip(day):
    for text in (
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day.month}/{day.day}/{day.year}",
    ):
        expected = day
        if text.count("/") == 2 and text.endswith(str(day.year)) and day.day <= 12:
            assert parse_date(text, order="mdy") == expected, text
            continue
        assert parse_date(text) == expected, text
