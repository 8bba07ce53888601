"""The one error type of the parsing library: a bilingual message with where it happened.

>>> e = ParseError("列が多すぎます", "too many columns", file="a.csv", row=1, column=10001)
>>> e.bilingual()
'列が多すぎます（ファイル a.csv、1行目、10001列目） / too many columns (file a.csv, row 1, column 10001)'
"""

from __future__ import annotations


class ParseError(Exception):
    """A file that cannot be read as it is. `row` and `column` are 1-based, as a user counts them.

    `column` may be an int (position) or a str (header name).
    """

    def __init__(
        self,
        message_ja: str,
        message_en: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: int | str | None = None,
        offset: int | None = None,
    ) -> None:
        self.message_ja = message_ja
        self.message_en = message_en
        self.file = file
        self.row = row
        self.column = column
        self.offset = offset  # byte offset in the original file, when known
        super().__init__(self.bilingual())

    def _where_ja(self) -> str:
        parts = []
        if self.file:
            parts.append(f"ファイル {self.file}")
        if self.row is not None:
            parts.append(f"{self.row}行目")
        if self.column is not None:
            parts.append(
                f"{self.column}列目" if isinstance(self.column, int) else f"列「{self.column}」"
            )
        if self.offset is not None:
            parts.append(f"バイト位置 {self.offset}")
        return f"（{'、'.join(parts)}）" if parts else ""

    def _where_en(self) -> str:
        parts = []
        if self.file:
            parts.append(f"file {self.file}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        if self.offset is not None:
            parts.append(f"byte offset {self.offset}")
        return f" ({', '.join(parts)})" if parts else ""

    def bilingual(self) -> str:
        return f"{self.message_ja}{self._where_ja()} / {self.message_en}{self._where_en()}"

    def as_dict(self) -> dict:
        """JSON-friendly form for IngestJob.report."""
        return {
            "message": self.bilingual(),
            "message_ja": self.message_ja,
            "message_en": self.message_en,
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "offset": self.offset,
        }
