"""shopcli: records, proposals and invoices for a solo personal shopper."""

__version__ = "0.1.0"
