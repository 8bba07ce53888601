"""Japanese-aware tokens for the search index and for queries, made by SudachiPy.

Both sides go through the same steps, so whatever folding happens to a document also happens
to the words a user types:

    "ＡＥＤ設置箇所" --NFKC--> "AED設置箇所" --Sudachi--> AED / 設置 / 箇所 --fold--> aed 設置 箇所
    "附属施設"  -> 付属 施設    (normalized_form merges spelling variants)
    "ごみ" and "ゴミ" -> ゴミ   (hiragana folded to katakana)
    "Parks"     -> parks        (Latin words keep their spelling, lowercased)

Mode A gives the shortest units (避難 / 場所), mode C the longest dictionary compounds
(選挙管理委員会). The index holds both, so a query for 「避難場所」 finds 「指定緊急避難場所」
and a query for the whole compound still matches the compound.
"""

import threading
import unicodedata
from dataclasses import dataclass

# Sudachi refuses inputs over 49,149 bytes; 12,000 characters stay below it even at 4 bytes
# per character.
_CHUNK_CHARS = 12_000
_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}

_dictionary = None
_dictionary_lock = threading.Lock()
_local = threading.local()


def _tokenizer():
    """One Sudachi tokenizer per thread over one dictionary per process, loaded on first use."""
    global _dictionary
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        with _dictionary_lock:
            if _dictionary is None:
                from sudachipy import Dictionary

                _dictionary = Dictionary(dict="core")
        tokenizer = _local.tokenizer = _dictionary.tokenizer()
    return tokenizer


def normalize_text(text: str) -> str:
    """Width and compatibility folding (ｶﾞｲﾄﾞ -> ガイド, ＡＢＣ１ -> ABC1, 　 -> space)."""
    return unicodedata.normalize("NFKC", text or "")


def _fold(morpheme) -> str | None:
    surface = morpheme.surface()
    if not any(ch.isalnum() for ch in surface):
        return None  # punctuation, spaces, symbols
    if surface.isascii():
        # Sudachi would "normalize" English to katakana (Open -> オープン); keep the word.
        return surface.lower()
    return morpheme.normalized_form().lower().translate(_HIRAGANA_TO_KATAKANA)


def _chunks(text: str) -> list[str]:
    chunks: list[str] = []
    for line in text.splitlines():
        while len(line) > _CHUNK_CHARS:
            chunks.append(line[:_CHUNK_CHARS])
            line = line[_CHUNK_CHARS:]
        if line.strip():
            chunks.append(line)
    return chunks


def split(text: str, mode: str) -> list[str]:
    """Folded tokens of text in Sudachi mode "A" or "C", in reading order."""
    from sudachipy import SplitMode

    split_mode = SplitMode.A if mode == "A" else SplitMode.C
    tokenizer = _tokenizer()
    tokens: list[str] = []
    for chunk in _chunks(normalize_text(text)):
        for morpheme in tokenizer.tokenize(chunk, split_mode):
            token = _fold(morpheme)
            if token:
                tokens.append(token)
    return tokens


def index_tokens(*texts: str) -> str:
    """Space-separated tokens for one index field: the mode A sequence (so phrases of short
    units match), then the mode C compounds that mode A does not already contain."""
    short: list[str] = []
    long: list[str] = []
    for text in texts:
        if not text:
            continue
        short.extend(split(text, "A"))
        long.extend(split(text, "C"))
    seen = set(short)
    extra = []
    for token in long:
        if token not in seen:
            seen.add(token)
            extra.append(token)
    return " ".join(short + extra)


@dataclass(frozen=True)
class QueryTerm:
    """One word the user typed. It matches a document containing all of `whole` (mode C
    tokens) or the phrase `parts` (mode A tokens, adjacent and in order), whose last token
    may be the start of a longer one when `prefix` is set: バス停 (バス 停) finds バス 停留 所,
    ガイド finds ガイドブック, park finds parks."""

    whole: tuple[str, ...]
    parts: tuple[str, ...]

    @property
    def prefix(self) -> bool:
        # A lone one-character word (市, 町) as a prefix would match far too much.
        return len(self.parts) > 1 or len(self.parts[-1]) > 1


def query_terms(text: str) -> list[QueryTerm]:
    """Words of a query (separated by spaces, full-width ones too), each tokenised like the
    index. Every term must match (AND, as CKAN's default)."""
    terms = []
    for word in normalize_text(text).split():
        whole = tuple(split(word, "C"))
        parts = tuple(split(word, "A"))
        if whole or parts:
            terms.append(QueryTerm(whole=whole or parts, parts=parts or whole))
    return terms
