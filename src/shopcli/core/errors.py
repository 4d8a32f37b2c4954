"""The error types the domain raises; the CLI turns each into one line on stderr."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """How `shop` ends: the one list of exit codes (README, "Exit codes")."""

    OK = 0
    PROBLEM = 1  # a problem the shopper can fix that fits no narrower kind; doctor found one
    INVALID_INPUT = 2  # a value on the command line or in a file (also Typer's usage errors)
    NOT_FOUND = 3  # a named record does not exist, or a name matches several
    CONFLICT = 4  # the request contradicts the records
    STORAGE = 5  # the database cannot be opened, read or written
    UNEXPECTED = 70  # a bug: nothing about the data is shown (EX_SOFTWARE)
    INTERRUPTED = 130  # Ctrl-C


class ShopError(Exception):
    """Base class: a problem the shopper can fix, shown as one line without a traceback."""

    exit_code = ExitStatus.PROBLEM


class InvalidInput(ShopError):
    """A value given on the command line or in a file is not acceptable."""

    exit_code = ExitStatus.INVALID_INPUT


class NotFound(ShopError):
    """A named record does not exist."""

    exit_code = ExitStatus.NOT_FOUND


class Ambiguous(ShopError):
    """A name or prefix matches more than one record."""

    exit_code = ExitStatus.NOT_FOUND


class Conflict(ShopError):
    """The request contradicts the records (a dependency, a state, a duplicate)."""

    exit_code = ExitStatus.CONFLICT


class CardNumberRefused(InvalidInput):
    """A free-text field holds what looks like a payment card number."""


class StorageError(ShopError):
    """The database cannot be opened, read or written."""

    exit_code = ExitStatus.STORAGE


class ShopWarning(UserWarning):
    """Something the shopper should know that does not stop the command (a message too large
    for Gmail to show whole): domain code warns with `warnings.warn(..., ShopWarning)`, and
    the CLI prints it as one `Warning:` line on stderr."""
