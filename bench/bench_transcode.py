"""Transcoder speed: hiraku's transcode_to_utf8 vs a plain Python text-mode read loop.

    .venv/bin/python bench/bench_transcode.py [--mb 160] [--keep]

Generates a ~160 MB CP932 CSV of municipal-looking rows (CRLF, with ①/㈱/髙 characters) under
var/bench/, then times, best of 5 runs each, taking turns:
  baseline     open(path, encoding="cp932").read(8 MiB) in a loop (decode only, nothing written)
  python 1     transcode_to_utf8 with Python's codec in this process (decode, CRLF->LF,
               encode, write)
  python 2     the same in two halves at once, the second in a helper interpreter
  hiraku       transcode_to_utf8 as the ingest runs it: CP932 through the compiled loop
               (parsing/_transcode.c), other encodings as "python 2"
and the same for a UTF-8 (BOM, CRLF) copy (which the ingest itself now reads untranscoded
unless it has bare CRs). Prints the ratios to the baseline.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hiraku.ingest.parsing import encoding as encoding_module  # noqa: E402
from hiraku.ingest.parsing import transcode_to_utf8  # noqa: E402

WARDS = ["東灘区", "灘区", "中央区", "兵庫区", "北区", "長田区", "須磨区", "垂水区", "西区"]
NAMES = [
    "髙松市役所",
    "㈱ことでん",
    "①番のりば",
    "会津若松市役所",
    "鶴ヶ城",
    "東山温泉",
    "市民会館",
]


def generate(path: Path, megabytes: int, encoding: str) -> None:
    rng = random.Random(42)
    target = megabytes << 20
    with open(path, "w", encoding=encoding, newline="\r\n") as f:
        f.write("№,区,名称,住所,緯度,経度,電話番号,備考\n")
        written, n = 0, 0
        while written < target:
            lines = []
            for _ in range(5000):
                n += 1
                lines.append(
                    f"{n:07d},{rng.choice(WARDS)},{rng.choice(NAMES)}{n % 97},"
                    f"神戸市{rng.choice(WARDS)}深江北町{n % 9}-{n % 13}-1,"
                    f"34.{rng.randrange(10**7):07d},135.{rng.randrange(10**7):07d},"
                    f"078-411-{n % 10000:04d},《津波時》国道2号より山側へ避難すること\n"
                )
            block = "".join(lines)
            f.write(block)
            written += len(block.encode(encoding))


def best_of_alternating(runs: int, *fns) -> list[float]:
    """Best time of each, running them in turns so machine load hits all alike."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for fn, bucket in zip(fns, times, strict=True):
            started = time.perf_counter()
            fn()
            bucket.append(time.perf_counter() - started)
    return [min(bucket) for bucket in times]


def baseline(path: Path, encoding: str) -> None:
    with open(path, encoding=encoding) as f:
        while f.read(8 << 20):
            pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=160)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()
    folder = ROOT / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    for encoding, codec in (("cp932", "cp932"), ("utf-8-sig", "utf-8")):
        src = folder / f"transcode_{codec}_{args.mb}mb.csv"
        out = folder / f"transcode_{codec}_{args.mb}mb.utf8.csv"
        if not src.exists():
            generate(src, args.mb, encoding)
        size = src.stat().st_size / (1 << 20)

        def python_codec(parallel_min, src=src, out=out, codec=codec):
            compiled = encoding_module.fast_chunker
            encoding_module.fast_chunker = lambda name: None
            try:
                transcode_to_utf8(str(src), str(out), codec, parallel_min=parallel_min)
            finally:
                encoding_module.fast_chunker = compiled

        base, one, two, ours = best_of_alternating(
            args.runs,
            lambda src=src, codec=codec: baseline(src, codec),
            lambda: python_codec(None),
            lambda: python_codec(1),
            lambda src=src, out=out, codec=codec: transcode_to_utf8(str(src), str(out), codec),
        )
        print(
            f"{codec:6s} {size:6.1f} MB  baseline read loop {base:5.2f} s  "
            f"python 1 {one:5.2f} s ({one / base:4.2f})  python 2 {two:5.2f} s "
            f"({two / base:4.2f})  hiraku {ours:5.2f} s ({ours / base:4.2f})"
        )
        out.unlink(missing_ok=True)
        if not args.keep:
            src.unlink()


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hiraku.settings")
    main()
