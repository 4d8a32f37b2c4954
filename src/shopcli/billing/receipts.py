"""Receipts: a store's or carrier's receipt (PDF or image) kept with a job cost or an item.

The file is kept inside the database as a blob with its name, type, size and SHA-256, so a
backup, a restore, an export, a client's export and forgetting a client all cover it, with
no second place to forget. What a file is is decided by its content (its first bytes), not
its name: a `.pdf` that is really a web page is refused. Each file may be up to 20 MB.
"""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

from shopcli.core import validate
from shopcli.core.dates import now
from shopcli.core.errors import Conflict, InvalidInput, NotFound
from shopcli.storage import Store, events
from shopcli.storage import jobs as job_queries
from shopcli.storage import receipts as queries
from shopcli.storage.rows import Item, Job

MAX_BYTES = 20 * 1024 * 1024
# Disbursement lines: what each refers to in its `basis`.
ITEM_LINES = ("goods", "shipping", "customs")
COST_LINES = ("job_shipping", "job_customs", "job_cost")
# HEIF brands phones write (HEIC photos), and AVIF.
_HEIF_BRANDS = {
    b"heic": "image/heic",
    b"heix": "image/heic",
    b"hevc": "image/heic",
    b"heim": "image/heic",
    b"heis": "image/heic",
    b"mif1": "image/heif",
    b"msf1": "image/heif",
    b"avif": "image/avif",
}


def sniff(head: bytes) -> str | None:
    """The MIME type of a PDF or image judged by its first bytes; None for anything else."""
    if b"%PDF-" in head[:1024]:  # a few producers put bytes before the header
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return _HEIF_BRANDS[head[8:12]]
    return None


def read_file(path: str | Path) -> dict:
    """A receipt file read and checked: name, type, size, SHA-256 and the bytes.

    Refused before anything is stored: a missing or unreadable file, one over the size
    limit (judged before it is read), one whose content is not a PDF or an image.
    """
    path = Path(path)
    shown = path.name or str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InvalidInput(f"no receipt file at {path}") from None
    except OSError as exc:
        raise InvalidInput(f"cannot read the receipt {shown}: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput(f"the receipt {shown} is not a regular file")
    if info.st_size > MAX_BYTES:
        raise InvalidInput(
            f"the receipt {shown} is {_megabytes(info.st_size)}; a receipt may be at most "
            f"{_megabytes(MAX_BYTES)} (scan it at a lower resolution, or save it as PDF)"
        )
    if info.st_size == 0:
        raise InvalidInput(f"the receipt {shown} is empty")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read the receipt {shown}: {exc.strerror}") from None
    if len(data) > MAX_BYTES:  # it grew while being read
        raise InvalidInput(f"the receipt {shown} is larger than {_megabytes(MAX_BYTES)}")
    mime = sniff(data[:1024])
    if mime is None:
        raise InvalidInput(
            f"the receipt {shown} is not a PDF or an image (PNG, JPEG, GIF, WebP, TIFF, HEIC) "
            "by its content, whatever its name says"
        )
    # Kept as a plain file name: it becomes an attachment's name and `save`'s default.
    name = "".join(ch for ch in path.name if ch.isprintable() and ch not in "/\\").strip()
    if name in ("", ".", ".."):
        name = "receipt"
    name = validate.text(name, "receipt file name", max_length=255)
    return {
        "name": name,
        "mime": mime,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "data": data,
    }


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


def keep(
    store: Store, file: dict, *, job: Job, cost: dict | None = None, item: Item | None = None
) -> dict:
    """Store a file read by `read_file` with a cost or an item of `job`, and log it."""
    if (cost is None) == (item is None):
        raise ValueError("a receipt belongs to one cost or one item")
    with store.write():
        cost_id = cost["id"] if cost else None
        item_id = item["id"] if item else None
        twin = queries.same_file(store, file["sha256"], cost_id=cost_id, item_id=item_id)
        if twin:
            raise Conflict(f"this file is kept with that record already (receipt #{twin})")
        receipt_id = queries.add(
            store,
            {
                "job_id": job["id"],
                "cost_id": cost_id,
                "item_id": item_id,
                "name": file["name"],
                "mime": file["mime"],
                "size": file["size"],
                "sha256": file["sha256"],
                "data": file["data"],
                "created_at": now(),
            },
        )
        what = f"cost #{cost_id}" if cost else f"item #{item_id}"
        events.log(
            store,
            "receipt.added",
            f"receipt #{receipt_id} ({file['mime']}, {file['size']} bytes) kept with {what}",
            client_id=job["client_id"],
            job_id=job["id"],
            item_id=item_id,
            detail={
                "receipt_id": receipt_id,
                "cost_id": cost_id,
                "item_id": item_id,
                "sha256": file["sha256"],
            },
        )
    return get(store, receipt_id)


def add_to_item(store: Store, item: Item, path: str | Path) -> dict:
    file = read_file(path)
    job = job_queries.existing(store, item["job_id"])
    return keep(store, file, job=job, item=item)


def add_to_cost(store: Store, cost_id: int, path: str | Path) -> dict:
    file = read_file(path)
    cost = store.get("job_costs", cost_id)
    if cost is None:
        raise NotFound(f"no job cost with id {cost_id} (see `shop cost list JOB`)")
    job = job_queries.existing(store, cost["job_id"])
    return keep(store, file, job=job, cost=cost)


def get(store: Store, receipt_id: int) -> dict:
    row = queries.by_id(store, receipt_id)
    if row is None:
        raise NotFound(f"no receipt with id {receipt_id} (see `shop receipt list`)")
    return row


def contents(store: Store, receipt_id: int) -> tuple[dict, bytes]:
    """A receipt and its file, checked against the SHA-256 it was kept with."""
    row = get(store, receipt_id)
    data = queries.data(store, receipt_id) or b""
    if hashlib.sha256(data).hexdigest() != row["sha256"]:
        from shopcli.core.errors import StorageError

        raise StorageError(
            f"receipt #{receipt_id} does not match the checksum it was kept with: the database "
            "may be damaged; run `shop doctor`"
        )
    return row, data


def listing(store: Store, job: Job | None = None) -> list[dict]:
    return queries.listing(store, job["id"] if job else None)


def remove(store: Store, receipt_id: int) -> dict:
    """Remove a receipt kept by mistake; its bytes are overwritten in the database file."""
    from shopcli.storage import maintenance

    row = get(store, receipt_id)
    _refuse_billed(store, row["job_id"], [receipt_id])
    maintenance.secure_delete(store, True)
    try:
        with store.write():
            queries.delete(store, [receipt_id])
            events.log(
                store,
                "receipt.removed",
                f"receipt #{receipt_id} removed",
                client_id=row["client_id"],
                job_id=row["job_id"],
                item_id=row["item_id"],
                detail={"receipt_id": receipt_id, "sha256": row["sha256"]},
            )
    finally:
        maintenance.secure_delete(store, False)
    return row


def erase(store: Store, receipt_ids: list[int]) -> int:
    """Delete receipts outright (forgetting a client; inside the caller's transaction, with
    secure_delete on so their bytes do not linger in the file)."""
    return queries.delete(store, receipt_ids)


def delete_for_cost(store: Store, cost_id: int) -> int:
    """Delete the receipts of a cost being removed (inside the caller's transaction)."""
    ids = queries.ids_for_cost(store, cost_id)
    cost = store.get("job_costs", cost_id)
    if ids and cost:
        _refuse_billed(store, cost["job_id"], ids)
    return queries.delete(store, ids)


def _refuse_billed(store: Store, job_id: int, ids: list[int]) -> None:
    kept = sorted(billed(store, job_id) & set(ids))
    if kept:
        raise Conflict(
            f"receipt #{kept[0]} backs a line of an issued invoice: it is an accounting voucher "
            "and is kept as long as the invoice"
        )


def public(row: dict) -> dict:
    return {
        "id": row["id"],
        "job_id": row["job_id"],
        "job": row.get("job"),
        "cost_id": row["cost_id"],
        "item_id": row["item_id"],
        "attached_to": attached_to(row),
        "name": row["name"],
        "type": row["mime"],
        "size": row["size"],
        "sha256": row["sha256"],
        "added": row["created_at"],
    }


def attached_to(row: dict) -> str:
    if row.get("item_id"):
        return f"item #{row['item_id']} {row.get('item') or ''}".rstrip()
    note = f" ({row['cost_note']})" if row.get("cost_note") else ""
    return f"{row.get('cost_kind') or 'cost'} cost #{row['cost_id']}{note}"


# -- receipts of the lines of an invoice -----------------------------------------------------


def for_lines(store: Store, job_id: int, lines: list[dict]) -> list[dict]:
    """Every re-billed line of a document (draft or issued) with the receipts kept for it.

    Goods, their shipping and duty point at their item by number; the job's own costs at the
    cost by id (documents issued before receipts existed do not record it: none is found).
    """
    kept = queries.listing(store, job_id)
    by_item: dict[int, list[dict]] = {}
    by_cost: dict[int, list[dict]] = {}
    for row in kept:
        if row["item_id"] is not None:
            by_item.setdefault(int(row["item_number"]), []).append(row)
        else:
            by_cost.setdefault(int(row["cost_id"]), []).append(row)
    found = []
    for index, line in enumerate(lines, start=1):
        basis = line.get("basis") or {}
        if line["kind"] in ITEM_LINES and basis.get("number") is not None:
            rows = by_item.get(int(basis["number"]), [])
            ref = {"item_number": basis["number"], "cost_id": None}
        elif line["kind"] in COST_LINES:
            cost_id = basis.get("cost")
            rows = by_cost.get(int(cost_id), []) if cost_id is not None else []
            ref = {"item_number": None, "cost_id": cost_id}
        else:
            continue
        found.append(
            {
                "line": index,
                "kind": line["kind"],
                "description": line.get("description") or "",
                "amount": line["amount"],
                **ref,
                "receipts": [{"id": r["id"], "name": r["name"], "type": r["mime"]} for r in rows],
            }
        )
    return found


def attachments(store: Store, job_id: int, lines: list[dict]) -> list[tuple[str, str, bytes]]:
    """(file name, type, bytes) of the receipts of a document's re-billed lines, each once."""
    seen: set[int] = set()
    files = []
    for line in for_lines(store, job_id, lines):
        for receipt in line["receipts"]:
            if receipt["id"] in seen:
                continue
            seen.add(receipt["id"])
            row, data = contents(store, receipt["id"])
            files.append((f"receipt-{row['id']}-{row['name']}", row["mime"], data))
    return files


def billed(store: Store, job_id: int) -> set[int]:
    """Receipts backing a line of a document issued for the job: accounting vouchers, kept
    as long as the invoice is (forgetting a client keeps them)."""
    from shopcli.billing.invoices import document_of
    from shopcli.storage import invoices as invoice_queries

    found: set[int] = set()
    for row in invoice_queries.for_job(store, job_id):
        for line in for_lines(store, job_id, document_of(row).get("lines", [])):
            found.update(receipt["id"] for receipt in line["receipts"])
    return found
