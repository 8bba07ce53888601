"""hiraku scan FILE [--json]: personal-information findings per column.

--json prints a list with one object per column and kind that has findings:
    [{"table": "x.csv", "column": "電話番号", "kind": "phone", "risk": "high", "count": 3,
      "examples": ["090-****-**78"], "estimated": false, "reason": "..."}]
Exit status 0 when scanned (whatever was found), 2 when the file cannot be read.
"""

import json
import sys

from django.core.management.base import BaseCommand

from hiraku.privacy.errors import ScanError
from hiraku.privacy.files import scan_file

RISK_LABEL = {"high": "高 high", "medium": "中 medium", "low": "低 low"}


class Command(BaseCommand):
    help = "ファイルの個人情報を検査します / Scan a file for personal information"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true", help="JSON list of findings")
        parser.add_argument("--sample", type=int, default=20_000, help="rows sampled per table")

    def handle(self, *args, **options):
        try:
            result = scan_file(options["file"], sample_limit=options["sample"])
        except ScanError as exc:
            self.stderr.write(f"エラー / Error: {exc.bilingual()}")
            sys.exit(2)
        if options["json"]:
            rows = [{"table": table, **f.as_dict()} for table, f in result.findings()]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{result.filename} ({result.format})")
        if not result.tables:
            self.stdout.write("  表形式ではないため検査対象外 / not tabular, not scanned")
        for table in result.tables:
            self.stdout.write(
                f"  [{table.name}] {table.row_count} 行 / rows, 標本 / sampled {table.rows_sampled}"
            )
            if not table.findings:
                self.stdout.write("    検出なし / nothing found")
            for f in table.findings:
                approx = "≈" if f.estimated else ""
                self.stdout.write(
                    f"    {RISK_LABEL[f.risk]:10} {f.column}: {f.kind} ×{approx}{f.count}"
                    f"  {', '.join(f.examples)}\n               {f.reason_ja} / {f.reason_en}"
                )
        highest = result.highest_risk
        self.stdout.write(
            f"最高リスク / highest risk: {RISK_LABEL.get(highest, 'なし none') if highest else 'なし none'}"
        )
