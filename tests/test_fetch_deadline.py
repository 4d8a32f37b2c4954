"""The whole read of a page has one deadline: a server on 127.0.0.1 (started by the test) that
drips its page a byte at a time, each byte well within any socket timeout, is cut off when
the time for the whole page is up, not after the page (or a 64 KB read) is complete."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from shopcli.core import fetch

HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"


@contextmanager
def dripping(chunked: bool = False) -> Iterator[str]:
    """A server that answers at once, then sends its body a byte every 20 ms until the client
    goes away (a full page would take over half an hour)."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                client, _ = server.accept()
            except TimeoutError:
                continue
            with client:
                client.recv(65536)
                head = HEAD.replace(b"Content-Length: 100000", b"Transfer-Encoding: chunked")
                client.sendall(head if chunked else HEAD)
                try:
                    while not stop.is_set():
                        client.sendall(b"1\r\n<\r\n" if chunked else b"<")
                        time.sleep(0.02)
                except OSError:  # the reader hung up: what the deadline is for
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/page"
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()


@pytest.mark.parametrize("chunked", [False, True], ids=["sized", "chunked"])
def test_a_page_dripped_byte_by_byte_is_cut_off_at_the_deadline(chunked: bool) -> None:
    outcome: list[BaseException | None] = []

    def read() -> None:
        try:
            fetch.fetch(url, timeout=0.5)
            outcome.append(None)
        except BaseException as exc:  # kept for the assertion below
            outcome.append(exc)

    with dripping(chunked) as url:
        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(timeout=60)  # a bound for a hung read, not a measure of speed
        assert not reader.is_alive(), "the read went on past its deadline"
    [error] = outcome
    assert isinstance(error, fetch.FetchFailed)
    assert "did not send the page within 0.5 s" in str(error)
