"""The planted-PII corpus (fixed seed): 400 people with names, phones in every style, e-mail,
My Numbers, street addresses, birth dates (Western and 和暦) and notes mentioning some of them."""

import random

from hiraku.privacy.detectors.mynumber import check_digit

SURNAMES = "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 斎藤 清水 山崎 森 池田 橋本 阿部 石川 山下 中島 石井 小川 前田 岡田 長谷川 藤田 後藤 近藤 村上 遠藤 青木 坂本".split()
GIVEN = "太郎 一郎 健太 翔太 大輔 拓也 直樹 誠 浩二 和也 花子 陽子 美咲 由美子 恵子 真由美 愛 結衣 陽菜 さくら 優子 裕子 明美 直美 久美子 翔 蓮 大翔 悠真 湊".split()
WIDE = str.maketrans("0123456789-", "０１２３４５６７８９－")
N = 400


def _my_number(rng: random.Random) -> str:
    first = "".join(str(rng.randrange(10)) for _ in range(11))
    number = first + str(check_digit(first))
    style = rng.randrange(3)
    return (
        number
        if style == 0
        else f"{number[:4]} {number[4:8]} {number[8:]}"
        if style == 1
        else f"{number[:4]}-{number[4:8]}-{number[8:]}"
    )


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.6:
        digits = (
            f"0{rng.choice('789')}0",
            f"{rng.randrange(10000):04d}",
            f"{rng.randrange(10000):04d}",
        )
    else:
        digits = "0242", f"{rng.randrange(10, 100)}", f"{rng.randrange(10000):04d}"
    style = rng.randrange(4)
    if style == 0:
        return "".join(digits)
    if style == 1:
        return "-".join(digits).translate(WIDE)  # full-width
    if style == 2:
        return f"({digits[0]}){digits[1]}-{digits[2]}"
    return "-".join(digits)


def _birth(rng: random.Random) -> str:
    year, month, day = rng.randrange(1930, 2020), rng.randrange(1, 13), rng.randrange(1, 29)
    if rng.random() < 0.5:
        return f"{year}/{month}/{day}"
    era, start = (
        ("昭和", 1925) if year < 1989 else ("平成", 1988) if year < 2019 else ("令和", 2018)
    )
    return f"{era}{year - start}年{month}月{day}日"


def build_corpus() -> tuple[list[str], list[list[str]]]:
    rng = random.Random(20261123)
    rows = []
    for i in range(N):
        surname, given = rng.choice(SURNAMES), rng.choice(GIVEN)
        name = surname + rng.choice(["", " ", "　"]) + given
        phone = _phone(rng)
        rows.append(
            [
                name,
                phone,
                f"user{i}.{rng.randrange(1000)}@example{rng.randrange(9)}.jp",
                _my_number(rng),
                f"会津若松市{rng.choice(['追手町', '栄町', '城東町', '一箕町大字八幡'])}{rng.randrange(1, 9)}-{rng.randrange(1, 30)}-{rng.randrange(1, 20)}",
                _birth(rng),
                f"{surname}{given}様より{phone}に折り返し希望。道路の陥没について相談あり。"
                if i % 4 == 0
                else "道路の陥没について相談あり。担当課へ引き継ぎ済み。",
            ]
        )
    return ["氏名", "電話番号", "メールアドレス", "個人番号", "住所", "生年月日", "相談内容"], rows
