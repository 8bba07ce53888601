"""DuckDB SQL macros that parse Japanese municipal values, mirroring parsing/values.py.

Each macro takes the raw VARCHAR cell and returns the typed value or NULL:

    hk_integer('1,234')        -> 1234          hk_integer('072028') -> NULL (a code, keep text)
    hk_number('△1,234.5')      -> -1234.5       hk_number('12.5％')   -> 12.5
    hk_number('－')            -> NULL (missing marker, see hk_missing)
    hk_bool('○') -> true       hk_bool('×') -> false
    hk_date('令和5年4月1日') -> 2023-04-01       hk_date('R05.04.01') -> 2023-04-01
    hk_date('H31.5.1') -> NULL (平成 ended 2019-04-30)     hk_date('２０２３／４／１') -> 2023-04-01
    hk_date('2023年4月1日（土）') -> 2023-04-01
    hk_year('平成元年') -> 1989      hk_year('令和5年度') -> 2023 (the fiscal year from 2023-04-01)
    hk_date_us('3/1/2023') -> 2023-03-01
    hk_datetime('2023-04-01 08:30') -> 2023-04-01 08:30:00
    hk_time('8時30分') -> 08:30:00
    hk_coordinate('139°55\\'47.3"') -> 139.929805...

The tests check these against the Python parsers on a generated corpus, so a change here
needs the same change there (and the other way round).
"""

from .parsing.values import MISSING_MARKERS as _PY_MISSING
from .parsing.wareki import YEAR_PATTERN, Z2H_FROM, Z2H_TO

# Whitespace trimmed around every cell: ASCII space, 全角 space, tab, CR, LF.
_TRIM = " \u3000\t\r\n"
# Markers Japanese statistics tables use for "no value" (秘匿 = suppressed for privacy).
# The same markers as parsing/values.py (plus the minus sign U+2212), blank handled by hk_clean.
MISSING_MARKERS = sorted((set(_PY_MISSING) | {"−"}) - {""})
TRUE_WORDS = ["○", "〇", "◯", "◎", "有", "有り", "あり", "はい", "true", "yes", "y", "t", "1", "済"]
FALSE_WORDS = ["×", "✕", "✖", "無", "無し", "なし", "いいえ", "false", "no", "n", "f", "0", "未"]


def _list(values: list[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _in(expr: str, values: list[str]) -> str:
    """`expr IN (...)` as list_contains: the same answer (NULL for NULL), but DuckDB rewrites
    an IN list of more than a few constants into a MARK hash join, and that join evaluates
    its probe (the Unicode trim of a slow path) on EVERY row, ignoring the CASE around it
    that should skip it: 5x slower COPYs (a CASE short-circuits a function call)."""
    return f"list_contains([{_list(values)}], {expr})"


_NUM_PATTERN = r"[+-]?(0|[1-9][0-9]{0,2}(,[0-9]{3})+|[1-9][0-9]*)(\.[0-9]+)?|[+-]?0?\.[0-9]+"
_INT_PATTERN = r"[+-]?(0|[1-9][0-9]{0,2}(,[0-9]{3})+|[1-9][0-9]*)"
_FAST_INT = r"[+-]?(0|[1-9][0-9]{0,17})"
_FAST_NUM = r"[+-]?(0|[1-9][0-9]{0,17})(\.[0-9]{1,17})?"
_FAST_TIME = r"([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?"
_COMMA_INT = r"[+-]?[1-9][0-9]{0,2}(,[0-9]{3})+"
# The day of the week in brackets may follow a date: 2023年4月1日（土）, R5.4.1 (土・祝), (月曜日)
_WEEKDAY = r"(?:\s*[(（][日月火水木金土祝休曜・\s]*[)）])?"
_WESTERN = r"^([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?" + _WEEKDAY + "$"
_WAREKI = (
    r"^(令和|平成|昭和|大正|明治|[RHSTMrhstm])\s*([0-9]{1,2}|元)\s*[年./-]\s*([0-9]{1,2})"
    r"\s*[月./-]\s*([0-9]{1,2})\s*日?" + _WEEKDAY + "$"
)
# A year alone, 和暦 or western, calendar (年) or fiscal (年度, from April): 令和5年, 平成元年度, 2023年
_YEAR = YEAR_PATTERN
_US = r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$"
_DATETIME = (
    r"^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?:T|\s+)([0-9]{1,2}):([0-9]{2})"
    r"(?::([0-9]{2}(?:\.[0-9]{1,6})?))?$"
)
# 8:30 / 08:30:00 / 8時30分 / 8時30分15秒, as one alternation: groups h, m, s | h2, m2, s2.
_TIME = (
    r"^([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?$|^([0-9]{1,2})時([0-9]{1,2})分(?:([0-9]{1,2})秒)?$"
)
_DMS = (
    r"^([0-9]{1,3})\s*[°度]\s*([0-9]{1,2})\s*[''′’分]\s*([0-9]{1,2}(?:\.[0-9]+)?)\s*(?:[\"″”]|秒)?$"
)

MACROS = [
    f"hk_clean(v) AS nullif(trim(v, '{_TRIM}'), '')",
    # 全角 digits and punctuation to ASCII; △/▲ (Japanese negative signs) to '-'.
    # (translate() is slow on Unicode, so it only runs on cells that hold such a character.)
    f"""hk_z2h(s) AS CASE WHEN regexp_matches(s, '[{Z2H_FROM}]')
        THEN translate(s, '{Z2H_FROM}', '{Z2H_TO}') ELSE s END""",
    f"hk_missing(s) AS {_in('s', MISSING_MARKERS)}",
    # '¥1,000円' -> '1,000'; '12.5％' -> '12.5'
    "hk_numtext(s) AS regexp_replace(rtrim(replace(hk_z2h(s), ' ', ''), '%'), '^[¥￥]|円$', '', 'g')",
    f"""hk_number_slow(v) AS CASE WHEN hk_missing(hk_clean(v)) THEN NULL
        WHEN regexp_full_match(hk_numtext(hk_clean(v)), '{_NUM_PATTERN}')
        THEN TRY_CAST(replace(hk_numtext(hk_clean(v)), ',', '') AS DOUBLE) END""",
    f"""hk_integer_slow(v) AS CASE WHEN hk_missing(hk_clean(v)) THEN NULL
        WHEN NOT contains(hk_z2h(hk_clean(v)), '%')
        AND regexp_full_match(hk_numtext(hk_clean(v)), '{_INT_PATTERN}')
        THEN TRY_CAST(replace(hk_numtext(hk_clean(v)), ',', '') AS BIGINT) END""",
    f"""hk_bool_slow(v) AS CASE WHEN {_in("lower(hk_clean(v))", TRUE_WORDS)} THEN true
        WHEN {_in("lower(hk_clean(v))", FALSE_WORDS)} THEN false END""",
    # Year 0 is no date (Python's datetime says so); DuckDB would make it 1 BC.
    """hk_ymd(y, m, d) AS CASE WHEN TRY_CAST(y AS BIGINT) >= 1 THEN try(make_date(
        TRY_CAST(y AS BIGINT), TRY_CAST(m AS BIGINT), TRY_CAST(d AS BIGINT))) END""",
    """hk_era_letter(e) AS CASE e WHEN '令和' THEN 'R' WHEN '平成' THEN 'H' WHEN '昭和' THEN 'S'
        WHEN '大正' THEN 'T' WHEN '明治' THEN 'M' ELSE upper(e) END""",
    """hk_era_offset(l) AS CASE l WHEN 'R' THEN 2018 WHEN 'H' THEN 1988 WHEN 'S' THEN 1925
        WHEN 'T' THEN 1911 WHEN 'M' THEN 1867 END""",
    # The first and last day of each era as era year * 10000 + month * 100 + day (明治 starts
    # on 1868-01-25 here, the date most era tables use; see japan-standards §4). Comparing
    # these integers is the same as comparing the dates, and cheaper than building a date
    # first; make_date then only runs for dates inside the era.
    """hk_era_lo(l) AS CASE l WHEN 'R' THEN 10501 WHEN 'H' THEN 10108 WHEN 'S' THEN 11225
        WHEN 'T' THEN 10730 WHEN 'M' THEN 10125 END""",
    """hk_era_hi(l) AS CASE l WHEN 'H' THEN 310430 WHEN 'S' THEN 640107 WHEN 'T' THEN 151224
        WHEN 'M' THEN 450729 ELSE 999999999 END""",
    """hk_era_ymd(l, y, m, d) AS CASE WHEN y * 10000 + m * 100 + d BETWEEN hk_era_lo(l)
        AND hk_era_hi(l) THEN try(make_date(hk_era_offset(l) + y, m, d)) END""",
    # The last calendar year of an era, and its last fiscal year (one that starts, on April 1,
    # before the era ended): 昭和64年 is 1989 but 昭和64年度 never began.
    """hk_era_last_year(l, fiscal) AS CASE l WHEN 'H' THEN 2019
        WHEN 'S' THEN CASE WHEN fiscal THEN 1988 ELSE 1989 END WHEN 'T' THEN 1926
        WHEN 'M' THEN 1912 ELSE 9999 END""",
    f"""hk_year_text(s) AS list_transform([regexp_extract(s, '{_YEAR}', ['e', 'y', 'w', 'f'])],
        p -> CASE WHEN p.w <> '' THEN CASE WHEN TRY_CAST(p.w AS BIGINT) >= 1
        THEN TRY_CAST(p.w AS BIGINT) END
        WHEN p.e <> '' THEN list_transform([{{'l': hk_era_letter(p.e),
        'y': CASE WHEN p.y = '元' THEN 1 ELSE TRY_CAST(p.y AS BIGINT) END, 'f': p.f <> ''}}],
        q -> CASE WHEN q.y >= 1 AND hk_era_offset(q.l) + q.y <= hk_era_last_year(q.l, q.f)
        THEN hk_era_offset(q.l) + q.y END)[1] END)[1]""",
    "hk_year(v) AS coalesce(hk_year_text(v), hk_year_text(hk_z2h(hk_clean(v))))",
    # list_transform([x], p -> ...)[1] binds x once ("let p = x"): without it DuckDB expands
    # the regexp in every reference and binding one query takes a quarter of a second. The
    # second "let" binds the parsed numbers (a flat body that repeats the casts measured
    # 2.5x slower).
    f"""hk_wareki(s) AS list_transform([regexp_extract(s, '{_WAREKI}', ['e', 'y', 'm', 'd'])],
        p -> list_transform([{{'l': hk_era_letter(p.e),
        'y': CASE WHEN p.y = '元' THEN 1 ELSE TRY_CAST(p.y AS BIGINT) END,
        'm': TRY_CAST(p.m AS BIGINT), 'd': TRY_CAST(p.d AS BIGINT)}}],
        q -> hk_era_ymd(q.l, q.y, q.m, q.d))[1])[1]""",
    f"""hk_western(s) AS list_transform([regexp_extract(s, '{_WESTERN}', ['y', 'm', 'd'])],
        p -> CASE WHEN p.y <> '' THEN hk_ymd(p.y, p.m, p.d) END)[1]""",
    # A western date starts with a digit and an era date never does, so only one is tried.
    """hk_date_text(s) AS CASE WHEN ascii(s) BETWEEN 48 AND 57 THEN hk_western(s)
        ELSE hk_wareki(s) END""",
    # Cells written plainly (no blank around them, no 全角) parse as they are; only the rest
    # pay for the Unicode trim and translate. Same answer: a cell the patterns accept as it
    # is has nothing that hk_clean/hk_z2h would change in the parts the patterns read.
    """hk_date_slow(v) AS coalesce(hk_date_text(v), hk_date_text(hk_z2h(hk_clean(v))))""",
    f"""hk_date_us(v) AS list_transform([regexp_extract(hk_z2h(hk_clean(v)), '{_US}',
        ['m', 'd', 'y'])], p -> CASE WHEN p.y <> '' THEN hk_ymd(p.y, p.m, p.d) END)[1]""",
    f"""hk_datetime_slow(v) AS list_transform([regexp_extract(hk_z2h(hk_clean(v)), '{_DATETIME}',
        ['y', 'mo', 'd', 'h', 'mi', 's'])], p -> CASE WHEN TRY_CAST(p.y AS BIGINT) >= 1
        AND TRY_CAST(p.h AS INT) < 24
        AND TRY_CAST(p.mi AS INT) < 60 AND coalesce(TRY_CAST(nullif(p.s, '') AS DOUBLE), 0) < 60
        THEN try(make_timestamp(TRY_CAST(p.y AS BIGINT), TRY_CAST(p.mo AS BIGINT),
        TRY_CAST(p.d AS BIGINT), TRY_CAST(p.h AS BIGINT), TRY_CAST(p.mi AS BIGINT),
        coalesce(TRY_CAST(nullif(p.s, '') AS DOUBLE), 0))) END)[1]""",
    f"""hk_time_parts(s) AS list_transform([regexp_extract(s, '{_TIME}',
        ['h', 'm', 's', 'h2', 'm2', 's2'])], r -> {{'h': r.h || r.h2, 'm': r.m || r.m2,
        's': r.s || r.s2}})[1]""",
    # 24:00 ("open until midnight") is the last moment of the day, as in parsing/wareki.py.
    """hk_time_slow(v) AS list_transform([hk_time_parts(hk_z2h(hk_clean(v)))], p ->
        CASE WHEN p.h <> '' AND TRY_CAST(p.h AS INT) = 24
        AND TRY_CAST(p.m AS INT) = 0 AND coalesce(TRY_CAST(nullif(p.s, '') AS INT), 0) = 0
        THEN TIME '23:59:59.999999'
        WHEN p.h <> '' AND TRY_CAST(p.h AS INT) < 24
        AND TRY_CAST(p.m AS INT) < 60 AND coalesce(TRY_CAST(nullif(p.s, '') AS INT), 0) < 60
        THEN try(make_time(TRY_CAST(p.h AS BIGINT), TRY_CAST(p.m AS BIGINT),
        coalesce(TRY_CAST(nullif(p.s, '') AS DOUBLE), 0))) END)[1]""",
    f"""hk_dms(s) AS list_transform([regexp_extract(s, '{_DMS}', ['d', 'm', 's'])],
        p -> CASE WHEN p.d <> '' AND TRY_CAST(p.m AS INT) < 60 AND TRY_CAST(p.s AS DOUBLE) < 60
        THEN TRY_CAST(p.d AS DOUBLE) + TRY_CAST(p.m AS DOUBLE) / 60
        + TRY_CAST(p.s AS DOUBLE) / 3600 END)[1]""",
    # Fast paths: plain ASCII values (most cells of a typed column) skip the Unicode
    # normalisation, which costs seconds per million cells; the rest take the slow path.
    f"""hk_integer(v) AS CASE WHEN regexp_full_match(v, '{_FAST_INT}') THEN TRY_CAST(v AS BIGINT)
        WHEN regexp_full_match(v, '{_COMMA_INT}') THEN TRY_CAST(replace(v, ',', '') AS BIGINT)
        ELSE hk_integer_slow(v) END""",
    f"""hk_number(v) AS CASE WHEN regexp_full_match(v, '{_FAST_NUM}') THEN TRY_CAST(v AS DOUBLE)
        WHEN regexp_full_match(v, '{_COMMA_INT}') THEN TRY_CAST(replace(v, ',', '') AS DOUBLE)
        ELSE hk_number_slow(v) END""",
    f"""hk_bool(v) AS CASE WHEN {_in("v", TRUE_WORDS)} THEN true
        WHEN {_in("v", FALSE_WORDS)} THEN false ELSE hk_bool_slow(v) END""",
    """hk_date(v) AS CASE WHEN regexp_full_match(v, '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}')
        AND NOT starts_with(v, '0000') THEN TRY_CAST(v AS DATE) ELSE hk_date_slow(v) END""",
    f"""hk_time(v) AS CASE WHEN regexp_full_match(v, '{_FAST_TIME}') THEN TRY_CAST(v AS TIME)
        ELSE hk_time_slow(v) END""",
    f"""hk_datetime(v) AS CASE WHEN regexp_full_match(v, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}[T ]{_FAST_TIME}')
        AND NOT starts_with(v, '0000') THEN TRY_CAST(v AS TIMESTAMP) ELSE hk_datetime_slow(v) END""",
    f"""hk_coordinate(v) AS CASE WHEN regexp_full_match(v, '{_FAST_NUM}') THEN TRY_CAST(v AS DOUBLE)
        ELSE coalesce(hk_number_slow(v), hk_dms(hk_z2h(hk_clean(v)))) END""",
]

# Type name (Frictionless, plus two Hiraku variants) -> macro converting a raw cell.
CONVERTERS = {
    "integer": "hk_integer",
    "number": "hk_number",
    "boolean": "hk_bool",
    "date": "hk_date",
    "date_us": "hk_date_us",
    "datetime": "hk_datetime",
    "time": "hk_time",
    "coordinate": "hk_coordinate",
    "year": "hk_year",
}


def install_macros(con) -> None:
    for body in MACROS:
        con.execute(f"CREATE OR REPLACE TEMP MACRO {body}")
