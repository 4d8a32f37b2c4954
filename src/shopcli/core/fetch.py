"""Fetching one web page the shopper names: the only place shopcli goes on the network.

Careful by design: http and https only (also for every redirect), one redirect chain of at
most `MAX_REDIRECTS` hops, a timeout for the whole read, a size cap, no cookies, no
credentials, and a one-line error that says what went wrong (offline, refused, 404...).
"""

from __future__ import annotations

import time
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shopcli.core.errors import InvalidInput, ShopError

if TYPE_CHECKING:
    import socket

TIMEOUT_S = 15.0
MAX_BYTES = 8 * 1024 * 1024  # store pages run 0.3-2 MB; anything far larger is not a page
MAX_REDIRECTS = 5
SCHEMES = ("http", "https")
USER_AGENT = "Mozilla/5.0 (compatible; shopcli product page reader)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
READ_BYTES = 64 * 1024


class FetchFailed(ShopError):
    """The page could not be read: the network, the server or the answer."""


@dataclass(frozen=True)
class Page:
    """A fetched page: its bytes, the address it finally came from and its Content-Type."""

    body: bytes
    url: str
    content_type: str


def check_address(url: str) -> str:
    """A web address with an http or https scheme and a host, or a clear refusal."""
    from urllib.parse import urlsplit

    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        raise InvalidInput("not a web link (it must start with http:// or https://)") from None
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise InvalidInput(
            "only http:// and https:// links can be read (not files or other schemes)"
        )
    return url


def fetch(
    url: str,
    *,
    timeout: float | None = None,
    max_bytes: int | None = None,
) -> Page:
    """GET one page and return it, or raise FetchFailed / InvalidInput with one clear line."""
    timeout = TIMEOUT_S if timeout is None else timeout
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    import ssl
    import urllib.error
    from urllib.parse import urlsplit

    url = check_address(url)
    host = urlsplit(url).hostname
    opener = urllib.request.OpenerDirector()
    # Only what a plain GET needs: no cookie jar, no file:, ftp: or data: handlers, no auth.
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        _Redirects(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
            "Accept-Encoding": "identity",
        },
    )
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            content_type = response.headers.get("Content-Type", "") or ""
            kind = content_type.split(";")[0].strip().lower()
            if kind and kind not in HTML_TYPES:
                raise FetchFailed(
                    f"{host} sent {kind}, not a web page; give the product page's link"
                )
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchFailed(_too_big(host, max_bytes))
            chunks, size = [], 0
            sock = _socket_of(response)
            while True:
                # The deadline holds for every read: a server that drips a byte now and then
                # never lets a socket timeout fire, nor fills a large read.
                left = deadline - time.monotonic()
                if left <= 0:
                    raise FetchFailed(f"{host} did not send the page within {timeout:g} s")
                if sock is not None:
                    sock.settimeout(left)
                try:
                    chunk = response.read1(READ_BYTES)  # what has arrived, one receive
                except TimeoutError:
                    raise FetchFailed(
                        f"{host} did not send the page within {timeout:g} s"
                    ) from None
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise FetchFailed(_too_big(host, max_bytes))
                chunks.append(chunk)
            return Page(b"".join(chunks), response.geturl() or url, content_type)
    except urllib.error.HTTPError as exc:
        raise FetchFailed(_http_error(host, exc.code, exc.reason)) from None
    except urllib.error.URLError as exc:
        raise FetchFailed(_network_error(host, exc.reason, timeout)) from None
    except TimeoutError:
        raise FetchFailed(f"{host} did not answer within {timeout:g} s") from None
    except ssl.SSLError as exc:
        raise FetchFailed(f"secure connection to {host} failed ({exc.reason})") from None
    except (ConnectionError, OSError) as exc:
        if isinstance(exc, ShopError):
            raise
        raise FetchFailed(_network_error(host, exc, timeout)) from None


def _socket_of(response: object) -> socket.socket | None:
    """The socket an http.client response reads from (its file's raw SocketIO holds it), to
    give each read the time left; None if the response is not one (then every read still
    waits at most the timeout given to `open`)."""
    import socket

    found = getattr(getattr(getattr(response, "fp", None), "raw", None), "_sock", None)
    return found if isinstance(found, socket.socket) else None


def _too_big(host: str | None, max_bytes: int) -> str:
    return (
        f"the page from {host} is larger than {max_bytes // (1024 * 1024)} MB; save it from "
        "the browser and use --from-page FILE.html"
    )


def _http_error(host: str | None, code: int, reason: object) -> str:
    if code in (401, 403, 429):
        return (
            f"{host} refused to send the page ({code} {reason}); stores often block programs: "
            "save the page from the browser and use --from-page FILE.html"
        )
    if code in (404, 410):
        return f"{host} has no such page ({code} {reason}); check the link"
    if 300 <= code < 400:
        return (
            f"{host} redirected too often, in a loop, or to a non-web address ({code}); "
            f"only {MAX_REDIRECTS} redirects, to http and https only, are followed"
        )
    return f"{host} answered {code} {reason}"


def _network_error(host: str | None, reason: object, timeout: float) -> str:
    import socket

    if isinstance(reason, socket.gaierror):
        return f"cannot find {host}: no network connection (offline?) or the name does not exist"
    if isinstance(reason, TimeoutError):
        return f"{host} did not answer within {timeout:g} s"
    if isinstance(reason, ConnectionRefusedError):
        return f"{host} refused the connection"
    if isinstance(reason, OSError) and reason.errno in (101, 113, 65, 51):  # unreachable
        return f"cannot reach {host}: no network connection (offline?)"
    text = getattr(reason, "strerror", None) or str(reason)
    return f"cannot read the page from {host}: {text}"


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows one chain of redirects, at most MAX_REDIRECTS long, to http and https only."""

    max_redirections = MAX_REDIRECTS
    max_repeats = 2

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        from urllib.parse import urlsplit

        if urlsplit(newurl).scheme.lower() not in SCHEMES:
            raise FetchFailed(
                f"{urlsplit(req.full_url).hostname} redirected to a non-web address; "
                "only redirects to http and https are followed"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)
