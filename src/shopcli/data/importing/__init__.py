"""Imports: a client's gift list (YAML), candidate items in bulk (CSV) and a whole export
(JSON), each all or nothing; `import_file` picks the importer by the file's name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shopcli.core.errors import InvalidInput, ShopError
from shopcli.data.importing.base import (
    EXPORT_FORMAT,
    GIFTLIST_SUFFIXES,
    ITEMS_SUFFIXES,
    MAX_IMPORT_BYTES,
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
    suffix: str | None = None,
) -> ImportResult:
    """Import a gift list (.yaml/.yml or .json), an items file (.csv, with a job), contacts
    (.vcf: clients, or with `client` their recipients) or an export (.json from `shop
    export`), all or nothing. `suffix` says what the file holds when its name does not."""
    from shopcli.core.files import check_input

    path = Path(path)
    check_input(path, "the file to import")
    suffix = (suffix or path.suffix).lower()
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


STDIN = "standard input"


def import_stream(store: Store, stream: Any, *, job: str | None = None) -> ImportResult:
    """Import what arrives on standard input (`shop import -`), all or nothing: items with
    --job; otherwise JSON (an export or a gift list) when it starts with `{`, else a gift
    list in YAML. It is kept in a private temporary file while it is read (registered, so a
    killed import's copy is removed later), and errors name "standard input"."""
    from shopcli.core import files, paths
    from shopcli.storage import maintenance

    data = stream.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise InvalidInput(
            f"standard input is larger than {files.size_text(MAX_IMPORT_BYTES)}; not a file to "
            "import"
        )
    head = data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
    suffix = ITEMS_SUFFIXES[0] if job else ".json" if head in (b"{", b"[") else ".yaml"
    home = paths.ensure_home()
    files.clean_stale(home)
    with files.temporary(home / "import", "import") as tmp:
        try:
            maintenance.create_private(tmp)
            tmp.write_bytes(data)
        except OSError as exc:
            raise InvalidInput(f"cannot keep standard input in {home}: {exc.strerror}") from None
        del data
        try:
            result = import_file(store, tmp, job=job, suffix=suffix)
        except ShopError as exc:
            error = type(exc)(str(exc).replace(str(tmp), STDIN))
            error.exit_code = exc.exit_code
            raise error from None
    result.path = Path("-")
    return result
