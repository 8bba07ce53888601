"""A ZIP of CSV files: each member its own table, extracted with a budget so a bomb fails early.

iter_zip(ctx, path, "統計.zip")  ->  LoadedTable per CSV member, in archive order
"""

import os
import zipfile
from collections.abc import Iterator

from .parsing.errors import ParseError
from .sources import CSV_LIKE, LoadContext, LoadedTable, load_csv

# A ZIP member may expand at most this many times, and all members together at most this much.
ZIP_MAX_RATIO = 200
ZIP_MAX_TOTAL = int(os.environ.get("HIRAKU_INGEST_ZIP_MAX_BYTES", str(4 * 1024**3)))
ZIP_MAX_MEMBERS = 500


def _zip_bomb(filename: str, detail_ja: str, detail_en: str) -> ParseError:
    return ParseError(
        f"ZIP の展開サイズが大きすぎます（ZIP 爆弾の疑い）: {detail_ja}",
        f"ZIP expands too much (zip bomb?): {detail_en}",
        file=filename,
    )


def _extract_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, dest: str, budget: int) -> int:
    """Copy one member out, counting real bytes (headers can lie); returns bytes written."""
    limit = min(budget, max(info.compress_size, 1) * ZIP_MAX_RATIO)
    written = 0
    with archive.open(info) as src, open(dest, "wb") as out:
        while chunk := src.read(1 << 20):
            written += len(chunk)
            if written > limit:
                raise _zip_bomb(info.filename, f"{info.filename}", f"member {info.filename}")
            out.write(chunk)
    return written


def iter_zip(ctx: LoadContext, path: str, filename: str) -> Iterator[LoadedTable]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise ParseError("ZIP が壊れています", f"corrupt ZIP: {error}", file=filename) from error
    with archive:
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir()
            and info.filename.lower().endswith(CSV_LIKE)
            and not os.path.basename(info.filename).startswith(".")
            and "__MACOSX" not in info.filename
        ]
        if len(members) > ZIP_MAX_MEMBERS:
            raise _zip_bomb(filename, f"{len(members)} ファイル", f"{len(members)} members")
        if sum(info.file_size for info in members) > ZIP_MAX_TOTAL:
            raise _zip_bomb(filename, "合計サイズ", "total size")
        if not members:
            raise ParseError(
                "ZIP に CSV ファイルがありません", "no CSV files in the ZIP", file=filename
            )
        budget = ZIP_MAX_TOTAL
        for index, info in enumerate(members):
            dest = os.path.join(ctx.scratch, f"member_{index}.csv")
            try:
                budget -= _extract_member(archive, info, dest, budget)
            except zipfile.BadZipFile as error:
                raise ParseError(
                    "ZIP が壊れています", f"corrupt ZIP: {error}", file=info.filename
                ) from error
            yield load_csv(ctx, dest, info.filename, info.filename)
            os.remove(dest)
