"""The SQL macros (used on whole columns) agree with the Python parsers in parsing/values.py.

Hypothesis writes dates in every era and every supported form (valid and out-of-range),
numbers with separators / full-width digits / △, times and flags; SQL and Python must give
the same value for each. Known, intended difference: a number with a leading zero ("0123")
is a code to SQL (kept as text) while parse_int reads it; the corpus leaves those out.
"""

import datetime as dt
from decimal import Decimal

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hiraku.ingest.parsing.values import (
    parse_bool,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_int,
    parse_time,
    parse_year,
)
from hiraku.ingest.sql_values import _WAREKI, _WESTERN, FALSE_WORDS, TRUE_WORDS, install_macros

ERAS = [
    ("令和", "R", 2018),
    ("平成", "H", 1988),
    ("昭和", "S", 1925),
    ("大正", "T", 1911),
    ("明治", "M", 1867),
]
FULL = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect()
    install_macros(connection)
    yield connection
    connection.close()


def sql(con, macro: str, values: list[str]) -> list:
    rows = con.execute(
        f"SELECT {macro}(v) FROM unnest(?::VARCHAR[]) WITH ORDINALITY AS t(v, i) ORDER BY i",
        [values],
    ).fetchall()
    return [row[0] for row in rows]


# event listings write the day of the week after the date
WEEKDAYS = st.sampled_from(["", "", "", "(土)", "（日）", " (月・祝)", "(月曜日)", "（水", "(金)x"])


@st.composite
def wareki_text(draw) -> str:
    kanji, letter, _offset = draw(st.sampled_from(ERAS))
    year = draw(st.integers(min_value=1, max_value=64))
    month = draw(st.integers(min_value=1, max_value=12))
    day = draw(st.integers(min_value=1, max_value=31))
    form = draw(st.sampled_from(["kanji", "dot", "dot0", "slash", "lower"]))
    if form == "kanji":
        y = "元" if year == 1 and draw(st.booleans()) else str(year)
        text = f"{kanji}{y}年{month}月{day}日"
    elif form == "dot":
        text = f"{letter}{year}.{month}.{day}"
    elif form == "dot0":
        text = f"{letter}{year:02d}.{month:02d}.{day:02d}"
    elif form == "slash":
        text = f"{letter}{year}/{month}/{day}"
    else:
        text = f"{letter.lower()}{year}.{month}.{day}"
    text += draw(WEEKDAYS)
    return text.translate(FULL) if draw(st.booleans()) else text


@st.composite
def western_text(draw) -> str:
    day = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
    form = draw(
        st.sampled_from(["{y}-{m:02d}-{d:02d}", "{y}/{m}/{d}", "{y}年{m}月{d}日", "{y}.{m}.{d}"])
    )
    text = form.format(y=day.year, m=day.month, d=day.day) + draw(WEEKDAYS)
    return text.translate(FULL) if draw(st.booleans()) else text


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(wareki_text(), western_text()), min_size=1, max_size=40))
def test_dates_agree(con, texts):
    expected = [parse_date(t) for t in texts]
    assert sql(con, "hk_date", texts) == expected


def test_era_boundaries(con):
    texts = [
        "H31.4.30",
        "H31.5.1",
        "R1.5.1",
        "令和元年5月1日",
        "S64.1.7",
        "S64.1.8",
        "H1.1.8",
        "T15.12.24",
        "T15.12.25",
    ]
    assert sql(con, "hk_date", texts) == [parse_date(t) for t in texts]
    assert sql(con, "hk_date", texts) == [
        dt.date(2019, 4, 30),
        None,
        dt.date(2019, 5, 1),
        dt.date(2019, 5, 1),
        dt.date(1989, 1, 7),
        None,
        dt.date(1989, 1, 8),
        dt.date(1926, 12, 24),
        None,
    ]


def test_a_day_of_the_week_after_the_date(con):
    texts = [
        "2023年4月1日（土）",
        "R5.4.1 (土・祝)",
        "令和5年4月1日(土曜日)",
        "2023/4/1(土",
        "2023-04-01 ()",
    ]
    assert sql(con, "hk_date", texts) == [parse_date(t) for t in texts]
    april_first = dt.date(2023, 4, 1)
    assert sql(con, "hk_date", texts) == [april_first] * 3 + [None, april_first]
    # only a day of the week: other notes in brackets keep the column as text
    assert sql(con, "hk_date", ["2023年4月1日（予定）"]) == [None]


@st.composite
def year_text(draw) -> str:
    """Years alone as statistics tables write them, with near misses at the era edges."""
    kanji, letter, offset = draw(st.sampled_from(ERAS))
    if draw(st.integers(0, 3)) == 0:
        text = f"{draw(st.integers(0, 2100)):04d}"
    else:
        era_year = draw(st.integers(0, 66))
        number = "元" if era_year == 1 and draw(st.booleans()) else str(era_year)
        text = draw(st.sampled_from([kanji, letter, letter.lower()])) + number
    text += draw(st.sampled_from(["年", "年", "年度", " 年", "年 度", "", "年(土)"]))
    if draw(st.booleans()):
        text = text.translate(FULL)
    return draw(st.sampled_from(["", " ", "　"])) + text + draw(st.sampled_from(["", "\t", "　"]))


@settings(max_examples=80, deadline=None)
@given(st.lists(year_text(), min_size=1, max_size=40))
def test_years_agree(con, texts):
    assert sql(con, "hk_year", texts) == [parse_year(t) for t in texts]


def test_year_edges(con):
    texts = [
        "平成元年",
        "平成31年",
        "平成31年度",
        "平成32年",
        "昭和64年",
        "昭和64年度",
        "令和元年度",
    ]
    assert sql(con, "hk_year", texts) == [1989, 2019, 2019, None, 1989, None, 2019]
    assert sql(con, "hk_year", texts) == [parse_year(t) for t in texts]


def test_year_zero_is_no_date(con):
    """DuckDB would read year 0 as 1 BC; Python's datetime (and so the preview) has no year 0."""
    dates = ["0000-01-01", "0000/1/1", "0000年1月1日", "0001-01-01", "0999-12-31"]
    assert sql(con, "hk_date", dates) == [parse_date(t) for t in dates]
    assert sql(con, "hk_date", dates) == [None, None, None, dt.date(1, 1, 1), dt.date(999, 12, 31)]
    assert sql(con, "hk_date_us", ["1/1/0000", "1/1/0001"]) == [None, dt.date(1, 1, 1)]
    stamps = ["0000-01-01 10:00", "0000-01-01T10:00:00", "0001-01-01 10:00"]
    assert sql(con, "hk_datetime", stamps) == [parse_datetime(t) for t in stamps]
    assert sql(con, "hk_datetime", stamps)[:2] == [None, None]


@st.composite
def integer_text(draw) -> str:
    value = draw(st.integers(min_value=-(10**12), max_value=10**12))
    text = f"{abs(value):,}" if draw(st.booleans()) else str(abs(value))
    if value < 0:
        text = draw(st.sampled_from(["-", "△", "▲"])) + text
    if draw(st.booleans()):
        text = text.translate(FULL)
    return text


@settings(max_examples=60, deadline=None)
@given(st.lists(integer_text(), min_size=1, max_size=40))
def test_integers_agree(con, texts):
    assert sql(con, "hk_integer", texts) == [parse_int(t) for t in texts]


@st.composite
def decimal_text(draw) -> str:
    value = draw(st.decimals(min_value=-(10**9), max_value=10**9, places=3, allow_nan=False))
    text = f"{abs(value):,.3f}" if draw(st.booleans()) else f"{abs(value):.3f}"
    if value < 0:
        text = draw(st.sampled_from(["-", "△"])) + text
    if draw(st.booleans()):
        text += draw(st.sampled_from(["%", "％"]))
    return text.translate(FULL) if draw(st.booleans()) else text


@settings(max_examples=60, deadline=None)
@given(st.lists(decimal_text(), min_size=1, max_size=40))
def test_decimals_agree(con, texts):
    expected = [None if (d := parse_decimal(t)) is None else float(d) for t in texts]
    assert sql(con, "hk_number", texts) == pytest.approx(expected)


def test_missing_markers_agree(con):
    texts = ["-", "－", "…", "x", "*", "秘匿", "", "abc", "1e"]
    assert sql(con, "hk_number", texts) == [parse_decimal(t) for t in texts]


@st.composite
def time_text(draw) -> str:
    hour = draw(st.integers(min_value=0, max_value=25))
    minute = draw(st.integers(min_value=0, max_value=61))
    second = draw(st.integers(min_value=0, max_value=59))
    form = draw(
        st.sampled_from(["{h}:{m:02d}", "{h:02d}:{m:02d}:{s:02d}", "{h}時{m}分", "{h}時{m}分{s}秒"])
    )
    return form.format(h=hour, m=minute, s=second)


@settings(max_examples=60, deadline=None)
@given(st.lists(time_text(), min_size=1, max_size=40))
def test_times_agree(con, texts):
    assert sql(con, "hk_time", texts) == [parse_time(t) for t in texts]


def test_flags_agree(con):
    words = TRUE_WORDS + FALSE_WORDS + ["TRUE", "False", "maybe", "△"]
    assert sql(con, "hk_bool", words) == [parse_bool(w) for w in words]


def test_leading_zero_codes_stay_text(con):
    assert sql(con, "hk_integer", ["072028", "0", "0120"]) == [None, 0, None]
    assert sql(con, "hk_number", ["072028", "0.5"]) == [None, 0.5]
    assert parse_decimal("0.5") == Decimal("0.5")


# The date slow path before it was made cheaper (hk_date_slow), kept as the plain statement
# of what it means: clean the cell (trim, 全角 -> ASCII), then a western or an era pattern,
# with the era's first and last day checked on the built date.
REFERENCE_DATE_MACROS = [
    """ref_era_first(l) AS CASE l WHEN 'R' THEN DATE '2019-05-01' WHEN 'H' THEN DATE '1989-01-08'
        WHEN 'S' THEN DATE '1926-12-25' WHEN 'T' THEN DATE '1912-07-30'
        WHEN 'M' THEN DATE '1868-01-25' END""",
    """ref_era_last(l) AS CASE l WHEN 'H' THEN DATE '2019-04-30' WHEN 'S' THEN DATE '1989-01-07'
        WHEN 'T' THEN DATE '1926-12-24' WHEN 'M' THEN DATE '1912-07-29'
        ELSE DATE '9999-12-31' END""",
    f"""ref_wareki(s) AS list_transform([regexp_extract(s, '{_WAREKI}', ['e', 'y', 'm', 'd'])],
        p -> CASE WHEN p.e <> '' THEN list_transform([{{'l': hk_era_letter(p.e),
        'd': hk_ymd(hk_era_offset(hk_era_letter(p.e))
        + CASE WHEN p.y = '元' THEN 1 ELSE TRY_CAST(p.y AS BIGINT) END, p.m, p.d)}}],
        q -> CASE WHEN q.d BETWEEN ref_era_first(q.l) AND ref_era_last(q.l) THEN q.d END)[1]
        END)[1]""",
    f"""ref_western(s) AS list_transform([regexp_extract(s, '{_WESTERN}', ['y', 'm', 'd'])],
        p -> CASE WHEN p.y <> '' THEN hk_ymd(p.y, p.m, p.d) END)[1]""",
    """ref_date_slow(v) AS list_transform([hk_z2h(hk_clean(v))],
        s -> coalesce(ref_western(s), ref_wareki(s)))[1]""",
]

ERA_EDGES = {
    "M": (dt.date(1868, 1, 25), dt.date(1912, 7, 29)),
    "T": (dt.date(1912, 7, 30), dt.date(1926, 12, 24)),
    "S": (dt.date(1926, 12, 25), dt.date(1989, 1, 7)),
    "H": (dt.date(1989, 1, 8), dt.date(2019, 4, 30)),
    "R": (dt.date(2019, 5, 1), None),
}
BLANKS = st.sampled_from(["", "", "", " ", "\u3000", "\t", " \u3000"])
DIGITS = st.text(alphabet="0123456789０１２３４５６７８９", min_size=0, max_size=3)


def _number(low: int, high: int, width: int = 0):
    """A number as a cell writes it: plain, zero-padded or 全角, now and then garbage."""
    plain = st.integers(low, high).map(lambda n: f"{n:0{width}d}" if width else str(n))
    padded = st.integers(low, high).map(lambda n: f"{n:02d}")
    full = plain.map(lambda text: text.translate(FULL))
    return st.one_of(plain, plain, padded, full, DIGITS)


@st.composite
def messy_date_text(draw) -> str:
    """Near misses as much as hits: odd eras and years, out-of-range months and days, 全角
    digits and separators, blanks around and inside, stray characters."""
    era = st.sampled_from(["令和", "平成", "昭和", "大正", "明治", "R", "H", "S", "T", "M"])
    odd = st.sampled_from(["r", "h", "s", "t", "m", "令", "X", "西暦", ""])
    if draw(st.integers(0, 3)) == 0:  # the first and last days of the eras, and their neighbours
        kanji, letter, offset = draw(st.sampled_from(ERAS))
        first, last = ERA_EDGES[letter]
        edge = draw(st.sampled_from([first, last] if last else [first]))
        day = edge + dt.timedelta(days=draw(st.sampled_from([-1, 0, 1])))
        y, m, d = day.year - offset, day.month, day.day
        sep = draw(st.sampled_from([".", ".", "/"]))
        return draw(st.sampled_from([f"{letter}{y}{sep}{m}{sep}{d}", f"{kanji}{y}年{m}月{d}日"]))
    if draw(st.booleans()):
        head = draw(st.one_of(era, era, odd))
        year = draw(st.one_of(_number(0, 66), st.just("元")))
    else:
        head, year = "", draw(_number(0, 2100, width=4))
    sep1 = draw(st.sampled_from(["年", ".", "/", "-", "／", "－", "．", " ", "", "年 "]))
    month = draw(_number(0, 13))
    sep2 = draw(st.sampled_from(["月", ".", "/", "-", "／", " ", "", " 月"]))
    day = draw(_number(0, 32))
    tail = draw(st.sampled_from(["", "", "日", " 日", "日(土)", "x"]))
    text = f"{draw(BLANKS)}{head}{year}{sep1}{month}{sep2}{day}{tail}{draw(BLANKS)}"
    if draw(st.integers(0, 9)) == 0:
        text = draw(st.text(alphabet="令和年月日0123456789./-　 ", max_size=12))
    return text


@settings(max_examples=150, deadline=None)
@given(st.lists(messy_date_text(), min_size=1, max_size=60))
def test_date_macro_agrees_with_its_plain_definition(con, texts):
    for body in REFERENCE_DATE_MACROS:
        con.execute(f"CREATE OR REPLACE TEMP MACRO {body}")
    fast = "regexp_full_match(v, '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}') AND NOT starts_with(v, '0000')"
    reference = f"CASE WHEN {fast} THEN TRY_CAST(v AS DATE) ELSE ref_date_slow(v) END"
    rows = con.execute(
        f"SELECT v, hk_date(v), {reference} FROM unnest(?::VARCHAR[]) WITH ORDINALITY AS t(v, i) "
        "ORDER BY i",
        [texts],
    ).fetchall()
    assert [(v, ours) for v, ours, _ in rows] == [(v, ref) for v, _, ref in rows]
