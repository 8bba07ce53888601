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
import json
import logging
import os
import shutil
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from .errors import ParseError
from .fast_transcode import fast_chunker
from .transcode_part import RangeDecodeError, transcode_range

UTF8, CP932, EUC_JP, UTF16_LE, UTF16_BE = "utf-8", "cp932", "euc-jp", "utf-16-le", "utf-16-be"

log = logging.getLogger("hiraku.ingest")

# Files this big or bigger are transcoded in two halves at once (two cores: ~half the time;
# starting the helper interpreter costs ~30 ms).
PARALLEL_MIN_BYTES = int(os.environ.get("HIRAKU_INGEST_PARALLEL_TRANSCODE_MIN", str(16 << 20)))
# Encodings a file may be cut in right after any LF byte (codecs.lookup names): 0x0A is never
# part of a multibyte character and no decoder state crosses a line end. Not UTF-16/32 (0x0A
# is half of many characters), not ISO-2022-JP (shift state). UTF-8 is only transcoded when
# it has a BOM or bare CRs (Excel's "CSV UTF-8" has both); its validating pass halves too.
SPLITTABLE = frozenset(
    {"cp932", "shift_jis", "shift_jis_2004", "shift_jisx0213", "euc_jp", "euc_jis_2004"}
    | {"euc_jisx0213", "utf-8", "ascii"}
)
_PART_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "transcode_part.py")


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
    path: str, encoding: str, bad: RangeDecodeError, lines_before: int = 0
) -> ParseError:
    """`bad.line` counts from the start of its range; `lines_before` = lines above that range."""
    snippet = bad.snippet
    return ParseError(
        f"{encoding} として読めないバイト列（{snippet}）があります。ファイルの途中で文字コードが"
        "変わっている（混在している）か、ファイルが壊れています",
        f"bytes ({snippet}) that are not valid {encoding}: the file mixes encodings or is damaged",
        file=os.path.basename(path),
        row=lines_before + bad.line,
        offset=bad.offset,
    )


def _split_point(path: str, total: int, encoding: str, parallel_min: int | None) -> int | None:
    """Where a big file is cut in two for transcoding: right after the first LF at or past
    the middle. None for small files, for encodings where a LF byte may be part of a
    character (UTF-16/32) or state may cross a line end (ISO-2022-JP), and without a LF."""
    if parallel_min is None or total < max(parallel_min, 2) or not sys.executable:
        return None
    try:
        if codecs.lookup(encoding).name not in SPLITTABLE:
            return None
    except LookupError:
        return None  # the one-process path reports the unknown encoding
    middle = total // 2
    with open(path, "rb") as f:
        f.seek(middle)
        position = middle
        while block := f.read(1 << 20):
            found = block.find(b"\n")
            if found >= 0:
                cut = position + found + 1
                return cut if cut < total else None
            position += len(block)
    return None


class _Helper:
    """The second half, transcoded by transcode_part.py in its own interpreter (started with
    exec, never a fork of this process: the ingest process runs DuckDB threads)."""

    def __init__(self, src: str, dst: str, encoding: str, start: int, end: int, chunk: int):
        self.done = 0
        self.buffer = b""
        self.answer = b""  # the final JSON line
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-S", _PART_SCRIPT, src, dst, encoding, str(start), str(end)]
            + [str(chunk)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        os.set_blocking(self.process.stdout.fileno(), False)

    def _take(self, data: bytes) -> None:
        """Reads the complete lines of `data` (keeps the unfinished rest for later)."""
        *lines, self.buffer = (self.buffer + data).split(b"\n")
        for line in lines:
            if line.startswith(b"p "):
                self.done = int(line[2:])
            elif line.startswith(b"{"):
                self.answer = line

    def poll(self) -> int:
        """Bytes the helper has done so far (reads its progress lines without waiting)."""
        try:
            while data := os.read(self.process.stdout.fileno(), 65536):
                self._take(data)
        except BlockingIOError:
            pass
        return self.done

    def result(self) -> dict | RangeDecodeError | None:
        """Wait for the helper: its counts, its first undecodable byte, or None when it died
        (killed, out of memory...), in which case the caller does the second half itself."""
        os.set_blocking(self.process.stdout.fileno(), True)
        out, err = self.process.communicate()
        self._take(out + b"\n")
        try:
            answer = json.loads(self.answer) if self.answer else {}
        except ValueError:
            answer = {}
        if self.process.returncode == 0 and "ok" in answer:
            return answer["ok"]
        if self.process.returncode == 3 and "decode_error" in answer:
            bad = answer["decode_error"]
            return RangeDecodeError(bad["line"], bad["offset"], bad["snippet"])
        log.warning(
            "transcode helper failed (exit %s): %s; transcoding in-process",
            self.process.returncode,
            err.decode("utf-8", "replace")[-2000:],
        )
        return None

    def close(self) -> None:
        """Kill (if still running) and reap: no helper outlives a failed transcode."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


def _append(dst: str, part: str) -> None:
    """dst += part, copied inside the kernel (copy_file_range, else sendfile)."""
    with open(part, "rb") as fin, open(dst, "r+b") as fout:
        size = os.fstat(fin.fileno()).st_size
        where = fout.seek(0, os.SEEK_END)
        done = 0
        try:
            while done < size:
                n = os.copy_file_range(fin.fileno(), fout.fileno(), size - done, done, where + done)
                if n == 0:
                    break
                done += n
        except OSError:
            pass  # e.g. EXDEV on old kernels: sendfile / a plain copy below
        if done < size:
            fin.seek(done)
            fout.seek(where + done)
            try:
                while done < size:
                    n = os.sendfile(fout.fileno(), fin.fileno(), done, size - done)
                    if n == 0:
                        break
                    done += n
                    fout.seek(where + done)
            except OSError:
                fin.seek(done)
                fout.seek(where + done)
                shutil.copyfileobj(fin, fout, 8 << 20)
                done = size
        if done < size:
            raise OSError(f"could not append {part} to {dst}")


def _in_two_halves(
    src: str,
    dst: str,
    encoding: str,
    split: int,
    total: int,
    chunk: int,
    report: Callable[[int], None],
) -> tuple[dict, dict]:
    """[0, split) here and [split, total) in the helper at the same time; dst = both."""
    part = dst + ".part2"
    helper = None
    try:
        try:
            helper = _Helper(src, part, encoding, split, total, chunk)
        except OSError as error:  # no interpreter to start: do both halves here
            log.warning("cannot start the transcode helper (%s); transcoding in-process", error)

        def head_progress(done: int) -> None:
            report(done + (helper.poll() if helper else 0))

        try:
            head = transcode_range(
                src, dst, encoding, 0, split, strip_bom=True, chunk=chunk, progress=head_progress
            )
        except RangeDecodeError as bad:
            raise _decode_error(src, encoding, bad) from None
        tail = helper.result() if helper else None
        if tail is None:
            try:
                tail = transcode_range(
                    src, part, encoding, split, total, strip_bom=False, chunk=chunk,
                    progress=lambda done: report(split + done),
                )  # fmt: skip
            except RangeDecodeError as bad:
                tail = bad
        if isinstance(tail, RangeDecodeError):
            # its lines count from the cut, which is right after a line end
            raise _decode_error(src, encoding, tail, lines_before=head["lf"])
        _append(dst, part)
        return head, tail
    finally:
        if helper is not None:
            helper.close()
        if os.path.exists(part):
            os.remove(part)


def transcode_to_utf8(
    src: str,
    dst: str,
    encoding: str,
    *,
    progress: Callable[[int, int], None] | None = None,
    chunk: int = 2 << 20,
    parallel_min: int | None = PARALLEL_MIN_BYTES,
) -> TranscodeStats:
    """Stream `src` (in `encoding`) to `dst` as UTF-8 without BOM, newlines normalised to LF.

    CRLF and bare CR become LF everywhere, also inside quoted fields: a field keeps its line
    break, only the kind of break changes. Raises ParseError (row, byte offset) on bytes the
    encoding cannot decode; `dst` is removed then, so no half-written file is left.

    CP932 and Shift_JIS go through the compiled loop (fast_transcode.py) in one pass. Other
    EUC-JP / UTF-8 files (and CP932 when the compiled module is missing) of `parallel_min`
    bytes or more (None: never) are cut in two right after a LF near their middle; a helper
    interpreter (transcode_part.py, run by path) transcodes the second half while this
    process does the first, and its output is appended. Same bytes out, same stats and the
    same error row/offset as one pass.
    """
    started = time.perf_counter()
    total = os.path.getsize(src)

    def report(done: int) -> None:
        if progress is not None:
            progress(min(done, total), total)

    try:
        fast = fast_chunker(encoding)
        split = None if fast else _split_point(src, total, encoding, parallel_min)
        if split is None:
            try:
                parts = [
                    transcode_range(
                        src,
                        dst,
                        encoding,
                        0,
                        total,
                        strip_bom=True,
                        chunk=chunk,
                        progress=report,
                        fast=fast,
                    )
                ]
            except RangeDecodeError as bad:
                raise _decode_error(src, encoding, bad) from None
        else:
            parts = list(_in_two_halves(src, dst, encoding, split, total, chunk, report))
            report(total)
    except BaseException:
        if os.path.exists(dst):
            os.remove(dst)
        raise
    bytes_out = sum(p["bytes_out"] for p in parts)
    lines = sum(p["lf"] for p in parts)
    written = [p for p in parts if p["bytes_out"]]
    if written and not written[-1]["ends_with_newline"]:
        lines += 1
    counts = (
        ("CRLF", sum(p["crlf"] for p in parts)),
        ("LF", sum(p["plain_lf"] for p in parts)),
        ("CR", sum(p["cr"] for p in parts)),
    )
    kinds = [name for name, count in counts if count]
    newline = kinds[0] if len(kinds) == 1 else ("mixed" if kinds else "none")
    return TranscodeStats(
        bytes_in=sum(p["bytes_in"] for p in parts),
        bytes_out=bytes_out,
        lines=lines,
        had_bom=parts[0]["had_bom"],
        newline=newline,
        seconds=time.perf_counter() - started,
    )
