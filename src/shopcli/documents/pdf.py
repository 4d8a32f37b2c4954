"""PDF output through WeasyPrint, an optional extra (`pip install 'shopcli[pdf]'`)."""

from __future__ import annotations

from shopcli.core.errors import ShopError

INSTALL_HINT = "pip install 'shopcli[pdf]'"


class PdfUnavailable(ShopError):
    """WeasyPrint (or its system libraries) is not installed."""


def available() -> bool:
    try:
        require()
    except PdfUnavailable:
        return False
    return True


def require() -> None:
    """Refuse early, before anything is written, when PDF output cannot work."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        raise PdfUnavailable(
            f"PDF output needs WeasyPrint: run `{INSTALL_HINT}` (it also needs the Pango "
            "system library), or use --format html"
        ) from None


def html_to_pdf(html: str) -> bytes:
    """Render a self-contained HTML document (no external assets) to PDF bytes."""
    require()
    import logging

    from weasyprint import HTML

    # WeasyPrint logs CSS it ignores at WARNING; the document is ours, keep stderr clean.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return HTML(string=html, base_url=None, url_fetcher=_data_only()).write_pdf()


def _data_only():
    """A fetcher that loads only inline `data:` resources: a document never reaches out."""
    try:
        from weasyprint import URLFetcher
    except ImportError:  # WeasyPrint before 67 takes a plain function
        from weasyprint import default_url_fetcher

        def fetch(url: str, *args, **kwargs):
            if not url.startswith("data:"):
                raise ValueError(f"external resource refused: {url}")
            return default_url_fetcher(url, *args, **kwargs)

        return fetch
    return URLFetcher(allowed_protocols={"data"})
