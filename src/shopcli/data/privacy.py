"""Privacy: everything held about one client (the right of access and portability), and
erasing their personal data while keeping the invoices the law requires (forget).

Both follow the schema rather than a fixed list of tables: a record belongs to the client when
it refers to them, directly or through their recipients, jobs, items, invoices and so on.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shopcli.storage import Store
from shopcli.storage.rows import Client

# How long invoices must be kept, in years (accounting acts).
RETENTION_YEARS = {"Finland": 6, "Poland": 5, "Hungary": 8}
FORGOTTEN = "[forgotten]"
# Free-text columns cleared outright wherever they appear in the client's records.
_CLEARED = re.compile(r"^(?:notes?|.*_notes?|address|.*_address|place|email|phone)$")
# Record columns that describe the person rather than the thing (an item's size is theirs).
_CLEARED_IN = {"items": {"size"}}
# Values that are a code word (a status, a kind): left alone even if a name matches.
_KEYWORD = re.compile(r"[a-z0-9_\-]+|[A-Z]{3}")
_ALREADY = re.compile(r"forgotten (?:client|recipient) #\d+")
# Tables this module rewrites itself.
_OWN = {"clients", "recipients", "events"}


def linked(store: Store, client_id: int) -> dict[str, list[dict]]:
    """Every row that refers to the client, directly or through another such row, by table."""
    from shopcli.storage import exporting as schema

    tables = schema.table_names(store)
    client = store.get("clients", client_id)
    if client is None:
        return {}
    found: dict[str, dict[tuple, dict]] = {"clients": {(client_id,): client}}
    keys = {table: schema.key_columns(store, table) for table in tables}
    queue = ["clients"]
    while queue:
        parent = queue.pop(0)
        for link in schema.links_to(store, parent, tables):
            values = {
                row[link.parent_column]
                for row in found[parent].values()
                if row.get(link.parent_column) is not None
            }
            if not values:
                continue
            bucket = found.setdefault(link.child, {})
            # Keys first: a row reached by two paths (an item via its job and its recipient)
            # is read whole only once.
            new = [
                key
                for key in schema.keys_where_in(store, link.child, link.column, values)
                if key not in bucket
            ]
            if not new:
                continue
            for row in schema.rows_by_keys(store, link.child, new):
                bucket[tuple(row["_rowid_" if k == "rowid" else k] for k in keys[link.child])] = row
            if link.child not in queue:
                queue.append(link.child)
    order = {table: index for index, table in enumerate(tables)}
    return {
        table: [rows[key] for key in sorted(rows, key=_sortable)]
        for table, rows in sorted(found.items(), key=lambda kv: order.get(kv[0], 0))
        if rows
    }


def _sortable(key: tuple) -> tuple:
    return tuple((value is None, str(type(value)), value) for value in key)


# -- access and portability -----------------------------------------------------------------


def client_export(store: Store, client: Client, *, reveal: bool = False) -> dict:
    """One JSON-ready document with everything held about the client and their recipients."""
    from shopcli.data import exporting
    from shopcli.people import profile

    rows = linked(store, client["id"])
    tables: dict[str, list[dict]] = {}
    masked: list[str] = []
    for table, found in rows.items():
        cleaned = [
            {k: exporting.json_value(v) for k, v in row.items() if k != "_rowid_"} for row in found
        ]
        secrets = [] if reveal else exporting.secret_columns(list(cleaned[0]))
        for name in secrets:
            if any(row.get(name) not in (None, "") for row in cleaned):
                masked.append(f"{table}.{name}")
            for row in cleaned:
                row[name] = exporting.mask(row.get(name))
        tables[table] = _decode_json_columns(cleaned)
    me = profile.load()
    return {
        "format": "shopcli-client-export",
        "version": 1,
        "exported_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "held_by": {key: me.get(key) for key in ("name", "business_name", "email", "address")},
        "client": tables["clients"][0],
        "masked": masked,
        "tables": tables,
    }


def _decode_json_columns(rows: list[dict]) -> list[dict]:
    """Show JSON text columns (tastes, sizes, event details) as JSON, when every value is."""
    if not rows:
        return rows
    for name in rows[0]:
        values = [row[name] for row in rows if row[name] not in (None, "")]
        if not values or not all(isinstance(v, str) and v[:1] in "[{" for v in values):
            continue
        try:
            decoded = [json.loads(v) if v not in (None, "") else v for v in (r[name] for r in rows)]
        except ValueError:
            continue
        for row, value in zip(rows, decoded, strict=True):
            row[name] = value
    return rows


def log_export(store: Store, client: Client, destination: str) -> None:
    from shopcli.storage import events

    with store.write():
        events.log(
            store,
            "client.exported",
            f"client #{client['id']} data exported ({destination})",
            client_id=client["id"],
        )


# -- erasure --------------------------------------------------------------------------------


@dataclass
class Forgotten:
    """What forgetting a client changed and what it kept."""

    client_id: int
    name: str
    recipients: int = 0
    erased: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    events: int = 0
    old_copies: list[Path] = field(default_factory=list)

    def public(self) -> dict:
        return {
            "client_id": self.client_id,
            "name": self.name,
            "recipients": self.recipients,
            "erased": self.erased,
            "kept": self.kept,
            "events_redacted": self.events,
            "retention_years": RETENTION_YEARS,
            "old_copies": [str(p) for p in self.old_copies],
        }


def forgotten_name(kind: str, record_id: int) -> str:
    return f"forgotten {kind} #{record_id}"


def plan(store: Store, client: Client) -> dict[str, int]:
    """How many records of each kind refer to the client (for the confirmation)."""
    return {table: len(rows) for table, rows in linked(store, client["id"]).items()}


def forget(store: Store, client: Client) -> Forgotten:
    """Erase the client's and their recipients' personal data in one transaction.

    Names become "forgotten client #N" / "forgotten recipient #N"; contact details, tastes,
    sizes, dates, addresses and notes are cleared; their names are blanked out of the other
    records' text; the event lines about them keep what happened and when, not the words.
    Issued invoices are frozen and kept as issued (the law requires it).
    """
    from shopcli.billing import receipts
    from shopcli.core import memo
    from shopcli.core.dates import now
    from shopcli.storage import events, maintenance
    from shopcli.storage import exporting as schema

    rows = linked(store, client["id"])
    people = rows.get("recipients", [])
    scrub = _scrubber(client, people)
    result = Forgotten(client["id"], forgotten_name("client", client["id"]))
    stamp = now()
    # Receipts backing an issued invoice's lines are accounting vouchers, kept with it (their
    # names scrubbed like any text); every other receipt of theirs is erased outright.
    vouchers: set[int] = set()
    for job in rows.get("jobs", []):
        vouchers |= receipts.billed(store, job["id"])
    kept_files = [row for row in rows.get("receipts", []) if row["id"] in vouchers]
    erased_files = [row["id"] for row in rows.get("receipts", []) if row["id"] not in vouchers]
    if "receipts" in rows:
        rows["receipts"] = kept_files
    maintenance.secure_delete(store, True)
    try:
        with store.write():
            if erased_files:
                receipts.erase(store, erased_files)
                result.erased["receipts"] = len(erased_files)
            if kept_files:
                result.kept["receipts"] = len(kept_files)
            store.update(
                "clients",
                client["id"],
                {
                    "name": result.name,
                    "salutation": None,
                    "email": None,
                    "phone": None,
                    "address": None,
                    "vat_id": None,
                    "notes": None,
                    "referred_by": None,
                    # Consent to be a reference ends with the data it was about.
                    "reference": None,
                    "reference_on": None,
                    "reference_note": None,
                    "recommendation": None,
                    "recommendation_on": None,
                    "updated_at": stamp,
                },
            )
            result.erased["clients"] = 1
            for person in people:
                store.update(
                    "recipients",
                    person["id"],
                    {
                        "name": forgotten_name("recipient", person["id"]),
                        "relation": None,
                        "birthday": None,
                        "dates": "{}",
                        "interests": "[]",
                        "dislikes": "[]",
                        "sizes": "{}",
                        "address": None,
                        "notes": None,
                        "updated_at": stamp,
                    },
                )
            result.recipients = len(people)
            if people:
                result.erased["recipients"] = len(people)
            for table, found in rows.items():
                if table in _OWN:
                    continue
                columns = _columns(table, {c["name"]: c for c in schema.columns(store, table)})
                keys = schema.key_columns(store, table)
                # Rows needing the same change (clear the notes) are changed together.
                groups: dict[tuple, list[tuple]] = {}
                for row in found:
                    changes = _erasure(row, columns, scrub)
                    if changes:
                        key = tuple(row["_rowid_" if k == "rowid" else k] for k in keys)
                        groups.setdefault(tuple(changes.items()), []).append(key)
                for pairs, group in groups.items():
                    erased, kept = maintenance.update_rows(store, table, keys, group, dict(pairs))
                    for bucket, n in ((result.erased, erased), (result.kept, kept)):
                        if n:
                            bucket[table] = bucket.get(table, 0) + n
            if schema_has(store, "events"):
                ids = maintenance.events_about(
                    store,
                    [client["id"]],
                    [row["id"] for row in rows.get("jobs", [])],
                    [row["id"] for row in rows.get("items", [])],
                )
                result.events = maintenance.redact_events(
                    store, ids, "redacted: the client's personal data was erased"
                )
                events.log(
                    store,
                    "client.forgotten",
                    f"client #{client['id']} forgotten: personal data erased",
                    client_id=client["id"],
                    detail={"recipients": len(people), "kept": result.kept},
                )
        for table in ("invoices",):
            issued = len(rows.get(table, []))
            if issued:
                result.kept[table] = max(result.kept.get(table, 0), issued)
    finally:
        maintenance.secure_delete(store, False)
    maintenance.checkpoint(store)
    # Remembered answers may have been asked about the client's data (the label of their VAT
    # id): they are all computed again when next needed.
    memo.clear()
    result.old_copies = _old_copies()
    return result


def schema_has(store: Store, table: str) -> bool:
    from shopcli.storage import exporting as schema

    return table in schema.table_names(store)


# Keys that describe a person inside JSON text (a proposal's snapshot of the recipients).
_PERSONAL_KEYS: dict[str, Any] = {
    "interests": [],
    "dislikes": [],
    "sizes": {},
    "dates": {},
    "birthday": None,
    "relation": None,
    "address": None,
    "notes": None,
    "note": None,
    "email": None,
    "phone": None,
    "vat_id": None,
}
_NAME_KEYS = ("name", "client", "recipient", "buyer")


@dataclass
class _Scrubber:
    """Blanks the client's and recipients' names and contact details out of text, and their
    descriptions out of JSON copies (a snapshot of the recipients with their tastes)."""

    names: set[str]
    pattern: re.Pattern | None

    def mentions(self, text: str) -> bool:
        return bool(self.pattern and self.pattern.search(text))

    def text(self, value: str) -> str:
        return self.pattern.sub(FORGOTTEN, value) if self.pattern else value

    def value(self, value: str) -> str:
        if value[:1] in "[{":
            try:
                data = json.loads(value)
            except ValueError:
                return self.text(value)
            if isinstance(data, (dict, list)):
                cleaned = self._json(data)
                if cleaned != data:
                    return json.dumps(cleaned, ensure_ascii=False, sort_keys=True)
                return value
        return self.text(value)

    def _json(self, data: Any) -> Any:
        if isinstance(data, list):
            return [self._json(item) for item in data]
        if isinstance(data, str):
            return self.text(data)
        if not isinstance(data, dict):
            return data
        about_them = any(
            isinstance(data.get(key), str) and data[key].casefold() in self.names
            for key in _NAME_KEYS
        )
        cleaned = {}
        for key, item in data.items():
            if about_them and key in _PERSONAL_KEYS and item not in (None, "", [], {}):
                cleaned[key] = _PERSONAL_KEYS[key]
            else:
                cleaned[key] = self._json(item)
        return cleaned


def _scrubber(client: Client, people: list[dict]) -> _Scrubber:
    words: set[str] = set()
    names: set[str] = set()
    for value in (client.get("name"), *(p.get("name") for p in people)):
        if value and not _ALREADY.fullmatch(str(value)):
            names.add(str(value).casefold())
            words.add(str(value))
            words.update(part for part in re.split(r"\s+", str(value)) if len(part) >= 3)
    for key in (
        "salutation",
        "email",
        "phone",
        "address",
        "vat_id",
        "referred_by",
        "notes",
        "reference_note",
        "recommendation",
    ):
        if client.get(key):
            words.add(str(client[key]))
    for person in people:
        for key in ("address", "notes"):
            if person.get(key):
                words.add(str(person[key]))
    if not words:
        return _Scrubber(names, None)
    ordered = sorted(words, key=len, reverse=True)
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(word) for word in ordered) + r")(?!\w)", re.IGNORECASE
    )
    return _Scrubber(names, pattern)


def _columns(table: str, info: dict[str, dict]) -> tuple[dict[str, Any], list[str]]:
    """A table's free-text columns: those cleared outright (with their empty value) and those
    whose text is scrubbed of names."""
    cleared: dict[str, Any] = {}
    scrubbed: list[str] = []
    for name, column in info.items():
        if column["pk"] or name in ("id", "created_at", "updated_at") or name.endswith("_id"):
            continue
        if _CLEARED.match(name) or name in _CLEARED_IN.get(table, ()):
            cleared[name] = "" if column["notnull"] else None
        else:
            scrubbed.append(name)
    return cleared, scrubbed


def _erasure(row: dict, columns: tuple[dict[str, Any], list[str]], scrub: _Scrubber) -> dict:
    """The changes that take personal data out of one row."""
    cleared, scrubbed = columns
    changes = {name: empty for name, empty in cleared.items() if row.get(name)}
    texts = [row[name] for name in scrubbed if isinstance(row.get(name), str)]
    if not scrub.mentions("\n".join(texts)):
        return changes  # nothing in this row names them (the common case: skip it fast)
    for name in scrubbed:
        value = row.get(name)
        if not isinstance(value, str) or not value or _KEYWORD.fullmatch(value):
            continue  # a status, kind or currency is never a person's name
        new = scrub.value(value)
        if new != value:
            changes[name] = new
    return changes


def _old_copies() -> list[Path]:
    """Backups and set-aside databases, which still hold what was just erased."""
    from shopcli.core import paths
    from shopcli.data import backup

    copies = list(backup.list_backups())
    copies.extend(sorted(paths.home().glob(f"{paths.DB_NAME}.before-restore-*")))
    return [p for p in copies if not p.name.endswith(("-wal", "-shm"))]
