"""Transcode one byte range of a text file to UTF-8 with LF newlines: the loop behind
encoding.transcode_to_utf8, and a script that runs it for the second half of a big file.

    transcode_range("in.csv", "out.csv", "cp932", 0, 70_000_000, strip_bom=True)
        -> {"bytes_in": 70000000, "bytes_out": 80373113, "lf": 500113, ...}

    python transcode_part.py SRC DST ENCODING START END CHUNK     (run by path: stdlib only)
        stdout: "p <bytes done>" lines while it works, then one JSON line with the counts
        ({"ok": {...}}) or the first undecodable byte ({"decode_error": {...}}, exit code 3)

The script imports nothing from the package (no Django, no DuckDB), so it starts in ~20 ms;
encoding.py starts it with sys.executable and never forks the ingest process itself.
A range must start at the beginning of the file or right after a LF byte (0x0A is never part
of a multibyte character in CP932 / Shift_JIS / EUC-JP / UTF-8 and none of them carries state
across a line end), so decoding it alone gives the same text as decoding the whole file.
"""

from __future__ import annotations

import codecs
import json
import sys
from collections.abc import Callable

BOM = codecs.BOM_UTF8
CR, LF, CRLF = b"\r", b"\n", b"\r\n"


class RangeDecodeError(Exception):
    """Bytes the encoding cannot decode; `line` counts physical lines from the range start."""

    def __init__(self, line: int, offset: int, snippet: str):
        self.line, self.offset, self.snippet = line, offset, snippet
        super().__init__(f"undecodable bytes ({snippet}) at byte {offset}, line {line}")


def locate_error(
    err: UnicodeDecodeError, encoding: str, buffer_offset: int, lines_before: int
) -> RangeDecodeError:
    """Line and byte offset of the first bad byte. err.object is the buffer the decoder saw
    (its pending bytes + the chunk), starting at file offset `buffer_offset`."""
    bad = err.object
    prefix = bad[: err.start]
    newline = "\n".encode(encoding) if encoding in ("utf-16-le", "utf-16-be") else LF
    in_prefix = prefix.count(newline)
    line = lines_before + in_prefix + (0 if in_prefix else prefix.count(CR)) + 1
    return RangeDecodeError(
        line, buffer_offset + err.start, bad[err.start : err.start + 4].hex(" ")
    )


def transcode_range(
    src: str,
    dst: str,
    encoding: str,
    start: int,
    end: int,
    *,
    strip_bom: bool,
    chunk: int = 2 << 20,
    progress: Callable[[int], None] | None = None,
    fast: Callable[[bytes, bool, bool], tuple] | None = None,
) -> dict:
    """Bytes [start, end) of `src` -> `dst` (created or truncated) as UTF-8, CRLF/CR -> LF.

    Returns the counts ({bytes_in, bytes_out, lf, crlf, cr, plain_lf, ends_with_newline,
    had_bom}); raises RangeDecodeError at the first byte `encoding` cannot decode.
    `fast` (fast_transcode.fast_chunker) does whole chunks in compiled code; at the first
    byte it rejects, Python's decoder takes over from the start of that chunk.
    """
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    # UTF-8 input is only validated by the decoder; newlines are fixed on its own bytes and
    # those are written (0x0D/0x0A never occur inside a UTF-8 multibyte character). Other
    # encodings: newlines are fixed on the decoded text, then it is encoded. (Encoding first
    # and fixing the UTF-8 bytes measured slower: bytes.replace of a 2-byte pattern is no
    # faster than str.replace, on 1.15x more bytes; see bench/RESULTS.md.)
    as_bytes = codecs.lookup(encoding).name == "utf-8"
    cr, lf, crlf, bom = (CR, LF, CRLF, BOM) if as_bytes else ("\r", "\n", "\r\n", "\ufeff")
    bytes_in = bytes_out = lines = 0
    n_crlf_total = n_lf_total = n_cr_total = 0
    had_bom = False
    first = strip_bom
    carry_cr = False  # a chunk ended in CR: it may be the first half of a CRLF
    ends_with_newline = True
    remaining = end - start
    held = b""  # fast path: the start of a character cut by the chunk's end
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        fin.seek(start)
        while True:
            # the first read is at least 4 bytes so a BOM is never split
            size = min(max(chunk, 4) if first else chunk, remaining)
            data = fin.read(size) if size > 0 else b""
            remaining -= len(data)
            final = not data
            if fast is not None:
                buffer = held + data
                out, used, n_lines, n_crlf, n_cr, carry, error_at = fast(buffer, carry_cr, final)
                if error_at < 0:
                    held, carry_cr, first = buffer[used:], carry, False
                    bytes_in += len(data)
                    n_crlf_total += n_crlf
                    n_cr_total += n_cr
                    n_lf_total += n_lines - n_crlf - n_cr
                    if out:
                        fout.write(out)
                        bytes_out += len(out)
                        lines += n_lines
                        ends_with_newline = out[-1] == 0x0A
                    if progress is not None:
                        progress(bytes_in)
                    if final:
                        break
                    continue
                # a byte the table rejects: Python's decoder redoes this chunk (and raises
                # the error, with its row and offset, exactly as without the fast path)
                decoder.decode(held)
                held, fast = b"", None
            pending = len(decoder.getstate()[0])
            try:
                text = decoder.decode(data, final=final)
            except UnicodeDecodeError as err:
                raise locate_error(err, encoding, start + bytes_in - pending, lines) from None
            bytes_in += len(data)
            piece = data if as_bytes else text
            if first and piece:
                if piece.startswith(bom):
                    had_bom, piece = True, piece[len(bom) :]
                first = False
            if carry_cr:
                piece, carry_cr = cr + piece, False
            if not final and piece.endswith(cr):
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
                progress(bytes_in)
            if final:
                break
    return {
        "bytes_in": bytes_in,
        "bytes_out": bytes_out,
        "lf": lines,  # LF bytes written (= lines ended)
        "crlf": n_crlf_total,
        "cr": n_cr_total,
        "plain_lf": n_lf_total,
        "ends_with_newline": ends_with_newline,
        "had_bom": had_bom,
    }


def main(argv: list[str]) -> int:
    src, dst, encoding, start, end, chunk = argv
    out = sys.stdout

    def report(done: int) -> None:
        out.write(f"p {done}\n")
        out.flush()

    try:
        counts = transcode_range(
            src, dst, encoding, int(start), int(end), strip_bom=False, chunk=int(chunk),
            progress=report,
        )  # fmt: skip
    except RangeDecodeError as error:
        where = {"line": error.line, "offset": error.offset, "snippet": error.snippet}
        out.write(json.dumps({"decode_error": where}) + "\n")
        return 3
    out.write(json.dumps({"ok": counts}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
