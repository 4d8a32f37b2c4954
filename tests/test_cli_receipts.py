"""Receipts kept inside the database with costs and items: checked by content, limited in
size, shown on the draft, attached to the invoice email, and carried by backup, restore,
export, a client's export and forgetting a client."""

from __future__ import annotations

import base64
import email
import hashlib
import json
import stat
import struct
import zlib
from email import policy
from pathlib import Path

import pytest

from billing_helpers import item, ready

# Bytes a person could recognise in the database file: forgetting must leave none of them.
MARKER = b"ReceiptMarker-Vasagatan-7-Oskar-Lund"


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_TODAY", "2026-06-20")


def pdf_file(folder: Path, name: str = "dhl.pdf", body: bytes = b"") -> Path:
    path = folder / name
    path.write_bytes(b"%PDF-1.4\n%" + MARKER + body + b"\n%%EOF\n")
    return path


def png_file(folder: Path, name: str) -> Path:
    """A real 1x1 PNG (any name: its type is read from its bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )
    path = folder / name
    path.write_bytes(data)
    return path


def stored(store) -> list[dict]:
    return store.query(
        "SELECT id, job_id, cost_id, item_id, name, mime, size, sha256, data FROM receipts "
        "ORDER BY id"
    )


def test_a_cost_receipt_is_kept_whole_in_the_database(shop, store, tmp_path: Path) -> None:
    ready(shop)
    source = pdf_file(tmp_path)
    result = shop(
        "cost", "add", "Midsummer", "shipping", "12.40", "--note", "DHL", "--receipt", str(source)
    )
    assert "Kept receipt #1 dhl.pdf (application/pdf" in result.stdout
    (row,) = stored(store)
    data = source.read_bytes()
    assert (row["cost_id"], row["item_id"], row["name"], row["mime"]) == (
        1,
        None,
        "dhl.pdf",
        "application/pdf",
    )
    assert bytes(row["data"]) == data and row["size"] == len(data)
    assert row["sha256"] == hashlib.sha256(data).hexdigest()
    assert shop.json("cost", "list", "Midsummer")[0]["receipts"] == [1]
    shown = shop.json("receipt", "show", "1")
    assert (shown["type"], shown["size"], shown["sha256"]) == (
        "application/pdf",
        len(data),
        hashlib.sha256(data).hexdigest(),
    )
    assert shown["attached_to"] == "shipping cost #1 (DHL)"
    out = tmp_path / "copy.pdf"
    shop("receipt", "save", "1", "-o", str(out))
    assert out.read_bytes() == data
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_what_a_file_is_comes_from_its_content_not_its_name(shop, store, tmp_path: Path) -> None:
    ready(shop)
    item(shop, "Wool scarf", "49.90", paid_by="shopper", status="delivered")
    photo = png_file(tmp_path, "scan.dat")
    shop("item", "receipt", "Wool scarf", str(photo))
    assert [(r["name"], r["mime"]) for r in stored(store)] == [("scan.dat", "image/png")]
    fake = tmp_path / "receipt.pdf"
    fake.write_text("<html><body>not a receipt</body></html>")
    refused = shop.fails("cost", "add", "Midsummer", "customs", "3", "--receipt", str(fake), code=2)
    assert "not a PDF or an image" in refused.stderr and "by its content" in refused.stderr
    # Nothing half-written: the refused receipt added no cost either.
    assert store.scalar("SELECT count(*) FROM job_costs") == 0
    assert len(stored(store)) == 1
    twice = shop.fails("item", "receipt", "Wool scarf", str(photo), code=4)
    assert "kept with that record already (receipt #1)" in twice.stderr


def test_a_receipt_over_20_mb_is_refused_before_it_is_read(shop, store, tmp_path: Path) -> None:
    ready(shop)
    big = tmp_path / "huge.pdf"
    with big.open("wb") as handle:  # sparse: no 20 MB written to disk
        handle.write(b"%PDF-1.4\n")
        handle.truncate(20 * 1024 * 1024 + 1)
    refused = shop.fails("cost", "add", "Midsummer", "shipping", "9", "--receipt", str(big), code=2)
    assert "huge.pdf is 20 MB" in refused.stderr and "at most 20 MB" in refused.stderr
    limit = tmp_path / "limit.pdf"
    with limit.open("wb") as handle:
        handle.write(b"%PDF-1.4\n")
        handle.truncate(20 * 1024 * 1024)
    shop("cost", "add", "Midsummer", "shipping", "9", "--receipt", str(limit))
    assert [r["size"] for r in stored(store)] == [20 * 1024 * 1024]
    missing = shop.fails("cost", "add", "Midsummer", "shipping", "9", "--receipt", "nope.pdf")
    assert "no receipt file at nope.pdf" in missing.stderr


def _billed_with_receipts(shop, tmp_path: Path) -> tuple[bytes, bytes]:
    """A job with a scarf bought by the shopper (receipt: a photo) and two costs, one with a
    receipt (a PDF), one without."""
    ready(shop)
    item(shop, "Wool scarf", "49.90", paid_by="shopper", status="delivered")
    photo = png_file(tmp_path, "scarf.png")
    shop("item", "receipt", "Wool scarf", str(photo))
    pdf = pdf_file(tmp_path)
    shop("cost", "add", "Midsummer", "shipping", "12.40", "--note", "DHL", "--receipt", str(pdf))
    shop("cost", "add", "Midsummer", "customs", "3.10", "--note", "duty")
    return photo.read_bytes(), pdf.read_bytes()


def test_the_draft_lists_which_rebilled_lines_have_receipts(shop, tmp_path: Path) -> None:
    _billed_with_receipts(shop, tmp_path)
    result = shop("invoice", "Midsummer")
    assert "Receipts for the re-billed lines: 2 of 3 have one" in result.stderr
    assert "line 2: Wool scarf (goods): #1 scarf.png" in result.stderr
    assert "line 3: DHL (job_shipping): #2 dhl.pdf" in result.stderr
    assert "line 4: duty (job_customs): none (shop cost receipt 2 FILE)" in result.stderr
    lines = shop.json("invoice", "Midsummer")["receipts"]
    assert [(r["line"], r["kind"], [x["id"] for x in r["receipts"]]) for r in lines] == [
        (2, "goods", [1]),
        (3, "job_shipping", [2]),
        (4, "job_customs", []),
    ]


def test_the_invoice_email_can_carry_the_receipts(shop, tmp_path: Path) -> None:
    photo, pdf = _billed_with_receipts(shop, tmp_path)
    shop("invoice", "Midsummer", "--issue")
    target = tmp_path / "invoice.eml"
    shop("invoice", "show", "2026-0001", "--format", "eml", "--attach-receipts", "-o", str(target))
    message = email.message_from_bytes(target.read_bytes(), policy=policy.default)
    files = {a.get_filename(): a for a in message.iter_attachments()}
    assert files["receipt-1-scarf.png"].get_content() == photo
    assert files["receipt-1-scarf.png"].get_content_type() == "image/png"
    assert files["receipt-2-dhl.pdf"].get_content() == pdf
    plain = tmp_path / "plain.eml"
    shop("invoice", "show", "2026-0001", "--format", "eml", "-o", str(plain))
    without = email.message_from_bytes(plain.read_bytes(), policy=policy.default)
    assert not [a for a in without.iter_attachments() if "receipt" in (a.get_filename() or "")]
    refused = shop.fails("invoice", "show", "2026-0001", "--attach-receipts", code=2)
    assert "--attach-receipts goes with --format eml" in refused.stderr


def test_a_receipt_backing_an_issued_invoice_is_kept(shop, store, tmp_path: Path) -> None:
    _billed_with_receipts(shop, tmp_path)
    later = pdf_file(tmp_path, "later.pdf", b"later")
    shop("cost", "add", "Midsummer", "other", "1", "--note", "tape", "--receipt", str(later))
    shop("invoice", "Midsummer", "--issue")  # bills all three costs; receipts 1-3 back it
    refused = shop.fails("receipt", "rm", "2", code=4)
    assert "backs a line of an issued invoice" in refused.stderr
    refused = shop.fails("cost", "rm", "1", code=4)
    assert "accounting voucher" in refused.stderr
    assert store.scalar("SELECT count(*) FROM job_costs") == 3
    # A cost not billed yet goes with its receipt.
    extra = pdf_file(tmp_path, "extra.pdf", b"extra")
    shop("cost", "add", "Midsummer", "other", "2", "--note", "bag", "--receipt", str(extra))
    shop("cost", "rm", "4")
    assert [r["name"] for r in stored(store)] == ["scarf.png", "dhl.pdf", "later.pdf"]


def test_backup_and_restore_carry_the_receipts(shop, store, home: Path, tmp_path: Path) -> None:
    photo, pdf = _billed_with_receipts(shop, tmp_path)
    copy = tmp_path / "backup.db"
    shop("backup", str(copy))
    shop("receipt", "rm", "2")
    assert [r["id"] for r in stored(store)] == [1]
    shop("restore", str(copy), "--yes")
    out = tmp_path / "back.pdf"
    shop("receipt", "save", "2", "-o", str(out))
    assert out.read_bytes() == pdf
    shop("receipt", "save", "1", "-o", str(tmp_path / "photo"))
    assert (tmp_path / "photo").read_bytes() == photo


def test_export_carries_the_receipts_and_imports_them_back(
    shop, store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    photo, pdf = _billed_with_receipts(shop, tmp_path)
    target = tmp_path / "export.json"
    shop("export", "-o", str(target))
    rows = json.loads(target.read_text())["tables"]["receipts"]
    assert [base64.b64decode(r["data"]["base64"]) for r in rows] == [photo, pdf]
    assert [r["sha256"] for r in rows] == [hashlib.sha256(b).hexdigest() for b in (photo, pdf)]
    zipped = tmp_path / "export.zip"
    shop("export", "--format", "csv", "-o", str(zipped))
    import csv
    import io
    import zipfile

    with zipfile.ZipFile(zipped) as archive:
        table = list(csv.DictReader(io.StringIO(archive.read("receipts.csv").decode())))
    assert base64.b64decode(table[1]["data"]) == pdf

    monkeypatch.setenv("SHOP_HOME", str(tmp_path / "elsewhere"))
    shop("import", str(target))
    out = tmp_path / "imported.pdf"
    shop("receipt", "save", "2", "-o", str(out))  # checked against its SHA-256 on the way out
    assert out.read_bytes() == pdf


def test_a_clients_export_holds_their_receipts(shop, tmp_path: Path) -> None:
    photo, pdf = _billed_with_receipts(shop, tmp_path)
    shop("client", "add", "Other Client")
    shop("job", "add", "Other Client", "Other job", "--fee", "flat:10")
    other = pdf_file(tmp_path, "other.pdf", b"someone else")
    shop("cost", "add", "Other job", "other", "1", "--note", "x", "--receipt", str(other))
    data = json.loads(shop("client", "export", "Oskar Lund").stdout)
    rows = data["tables"]["receipts"]
    assert [r["name"] for r in rows] == ["scarf.png", "dhl.pdf"]
    assert [base64.b64decode(r["data"]["base64"]) for r in rows] == [photo, pdf]


def test_forget_erases_receipts_but_keeps_the_vouchers_of_issued_invoices(
    shop, store, home: Path, tmp_path: Path
) -> None:
    _billed_with_receipts(shop, tmp_path)
    shop("invoice", "Midsummer", "--issue")
    shop("job", "add", "Oskar Lund", "Not billed", "--fee", "flat:10")
    loose = pdf_file(tmp_path, "Oskar Lund order.pdf", b"-unbilled-" + MARKER)
    shop("cost", "add", "Not billed", "other", "4", "--note", "x", "--receipt", str(loose))
    result = shop("client", "forget", "Oskar Lund", "--yes")
    assert "kept      2 receipts backing lines of issued invoices" in result.stdout
    kept = stored(store)
    assert [r["id"] for r in kept] == [1, 2]
    # The kept file names no longer name them; the erased file left no bytes behind.
    assert "Oskar" not in " ".join(r["name"] for r in kept)
    raw = b"".join(p.read_bytes() for p in home.glob("shop.db*") if p.is_file())
    assert b"-unbilled-" not in raw


def test_doctor_checks_every_receipt_against_its_checksum(shop, home: Path, tmp_path: Path) -> None:
    import sqlite3

    _billed_with_receipts(shop, tmp_path)
    report = json.loads(shop("doctor", "--json").stdout)
    found = {f["subject"]: f for f in report["findings"]}
    assert found["receipts"]["level"] == "ok" and "all 2 receipts" in found["receipts"]["message"]
    conn = sqlite3.connect(home / "shop.db")
    # One byte changed, the length kept (the schema refuses a blob of another size).
    data = bytearray(conn.execute("SELECT data FROM receipts WHERE id = 2").fetchone()[0])
    data[-3] ^= 0x01
    conn.execute("UPDATE receipts SET data = ? WHERE id = 2", [bytes(data)])
    conn.commit()
    conn.close()
    result = shop.fails("doctor", code=1)
    assert "1 of 2 receipts no longer match the SHA-256" in result.stdout
    assert "receipt #2" in result.stdout
    refused = shop.fails("receipt", "save", "2", "-o", str(tmp_path / "x.pdf"), code=5)
    assert "does not match the checksum" in refused.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_a_receipt_whose_checksum_reads_like_a_card_number_is_kept(
    shop, store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """About one SHA-256 in a thousand holds a card-shaped digit run: the receipt, its events
    (keep, remove) and the import of an export never read it as typed text."""
    from shopcli.core.cards import find_card_number

    body = next(
        b"-%d" % n
        for n in range(100_000)
        if find_card_number(
            hashlib.sha256(pdf_file(tmp_path, "x.pdf", b"-%d" % n).read_bytes()).hexdigest()
        )
    )
    ready(shop)
    source = pdf_file(tmp_path, "dhl.pdf", body)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    assert find_card_number(digest)
    shop("cost", "add", "Midsummer", "shipping", "12.40", "--note", "DHL", "--receipt", str(source))
    shop("cost", "add", "Midsummer", "other", "1", "--note", "x", "--receipt", str(source))
    assert [r["sha256"] for r in stored(store)] == [digest, digest]
    shop("receipt", "rm", "2")
    details = [
        json.loads(d)
        for (d,) in store.execute("SELECT detail FROM events WHERE kind LIKE 'receipt.%'")
    ]
    assert [d["sha256"] for d in details] == [digest, digest, digest]
    target = tmp_path / "export.json"
    shop("export", "-o", str(target))
    monkeypatch.setenv("SHOP_HOME", str(tmp_path / "elsewhere"))
    shop("import", str(target))
    assert shop.json("receipt", "show", "1")["sha256"] == digest
