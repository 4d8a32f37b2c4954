"""Backups, restores and the health check: the shopper's business lives in one file.

A backup is a consistent copy made with SQLite's backup API while other commands may write;
a restore checks the copy, keeps the current database aside and swaps the copy in as one
transaction; the doctor says in plain words what is wrong and what to do.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path

from shopcli.core.errors import Conflict, InvalidInput, NotFound, ShopError, StorageError
from shopcli.core.files import Reserved
from shopcli.storage import Store

BACKUPS_DIR = "backups"
# The records a shopper recognises, for "what is in this file".
SUMMARY_TABLES = ("clients", "recipients", "jobs", "items", "invoices", "payments")


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def backups_folder() -> Path:
    from shopcli.core import paths

    return paths.home() / BACKUPS_DIR


def _unique(path: Path) -> Path:
    candidate, n = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


@dataclass
class Copy:
    """A backup file and what it holds."""

    path: Path
    size: int
    schema: str
    counts: dict[str, int]


def backup(store: Store, target: Path | None = None, *, verify: bool = False) -> Copy:
    """Copy the database to `target` (default: a timestamped file in the data folder's
    `backups/`), readable by the owner only. An existing file is never overwritten.

    The copy is made under a hidden temporary name and takes its real name only once it is
    whole and checked, so a killed backup never leaves a broken file under the real name. A
    target that is not a regular file (a FIFO, a device) is written into directly.
    """
    from shopcli.core import files, paths

    _something_to_back_up(store)
    if target is None:
        folder = backups_folder()
        try:
            paths.ensure_home()  # owner-only, like every folder the data folder holds
            folder.mkdir(exist_ok=True, mode=0o700)
        except OSError as exc:
            raise StorageError(f"cannot create {folder}: {exc.strerror}") from None
        target = _unique(folder / f"shop-{_stamp()}.db")
    elif target.is_dir():
        target = _unique(target / f"shop-{_stamp()}.db")
    if files.is_special(target):
        return _backup_into(store, target, verify=verify)
    if target.exists() or target.is_symlink():
        raise Conflict(f"{target} already exists; give a new file name")
    if not target.parent.is_dir():
        raise StorageError(f"cannot write {target}: folder {target.parent} does not exist")
    files.clean_stale(target.parent)
    with files.temporary(target, "backup") as tmp:
        copy = _checked_copy(store, tmp, target, verify=verify)
        try:
            _claim(tmp, target)
        except FileExistsError:
            raise Conflict(f"{target} already exists; give a new file name") from None
        except OSError as exc:
            raise StorageError(
                f"cannot write the backup {target}: {_reason(exc)}; no backup was made"
            ) from None
    return Copy(target, copy.size, copy.schema, copy.counts)


def backup_to(store: Store, out, *, verify: bool = False) -> Copy:
    """A backup written to a stream (`shop backup -`: standard output): made as a file in the
    data folder, checked, then copied out and removed."""
    from shopcli.core import files, paths

    _something_to_back_up(store)
    home = paths.ensure_home()
    files.clean_stale(home)
    with files.temporary(home / "backup.db", "backup") as tmp:
        copy = _checked_copy(store, tmp, Path("-"), verify=verify)
        try:
            with open(tmp, "rb") as source:
                shutil.copyfileobj(source, out, 1024 * 1024)
            out.flush()
        except OSError as exc:
            raise StorageError(f"cannot write the backup: {_reason(exc)}") from None
    return copy


def _something_to_back_up(store: Store) -> None:
    """A new data folder has no database yet (the first command that records something makes
    it): a copy of nothing would only look like a backup."""
    if store.absent:
        raise NotFound(
            "nothing to back up yet: the data folder has no database (the first command that "
            "records something makes it)"
        )


def _backup_into(store: Store, target: Path, *, verify: bool = False) -> Copy:
    """A backup into a FIFO or a device: written into it, never in its place."""
    try:
        with open(target, "wb") as out:
            copy = backup_to(store, out, verify=verify)
    except OSError as exc:
        raise StorageError(f"cannot write the backup to {target}: {_reason(exc)}") from None
    return Copy(target, copy.size, copy.schema, copy.counts)


def _checked_copy(store: Store, tmp: Path, target: Path, *, verify: bool = False) -> Copy:
    """A consistent, standalone, owner-only copy of the database at `tmp`, checked: whole
    (every page the file's header counts), of a known schema and with every row of the
    records a shopper knows, and every page readable as its b-tree (SQLite's quick check: a
    damaged page is found now, not on the day the backup is restored). `verify` runs the full
    integrity check instead (indexes against their tables too, as `shop doctor` and `shop
    restore` do): ~8x the cost of the copy itself."""
    from shopcli.storage import maintenance

    try:
        maintenance.create_private(tmp)
    except OSError as exc:
        raise StorageError(f"cannot write {target}: {exc.strerror}; no backup was made") from None
    try:
        # A new data folder's (empty) database is not a file yet; while another command
        # writes, the backup API copies without waiting for it.
        expected = None if store.absent else maintenance.copy_file(store, tmp, SUMMARY_TABLES)
        if expected is None:
            with maintenance.opened(tmp) as copy:
                maintenance.copy_to(store.conn, copy)
        with maintenance.opened(tmp) as copy:
            maintenance.standalone(copy)
            problems = maintenance.integrity(copy, quick=not verify)
            schema = (maintenance.applied_migrations(copy) or [""])[-1]
            held = maintenance.counts(copy, SUMMARY_TABLES)
        problem = maintenance.header_problem(tmp)
    except (maintenance.FileError, OSError) as exc:
        raise StorageError(
            f"cannot write the backup {target}: {_reason(exc)}; no backup was made"
        ) from None
    if problem or (expected is not None and held != expected):
        raise StorageError(
            f"the copy is not whole ({problem or 'it holds other rows than the database'}); "
            "no backup was made: run `shop doctor`"
        )
    if problems:
        raise StorageError(
            f"the copy failed its integrity check ({problems[0]}): the database itself may be "
            "damaged; run `shop doctor`"
        )
    try:
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
    except OSError as exc:
        raise StorageError(
            f"cannot write the backup {target}: {_reason(exc)}; no backup was made"
        ) from None
    return Copy(tmp, tmp.stat().st_size, schema, held)


def _claim(tmp: Path, target: Path) -> None:
    """Give the finished copy its real name, never replacing a file that appeared meanwhile:
    a hard link fails if the name exists; where links are not supported, a rename."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except OSError:
        if target.exists():
            raise FileExistsError(str(target)) from None
        os.replace(tmp, target)


def _reason(exc: BaseException) -> str:
    from shopcli.storage import maintenance

    if isinstance(exc, maintenance.FileError):
        return exc.reason
    if isinstance(exc, OSError):
        return maintenance.plain_reason(exc.strerror or str(exc))
    return str(exc)


def list_backups() -> list[Path]:
    folder = backups_folder()
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.db"), key=lambda p: p.stat().st_mtime)


# -- restore --------------------------------------------------------------------------------


@dataclass
class RestorePlan:
    """A checked copy, staged in the data folder, ready to replace the current database."""

    source: Path
    reserved: Reserved
    schema: str
    counts: dict[str, int]
    current_exists: bool
    current_problem: str | None
    current_counts: dict[str, int] = field(default_factory=dict)
    # Issued invoice numbers the restore would drop or replace (only with force).
    lost_invoices: list[str] = field(default_factory=list)

    @property
    def staged(self) -> Path:
        return self.reserved.path


@dataclass
class Restored:
    source: Path
    aside: Path | None
    schema: str
    counts: dict[str, int]


def check_restore(source: Path, *, force: bool = False) -> RestorePlan:
    """Check a backup before anything changes: that it is a sound shopcli database whose
    schema this shopcli knows, and that it keeps every invoice already issued (a number
    issued twice is a broken series). The checked copy is staged next to the database."""
    from shopcli.core import files, paths
    from shopcli.storage import maintenance
    from shopcli.storage.migrations import migrations

    source = Path(source)
    if not source.is_file():
        raise InvalidInput(f"no file at {source}")
    db = paths.db_path()
    if db.exists() and os.path.samefile(source, db):
        raise InvalidInput(
            f"{source} is the current database itself: restore from a backup (`shop backup` "
            "makes one); nothing was changed"
        )
    problem = maintenance.header_problem(source)
    if problem:
        raise InvalidInput(f"{source} cannot be restored: {problem}")
    if source.stat().st_size == 0:
        raise InvalidInput(f"{source} cannot be restored: it is empty")
    home = paths.ensure_home()
    files.clean_stale(home)
    reserved = files.reserve(home / "restore.db", "restore")
    staged = reserved.path
    try:
        maintenance.create_private(staged)
        shutil.copyfile(source, staged)
        wal = source.with_name(source.name + "-wal")
        if wal.is_file() and wal.stat().st_size:
            # A copy of a live database: its last commits may still be in the log beside it.
            staged_wal = staged.with_name(staged.name + "-wal")
            maintenance.create_private(staged_wal)
            shutil.copyfile(wal, staged_wal)
    except OSError as exc:
        files.release(reserved)
        raise StorageError(f"cannot stage {source} in {home}: {_reason(exc)}") from None
    try:
        with maintenance.opened(staged) as conn:
            problems = maintenance.integrity(conn)
            if problems:
                raise InvalidInput(f"{source} is damaged ({problems[0]}); nothing was changed")
            applied = maintenance.applied_migrations(conn)
            if applied is None or not maintenance.has_table(conn, "clients"):
                raise InvalidInput(f"{source} is not a shopcli database; nothing was changed")
            known = migrations.names()
            newer = [name for name in applied if name not in known]
            if newer:
                raise InvalidInput(
                    f"{source} was written by a newer shopcli (schema {newer[-1]}); upgrade "
                    "shopcli to restore it; nothing was changed"
                )
            _refuse_doctored(source, conn)
            held = maintenance.counts(conn, SUMMARY_TABLES)
            invoices = maintenance.issued_invoices(conn)
            maintenance.standalone(conn)
        plan = RestorePlan(source, reserved, applied[-1], held, db.exists(), None)
        if db.exists():
            plan.current_problem, plan.current_counts, current = _current_state(db)
            plan.lost_invoices = _lost_invoices(current, invoices)
        if plan.lost_invoices and not force:
            shown = ", ".join(plan.lost_invoices[:10])
            more = (
                f" and {len(plan.lost_invoices) - 10} more" if len(plan.lost_invoices) > 10 else ""
            )
            raise Conflict(
                f"{source} lacks invoices the current database has issued ({shown}{more}): "
                "after restoring it, those numbers would be issued again to other invoices. "
                "Restore a newer backup, or add --force to restore this one anyway (the current "
                "database is kept aside); nothing was changed"
            )
    except maintenance.FileError as exc:
        files.release(reserved)
        raise InvalidInput(
            f"{source} cannot be restored: {exc.detail}; nothing was changed"
        ) from None
    except BaseException:
        files.release(reserved)
        raise
    return plan


def _refuse_doctored(source: Path, conn) -> None:
    """Take nothing in a backup on trust: its schema must be exactly the one its migrations
    make (a dropped trigger or an added one is refused), and its books must match their
    seals."""
    from shopcli.storage import maintenance, seals

    differences = maintenance.schema_differences(conn)
    if differences:
        raise InvalidInput(
            f"{source} cannot be restored: its schema is not the one shopcli makes "
            f"({_first(differences)}); it was changed outside shopcli; nothing was changed"
        )
    if maintenance.has_table(conn, "seals"):
        broken = seals.verify(conn).broken
        if broken:
            raise InvalidInput(
                f"{source} cannot be restored: its books were changed outside shopcli "
                f"({_first([str(b) for b in broken])}); nothing was changed"
            )


def _first(problems: list[str]) -> str:
    more = len(problems) - 1
    return problems[0] + (f", and {more} more difference{'s' if more != 1 else ''}" if more else "")


def _lost_invoices(current: dict[str, str], backup: dict[str, str]) -> list[str]:
    """Numbers issued in the current database that the backup lacks or holds as another
    document."""
    return sorted(number for number, document in current.items() if backup.get(number) != document)


def _current_state(db: Path) -> tuple[str | None, dict[str, int], dict[str, str]]:
    """(what is wrong with the current database or None, its counts, its issued invoices)."""
    from shopcli.storage import maintenance

    problem = maintenance.header_problem(db)
    if problem:
        return problem, {}, {}
    try:
        with maintenance.opened(db) as conn:
            found = maintenance.integrity(conn, quick=True)
            if found:
                return f"it is damaged ({found[0]})", {}, {}
            return (
                None,
                maintenance.counts(conn, SUMMARY_TABLES),
                maintenance.issued_invoices(conn),
            )
    except maintenance.FileError as exc:
        return f"it cannot be read ({exc.detail})", {}, {}


def discard(plan: RestorePlan) -> None:
    from shopcli.core import files

    files.release(plan.reserved)


def restore(plan: RestorePlan) -> Restored:
    """Keep the current database aside, then put the checked copy in its place.

    A sound current database is copied aside and the backup is written into it with the
    backup API: one transaction, safe with other connections open. A damaged one is moved
    aside as it is (with its -wal and -shm) and the copy renamed into its place.
    """
    from shopcli.core import files, paths
    from shopcli.storage import maintenance

    db = paths.db_path()
    aside = _unique(db.with_name(f"{db.name}.before-restore-{_stamp()}"))
    kept: Path | None = aside if plan.current_exists else None
    try:
        if plan.current_exists and plan.current_problem is None:
            _copy_aside(db, aside)
            _write_into(plan.staged, db)
        else:
            if plan.current_exists:
                _move_aside(db, aside)
            os.replace(plan.staged, db)
            os.chmod(db, 0o600)
    except (maintenance.FileError, OSError) as exc:
        raise StorageError(
            f"the restore failed ({_reason(exc)}); the database was not replaced"
        ) from None
    finally:
        files.release(plan.reserved)
    # Open it the usual way: an older backup is upgraded to this shopcli's schema.
    store = Store(db)
    try:
        schema = store.schema_version()
        held = maintenance.counts(store.conn, SUMMARY_TABLES)
    finally:
        store.close()
    return Restored(plan.source, kept, schema, held)


def _copy_aside(db: Path, aside: Path) -> None:
    """A copy of the current database under `aside`, made under a temporary name first: a
    killed restore leaves no broken copy that looks like a good one."""
    from shopcli.core import files
    from shopcli.storage import maintenance

    with files.temporary(aside, "restore") as tmp:
        maintenance.create_private(tmp)
        with maintenance.opened(db) as source, maintenance.opened(tmp) as target:
            maintenance.copy_to(source, target)
            maintenance.standalone(target)
        os.replace(tmp, aside)


def _write_into(staged: Path, db: Path) -> None:
    from shopcli.storage import maintenance

    with maintenance.opened(staged) as source, maintenance.opened(db) as target:
        size = maintenance.page_size(target)
        if maintenance.page_size(source) != size and maintenance.journal_mode(target) == "wal":
            maintenance.set_page_size(source, size)
        maintenance.copy_to(source, target)


def _move_aside(db: Path, aside: Path) -> None:
    for suffix in ("-wal", "-shm", ""):
        part = db.with_name(db.name + suffix)
        if part.exists():
            os.replace(part, aside.with_name(aside.name + suffix))


# -- doctor ---------------------------------------------------------------------------------

OK, WARNING, PROBLEM = "ok", "warning", "problem"


@dataclass
class Finding:
    level: str  # ok | warning | problem
    subject: str
    message: str

    def public(self) -> dict:
        return {"level": self.level, "subject": self.subject, "message": self.message}


def doctor() -> list[Finding]:
    """Check the data folder, the database and the profile; never changes anything."""
    from shopcli.core import paths

    findings: list[Finding] = []
    home = paths.home()
    if not home.is_dir():
        return [Finding(WARNING, "data folder", f"{home} does not exist yet: run `shop init`")]
    findings.append(_mode_finding("data folder", home, 0o700))
    findings.extend(_database_findings(paths.db_path()))
    findings.extend(_profile_findings(paths.profile_path()))
    findings.extend(_backup_findings())
    findings.extend(_leftover_findings(home))
    return findings


def _leftover_findings(home: Path) -> list[Finding]:
    """Temporary copies of the records that killed commands left behind."""
    from shopcli.core import files

    found = files.leftovers(home, backups_folder())
    if not found:
        return [Finding(OK, "temporary copies", "no copies left by interrupted commands")]
    return [
        Finding(
            PROBLEM,
            "temporary copies",
            f"an interrupted {left.kind} left a copy of your records at {left.path} "
            f"({left.size:,} bytes): delete it, or the next shop command that writes a file "
            "removes it",
        )
        for left in found
    ]


def _mode_finding(subject: str, path: Path, wanted: int) -> Finding:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        return Finding(
            PROBLEM,
            subject,
            f"{path} can be read by other users (mode {mode:04o}): run `chmod {wanted:o} {path}`",
        )
    return Finding(OK, subject, f"{path} is private (mode {mode:04o})")


def _database_findings(db: Path) -> list[Finding]:
    from shopcli.storage import maintenance

    if not db.exists():
        return [Finding(WARNING, "database", f"no database at {db} yet: run `shop init`")]
    findings = [_mode_finding("database file", db, 0o600)]
    for suffix in ("-wal", "-shm"):
        extra = db.with_name(db.name + suffix)
        if extra.exists():
            findings.append(_mode_finding(f"database {suffix[1:]} file", extra, 0o600))
    restore_hint = "restore your latest backup with `shop restore FILE`"
    problem = maintenance.header_problem(db)
    if problem:
        findings.append(
            Finding(PROBLEM, "database", f"{db} is unusable: {problem}; {restore_hint}")
        )
        return findings
    try:
        with maintenance.opened(db) as conn:
            _check_database(conn, db, restore_hint, findings)
    except maintenance.FileError as exc:
        from shopcli.storage import disk_problem

        # A full disk or a read-only folder is no reason to restore anything.
        found = disk_problem(db)
        message = found or f"{db} cannot be read ({exc.detail}); {restore_hint}"
        findings.append(Finding(PROBLEM, "database", message))
    return findings


def _check_database(conn, db: Path, restore_hint: str, findings: list[Finding]) -> None:
    """What an open database file says about itself (adds to `findings`)."""
    from shopcli.storage import maintenance
    from shopcli.storage.migrations import migrations

    damage = maintenance.integrity(conn)
    if damage:
        findings.append(
            Finding(
                PROBLEM,
                "integrity",
                f"the database is damaged ({len(damage)} problems, first: {damage[0]}); "
                f"{restore_hint}",
            )
        )
        return
    findings.append(Finding(OK, "integrity", "the database file is sound"))
    applied = maintenance.applied_migrations(conn)
    known = migrations.names()
    if applied is None:
        findings.append(
            Finding(
                PROBLEM,
                "schema",
                f"{db} is an SQLite file but not a shopcli database; {restore_hint}",
            )
        )
        return
    newer = [name for name in applied if name not in known]
    pending = [name for name in known if name not in applied]
    if newer:
        findings.append(
            Finding(
                PROBLEM,
                "schema",
                f"the database was written by a newer shopcli (schema {newer[-1]}): upgrade "
                "shopcli",
            )
        )
    elif pending:
        findings.append(
            Finding(
                WARNING,
                "schema",
                f"the database is at schema {applied[-1]}; the next command upgrades it to "
                f"{known[-1]}",
            )
        )
    else:
        findings.append(Finding(OK, "schema", f"schema {applied[-1]} is current"))
    if not newer:
        differences = maintenance.schema_differences(conn)
        if differences:
            findings.append(
                Finding(
                    PROBLEM,
                    "schema objects",
                    f"the schema was changed outside shopcli: {_first(differences)}; "
                    f"{restore_hint} or ask for help",
                )
            )
        else:
            findings.append(
                Finding(OK, "schema objects", "tables, indexes and triggers are shopcli's own")
            )
    broken = maintenance.foreign_key_problems(conn)
    if broken:
        parts = ", ".join(
            f"{n} in {table} (missing {parent})" for (table, parent), n in sorted(broken.items())
        )
        findings.append(
            Finding(
                PROBLEM,
                "references",
                f"records point at records that do not exist: {parts}; {restore_hint} or ask "
                "for help",
            )
        )
    else:
        findings.append(Finding(OK, "references", "every record points at one that exists"))
    receipts = maintenance.receipt_mismatches(conn)
    if receipts and receipts[1]:
        bad = receipts[1]
        findings.append(
            Finding(
                PROBLEM,
                "receipts",
                f"{len(bad)} of {receipts[0]} receipts no longer match the SHA-256 they were kept "
                f"with (first: receipt #{bad[0]}); {restore_hint}",
            )
        )
    elif receipts:
        findings.append(
            Finding(OK, "receipts", f"all {receipts[0]} receipts match the SHA-256 kept with them")
        )
    if maintenance.has_table(conn, "seals"):
        findings.append(_books_finding(conn, restore_hint))
    elif not newer:
        findings.append(Finding(WARNING, "books", "the next command seals the books"))
    mode = maintenance.journal_mode(conn)
    if mode != "wal":
        findings.append(
            Finding(
                WARNING,
                "journal",
                f"the database uses the {mode} journal; the next command switches it to WAL",
            )
        )


def _books_finding(conn, restore_hint: str) -> Finding:
    """Whether every issued invoice, credit note and payment still matches its seal."""
    from shopcli.storage import seals

    verified = seals.verify(conn)
    if verified.broken:
        first = verified.broken[0]
        more = len(verified.broken) - 1
        others = f" ({more} more problem{'s' if more != 1 else ''} after it)" if more else ""
        return Finding(
            PROBLEM,
            "books",
            f"{first}{others}: the books were changed outside shopcli; {restore_hint} "
            "made before the change, and keep this file for your accountant",
        )
    invoices, payments = verified.checked.get("invoice", 0), verified.checked.get("payment", 0)
    if not verified.heads:
        return Finding(OK, "books", "no invoices or payments to seal yet")
    heads = ", ".join(f"{chain} {value[:16]}" for chain, value in sorted(verified.heads.items()))
    return Finding(
        OK,
        "books",
        f"{invoices} invoices and credit notes, {payments} payments match their seals "
        f"(latest seals: {heads})",
    )


def _profile_findings(path: Path) -> list[Finding]:
    from shopcli.people import profile

    if not path.exists():
        return [Finding(WARNING, "profile", f"no profile at {path}: run `shop init`")]
    findings = [_mode_finding("profile file", path, 0o600)]
    try:
        loaded = profile.load(path)
    except ShopError as exc:
        findings.append(Finding(PROBLEM, "profile", str(exc)))
        return findings
    problems = loaded.problems()
    if problems:
        findings.append(
            Finding(
                PROBLEM,
                "profile",
                "not valid: "
                + "; ".join(f"{key}: {why}" for key, why in problems.items())
                + "; fix with `shop profile set KEY VALUE`",
            )
        )
    unknown = loaded.unknown()
    if unknown:
        verb = "is not a profile key" if len(unknown) == 1 else "are not profile keys"
        findings.append(
            Finding(
                WARNING,
                "profile",
                f"{', '.join(unknown)} {verb} and ignored (a typo?); `shop profile show` "
                "lists the keys",
            )
        )
    missing = [key for key in ("name", "email") if key not in problems and not loaded.get(key)]
    if missing:
        findings.append(
            Finding(
                WARNING,
                "profile",
                f"the profile has no {' or '.join(missing)}: documents need them "
                f"(`shop profile set {missing[0]} ...`)",
            )
        )
    if not problems and not missing and not unknown:
        findings.append(Finding(OK, "profile", "the profile is complete and valid"))
    return findings


def _backup_findings() -> list[Finding]:
    copies = list_backups()
    if not copies:
        return [Finding(WARNING, "backups", "no backup yet: run `shop backup`")]
    latest = copies[-1]
    age = dt.datetime.now() - dt.datetime.fromtimestamp(latest.stat().st_mtime)
    exposed = [p for p in copies if stat.S_IMODE(p.stat().st_mode) & 0o077]
    findings = []
    if exposed:
        findings.append(
            Finding(
                PROBLEM,
                "backups",
                f"{len(exposed)} backups can be read by other users: run `chmod 600` on them",
            )
        )
    if age.days >= 7:
        findings.append(
            Finding(
                WARNING, "backups", f"the latest backup is {age.days} days old: run `shop backup`"
            )
        )
    else:
        findings.append(Finding(OK, "backups", f"latest backup {latest.name}"))
    return findings
