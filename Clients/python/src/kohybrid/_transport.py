"""JSON over HTTP/1.1 to ``kohybrid serve``, on TCP or a Unix domain socket (stdlib only).

One keep-alive connection per thread (and per process, so a fork never shares a socket with its
parent). A request on a reused connection that the server had already closed is sent once more
on a fresh one; a request whose answer was lost mid-way is never resent.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import socket
import threading
from typing import Any, Callable, Dict, List, Optional
from urllib.parse import quote

from .errors import KoHybridError, ServerUnavailableError, error_from_response


class _OneWrite:
    """Sends a request's head and body in one write: ``http.client`` writes them separately,
    and the second write costs a server wake-up per request."""

    _pending: Optional[List[bytes]] = None

    def request(self, method: str, url: str, body: Any = None, headers: Any = {}, **kw: Any) -> None:  # noqa: B006
        self._pending = []
        try:
            super().request(method, url, body, headers, **kw)  # type: ignore[misc]
            data = b"".join(self._pending)
        finally:
            self._pending = None
        super().send(data)  # type: ignore[misc]

    def send(self, data: Any) -> None:
        if self._pending is not None and isinstance(data, (bytes, bytearray)):
            self._pending.append(bytes(data))
        else:
            super().send(data)  # type: ignore[misc]


class TCPConnection(_OneWrite, http.client.HTTPConnection):
    pass


class TLSConnection(_OneWrite, http.client.HTTPSConnection):
    pass


class UnixHTTPConnection(_OneWrite, http.client.HTTPConnection):
    """An ``http.client`` connection over a Unix domain socket."""

    def __init__(self, path: str, timeout: Optional[float] = None) -> None:
        super().__init__("localhost", timeout=timeout)
        self.socket_path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(self.timeout)
            sock.connect(self.socket_path)
        except BaseException:
            sock.close()
            raise
        self.sock = sock


def _json_default(value: Any) -> Any:
    # numpy arrays and scalars (and anything else array-like) by duck typing.
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _first_non_finite(value: Any, path: str) -> Optional[str]:
    """Where the first NaN or infinity in a JSON-able value is, e.g. ``embeddings[3][7]``."""
    if isinstance(value, float):
        return None if math.isfinite(value) else path
    if isinstance(value, dict):
        for key, item in value.items():
            found = _first_non_finite(item, f"{path}.{key}" if path else str(key))
            if found:
                return found
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            found = _first_non_finite(item, f"{path}[{i}]")
            if found:
                return found
    return None


def encode_json(body: Any) -> bytes:
    """UTF-8 JSON; a NaN or infinity is refused with the field it is in."""
    try:
        return json.dumps(body, ensure_ascii=False, allow_nan=False, default=_json_default,
                          separators=(",", ":")).encode("utf-8")
    except ValueError:
        where = _first_non_finite(json.loads(json.dumps(body, default=_json_default)), "")
        raise ValueError(f"{where or 'the request'}: not a finite number (NaN and infinity "
                         f"cannot be sent)") from None


class Transport:
    """Sends JSON requests to one server and decodes the answers.

    Args:
        host, port: a TCP server (ignored when ``socket_path`` is given).
        socket_path: a Unix domain socket to talk to instead of TCP.
        ssl: HTTPS instead of HTTP (TCP only).
        headers: sent with every request (the token goes here).
        timeout: seconds to wait for a connection or an answer; None waits forever.
    """

    def __init__(self, *, host: str = "127.0.0.1", port: int = 8000,
                 socket_path: Optional[str] = None, ssl: bool = False,
                 headers: Optional[Dict[str, str]] = None, timeout: Optional[float] = None) -> None:
        self.host = host
        self.port = port
        self.socket_path = socket_path
        self.ssl = ssl
        self.timeout = timeout
        self.headers = {"Content-Type": "application/json", "Accept": "application/json",
                        "User-Agent": "kohybrid-python"}
        self.headers.update(headers or {})
        self._local = threading.local()
        self._all: List[http.client.HTTPConnection] = []
        self._all_lock = threading.Lock()
        self.closed = False
        #: Called for more detail when no server answers (PersistentClient: the server's log).
        self.failure_detail: Optional[Callable[[], str]] = None

    @property
    def address(self) -> str:
        """Where the server is, for messages."""
        if self.socket_path:
            return f"unix:{self.socket_path}"
        return f"{'https' if self.ssl else 'http'}://{self.host}:{self.port}"

    def _new_connection(self) -> http.client.HTTPConnection:
        if self.socket_path:
            return UnixHTTPConnection(self.socket_path, timeout=self.timeout)
        if self.ssl:
            return TLSConnection(self.host, self.port, timeout=self.timeout)
        return TCPConnection(self.host, self.port, timeout=self.timeout)

    def _connection(self) -> http.client.HTTPConnection:
        pid = os.getpid()
        connection = getattr(self._local, "connection", None)
        if connection is None or getattr(self._local, "pid", None) != pid:
            connection = self._new_connection()
            self._local.connection, self._local.pid = connection, pid
            with self._all_lock:
                self._all.append(connection)
        return connection

    def _drop_connection(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
        self._local.connection = None

    def close(self) -> None:
        """Closes every connection this transport opened; later requests raise."""
        self.closed = True
        with self._all_lock:
            for connection in self._all:
                try:
                    connection.close()
                except OSError:
                    pass
            self._all.clear()

    def _unavailable(self, message: str) -> ServerUnavailableError:
        detail = self.failure_detail() if self.failure_detail else ""
        return ServerUnavailableError(f"{message}{detail}")

    def request(self, method: str, path: str, body: Any = None,
                query: Optional[Dict[str, Any]] = None, *, payload: Optional[bytes] = None) -> Any:
        """``method path`` with ``body`` as JSON (or ``payload``, JSON already encoded); returns
        the decoded JSON answer.

        Raises the :mod:`kohybrid.errors` class the server names for a non-2xx answer, and
        :class:`ServerUnavailableError` when no server answers.
        """
        if self.closed:
            raise ServerUnavailableError("this client is closed")
        quoted = quote(path, safe="/")
        if query:
            pairs = [f"{quote(str(k))}={quote(str(v))}" for k, v in query.items() if v is not None]
            if pairs:
                quoted += "?" + "&".join(pairs)
        if payload is None and body is not None:
            payload = encode_json(body)
        for attempt in (0, 1):
            connection = self._connection()
            reused = connection.sock is not None
            try:
                connection.request(method, quoted, body=payload, headers=self.headers)
                response = connection.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as error:
                self._drop_connection()
                if reused and attempt == 0:
                    continue  # the server closed an idle keep-alive connection: send once more
                raise self._unavailable(
                    f"{method} {path}: the server at {self.address} closed the connection ({error})") from None
            except (ConnectionRefusedError, FileNotFoundError, socket.gaierror) as error:
                self._drop_connection()
                raise self._unavailable(
                    f"cannot reach a kohybrid server at {self.address} ({error}); is it running?") from None
            except socket.timeout:
                self._drop_connection()
                raise self._unavailable(
                    f"{method} {path}: no answer from {self.address} within {self.timeout} s") from None
            except OSError as error:
                self._drop_connection()
                raise self._unavailable(f"{method} {path}: {self.address}: {error}") from None
            if response.will_close:
                self._drop_connection()
            if not 200 <= response.status < 300:
                raise error_from_response(response.status, data, method, path)
            try:
                return json.loads(data.decode("utf-8")) if data else None
            except ValueError:
                raise KoHybridError(f"{method} {path}: the server answered {response.status} with a "
                                    f"body that is not JSON: {data[:200]!r}", status=response.status) from None
        raise AssertionError("unreachable")
