"""The privacy app's own error: a file the scan cannot read."""


class ScanError(Exception):
    def __init__(self, message_ja: str, message_en: str):
        self.message_ja = message_ja
        self.message_en = message_en
        super().__init__(self.bilingual())

    def bilingual(self) -> str:
        return f"{self.message_ja} / {self.message_en}"
