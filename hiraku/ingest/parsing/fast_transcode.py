"""CP932 / Shift_JIS to UTF-8 in compiled code, with Python's own codec as the reference.

    chunker = fast_chunker("cp932")    # None: no compiled module, or not a supported codec
    chunker(data, carry_cr, final) -> (utf8, consumed, lf, crlf, cr, carry_cr, error_at)

Python's cp932 codec decodes ~170 MB/s here and the UTF-8 encode and newline fix-up after it
cost as much again; the loop in _transcode.c does all three in one pass at ~1 GB/s (~450 MB/s
with reading and writing the files; see bench/RESULTS.md). It holds no mapping of its own: the table below is built by asking
Python's codec about every single byte and every two-byte pair, so both give the same text.
Any byte the table rejects goes back to Python's decoder (transcode_part.transcode_range),
which then raises the same error, at the same row and byte, as it always did.
"""

from __future__ import annotations

import codecs
import functools
import logging
from collections.abc import Callable

log = logging.getLogger("hiraku.ingest")

try:
    from . import _transcode
except ImportError:  # pragma: no cover - built by `pip install`; Python's codec is the fallback
    _transcode = None
    log.warning("hiraku.ingest.parsing._transcode is not built: CP932 files use Python's codec")

LEAD = 0xFF  # 4th byte of a table entry: the byte starts a two-byte character (0: rejected)
# Codecs whose characters are one or two bytes, each to one code point (codecs.lookup names).
# Not shift_jis_2004 / shift_jisx0213: some of their pairs decode to two code points.
DOUBLE_BYTE = frozenset({"cp932", "shift_jis"})


def available() -> bool:
    return _transcode is not None


def _entry(text: str) -> bytes | None:
    """A table entry: the UTF-8 bytes of one BMP character, padded, then their count."""
    if len(text) != 1 or ord(text) > 0xFFFF:
        return None
    utf8 = text.encode("utf-8")
    return utf8 + bytes(3 - len(utf8)) + bytes([len(utf8)])


@functools.lru_cache(maxsize=4)
def decoding_table(encoding: str) -> bytes | None:
    """(256 + 65536) 4-byte entries as Python's codec decodes every byte and every pair (see
    _transcode.c), or None when the codec does not fit the compiled loop: ASCII bytes must
    map to themselves and nothing may decode to a byte order mark (the loop strips none)."""
    table = bytearray(4 * (256 + 65536))
    for byte in range(256):
        try:
            text = bytes([byte]).decode(encoding)
        except UnicodeDecodeError:
            text = None
        if text is not None:
            entry = _entry(text)
            if entry is None or (byte < 0x80 and text != chr(byte)) or text == "\ufeff":
                return None
            table[4 * byte : 4 * byte + 4] = entry
            continue
        if byte < 0x80:
            return None
        leads = False
        for trail in range(256):
            try:
                pair = bytes([byte, trail]).decode(encoding)
            except UnicodeDecodeError:
                continue
            if pair == "\ufeff":
                return None
            entry = _entry(pair)  # None (two code points...) stays rejected: Python decodes it
            if entry is not None:
                at = 4 * (256 + (byte << 8 | trail))
                table[at : at + 4] = entry
                leads = True
        if leads:
            table[4 * byte + 3] = LEAD
    return bytes(table)


class _Chunker:
    """The compiled loop with `encoding`'s table and a reused output buffer."""

    def __init__(self, table: bytes):
        self.table = table
        self.out = bytearray()

    def __call__(self, data: bytes, carry_cr: bool, final: bool) -> tuple:
        """(utf8 memoryview, consumed, lf, crlf, cr, carry_cr, error_at); the view is valid
        until the next call."""
        if len(self.out) < 3 * len(data) + 4:
            self.out = bytearray(3 * len(data) + 4)
        written, *rest = _transcode.chunk(self.table, data, self.out, carry_cr, final)
        return (memoryview(self.out)[:written], *rest)


def fast_chunker(encoding: str) -> Callable[[bytes, bool, bool], tuple] | None:
    """The compiled loop for `encoding`, or None (not built, or not a double-byte codec)."""
    if _transcode is None:
        return None
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return None
    if name not in DOUBLE_BYTE:
        return None
    table = decoding_table(name)
    return _Chunker(table) if table is not None else None
