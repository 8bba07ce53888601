"""Property tests: random tables written with random delimiter, quoting, encoding and newlines
come back unchanged through detect_format + detect_encoding + transcode + analyze_csv + iter_csv_rows."""

import csv
import io
import os
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hiraku.ingest.parsing import (
    analyze_csv,
    detect_encoding,
    detect_format,
    iter_csv_rows,
    normalize_header,
    transcode_to_utf8,
)

# Characters city files contain; all are encodable in CP932, EUC-JP and UTF-16.
JAPANESE = (
    "高松市会津若松区町丁目番地名称住所緯度経度避難所あいうえおかきくけこアイウエオ・ー（）「」、。"
)
ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789 -_./:"
CP932_EXTRA = "①②㈱№髙"  # CP932 has them, EUC-JP and strict Shift_JIS do not
cell_text = st.text(alphabet=JAPANESE + ASCII, min_size=0, max_size=12)
# header names: text that cannot be read as a number or a date, so they look like labels
header_name = st.text(alphabet=JAPANESE + "abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=10)


@st.composite
def tables(draw):
    width = draw(st.integers(min_value=2, max_value=8))
    header = draw(
        st.lists(
            header_name,
            min_size=width,
            max_size=width,
            unique_by=lambda s: normalize_header(s).lower(),
        )
    )
    rows = draw(
        st.lists(st.lists(cell_text, min_size=width, max_size=width), min_size=1, max_size=30)
    )
    # a fully blank row is skipped by design; give every row one filled cell
    rows = [row if any(c.strip() for c in row) else ["x", *row[1:]] for row in rows]
    # the last row must not look like a trailing note (only its first cell filled)
    rows[-1] = [*rows[-1][:-1], rows[-1][-1].strip() or "末尾"]
    rows[-1][0] = rows[-1][0] or "先頭"
    return header, rows


def _write(header, rows, *, delimiter, quoting, encoding, newline, extra_cp932) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    if extra_cp932:
        text = text.replace("高", "髙")
    return text.encode(encoding)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tables(),
    st.sampled_from([",", "\t", ";", "|"]),
    st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
    st.sampled_from(["utf-8", "utf-8-sig", "cp932", "euc-jp", "utf-16"]),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_random_tables_round_trip(table, delimiter, quoting, encoding, newline):
    header, rows = table
    extra_cp932 = encoding == "cp932"
    data = _write(
        header, rows, delimiter=delimiter, quoting=quoting, encoding=encoding,
        newline=newline, extra_cp932=extra_cp932,
    )  # fmt: skip
    if extra_cp932:
        header = [h.replace("高", "髙") for h in header]
        rows = [[c.replace("高", "髙") for c in r] for r in rows]
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "upload.csv")  # TSVs are named .csv too, as cities do
        with open(src, "wb") as f:
            f.write(data)
        info = detect_format(src, "upload.csv")
        if len(rows) >= 1:
            assert info.kind == ("tsv" if delimiter == "\t" else "csv"), info.reason
        enc = detect_encoding(src)
        expected = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "cp932": "cp932", "euc-jp": "euc-jp"}
        if encoding == "utf-16":
            assert enc.name.startswith("utf-16") and enc.bom
        elif data.isascii():
            assert enc.name == "utf-8"
        else:
            assert enc.name == expected[encoding], enc
        utf8 = os.path.join(tmp, "utf8.csv")
        transcode_to_utf8(src, utf8, enc.name)
        layout = analyze_csv(utf8)
        assert layout.delimiter == delimiter
        assert (layout.skip_rows, layout.header_rows) == (0, 1)
        assert layout.columns == [normalize_header(h) for h in header]
        assert list(iter_csv_rows(utf8, layout)) == rows


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.text(alphabet=JAPANESE + " 　", min_size=1, max_size=20), min_size=1, max_size=3),
    tables(),
)
def test_title_rows_above_the_header_are_skipped(titles, table):
    header, rows = table
    titles = [t for t in titles if t.strip()] or ["表題"]
    width = len(header)
    lines = [[title] + [""] * (width - 1) for title in titles] + [[""] * width, header, *rows]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(lines)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "t.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write(buffer.getvalue())
        layout = analyze_csv(path)
        assert layout.skip_rows == len(titles) + 1
        assert layout.columns == [normalize_header(h) for h in header]
        assert list(iter_csv_rows(path, layout)) == rows


def test_notes_below_the_table(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text(
        "令和5年 町別人口,,\n"
        "町名,男,女\n"
        "塩屋町,164,202\n"
        "築地町,311,365\n"
        ",,\n"
        "（注）住民基本台帳による,,\n"
        "※外国人を含む,,\n"
        "出典：高松市,,\n",
        encoding="utf-8",
    )
    layout = analyze_csv(str(path))
    assert layout.titles == ["令和5年 町別人口"]
    assert layout.columns == ["町名", "男", "女"]
    assert layout.notes == ["（注）住民基本台帳による", "※外国人を含む", "出典：高松市"]
    assert layout.notes_start_row == 4 and layout.data_row_limit == 2
    assert list(iter_csv_rows(str(path), layout)) == [
        ["塩屋町", "164", "202"],
        ["築地町", "311", "365"],
    ]


def test_blank_duplicate_and_dropped_columns(tmp_path):
    path = tmp_path / "cols.csv"
    path.write_text("名称,,名称,Name,name,\nA,x,B,c,d,\nC,y,D,e,f,\n", encoding="utf-8")
    layout = analyze_csv(str(path))
    assert layout.columns == ["名称", "列2", "名称_2", "Name", "name_2"]
    assert layout.blank_columns == [5]
    assert ("", "列2") in layout.renamed and ("名称", "名称_2") in layout.renamed
    assert list(iter_csv_rows(str(path), layout))[0] == ["A", "x", "B", "c", "d"]


def test_ragged_rows_are_reported(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("a,b,c\n1,2,3\n4,5\n6,7,8\n", encoding="utf-8")
    layout = analyze_csv(str(path))
    assert layout.ragged_rows == [3]
    assert layout.duckdb_read_csv_options()["strict_mode"] is False
    assert list(iter_csv_rows(str(path), layout)) == [
        ["1", "2", "3"],
        ["4", "5", ""],
        ["6", "7", "8"],
    ]


def test_headerless_numbers_get_generated_names(tmp_path):
    path = tmp_path / "nohead.csv"
    path.write_text("1,2,3\n4,5,6\n", encoding="utf-8")
    layout = analyze_csv(str(path))
    assert layout.header_rows == 0 and layout.columns == ["列1", "列2", "列3"]
    assert len(list(iter_csv_rows(str(path), layout))) == 2


def test_quoted_newlines_in_header_and_data(tmp_path):
    path = tmp_path / "q.csv"
    path.write_bytes('"特別\r\n支援",b\r\n"line1\r\nline2",2\r\n'.encode())
    utf8 = str(tmp_path / "u.csv")
    transcode_to_utf8(str(path), utf8, "utf-8")
    layout = analyze_csv(utf8)
    assert layout.columns == ["特別支援", "b"] and layout.skip_lines == 2
    assert list(iter_csv_rows(utf8, layout)) == [["line1\nline2", "2"]]


def _duckdb_rows(path: str, layout) -> list[list[str]]:
    import duckdb

    options = layout.duckdb_read_csv_options()
    args = ", ".join(f"{key} := ${key}" for key in options)
    sql = f"SELECT {layout.duckdb_select_list()} FROM read_csv($path, {args})"
    if layout.data_row_limit is not None:
        sql += f" LIMIT {layout.data_row_limit}"
    rows = duckdb.connect().execute(sql, {"path": path, **options}).fetchall()
    return [[cell or "" for cell in row] for row in rows if any(row)]


def test_empty_lines_do_not_shift_the_duckdb_limit(tmp_path):
    # DuckDB skips empty lines, so the LIMIT counts non-empty records only
    path = tmp_path / "gaps.csv"
    path.write_text("名称,人数\n\nA,1\n\n\nB,2\n\n※注記です,\n出典：市,\n", encoding="utf-8")
    layout = analyze_csv(str(path))
    assert layout.notes == ["※注記です", "出典：市"]
    assert layout.data_row_limit == 2
    expected = [["A", "1"], ["B", "2"]]
    assert list(iter_csv_rows(str(path), layout)) == expected == _duckdb_rows(str(path), layout)


@pytest.mark.parametrize("quoted", [False, True])
def test_big_file_path_finds_notes_in_the_tail(tmp_path, monkeypatch, quoted):
    """Files over the whole-read size are sampled at the head and the tail; the record count
    for the notes limit then comes from count_records (bytes, or csv when quotes exist)."""
    from hiraku.ingest.parsing import layout as layout_module

    monkeypatch.setattr(layout_module, "_READ_WHOLE_BYTES", 1000)
    monkeypatch.setattr(layout_module, "_TAIL_BYTES", 300)
    path = tmp_path / "big.csv"
    q = '"' if quoted else ""
    body = "".join(f"{q}施設{i}{q},{i}\n" + ("\n" if i % 50 == 0 else "") for i in range(600))
    path.write_text(f"名称,番号\n{body},\n（注）令和5年3月末現在,\n", encoding="utf-8")
    layout = analyze_csv(str(path), sample_rows=20)
    assert layout.row_count is None  # not read whole
    assert layout.notes == ["（注）令和5年3月末現在"]
    assert layout.data_row_limit == 600 and layout.trailing_rows == 2
    rows = list(iter_csv_rows(str(path), layout))
    assert len(rows) == 600 and rows[-1] == ["施設599", "599"]
    assert _duckdb_rows(str(path), layout) == rows


@pytest.mark.parametrize(
    "text",
    ["a\n\nb\n", "\na\n", "a\nb", "a\r\n\r\nb\r\n", "", "\n\n\n", 'a,"x\ny"\n\nb\n', "a\n\n"],
)
def test_count_records_matches_the_csv_module(tmp_path, text):
    from hiraku.ingest.parsing.layout import count_records

    path = tmp_path / "c.csv"
    path.write_bytes(text.encode())
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert count_records(str(path), ",") == (len(rows), sum(1 for r in rows if r))
