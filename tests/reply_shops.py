"""The shops the reply corpus (tests/replies/) answers: one client per language, five items.

Every reply in the corpus was written against the proposal these commands render, so the
corpus test builds exactly these shops.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shop:
    language: str
    client: str
    email: str
    job: str
    recipients: tuple[str, str]
    items: tuple[tuple[str, int], ...]  # (title, which recipient)


SHOPS: dict[str, Shop] = {
    "en": Shop("en", "Hana Sato", "hana@example.com", "Spring 2027", ("Ken", "Yui"), (
        ("Wooden train set", 0), ("Cat-ear knitting kit", 1), ("Violin rosin", 1),
        ("Music stand", 1), ("Drawing pencils", 0))),
    "fi": Shop("fi", "Anna Virtanen", "anna@example.fi", "Joulu 2027", ("Eero", "Liisa"), (
        ("Puinen junarata", 0), ("Kissankorva-neulesetti", 1), ("Viulun hartsi", 1),
        ("Nuottiteline", 1), ("Piirustuskynät", 0))),
    "pl": Shop("pl", "Jan Kowalski", "jan@example.pl", "Imieniny 2027", ("Piotr", "Zosia"), (
        ("Drewniana kolejka", 0), ("Zestaw do dziergania", 1), ("Kalafonia do skrzypiec", 1),
        ("Pulpit na nuty", 1), ("Kredki rysunkowe", 0))),
    "hu": Shop("hu", "Kovács Réka", "reka@example.hu", "Karácsony 2027", ("Bence", "Lili"), (
        ("Fa vonatszett", 0), ("Cicafüles kötőkészlet", 1), ("Hegedűgyanta", 1),
        ("Kottatartó", 1), ("Rajzceruzák", 0))),
    "ru": Shop("ru", "Ольга Смирнова", "olga@example.ru", "Новый год 2027", ("Миша", "Аня"), (
        ("Деревянная железная дорога", 0), ("Набор для вязания", 1),
        ("Канифоль для скрипки", 1), ("Пюпитр для нот", 1), ("Карандаши для рисования", 0))),
    "uk": Shop("uk", "Оксана Бойко", "oksana@example.ua", "Різдво 2027", ("Тарас", "Марта"), (
        ("Дерев'яна залізниця", 0), ("Набір для в'язання", 1), ("Каніфоль для скрипки", 1),
        ("Пюпітр для нот", 1), ("Олівці для малювання", 0))),
    "zh": Shop("zh", "王芳", "fang@example.cn", "春节 2027", ("小明", "小红"), (
        ("木制火车套装", 0), ("猫耳编织套装", 1), ("小提琴松香", 1), ("乐谱架", 1),
        ("绘画铅笔", 0))),
}  # fmt: skip

SHOPPER = ("Ruth Okafor", "ruth@example.co.uk")


def commands(shop: Shop) -> list[list[str]]:
    """The `shop` commands that build this shop and record its proposal (version 1)."""
    found = [
        ["init", "--name", SHOPPER[0], "--email", SHOPPER[1], "--currency", "EUR",
         "--language", shop.language],
        ["client", "add", shop.client, "--email", shop.email, "--language", shop.language],
        ["recipient", "add", shop.client, shop.recipients[0]],
        ["recipient", "add", shop.client, shop.recipients[1]],
        ["job", "add", shop.client, shop.job, "--deadline", "2027-03-20", "--fee", "flat:40"],
    ]  # fmt: skip
    for title, who in shop.items:
        found.append(
            ["item", "add", shop.job, title, "--for", shop.recipients[who], "--price", "25"]
        )
    found.append(["propose", shop.job])
    return found
