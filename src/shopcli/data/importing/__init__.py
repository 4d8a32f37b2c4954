"""Imports: a client's gift list (YAML), candidate items in bulk (CSV) and a whole export
(JSON), each all or nothing; `import_file` picks the importer by the file's name.
"""

from __future__ import annotations

from pathlib import Path

from shopcli.core.errors import InvalidInput
from shopcli.data.importing.base import (
    EXPORT_FORMAT,
    GIFTLIST_SUFFIXES,
    ITEMS_SUFFIXES,
    ImportResult,
    Progress,
    parse_json,
    read_text,
    row_lines,
)
from shopcli.data.importing.export import import_export
from shopcli.data.importing.gift_list import import_giftlist
from shopcli.data.importing.items_csv import import_items
from shopcli.storage import Store


def import_contacts(store: Store, path: Path, *, client: str | None = None) -> ImportResult:
    from shopcli.data import contacts

    return contacts.import_contacts(store, path, client=client)


VCF_SUFFIXES = (".vcf", ".vcard")


def import_file(
    store: Store,
    path: Path,
    *,
    job: str | None = None,
    client: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a gift list (.yaml/.yml or .json), an items file (.csv, with a job), contacts
    (.vcf: clients, or with `client` their recipients) or an export (.json from `shop
    export`), all or nothing."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"no file at {path}")
    suffix = path.suffix.lower()
    if suffix in VCF_SUFFIXES:
        if job:
            raise InvalidInput("--job is for an items file (.csv); contacts need no job")
        return import_contacts(store, path, client=client)
    if client:
        raise InvalidInput("--client is for contacts (.vcf): they become that client's recipients")
    if suffix in ITEMS_SUFFIXES:
        if not job:
            raise InvalidInput(f"{path} holds items: name the job they belong to with --job JOB")
        return import_items(store, path, job, progress=progress)
    if job:
        raise InvalidInput("--job is for an items file (.csv); a gift list names its own job")
    if suffix in GIFTLIST_SUFFIXES:
        return import_giftlist(store, path)
    if suffix == ".json":
        text = read_text(path)
        data = parse_json(path, text)
        if isinstance(data, dict) and data.get("format") == EXPORT_FORMAT:
            return import_export(store, path, data, lines=row_lines(text, data))
        return import_giftlist(store, path)
    raise InvalidInput(
        f"cannot tell what {path} holds from its name: use .yaml for a gift list, .csv for items "
        "(with --job), .vcf for contacts or .json for an export from `shop export`"
    )
