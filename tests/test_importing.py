"""Import parsing: YAML kept as written with its lines, CSV dialects and headers, and item rows
checked exactly like `shop item add` checks them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopcli.core.errors import InvalidInput
from shopcli.core.money import parse_amount, to_text
from shopcli.data.importing import gift_list, items_csv


def test_yaml_keeps_numbers_dates_and_words_as_written(tmp_path: Path) -> None:
    text = (
        "client: {name: Otto Berg, phone: 0401234567}\n"
        "job: {title: Winter, deadline: 2027-01-31, budget: 49.90, flag: yes}\n"
        "recipients:\n"
        "  - {name: Ida, sizes: {shoe: 38}, interests: [chess, 7]}\n"
    )
    data = gift_list._load_yaml(tmp_path / "g.yaml", text)
    assert data["client"]["phone"] == "0401234567"  # not octal 67449207
    assert data["job"]["deadline"] == "2027-01-31"
    assert data["job"]["budget"] == "49.90"  # not the float 49.9
    assert data["job"]["flag"] == "yes"
    assert data["recipients"][0]["sizes"] == {"shoe": "38"}
    assert data["recipients"][0]["interests"] == ["chess", "7"]
    assert data["job"].lines["deadline"] == 2
    assert data["recipients"].lines == [4]


def test_yaml_duplicate_key_names_its_line(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"g.yaml, line 3, field name: given twice"):
        gift_list._load_yaml(tmp_path / "g.yaml", "client:\n  name: A\n  name: B\n")


def test_yaml_syntax_error_names_its_line(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"g.yaml, line 2"):
        gift_list._load_yaml(tmp_path / "g.yaml", "client: {name: A\nrecipients: [\n")


@pytest.mark.parametrize(
    ("line", "delimiter"),
    [("title,price", ","), ("title;price;colour", ";"), ("title\tprice", "\t"), ("title", ",")],
)
def test_delimiter_is_read_from_the_header(line: str, delimiter: str) -> None:
    assert items_csv._dialect(line) == delimiter


def test_header_accepts_aliases_and_refuses_unknown_columns(tmp_path: Path) -> None:
    path = tmp_path / "i.csv"
    assert items_csv._header(path, ["Title", "Price", "Color", "Quantity", "Paid by"]) == [
        "title",
        "price",
        "colour",
        "qty",
        "paid_by",
    ]
    with pytest.raises(InvalidInput, match=r"i.csv, line 1, field weight: unknown column"):
        items_csv._header(path, ["title", "price", "weight"])
    with pytest.raises(InvalidInput, match=r"field price: the header row needs a price column"):
        items_csv._header(path, ["title", "store"])
    with pytest.raises(InvalidInput, match=r"field title: the column appears twice"):
        items_csv._header(path, ["title", "price", "name"])


def _checker() -> items_csv._ItemChecker:
    checker = items_csv._ItemChecker.__new__(items_csv._ItemChecker)
    checker.job = {"currency": "EUR", "client_id": 1}
    checker.recipients = {"ida": 7}
    checker.ids = {7}
    checker.amounts, checker.currencies, checker.payers, checker.days = {}, {}, {}, {}
    return checker


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.,  -+٢５", min_size=1, max_size=14))
def test_fast_price_path_agrees_with_parse_amount(text: str) -> None:
    checker = _checker()
    try:
        expected = to_text(parse_amount(text, "price"))
    except InvalidInput:
        with pytest.raises(InvalidInput):
            checker.amount(text, "price")
        return
    assert checker.amount(text, "price") == expected
    assert checker.amount(text, "price") == expected  # from the cache too


def test_row_checker_cleans_like_item_add() -> None:
    names = ["title", "price", "currency", "recipient", "qty", "paid_by", "shipping", "notes"]
    where = {
        name: names.index(name) if name in names else len(names) for name in items_csv.ITEM_FIELDS
    }
    check = _checker().row_checker(where)
    row = check([" Chess set ", "49,90", "usd", "IDA", "2", "Shopper", "5", "", ""])
    assert row == (
        "Chess set",
        None,
        None,
        "49.9",
        "USD",
        7,
        None,
        None,
        2,
        None,
        "shopper",
        "5",
        None,
        None,
    )
    board = check(["Board", "10", "", "", "", "", "", "", ""])
    assert (board[4], board[5], board[8], board[10]) == ("EUR", None, 1, "client")
    for cells, field in [
        (["", "10", "", "", "", "", "", "", ""], "title"),
        (["Board", "", "", "", "", "", "", "", ""], "price"),
        (["Board", "1,234", "", "", "", "", "", "", ""], "price"),
        (["Board", "10", "XXY", "", "", "", "", "", ""], "currency"),
        (["Board", "10", "", "Nobody", "", "", "", "", ""], "recipient"),
        (["Board", "10", "", "", "0", "", "", "", ""], "qty"),
        (["Board", "10", "", "", "1.5", "", "", "", ""], "qty"),
        (["Board", "10", "", "", "", "bank", "", "", ""], "paid_by"),
        (["Board", "10", "", "", "", "", "-3", "", ""], "shipping"),
        (["Board", "10", "", "", "", "", "", "Visa 4111 1111 1111 1111", ""], "notes"),
    ]:
        with pytest.raises(items_csv._FieldError) as caught:
            check(cells)
        assert caught.value.field == field, cells
    dated = _checker().row_checker(
        {
            name: ["title", "price", "return_by"].index(name)
            if name in ("title", "price", "return_by")
            else 3
            for name in items_csv.ITEM_FIELDS
        }
    )
    assert dated(["Board", "10", " 2027-01-15 ", ""])[13] == "2027-01-15"
    for cells, field in [
        (["Board", "10", "15.1.2027", ""], "return_by"),
        (["Board", "10", "2027-02-30", ""], "return_by"),
    ]:
        with pytest.raises(items_csv._FieldError) as caught:
            dated(cells)
        assert caught.value.field == field, cells


def test_iban_and_long_order_numbers_pass_the_card_check() -> None:
    names = ["title", "price", "notes"]
    where = {
        name: names.index(name) if name in names else len(names) for name in items_csv.ITEM_FIELDS
    }
    check = _checker().row_checker(where)
    row = check(["Gift card", "25", "refund to FI21 1234 5600 0007 85, order 12345678901234", ""])
    assert row[9].startswith("refund to FI21")


_CELL = st.text(alphabet=st.sampled_from(["a", "Ö", " ", "\n", "\r", "\t", "\u2028"]), max_size=8)


@settings(max_examples=300, deadline=None)
@given(
    st.tuples(
        st.one_of(_CELL, st.integers(290, 310).map(lambda n: "x" * n)),
        st.one_of(_CELL, st.integers(195, 205).map(lambda n: "s" * n)),
        st.one_of(_CELL, st.integers(45, 55).map(lambda n: "m" * n)),
        st.one_of(_CELL, st.integers(45, 55).map(lambda n: "r" * n)),
        st.one_of(_CELL, st.integers(1995, 2005).map(lambda n: "n" * n)),
    )
)
def test_row_checker_text_cells_agree_with_item_cleaners(cells: tuple[str, ...]) -> None:
    """Titles, stores, sizes and colours are one line and notes may not be, exactly as
    `shop item add` has them (the checker's inline test must never let more through)."""
    from shopcli.work.items import CLEANERS

    names = ["title", "store", "size", "colour", "notes", "price"]
    where = {
        name: names.index(name) if name in names else len(names) for name in items_csv.ITEM_FIELDS
    }
    check = _checker().row_checker(where)
    expected: list = []
    refused = None
    for name, cell in zip(names, cells, strict=False):
        if name != "title" and not cell.strip():
            expected.append(None)
            continue
        try:
            expected.append(CLEANERS[name](cell))
        except InvalidInput as exc:
            refused = (name, str(exc))
            break
    try:
        row = check([*cells, "10", ""])
    except items_csv._FieldError as exc:
        assert refused == (exc.field, exc.message)
        return
    assert refused is None
    assert [row[0], row[1], row[6], row[7], row[9]] == expected


# Cells as shoppers' files hold them: plain and odd amounts, codes, names, quantities, texts
# with line breaks, links good and bad, card numbers grouped every which way, and blanks.
_CELLS = {
    "title": st.sampled_from(
        ["Chess set", " Kite ", "", "Two\nlines", "x" * 301, "Ｌｅｇｏ", "a\x00b", "c\r"]
    ),
    "store": st.sampled_from(["", "Ozon", "s" * 201, "A\rB", "Allegro "]),
    "url": st.sampled_from(
        [
            "",
            "https://a.example/1",
            "ftp://x",
            "http://b.example/a b",
            "https://c.example\nhttp://d",
        ]
    ),
    "price": st.sampled_from(
        ["10", "10.50", "0.5", "1 234,50", "49,90", "1,234", "-3", "", "007", "10\n20", "5\r"]
        + ["1٢", "1.٠٠", "５"]
    ),
    "currency": st.sampled_from(["", "usd", "EUR", " gbp ", "XXY", "EUR\nUSD"]),
    "recipient": st.sampled_from(["", "Ida", "IDA", "#7", "7", "Nobody", "#８", "#" + "7" * 40]),
    "size": st.sampled_from(["", "M", "EU 42", "m" * 51]),
    "colour": st.sampled_from(["", "red", "navy\nblue"]),
    "qty": st.sampled_from(["", "1", "3", "0", "1.5", "²", "２", "99999", "100000", "9" * 30]),
    "notes": st.sampled_from(
        ["", "gift wrap", "two\nlines", "n" * 2001, "4111.1111.1111.1111", "order 12345678901"]
        + ["㊶⑪⑪⑪⑪⑪⑪⑪"]
    ),
    "paid_by": st.sampled_from(["", "client", "Shopper", "bank"]),
    "shipping": st.sampled_from(["", "5", "4,90", "x"]),
    "customs": st.sampled_from(["", "0", "12.345"]),
    "return_by": st.sampled_from(["", "2027-01-15", " 2027-01-15", "15.1.2027", "2027-02-30"]),
}


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(items_csv.ITEM_FIELDS), min_size=1, unique=True),
    st.data(),
)
def test_batch_check_agrees_with_the_row_check(columns: list[str], data) -> None:
    """The column-wise check of many rows gives exactly what the row check gives, and gives
    up (leaving the row check to word the error) on every batch with a row it would refuse."""
    names = ["title", "price", *(c for c in columns if c not in ("title", "price"))]
    rows = data.draw(
        st.lists(st.tuples(*(_CELLS[name] for name in names)).map(list), min_size=1, max_size=6)
    )
    checker = _checker()
    row_check = checker.row_checker(
        {name: names.index(name) if name in names else len(names) for name in items_csv.ITEM_FIELDS}
    )
    batch_check = checker.batch_checker(
        {name: names.index(name) if name in names else None for name in items_csv.ITEM_FIELDS}
    )
    expected = []
    for cells in rows:
        try:
            expected.append(row_check([*cells, ""]))
        except items_csv._FieldError:
            expected = None
            break
    columns_found = batch_check([list(cells) for cells in rows])
    if expected is None:
        assert columns_found is None
    elif columns_found is not None:
        assert list(zip(*columns_found, strict=True)) == expected


def test_batch_check_takes_plain_rows_whole() -> None:
    names = ["title", "price", "currency", "recipient", "qty", "notes", "size"]
    check = _checker().batch_checker(
        {name: names.index(name) if name in names else None for name in items_csv.ITEM_FIELDS}
    )
    rows = [
        ["Kite", "12.50", "usd", "Ida", "2", "", "38"],
        ["Ball ", "7", "", "", "", "order 12345678901", "40"],
        ["Yo-yo", "0.10", "EUR", "#7", "1", "blue one", "42"],
    ]
    columns = check(rows)
    assert columns is not None
    titles, stores, urls, prices, currencies, recipients, sizes, colours, qtys = columns[:9]
    assert titles == ["Kite", "Ball", "Yo-yo"] and prices == ["12.5", "7", "0.1"]
    assert currencies == ["USD", "EUR", "EUR"] and recipients == [7, None, 7]
    assert (qtys, sizes, stores, colours) == ([2, 1, 1], ["38", "40", "42"], [None] * 3, [None] * 3)
    assert columns[9:] == [
        [None, "order 12345678901", "blue one"],
        ["client"] * 3,
        [None] * 3,
        [None] * 3,
        [None] * 3,
    ]


@given(st.lists(st.sampled_from(["a", "é", ",", '"', "\n", "\r", "\r\n", "\x00"])).map("".join))
def test_the_checked_text_is_split_as_a_file_opened_with_newline_off(text: str) -> None:
    """The items import parses the text it read and checked, line by line exactly as the csv
    module would read the file (never opening it again)."""
    import io

    from shopcli.data.importing.base import text_lines

    assert list(text_lines(text)) == list(io.StringIO(text, newline=""))


def test_the_items_import_reads_the_file_once(shop, tmp_path, monkeypatch) -> None:
    """What is parsed is what was checked: the file is read once, so one changed meanwhile
    cannot be parsed half old, half new."""
    from pathlib import Path

    shop("client", "add", "Karl Brandt")
    shop("job", "add", "Karl", "Ostern", "--fee", "flat:25")
    source = tmp_path / "items.csv"
    source.write_text("title,price\nAtlas,35\nGlobe,40\n", encoding="utf-8")
    import builtins

    opened: list[str] = []
    real_path_open, real_open = Path.open, builtins.open

    def path_open(self, *args, **kwargs):
        if self == source:
            opened.append("Path.open")
        return real_path_open(self, *args, **kwargs)

    def plain_open(file, *args, **kwargs):
        if str(file) == str(source):
            opened.append("open")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(Path, "open", path_open)
    monkeypatch.setattr(builtins, "open", plain_open)
    shop("import", str(source), "--job", "Ostern")
    assert len(opened) == 1
    listed = json.loads(shop("item", "list", "--job", "Ostern", "--json").stdout)
    assert [item["title"] for item in listed] == ["Atlas", "Globe"]
