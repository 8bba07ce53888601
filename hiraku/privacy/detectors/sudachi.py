"""One lazily loaded SudachiPy tokenizer for the whole process (loading takes ~0.2 s)."""

from functools import lru_cache


@lru_cache(maxsize=1)
def tokenizer():
    from sudachipy import Dictionary, SplitMode

    return Dictionary(dict="core").tokenizer(SplitMode.C)


def person_name_parts(text: str) -> tuple[int, int, int]:
    """(surname tokens, given-name tokens, other non-space tokens) in `text`.

    "山田 太郎" -> (1, 1, 0); "本庄小学校" -> (0, 0, 2) since 本庄 is a place there.
    """
    surname = given = other = 0
    for morpheme in tokenizer().tokenize(text):
        pos = morpheme.part_of_speech()
        if pos[0] in ("空白", "補助記号"):
            continue
        if pos[:3] == ("名詞", "固有名詞", "人名"):
            if pos[3] == "姓":
                surname += 1
            elif pos[3] == "名":
                given += 1
            else:
                other += 1
        else:
            other += 1
    return surname, given, other
