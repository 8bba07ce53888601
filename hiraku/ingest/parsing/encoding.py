"""Which text encoding a city file uses, and a streaming transcoder to clean UTF-8.

    detect_encoding("kobe_indoor_shelters_cp932.csv")
        -> EncodingInfo(name="cp932", bom=False, confidence=0.99, reason="strict cp932 decode ...")
    transcode_to_utf8("in.csv", "out.csv", "cp932")
        -> TranscodeStats(bytes_in=39226, bytes_out=52130, lines=347, newline="CRLF", ...)

Decisions are made by strict decoding of a sample (cut at a line end so no multibyte character
is split); charset-normalizer only breaks ties. CP932 is always preferred over shift_jis: it is
a superset with the characters city files really use (①, ㈱, 髙, №).
DuckDB's own Shift_JIS decoding corrupts data (see /work/shared/pitfalls.md): always transcode
with Python's codec first.
"""

from __future__ import annotations

import codecs
import os
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from .errors import ParseError

UTF8, CP932, EUC_JP, UTF16_LE, UTF16_BE = "utf-8", "cp932", "euc-jp", "utf-16-le", "utf-16-be"


@dataclass(frozen=True)
class EncodingInfo:
    name: str  # a Python codec name: utf-8 / cp932 / euc-jp / utf-16-le / utf-16-be
    bom: bool
    confidence: float  # 0..1
    reason: str


@dataclass(frozen=True)
class TranscodeStats:
    bytes_in: int
    bytes_out: int
    lines: int  # physical lines in the output (LF count, plus 1 for a last line without LF)
    had_bom: bool
    newline: str  # "LF", "CRLF", "CR", "mixed" or "none"
    seconds: float


def _read_sample(path: str, sample_bytes: int) -> tuple[bytes, bool]:
    """The first bytes of the file and whether that is the whole file."""
    with open(path, "rb") as f:
        data = f.read(sample_bytes + 1)
    whole = len(data) <= sample_bytes
    return data[:sample_bytes], whole


def _cut_at_line_end(sample: bytes) -> bytes:
    """Drop the last, possibly cut, line: LF (0x0A) is never part of a CP932/EUC-JP/UTF-8
    multibyte character, so cutting after it never splits one."""
    cut = sample.rfind(b"\n")
    if cut <= 0:
        cut = sample.rfind(b"\r")
    if cut <= 0:
        # one huge line: back off to a UTF-8 lead byte at most 3 bytes back
        for back in range(1, 4):
            if len(sample) > back and (sample[-back] & 0xC0) != 0x80:
                return sample[:-back]
        return sample
    return sample[: cut + 1]


def _utf16_by_nulls(sample: bytes) -> str | None:
    """UTF-16 without BOM: each ASCII character (comma, newline, digit) leaves a 0x00 byte, all
    at odd offsets (LE) or all at even offsets (BE); the sample must then decode strictly."""
    head = sample[:65536]
    head = head[: len(head) - len(head) % 2]
    even_nulls = head[0::2].count(0)
    odd_nulls = head[1::2].count(0)
    nulls = even_nulls + odd_nulls
    if nulls < 2:
        return None
    # kanji such as 一 (U+4E00) put a null on the other side now and then
    if odd_nulls >= 0.75 * nulls:
        candidate = UTF16_LE
    elif even_nulls >= 0.75 * nulls:
        candidate = UTF16_BE
    else:
        return None
    try:
        # the sample may end inside a surrogate pair: an incremental decoder allows that
        text = codecs.getincrementaldecoder(candidate)(errors="strict").decode(head, final=False)
    except UnicodeDecodeError:
        return None
    # pairs of ASCII bytes decode to kanji-looking code points, so the score alone proves
    # little: a table also has line breaks, and no control characters
    has_newline = "\n" in text or "\r" in text
    controls = any(ord(ch) < 0x20 and ch not in "\t\r\n" for ch in text)
    return candidate if has_newline and not controls and _japanese_score(text) >= 0.8 else None


def _japanese_score(text: str) -> float:
    """Share of characters typical for Japanese text. Text decoded with the wrong codec turns
    into half-width katakana, private-use and rare symbols, which score 0."""
    if not text:
        return 0.0
    good = 0
    for ch in text:
        o = ord(ch)
        if (
            o < 0x80
            or 0x3000 <= o <= 0x30FF  # punctuation, hiragana, katakana
            or 0x4E00 <= o <= 0x9FFF  # common kanji
            or 0xFF01 <= o <= 0xFF5E  # full-width ASCII
        ):
            good += 1
    return good / len(text)


def _tiebreak(sample: bytes, candidates: list[str]) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - it is a declared dependency
        return None
    best = from_bytes(sample[:65536], cp_isolation=candidates).best()
    if best is None:
        return None
    name = best.encoding.replace("_", "-").lower()
    aliases = {"shift-jis": CP932, "cp932": CP932, "euc-jp": EUC_JP, "utf-8": UTF8}
    return aliases.get(name)


def detect_encoding(path: str, sample_bytes: int = 4 << 20) -> EncodingInfo:
    """Guess the encoding of a text file from its first `sample_bytes` bytes."""
    raw, whole = _read_sample(path, sample_bytes)
    if raw.startswith(codecs.BOM_UTF8):
        return EncodingInfo(UTF8, True, 1.0, "UTF-8 byte order mark")
    if raw.startswith(codecs.BOM_UTF16_LE):
        return EncodingInfo(UTF16_LE, True, 1.0, "UTF-16 LE byte order mark")
    if raw.startswith(codecs.BOM_UTF16_BE):
        return EncodingInfo(UTF16_BE, True, 1.0, "UTF-16 BE byte order mark")
    if not raw:
        return EncodingInfo(UTF8, False, 1.0, "empty file")
    utf16 = _utf16_by_nulls(raw)
    if utf16:
        return EncodingInfo(utf16, False, 0.9, "null byte in every other position")
    sample = raw if whole else _cut_at_line_end(raw)
    if sample.isascii():
        return EncodingInfo(UTF8, False, 0.9, "ASCII only in the sample (read as UTF-8)")
    decoded: dict[str, str] = {}
    for name in (UTF8, CP932, EUC_JP):
        try:
            decoded[name] = sample.decode(name)
        except UnicodeDecodeError:
            continue
    if UTF8 in decoded:
        # non-ASCII text that decodes strictly as UTF-8 is UTF-8 with near certainty
        return EncodingInfo(UTF8, False, 0.99, "strict UTF-8 decode of the sample")
    if not decoded:
        raise ParseError(
            "文字コードを判定できません。UTF-8・Shift_JIS(CP932)・EUC-JP・UTF-16 のいずれでもありません",
            "cannot tell the text encoding: the file is not UTF-8, Shift_JIS (CP932), EUC-JP or UTF-16",
            file=os.path.basename(path),
        )
    if len(decoded) == 1:
        (name,) = decoded
        return EncodingInfo(name, False, 0.95, f"only strict {name} decodes the sample")
    scores = {
        name: _japanese_score(unicodedata.normalize("NFC", text)) for name, text in decoded.items()
    }
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)
    if scores[ranked[0]] - scores[ranked[1]] > 0.02:
        return EncodingInfo(
            ranked[0],
            False,
            0.8,
            f"{ranked[0]} and {ranked[1]} both decode; {ranked[0]} reads as Japanese",
        )
    choice = _tiebreak(sample, ranked) or CP932
    return EncodingInfo(
        choice, False, 0.6, f"{'/'.join(ranked)} all decode; charset-normalizer chose"
    )


def _decode_error(
    path: str, encoding: str, err: UnicodeDecodeError, buffer_offset: int, lines_before: int
) -> ParseError:
    bad = err.object  # the bytes the decoder saw: its pending bytes + this chunk
    prefix = bad[: err.start]
    newline = b"\n" if encoding not in (UTF16_LE, UTF16_BE) else "\n".encode(encoding)
    line = (
        lines_before
        + prefix.count(newline)
        + (0 if prefix.count(newline) else prefix.count(b"\r"))
        + 1
    )
    offset = buffer_offset + err.start
    snippet = bad[err.start : err.start + 4].hex(" ")
    return ParseError(
        f"{encoding} として読めないバイト列（{snippet}）があります。ファイルの途中で文字コードが"
        "変わっている（混在している）か、ファイルが壊れています",
        f"bytes ({snippet}) that are not valid {encoding}: the file mixes encodings or is damaged",
        file=os.path.basename(path),
        row=line,
        offset=offset,
    )


def transcode_to_utf8(
    src: str,
    dst: str,
    encoding: str,
    *,
    progress: Callable[[int, int], None] | None = None,
    chunk: int = 8 << 20,
) -> TranscodeStats:
    """Stream `src` (in `encoding`) to `dst` as UTF-8 without BOM, newlines normalised to LF.

    CRLF and bare CR become LF everywhere, also inside quoted fields: a field keeps its line
    break, only the kind of break changes. Raises ParseError (row, byte offset) on bytes the
    encoding cannot decode; `dst` is removed then, so no half-written file is left.
    """
    started = time.perf_counter()
    total = os.path.getsize(src)
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    # UTF-8 input is only validated by the decoder; newlines are fixed on the bytes themselves
    # (0x0D/0x0A never occur inside a UTF-8 multibyte character), which skips an encode pass.
    as_bytes = codecs.lookup(encoding).name == "utf-8"
    cr, lf, crlf = (b"\r", b"\n", b"\r\n") if as_bytes else ("\r", "\n", "\r\n")
    bytes_in = bytes_out = lines = 0
    n_crlf_total = n_lf_total = n_cr_total = 0
    had_bom = False
    first = True
    carry_cr = False  # a chunk ended in CR: it may be the first half of a CRLF
    ends_with_newline = True
    try:
        with open(src, "rb") as fin, open(dst, "wb") as fout:
            while True:
                # the first read is at least 4 bytes so a BOM is never split
                data = fin.read(max(chunk, 4) if first else chunk)
                final = not data
                pending = len(decoder.getstate()[0])
                try:
                    text = decoder.decode(data, final=final)
                except UnicodeDecodeError as err:
                    raise _decode_error(src, encoding, err, bytes_in - pending, lines) from None
                bytes_in += len(data)
                piece = data if as_bytes else text
                if first and piece:
                    bom = codecs.BOM_UTF8 if as_bytes else "\ufeff"
                    if piece.startswith(bom):
                        had_bom, piece = True, piece[len(bom) :]
                    first = False
                if carry_cr:
                    piece, carry_cr = cr + piece, False
                if piece.endswith(cr) and not final:
                    piece, carry_cr = piece[:-1], True
                # one counting pass per chunk: CRLF pairs are measured by the length change
                n_crlf = n_cr = 0
                if cr in piece:
                    before = len(piece)
                    piece = piece.replace(crlf, lf)
                    n_crlf = before - len(piece)
                    if cr in piece:
                        n_cr = piece.count(cr)
                        piece = piece.replace(cr, lf)
                if piece:
                    n_lines = piece.count(lf)
                    n_crlf_total += n_crlf
                    n_cr_total += n_cr
                    n_lf_total += n_lines - n_crlf - n_cr
                    out = piece if as_bytes else piece.encode("utf-8")
                    fout.write(out)
                    bytes_out += len(out)
                    lines += n_lines
                    ends_with_newline = piece.endswith(lf)
                if progress is not None:
                    progress(bytes_in, total)
                if final:
                    break
    except BaseException:
        if os.path.exists(dst):
            os.remove(dst)
        raise
    crlf_count, lf_count, cr_count = n_crlf_total, n_lf_total, n_cr_total
    if bytes_out and not ends_with_newline:
        lines += 1
    kinds = [
        name for name, count in (("CRLF", crlf_count), ("LF", lf_count), ("CR", cr_count)) if count
    ]
    newline = kinds[0] if len(kinds) == 1 else ("mixed" if kinds else "none")
    return TranscodeStats(
        bytes_in=bytes_in,
        bytes_out=bytes_out,
        lines=lines,
        had_bom=had_bom,
        newline=newline,
        seconds=time.perf_counter() - started,
    )
