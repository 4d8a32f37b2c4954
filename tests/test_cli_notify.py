"""`shop notify JOB KIND`: each kind's content, the items it names, eml drafts, the log."""

from __future__ import annotations

import email
import json
from email import policy

from delivery_data import refused
from expect import day, money, percent

JOB = "Gwiazdka"


def _logged(store, kind: str) -> list[dict]:
    rows = store.query("SELECT * FROM events WHERE kind = ? ORDER BY id", [f"notify.{kind}"])
    for row in rows:
        row["detail"] = json.loads(row["detail"])
    return rows


def _frame(text: str) -> None:
    """What every notice has: a subject, the greeting and the shopper's signature."""
    assert text.startswith("Subject: ")
    # No salutation set: a polite greeting without the legal name.
    assert "\nHello,\n" in text and "Ewa Zielińska" not in text
    assert "Marta Wiśniewska" in text and "Prezenty od Marty" in text


def test_received_order_lists_budgets_items_and_terms(shop, delivery_db):
    text = shop("notify", JOB, "received-order").stdout
    _frame(text)
    assert "I have your list: Gwiazdka 2030" in text
    assert day("2030-12-20") in text
    assert f"Hania: {money('250.00', 'PLN')}" in text and f"Kuba: {money('400.00', 'PLN')}" in text
    for title in ("Atlas koni", "Dzwonek rowerowy", "Karta podarunkowa", "Kask"):
        assert title in text
    assert f"My fee: {money('150.00', 'PLN')} for the whole job." in text
    assert f"{percent('30')} of the fee" in text
    assert "Dostawa 2–5 dni roboczych." in text
    assert "I never need your card details" in text
    logged = _logged(delivery_db, "received-order")
    assert len(logged) == 1 and logged[0]["detail"]["format"] == "text"


def test_purchased_names_only_ordered_items(shop, delivery_db):
    refused(shop, "notify", JOB, "purchased", says="no item is ordered", code=3)
    shop("item", "mark", "Atlas", "ordered", "--order-no", "KS-77", "--eta", "2030-12-10")
    text = shop("notify", JOB, "purchased").stdout
    _frame(text)
    assert "1. Atlas koni — for Hania" in text
    assert "Księgarnia, order no. KS-77" in text and f"{money('120.00', 'PLN')}" in text
    assert day("2030-12-10") in text
    assert "Dzwonek" not in text and "Karta" not in text
    assert "this item" in text  # singular
    assert _logged(delivery_db, "purchased")[0]["detail"]["items"] == [1]


def test_purchased_with_item_option(shop, delivery_db):
    shop("item", "mark", "Atlas", "ordered")
    shop("item", "mark", "Dzwonek", "ordered")
    text = shop("notify", JOB, "purchased", "--item", "#2").stdout
    assert "Dzwonek rowerowy" in text and "Atlas" not in text
    assert f"{money('70.00', 'PLN')} (2 × {money('35.00', 'PLN')})" in text
    refused(
        shop,
        *("notify", JOB, "purchased", "--item", "Karta"),
        says="item 1/3 is approved; a purchased notice names items that are",
        code=2,
    )


def test_shipped_gives_carriers_and_tracking(shop, delivery_db):
    for title, carrier, tracking in (("Atlas", "InPost", "620011"), ("Dzwonek", "DPD", "DPD-9")):
        shop("item", "mark", title, "ordered")
        shop("item", "mark", title, "shipped", "--carrier", carrier, "--tracking", tracking)
    text = shop("notify", JOB, "shipped").stdout
    _frame(text)
    assert "These items have been shipped" in text
    assert "Carrier: InPost" in text and "Tracking number: 620011" in text
    assert "Carrier: DPD" in text and "Tracking number: DPD-9" in text
    assert "Karta" not in text


def test_delayed_gives_new_date_and_reason(shop, delivery_db):
    shop("item", "mark", "Atlas", "ordered", "--eta", "2030-12-05")
    shop("item", "mark", "Dzwonek", "ordered", "--eta", "2030-12-05")
    refused(shop, "notify", JOB, "delayed", says="no delay is recorded", code=3)
    shop("item", "delay", "Atlas", "--eta", "2030-12-18", "--reason", "the printer is late")
    text = shop("notify", JOB, "delayed").stdout
    _frame(text)
    assert f"New expected date: {day('2030-12-18')}" in text
    assert "Reason: the printer is late" in text
    assert day("2030-12-20") in text  # the job's deadline is mentioned
    assert "Dzwonek" not in text


def test_inspected_says_result_and_next_step(shop, delivery_db):
    for title in ("Atlas", "Dzwonek"):
        shop("item", "mark", title, "ordered")
    shop("item", "receive", "Atlas", "--ok")
    shop("item", "receive", "Dzwonek", "--damaged", "--note", "bent clamp")
    text = shop("notify", JOB, "inspected").stdout
    _frame(text)
    assert "Result: arrived in good order" in text
    assert "Result: arrived damaged" in text and "Note: bent clamp" in text
    assert "I have contacted the store" in text
    assert "Karta" not in text
    shop("item", "resolve", "Dzwonek", "--exchange")
    text = shop("notify", JOB, "inspected", "--item", "Dzwonek").stdout
    assert "the store is sending a replacement" in text and "Atlas" not in text
    failed = refused(
        shop,
        *("notify", JOB, "inspected", "--item", "Kask"),
        says="item 1/4 is candidate",
        code=2,
    )
    assert "Kask" not in failed.stderr


def test_ready_needs_a_planned_handover_and_names_received_items(shop, delivery_db):
    shop("item", "mark", "Atlas", "ordered")
    shop("item", "receive", "Atlas", "--ok")
    shop("item", "mark", "Dzwonek", "ordered")
    refused(shop, "notify", JOB, "ready", says="no handover planned for", code=3)
    shop(
        "handover",
        JOB,
        "--plan",
        "--method",
        "pickup",
        "--date",
        "2030-12-19",
        "--place",
        "ul. Polna 3",
    )
    text = shop("notify", JOB, "ready").stdout
    _frame(text)
    assert "1. Atlas koni" in text and "Dzwonek" not in text
    assert f"You can pick everything up on {day('2030-12-19')}." in text
    assert "Place: ul. Polna 3" in text


def test_refund_pending_and_refunded(shop, delivery_db):
    shop("item", "mark", "Dzwonek", "ordered")
    shop("item", "mark", "Dzwonek", "cancelled", "--on", "2030-12-01")
    refused(shop, "notify", JOB, "refunded", says="no refund has been received", code=3)
    text = shop("notify", JOB, "refund-pending").stdout
    _frame(text)
    assert "Dzwonek rowerowy" in text and "the store cancelled the order" in text
    assert (
        f"Amount: {money('82.50', 'PLN')}" in text and f"Expected by: {day('2030-12-15')}" in text
    )
    assert "refunds it to the card you paid with" in text
    shop("item", "mark", "Dzwonek", "refunded", "--refund", "70", "--on", "2030-12-09")
    refused(shop, "notify", JOB, "refund-pending", says="no refund is pending", code=3)
    text = shop("notify", JOB, "refunded").stdout
    assert (
        f"Amount: {money('70.00', 'PLN')}" in text and f"Received on: {day('2030-12-09')}" in text
    )
    assert f"Expected was {money('82.50', 'PLN')}" in text


def test_eml_draft(shop, delivery_db, home):
    shop("item", "mark", "Atlas", "ordered")
    shop("item", "mark", "Atlas", "shipped", "--carrier", "InPost", "--tracking", "620011")
    target = home / "shipped.eml"
    shop("notify", JOB, "shipped", "--format", "eml", "-o", str(target))
    message = email.message_from_bytes(target.read_bytes(), policy=policy.default)
    assert message["To"] == "Ewa Zielińska <ewa@example.pl>"
    assert message["From"].addresses[0].addr_spec == "marta@example.pl"
    assert message["Subject"] == "On its way: Gwiazdka 2030"
    assert message["X-Unsent"] == "1"
    body = message.get_body(("plain",)).get_content()
    assert "Tracking number: 620011" in body and "Subject:" not in body
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert _logged(delivery_db, "shipped")[0]["detail"]["format"] == "eml"


def test_eml_needs_the_clients_email(shop, delivery_db):
    shop("client", "edit", "Ewa", "--email", "")
    shop("item", "mark", "Atlas", "ordered")
    refused(
        shop,
        *("notify", JOB, "purchased", "--format", "eml"),
        says="client #1 has no email address",
        code=2,
    )
    assert _logged(delivery_db, "purchased") == []


def test_unknown_kind_and_format(shop, delivery_db):
    refused(shop, "notify", JOB, "arrived", says="unknown notification 'arrived'; kinds:", code=2)
    refused(
        shop,
        *("notify", JOB, "received-order", "--format", "pdf"),
        says="format must be one of text, eml",
        code=2,
    )


def test_notifications_leave_sql_to_storage():
    import inspect
    import re

    from shopcli.delivering import notifications

    assert not re.search(r"\b(SELECT|INSERT|UPDATE|DELETE)\b", inspect.getsource(notifications))


def _html_part(shop, *args: str) -> str:
    from shopcli.cli.app import app

    data = shop.runner.invoke(app, ["notify", *args, "--format", "eml"]).stdout_bytes
    message = email.message_from_bytes(data, policy=policy.default)
    return message.get_body(("html",)).get_content()


def test_eml_html_is_the_notice_from_its_template_with_styles_inline(shop, delivery_db):
    shop("item", "edit", "Atlas", "--title", "Atlas <koni> & mapa")
    markup = _html_part(shop, JOB, "received-order")
    assert '<html lang="en">' in markup and "<style" not in markup
    # The notice's text as written (escaped), its lines kept by the class's inlined style.
    assert "Atlas &lt;koni&gt; &amp; mapa" in markup and "<koni>" not in markup
    assert 'class="notice" style="' in markup and "white-space: pre-wrap" in markup
    assert "I have your list: Gwiazdka 2030" in markup


def test_eml_html_follows_the_shoppers_own_template(shop, delivery_db, home):
    shop("templates", "copy", "notify.html")
    copy = home / "templates" / "notify.html"
    text = copy.read_text(encoding="utf-8")
    text = text.replace("</style>", "  .ps { color: #a00; }\n</style>")
    text = text.replace("</body>", '<p class="ps">P.S. {{ subject }}</p>\n</body>')
    copy.write_text(text, encoding="utf-8")
    markup = _html_part(shop, JOB, "received-order")
    assert '<p class="ps" style="color: #a00;">P.S. I have your list' in markup
    assert "<style" not in markup


def test_the_kind_is_read_whatever_its_case(shop, delivery_db):
    assert (
        shop("notify", JOB, " Received-Order ").stdout
        == shop("notify", JOB, "received-order").stdout
    )
    assert [row["detail"]["kind"] for row in _logged(delivery_db, "received-order")] == [
        "received-order",
        "received-order",
    ]
