"""scan_file: every table in a file (CSV, Excel sheets, GeoJSON, ZIP members) scanned.

result = scan_file("/tmp/upload.csv", "住民名簿.csv")
result.highest_risk        # "high" | "medium" | "low" | None
result.as_dict()["tables"] # one TableScan.as_dict() per table
"""

import os
from dataclasses import dataclass, field

from . import context
from .fullcount import scan_delimited
from .reading import new_workdir, read_tables
from .scan import DEFAULT_SAMPLE, Finding, TableScan, scan_table

# Above this size a delimited file is loaded into DuckDB so counts stay exact and fast.
BIG_FILE_BYTES = 8 << 20


@dataclass
class FileScan:
    filename: str
    format: str
    tables: list[TableScan] = field(default_factory=list)

    @property
    def highest_risk(self) -> str | None:
        return context.max_risk(t.highest_risk for t in self.tables)

    def findings(self) -> list[tuple[str, Finding]]:
        return [(t.name, f) for t in self.tables for f in t.findings]

    def as_dict(self) -> dict:
        return {
            "filename": self.filename,
            "format": self.format,
            "highest_risk": self.highest_risk,
            "tables": [t.as_dict() for t in self.tables],
        }


def scan_file(
    path: str,
    filename: str = "",
    *,
    sample_limit: int = DEFAULT_SAMPLE,
    big_file_bytes: int = BIG_FILE_BYTES,
) -> FileScan:
    """Scan every table of a file; raises ScanError (bilingual) when the file cannot be read."""
    name = filename or os.path.basename(path)
    with new_workdir() as workdir:
        kind, tables = read_tables(path, name, workdir)
        scans = []
        for table in tables:
            big = table.utf8_path and os.path.getsize(table.utf8_path) > big_file_bytes
            if big:
                scans.append(
                    scan_delimited(
                        table.name,
                        table.columns,
                        table.utf8_path,
                        table.duckdb_options,
                        sample_limit=sample_limit,
                        select=table.duckdb_select,
                        limit=table.duckdb_limit,
                    )
                )
            else:
                scans.append(
                    scan_table(
                        table.columns, table.rows, sample_limit=sample_limit, name=table.name
                    )
                )
    return FileScan(name, kind, scans)
