"""Storage: the SQLite file, its connection, transactions, migrations and every query."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from shopcli.core.errors import Conflict, StorageError

if TYPE_CHECKING:
    from sqlite_utils import Database

# How long a command waits for another one's write to finish before it gives up. The wait
# is made of short tries (BUSY_STEP_S each, SQLite's own busy wait), and between them only
# whole transactions are tried again: the opening of the database, BEGIN IMMEDIATE, and a
# statement outside any transaction.
BUSY_TIMEOUT_S = 300.0
BUSY_STEP_S = 1.0
# Called once when a command starts waiting (the CLI says so on a terminal); storage itself
# prints nothing.
on_wait: Callable[[], None] | None = None

T = TypeVar("T")


def _is_busy(exc: BaseException) -> bool:
    text = str(exc)
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def patiently(attempt: Callable[[], T]) -> T:
    """Run `attempt` (a whole transaction, or nothing yet begun) and try it again while
    another command holds the database, for up to BUSY_TIMEOUT_S."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    told = False
    pause = 0.02
    while True:
        try:
            return attempt()
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or time.monotonic() >= deadline:
                raise
            if not told and on_wait is not None:
                on_wait()
            told = True
            time.sleep(min(pause, max(deadline - time.monotonic(), 0)))
            pause = min(pause * 2, 0.25)


def _create_private(path: Path) -> None:
    """Create the file readable by its owner only, before SQLite ever opens it.

    SQLite gives the -wal and -shm files the mode of the database file, so they follow.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)


# How many migrations this shopcli has and the newest one (storage/migrations.py; a test
# keeps them equal to it). A database that has exactly these is opened without importing the
# migrations (~1.5 ms of every command); any other is checked against the whole list.
SCHEMA = (16, "m017_item_status_day")


def _first_wins(names: list[str], row: tuple) -> dict:
    found: dict = {}
    for name, value in zip(names, row, strict=True):
        found.setdefault(name, value)
    return found


# Less free space than this, when SQLite has failed to open or write, means the disk is full
# (WAL mode needs room for its -wal and -shm files even to read).
FULL_BELOW_BYTES = 1024 * 1024


def disk_problem(path: Path) -> str | None:
    """What is wrong with the folder or disk holding `path`, in words the shopper can act on
    (a read-only folder or disk, a full disk), or None. Asked only once SQLite has failed."""
    folder = path.parent
    try:
        found = os.statvfs(folder)
    except OSError:
        return None
    if found.f_flag & os.ST_RDONLY or not os.access(folder, os.W_OK):
        return (
            f"the data folder {folder} is read-only, and shopcli must write beside {path.name} "
            f"even to read it (SQLite keeps {path.name}-wal and {path.name}-shm there): make "
            "the folder writable (or mount its disk read-write), or point SHOP_HOME at a "
            "writable copy of the folder"
        )
    free = found.f_bavail * found.f_frsize
    if free < FULL_BELOW_BYTES:
        return (
            f"the disk holding {folder} is full ({free:,} bytes free): nothing was read or "
            "saved; free some space (old backups are in its backups/ folder) and try again"
        )
    return None


@contextmanager
def _migration_lock(path: Path) -> Iterator[None]:
    """One command at a time upgrades the file (an OS lock beside it, where there is one)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: SQLite's own locking has to do
        yield
        return
    lock = path.with_name(f".{path.name}.upgrade-lock")
    fd = os.open(lock, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            if on_wait is not None:
                on_wait()
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def translate_error(exc: sqlite3.Error, path: Path) -> StorageError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        waited = f"waited {BUSY_TIMEOUT_S:g} s" if BUSY_TIMEOUT_S >= 1 else "waited"
        return StorageError(
            "the database is busy (another shop command is writing); try again when it has "
            f"finished ({waited}; nothing was saved)"
        )
    if "not a database" in text or "malformed" in text:
        return StorageError(f"{path} is not a shopcli database or is damaged; see `shop doctor`")
    if any(
        mark in text for mark in ("readonly", "read-only", "full", "disk I/O", "unable to open")
    ):
        found = disk_problem(path)
        if found:
            return StorageError(found)
    if "readonly" in text or "read-only" in text:
        return StorageError(f"cannot write to {path}: the file or its folder is read-only")
    if "disk is full" in text or "full" in text:
        return StorageError("the disk is full: nothing was saved")
    if "disk I/O" in text:
        return StorageError(
            f"the disk could not read or write {path} (disk I/O error): check the disk, then "
            "run `shop doctor`"
        )
    if "unable to open" in text:
        return StorageError(
            f"cannot open the database at {path}: check that the file and its folder "
            f"{path.parent} exist and that you may read and write them"
        )
    return StorageError(f"database error: {text}")


class Store:
    """One shopcli database: a sqlite3 connection, migrated on open.

    With `create="on write"` and no file yet, the store is an empty database in memory (of
    the current schema) until something is written: then the file is made and used from
    there on. A command that only reads (`shop client list` in a new data folder) leaves
    no database behind.
    """

    absent = False  # no file yet (see the class): reads go to an empty one in memory

    def __init__(self, path: Path, *, create: bool | str = True) -> None:
        self.path = path
        if not path.exists():
            if not create:
                raise StorageError(f"no database at {path}")
            if create == "on write":
                self.absent = True
            else:
                _create_private(path)
        self._db: Database | None = None
        try:
            self.conn = patiently(self._open)
        except sqlite3.Error as exc:
            raise translate_error(exc, path) from None

    def _create(self) -> None:
        """Make the database file, now that something is to be written (see the class)."""
        from shopcli.core import paths

        if not self.absent:
            return
        if self.path.parent == paths.home():
            _ensure_home()
        self.conn.close()
        if not self.path.exists():
            _create_private(self.path)
        self.absent = False
        self._db = None
        try:
            self.conn = patiently(self._open)
        except sqlite3.Error as exc:
            raise translate_error(exc, self.path) from None

    def _open(self) -> sqlite3.Connection:
        """Connect, set up and migrate; on any failure the connection is closed (a half-open
        one would keep a failed -shm mapped), so that the whole open can be tried again."""
        step = min(BUSY_STEP_S, BUSY_TIMEOUT_S)
        if self.absent:
            conn = sqlite3.connect(":memory:", isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            self.conn = conn
            from shopcli.storage.migrations import migrations

            migrations.apply(self.db)
            # Nothing may be written to it: a write goes to the file (`_create`), and one
            # that came here past `write` and `execute` would be lost, so it is refused.
            conn.set_authorizer(_read_only)
            return conn
        conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=step)
        try:
            self.conn = conn
            self._db = None
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA busy_timeout = {int(step * 1000)}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except BaseException:
            conn.close()
            raise
        return conn

    @property
    def db(self) -> Database:
        """A sqlite-utils Database on the same connection (imported on first use: ~80 ms)."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn, execute_plugins=False)
        return self._db

    def _migrate(self) -> None:
        try:
            found = self.conn.execute(
                "SELECT count(*), max(name) FROM _sqlite_migrations WHERE migration_set = 'shopcli'"
            ).fetchone()
        except sqlite3.OperationalError:  # no table yet: a new database
            found = None
        if found is not None and tuple(found) == SCHEMA:
            return
        from shopcli.storage.migrations import migrations

        known = set(migrations.names())
        applied = {m.name for m in migrations.applied(self.conn)}
        unknown = applied - known
        if unknown:
            raise StorageError(
                f"{self.path} was written by a newer shopcli (schema {max(unknown)}); "
                "upgrade shopcli to open it"
            )
        if applied != known:
            with _migration_lock(self.path):
                # Another command may have upgraded the file while this one waited.
                if {m.name for m in migrations.applied(self.conn)} != known:
                    migrations.apply(self.db)

    def schema_version(self) -> str:
        from shopcli.storage.migrations import migrations

        applied = migrations.applied(self.conn)
        return applied[-1].name if applied else ""

    def close(self) -> None:
        self.conn.close()

    # -- transactions -------------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[Store]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) so read-then-write is safe."""
        if self.conn.in_transaction:
            yield self
            return
        self._create()
        try:
            patiently(lambda: self.conn.execute("BEGIN IMMEDIATE"))
        except sqlite3.Error as exc:
            raise translate_error(exc, self.path) from None
        try:
            yield self
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise translate_error(exc, self.path) from None

    # -- generic access -------------------------------------------------------------------

    def execute(self, sql: str, params: Sequence[Any] | dict = ()) -> sqlite3.Cursor:
        if self.absent and _writes(sql):
            self._create()
        try:
            if self.conn.in_transaction:
                return self.conn.execute(sql, params)
            # A statement of its own is a whole transaction: safe to try again.
            return patiently(lambda: self.conn.execute(sql, params))
        except sqlite3.IntegrityError as exc:
            raise Conflict(integrity_message(exc)) from None
        except sqlite3.Error as exc:
            raise translate_error(exc, self.path) from None

    def query(self, sql: str, params: Sequence[Any] | dict = ()) -> list[dict]:
        return list(self.dicts(sql, params))

    def dicts(self, sql: str, params: Sequence[Any] | dict = ()) -> Iterator[dict]:
        """The rows one at a time as dicts (made from plain tuples: `dict(Row)` costs ~4x)."""
        cursor = self.execute(sql, params)
        cursor.row_factory = None
        names = [column[0] for column in cursor.description or ()]
        if len(set(names)) < len(names):  # a name twice (`a.*, b.*`): the first wins, as in Row
            return (_first_wins(names, row) for row in cursor)
        return (dict(zip(names, row, strict=True)) for row in cursor)

    def stream(self, sql: str, params: Sequence[Any] | dict = ()) -> Iterator[sqlite3.Row]:
        """The rows one at a time from a cursor, for long lists (none held in memory).

        Rows are `sqlite3.Row` (row["name"], keys()); `dict(row)` where a dict is needed.
        """
        return iter(self.execute(sql, params))

    def one(self, sql: str, params: Sequence[Any] | dict = ()) -> dict | None:
        row = self.execute(sql, params).fetchone()
        return dict(row) if row is not None else None

    def scalar(self, sql: str, params: Sequence[Any] | dict = ()) -> Any:
        row = self.execute(sql, params).fetchone()
        return row[0] if row is not None else None

    def insert(self, table: str, row: dict) -> int:
        from shopcli.storage.typed import guard

        guard(table, row)
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        cursor = self.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values())
        )
        return int(cursor.lastrowid or 0)

    def update(self, table: str, row_id: int, changes: dict) -> None:
        from shopcli.storage.typed import guard

        if not changes:
            return
        guard(table, changes)
        sets = ", ".join(f"{column} = ?" for column in changes)
        self.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*changes.values(), row_id])

    def get(self, table: str, row_id: int) -> dict | None:
        return self.one(f"SELECT * FROM {table} WHERE id = ?", [row_id])

    def rows(
        self,
        table: str,
        where: str = "1",
        params: Sequence[Any] = (),
        *,
        order_by: str = "id",
        limit: int | None = None,
    ) -> list[dict]:
        sql = f"SELECT * FROM {table} WHERE {where} ORDER BY {order_by}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return self.query(sql, params)

    def find_id(
        self, table: str, row_id: int, where: str = "1", params: Sequence[Any] = ()
    ) -> dict | None:
        """The row with this id, if it also meets `where`."""
        return self.one(f"SELECT * FROM {table} WHERE id = ? AND ({where})", [row_id, *params])

    def find_named(
        self, table: str, column: str, ref: str, where: str = "1", params: Sequence[Any] = ()
    ) -> tuple[list[dict], bool]:
        """Rows whose name equals `ref` (case-insensitive), else those it prefixes.

        Returns (rows, exact).
        """
        exact = self.query(
            f"SELECT * FROM {table} WHERE {column} = ? COLLATE NOCASE AND ({where}) ORDER BY id",
            [ref, *params],
        )
        if exact:
            return exact, True
        pattern = ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        found = self.query(
            f"SELECT * FROM {table} WHERE {column} LIKE ? ESCAPE '\\' AND ({where}) "
            "ORDER BY id LIMIT 50",
            [pattern, *params],
        )
        if not found and not ref.isascii():
            # SQLite folds only ASCII case; compare non-ASCII names in Python.
            folded = ref.casefold()
            found = [
                row
                for row in self.query(f"SELECT * FROM {table} WHERE {where}", list(params))
                if str(row[column]).casefold().startswith(folded)
            ]
            exact_rows = [row for row in found if str(row[column]).casefold() == folded]
            if exact_rows:
                return exact_rows, True
        return found, False


def integrity_message(exc: sqlite3.IntegrityError) -> str:
    text = str(exc)
    if "FOREIGN KEY" in text:
        return "other records still refer to this one"
    if "UNIQUE" in text:
        return f"that would be a duplicate ({text.split(':', 1)[-1].strip()})"
    return f"refused by the database: {text}"


def open_store(path: Path | None = None, *, create: bool = False) -> Store:
    """Open (migrating as needed) the shopper's database. In a new data folder the file is
    made by the first write, or at once with `create` (`shop init`): a command that only
    reads creates nothing (see `Store`)."""
    from shopcli.core import paths

    if path is None:
        path = paths.db_path()
        if create:
            _ensure_home()
        elif not path.exists():
            return Store(path, create="on write")
    return Store(path)


def _ensure_home() -> None:
    from shopcli.core import paths

    try:
        paths.ensure_home()
    except OSError as exc:
        raise StorageError(
            f"cannot create the data folder {paths.home()}: {exc.strerror}; set SHOP_HOME "
            "to a folder you may write"
        ) from None


# Statements that write (what a store without its file yet must make the file for first).
_WRITING = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")


def _writes(sql: str) -> bool:
    head = sql.lstrip()[:8].upper()
    return head.startswith(_WRITING) or (head.startswith("PRAGMA") and "=" in sql)


def _read_only(action: int, first: str | None, second: str | None, db: str | None, _: Any) -> int:
    """The authorizer of the in-memory store: reading only (temporary tables aside)."""
    writing = {
        sqlite3.SQLITE_INSERT,
        sqlite3.SQLITE_UPDATE,
        sqlite3.SQLITE_DELETE,
        sqlite3.SQLITE_CREATE_TABLE,
        sqlite3.SQLITE_CREATE_INDEX,
        sqlite3.SQLITE_CREATE_TRIGGER,
        sqlite3.SQLITE_CREATE_VIEW,
        sqlite3.SQLITE_DROP_TABLE,
        sqlite3.SQLITE_DROP_INDEX,
        sqlite3.SQLITE_DROP_TRIGGER,
        sqlite3.SQLITE_DROP_VIEW,
        sqlite3.SQLITE_ALTER_TABLE,
    }
    if action in writing and db == "main":
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def _references(store: Store, table: str) -> list[tuple[str, str, str]]:
    """(child table, child column, parent column) for every foreign key pointing at `table`."""
    found = []
    for (child,) in store.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall():
        for fk in store.execute(f"PRAGMA foreign_key_list({child})").fetchall():
            if fk["table"] == table:
                found.append((child, fk["from"], fk["to"] or "id"))
    return found


def dependents(store: Store, table: str, row_id: int) -> list[tuple[str, int]]:
    """Every record that depends on one row, directly or through others: (table, count)."""
    # A row reachable by two paths (a decision via its item and via its proposal) counts once.
    paths: dict[str, tuple[list[str], list]] = {}
    for child, where, params in _dependent_sets(store, table, "id = ?", [row_id]):
        wheres, all_params = paths.setdefault(child, ([], []))
        wheres.append(f"({where})")
        all_params.extend(params)
    counts = []
    for child, (wheres, params) in paths.items():
        n = store.scalar(f"SELECT count(*) FROM {child} WHERE {' OR '.join(wheres)}", params)
        if n:
            counts.append((child, int(n)))
    return counts


def _dependent_sets(
    store: Store, table: str, where: str, params: list, depth: int = 0
) -> list[tuple[str, str, list]]:
    if depth > 6:
        return []
    sets = []
    for child, column, parent_column in _references(store, table):
        if child == table:
            continue  # a row pointing at another of its kind (a credit note) is no dependent
        child_where = f"{column} IN (SELECT {parent_column} FROM {table} WHERE {where})"
        sets.append((child, child_where, params))
        sets.extend(_dependent_sets(store, child, child_where, params, depth + 1))
    return sets


def delete_with_dependents(store: Store, table: str, row_id: int) -> None:
    """Delete a row and everything that depends on it, deepest first, in one transaction."""
    with store.write():
        for child, where, params in reversed(_dependent_sets(store, table, "id = ?", [row_id])):
            store.execute(f"DELETE FROM {child} WHERE {where}", params)
        store.execute(f"DELETE FROM {table} WHERE id = ?", [row_id])


def remove_with_dependents(
    store: Store, table: str, row_id: int, label: str, *, force: bool
) -> list[tuple[str, int]]:
    """Remove one record, in one transaction. Records that depend on it are refused (naming
    it by `label`, e.g. "client #3", "item 2/3", never by its name or title) unless `force`,
    and then removed with it. Returns what else went, as `dependents` counts it."""
    with store.write():
        deps = dependents(store, table, row_id)
        if deps and not force:
            raise Conflict(
                f"{label} still has {describe_counts(deps)}; use --force to remove them too"
            )
        delete_with_dependents(store, table, row_id)
    return deps


def describe_counts(counts: list[tuple[str, int]]) -> str:
    """What `dependents` found, in words: "2 jobs, 3 items"."""
    words = {"recipients": "recipient", "jobs": "job", "items": "item", "budgets": "budget"}
    parts = []
    for table, n in counts:
        noun = words.get(table, table.rstrip("s").replace("_", " "))
        parts.append(f"{n} {noun}{'s' if n != 1 else ''}")
    return ", ".join(parts)
