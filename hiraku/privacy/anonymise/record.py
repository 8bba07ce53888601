"""The processing record: every anonymisation step, in order, as JSON.

{"standard": "個人情報保護法施行規則 第62条 (five measures)",
 "steps": [{"operation": "age_bands", "parameters": {...}, "rows_in": 1000, "rows_out": 1000,
            "suppressed": 0, "note": "..."}]}
"""

from dataclasses import dataclass, field
from typing import Any

STANDARD = "個人情報保護法施行規則 第62条 (匿名加工の5つの措置) / APPI Enforcement Rules art. 62"


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Any]]

    def index(self, column: str) -> int:
        try:
            return self.columns.index(column)
        except ValueError:
            raise AnonymiseError(f"列がありません: {column}", f"No such column: {column}") from None


@dataclass
class ProcessingRecord:
    source: str = ""
    steps: list[dict] = field(default_factory=list)

    def add(
        self,
        operation: str,
        parameters: dict,
        *,
        rows_in: int,
        rows_out: int,
        suppressed: int = 0,
        note: str = "",
    ) -> None:
        self.steps.append(
            {
                "operation": operation,
                "parameters": parameters,
                "rows_in": rows_in,
                "rows_out": rows_out,
                "suppressed": suppressed,
                "note": note,
            }
        )

    def as_dict(self) -> dict:
        return {"standard": STANDARD, "source": self.source, "steps": self.steps}

    def summary_ja_en(self) -> str:
        """A Markdown list for the derived resource's description."""
        lines = ["匿名加工の処理記録 / Processing record:"]
        for number, step in enumerate(self.steps, start=1):
            params = ", ".join(f"{k}={v}" for k, v in step["parameters"].items())
            lines.append(
                f"{number}. {step['operation']} ({params}): {step['rows_in']} → {step['rows_out']} 行"
                + (f", 秘匿 {step['suppressed']}" if step["suppressed"] else "")
            )
        return "\n".join(lines)


class AnonymiseError(Exception):
    def __init__(self, message_ja: str, message_en: str):
        self.message_ja, self.message_en = message_ja, message_en
        super().__init__(f"{message_ja} / {message_en}")
