"""hiraku anonymise FILE --ops ops.json --out OUT.csv [--record OUT.json]

Applies the operations in ops.json (see hiraku.privacy.anonymise.pipeline) to the file's first
table (or --table NAME), writes the result as UTF-8 CSV, and the processing record as JSON next
to it (OUT.csv.processing.json unless --record is given). Exit 2 on unreadable input.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from hiraku.privacy.anonymise import AnonymiseError, Table, parse_ops, run, to_csv_bytes
from hiraku.privacy.errors import ScanError
from hiraku.privacy.reading import new_workdir, read_tables


class Command(BaseCommand):
    help = "ファイルを匿名加工します / Anonymise a file with a list of operations"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--ops", required=True, help="JSON file with the list of operations")
        parser.add_argument("--out", required=True, help="output CSV")
        parser.add_argument("--record", help="where to write the processing record (JSON)")
        parser.add_argument("--table", default="", help="sheet or member name (default: first)")

    def handle(self, *args, **options):
        try:
            ops = parse_ops(Path(options["ops"]).read_text(encoding="utf-8"))
            with new_workdir() as workdir:
                _, tables = read_tables(options["file"], "", workdir)
                if not tables:
                    raise AnonymiseError("表形式のデータがありません", "No tabular data")
                chosen = next((t for t in tables if t.name == options["table"]), tables[0])
                table = Table(chosen.columns, [list(r) for r in chosen.rows])
            result, record = run(table, ops, source=Path(options["file"]).name)
        except OSError as exc:
            self.stderr.write(f"エラー / Error: 読めません / cannot read: {exc}")
            sys.exit(2)
        except (ScanError, AnonymiseError) as exc:
            self.stderr.write(f"エラー / Error: {exc}")
            sys.exit(2)
        out = Path(options["out"])
        out.write_bytes(to_csv_bytes(result))
        record_path = Path(options["record"] or f"{out}.processing.json")
        record_path.write_text(
            json.dumps(record.as_dict(), ensure_ascii=False, indent=2), encoding="utf-8"
        )
        self.stdout.write(record.summary_ja_en())
        self.stdout.write(f"→ {out} ({len(result.rows)} 行 / rows), 記録 / record: {record_path}")
