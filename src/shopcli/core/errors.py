"""The error types the domain raises; the CLI turns each into one line on stderr."""

from __future__ import annotations


class ShopError(Exception):
    """Base class: a problem the shopper can fix, shown as one line without a traceback."""

    exit_code = 1


class InvalidInput(ShopError):
    """A value given on the command line or in a file is not acceptable."""

    exit_code = 2


class NotFound(ShopError):
    """A named record does not exist."""

    exit_code = 3


class Ambiguous(ShopError):
    """A name or prefix matches more than one record."""

    exit_code = 3


class Conflict(ShopError):
    """The request contradicts the records (a dependency, a state, a duplicate)."""

    exit_code = 4


class CardNumberRefused(InvalidInput):
    """A free-text field holds what looks like a payment card number."""


class StorageError(ShopError):
    """The database cannot be opened, read or written."""

    exit_code = 5
