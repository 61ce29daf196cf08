"""Clients: :class:`HttpClient` talks to a running ``kohybrid serve``; :class:`PersistentClient`
starts one on a store directory as a child process and stops it when done."""

from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import weakref
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Set, TypeVar, Union
from urllib.parse import urlsplit

from ._transport import Transport
from .collection import Collection, hit_from_json, one_vector, packed_vector, search_options
from .errors import InvalidArgumentError, KoHybridError, ServerUnavailableError
from .types import GenerationContext, Metadata, Term, Where, WhereDocument

_Self = TypeVar("_Self", bound="Client")

TENANT = "default_tenant"
DATABASE = "default_database"


class Client:
    """What both clients share: collections, heartbeat, the generation context, analysis and
    stats. Use :class:`HttpClient` or :class:`PersistentClient`."""

    #: Writes are split so that no request body is larger than this (the server's default
    #: limit is 64 MiB).
    max_request_bytes: int = 32 << 20

    def __init__(self, transport: Transport) -> None:
        self._transport = transport
        self._database_path = f"/api/v2/tenants/{TENANT}/databases/{DATABASE}"
        self._batch_size: Optional[int] = None

    def __enter__(self: _Self) -> _Self:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Closes the connections; later calls raise :class:`ServerUnavailableError`."""
        self._transport.close()

    def _max_batch_size(self) -> int:
        if self._batch_size is None:
            checks = self._transport.request("GET", "/api/v2/pre-flight-checks")
            self._batch_size = max(1, int(checks.get("max_batch_size") or 1))
        return self._batch_size

    # MARK: - Server

    def heartbeat(self) -> int:
        """The server's clock in nanoseconds (Chroma's heartbeat); raises if it is unreachable."""
        return int(self._transport.request("GET", "/api/v2/heartbeat")["nanosecond heartbeat"])

    def get_version(self) -> str:
        """The server's version."""
        return str(self._transport.request("GET", "/api/v2/version"))

    def stats(self) -> Dict[str, Any]:
        """The store's statistics: per collection its count, dimension, metric, analyzer and
        index snapshot state; the database size."""
        stats: Dict[str, Any] = self._transport.request("GET", "/kohybrid/v1/stats")
        return stats

    def analyze(self, text: str, analyzer: Optional[str] = None) -> List[Term]:
        """The terms KoHybrid's analyzer makes of ``text`` (what BM25 indexes and searches):
        words and character bigrams, each with its position and its ``start``/``end`` in
        ``text`` (Python string indices, so ``text[t["start"]:t["end"]]`` is its source).

        >>> [t["text"] for t in client.analyze("강남역 오마카세") if t["field"] == "word"]
        ['강남역', '오마카세']
        """
        body: Dict[str, Any] = {"text": text}
        if analyzer is not None:
            body["analyzer"] = analyzer
        answer = self._transport.request("POST", "/kohybrid/v1/analyze", body)
        # The server counts UTF-8 bytes; Python indexes code points.
        encoded = text.encode("utf-8")
        to_index: Dict[int, int] = {}

        def index(byte_offset: int) -> int:
            if byte_offset not in to_index:
                to_index[byte_offset] = len(encoded[:byte_offset].decode("utf-8", errors="ignore"))
            return to_index[byte_offset]

        return [Term(text=t["text"], field=t["field"], position=t["position"],
                     start=index(t["start"]), end=index(t["end"])) for t in answer["terms"]]

    def backup(self, path: str) -> Dict[str, Any]:
        """Writes a consistent copy of the store to ``path`` (an absolute path on the server's
        machine that does not exist yet); returns ``{"path", "bytes"}``."""
        answer: Dict[str, Any] = self._transport.request("POST", "/kohybrid/v1/backup", {"path": path})
        return answer

    # MARK: - Collections

    def create_collection(self, name: str, metadata: Optional[Metadata] = None,
                          configuration: Optional[Dict[str, Any]] = None,
                          get_or_create: bool = False) -> Collection:
        """Creates a collection; raises if it exists (unless ``get_or_create``).

        The distance comes from ``configuration={"hnsw": {"space": "cosine"}}`` or
        ``metadata={"hnsw:space": "cosine"}`` (``cosine``, ``l2`` (the default) or ``ip``).
        """
        model = self._transport.request("POST", f"{self._database_path}/collections", {
            "name": name, "metadata": metadata, "configuration": configuration,
            "get_or_create": get_or_create})
        return Collection(self, model)

    def get_or_create_collection(self, name: str, metadata: Optional[Metadata] = None,
                                 configuration: Optional[Dict[str, Any]] = None) -> Collection:
        """The collection named ``name``, created (with ``metadata``) if it does not exist."""
        return self.create_collection(name, metadata, configuration, get_or_create=True)

    def get_collection(self, name: str) -> Collection:
        """The collection named ``name``; raises :class:`NotFoundError` if there is none."""
        return Collection(self, self._transport.request("GET", f"{self._database_path}/collections/{name}"))

    def list_collections(self, limit: Optional[int] = None, offset: Optional[int] = None) -> List[Collection]:
        """Every collection (or a page of them), in a stable order."""
        models = self._transport.request("GET", f"{self._database_path}/collections",
                                         query={"limit": limit, "offset": offset})
        return [Collection(self, m) for m in models]

    def count_collections(self) -> int:
        """How many collections the store holds."""
        return int(self._transport.request("GET", f"{self._database_path}/collections_count"))

    def delete_collection(self, name: str) -> None:
        """Deletes the collection and its records; raises :class:`NotFoundError` if there is none."""
        self._transport.request("DELETE", f"{self._database_path}/collections/{name}")

    # MARK: - Hybrid

    def generation_context(self, category: str, text: str, embedding: Any = None,
                           examples: int = 3, sources: int = 5, where: Optional[Where] = None,
                           mode: str = "hybrid", where_document: Optional[WhereDocument] = None, fusion: Optional[str] = None,
                           weights: Union[None, Mapping[str, float], Sequence[float]] = None,
                           collections: Optional[Mapping[str, str]] = None,
                           include: Sequence[str] = ("documents", "metadatas")) -> GenerationContext:
        """The generation step's context in one request: the ``examples`` best few-shot records
        from ``<category>.examples`` and the ``sources`` best from ``<category>.sources`` for
        the shop described by ``text`` (and ``embedding``, its vector).

        ``where`` / ``where_document`` filter both collections. Without an embedding both
        searches are BM25 only. ``collections={"examples": ...,
        "sources": ...}`` names other collections.

        >>> ctx = client.generation_context("omakase", "강남 오마카세 런치", vec, examples=3, sources=5)
        >>> [h["id"] for h in ctx["examples"]]
        """
        body: Dict[str, Any] = {"category": category, "text": text, "examples": examples,
                                "sources": sources, "mode": mode, "include": list(include)}
        if embedding is not None:
            body["vector"] = packed_vector(one_vector(embedding, "embedding"), "embedding")
        body.update(search_options(where, where_document, fusion, weights))
        if collections is not None:
            body["collections"] = dict(collections)
        answer = self._transport.request("POST", "/kohybrid/v1/generation-context", body)
        return GenerationContext(examples=[hit_from_json(h) for h in answer["examples"]],
                                 sources=[hit_from_json(h) for h in answer["sources"]],
                                 collections=answer.get("collections", {}))


class HttpClient(Client):
    """A client of a running ``kohybrid serve`` (or, for the Chroma subset, any server that
    speaks Chroma's API v2).

    Args:
        host: the server's host name, or a URL ``http(s)://host:port``.
        port: its TCP port.
        token: the bearer token, when the server was started with ``--token-file``.
        ssl: HTTPS.
        headers: extra headers sent with every request.
        timeout: seconds to wait for the server; None waits forever (as chromadb does).

    No request is made until the first call (``heartbeat()`` checks that the server answers).
    One keep-alive connection per thread; a client may be shared between threads.

    >>> client = kohybrid.HttpClient(host="127.0.0.1", port=8000)
    >>> col = client.get_or_create_collection("omakase.examples", metadata={"hnsw:space": "cosine"})
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 8000, token: Optional[str] = None,
                 ssl: bool = False, headers: Optional[Dict[str, str]] = None,
                 timeout: Optional[float] = None) -> None:
        if host.startswith(("http://", "https://")):
            url = urlsplit(host)
            ssl = url.scheme == "https"
            port = url.port or (443 if ssl else 80)
            host = url.hostname or "127.0.0.1"
        all_headers = dict(headers or {})
        if token is not None:
            if not token or not all(33 <= ord(ch) <= 126 for ch in token):
                raise InvalidArgumentError("token: a bearer token is printable ASCII without spaces "
                                           "(HTTP headers cannot carry other characters)")
            all_headers["Authorization"] = f"Bearer {token}"
        super().__init__(Transport(host=host, port=port, ssl=ssl, headers=all_headers, timeout=timeout))

    def __repr__(self) -> str:
        return f"HttpClient({self._transport.address})"


def _find_binary(binary: Optional[str]) -> str:
    candidate = binary or os.environ.get("KOHYBRID_BIN") or shutil.which("kohybrid")
    if not candidate:
        raise KoHybridError("cannot find the kohybrid binary: set KOHYBRID_BIN to its path or put "
                            "kohybrid on PATH (swift build -c release --product kohybrid)")
    if not (os.path.isfile(candidate) and os.access(candidate, os.X_OK)):
        raise KoHybridError(f"the kohybrid binary {candidate!r} (from "
                            f"{'binary=' if binary else 'KOHYBRID_BIN' if os.environ.get('KOHYBRID_BIN') else 'PATH'}) "
                            f"is not an executable file")
    return candidate


@functools.lru_cache(maxsize=None)
def _supports_exit_with_parent(executable: str) -> bool:
    """Whether this kohybrid binary has ``serve --exit-with-parent`` (older builds do not)."""
    try:
        done = subprocess.run([executable, "serve", "--help"], stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return b"--exit-with-parent" in done.stdout + done.stderr


def _stop_server(process: "subprocess.Popen[bytes]", directory: str, owner: int, grace: float) -> None:
    """SIGTERM (the server publishes snapshots and releases its lock), then SIGKILL after
    ``grace`` seconds; removes the private directory. Only in the process that started it: a
    forked child exiting must not stop its parent's server."""
    if os.getpid() != owner:
        return
    if process.poll() is None:
        try:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        except OSError:
            pass
    if process.stdin is not None:
        try:
            process.stdin.close()
        except OSError:
            pass
    shutil.rmtree(directory, ignore_errors=True)


#: The stop functions (finalizers) of the servers this process started; stopped ones are
#: pruned when the next one starts.
_running_servers: "Set[weakref.finalize[Any, Any]]" = set()
_sigterm_lock = threading.Lock()
_sigterm_installed = False


def _stop_all_then_die(signum: int, frame: Any) -> None:
    """SIGTERM (a pod being stopped): Python's default action exits without exit handlers, which
    would orphan our servers. Stop them gracefully, then die of SIGTERM as before."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for stop in list(_running_servers):
        stop()  # a finalizer that already ran does nothing
    os.kill(os.getpid(), signal.SIGTERM)


def _stop_servers_on_sigterm() -> None:
    """Installs :func:`_stop_all_then_die` if SIGTERM still has its default action (never over a
    handler the program set) and this is the main thread (the only one that may)."""
    global _sigterm_installed
    with _sigterm_lock:
        if _sigterm_installed or threading.current_thread() is not threading.main_thread():
            return
        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _stop_all_then_die)
        _sigterm_installed = True


def _read_log(path: str) -> str:
    try:
        with open(path, "rb") as log:
            return log.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


def _failure_detail(process: "subprocess.Popen[bytes]", log_path: str) -> Callable[[], str]:
    """Why requests fail when the server is gone: its exit status and log (no reference to the
    client, so the client can still be collected and its finalizer run)."""
    def detail() -> str:
        code = process.poll()
        if code is None:
            return ""
        return f"\nthe kohybrid server exited with status {code}:\n{_read_log(log_path).strip()}"
    return detail


class PersistentClient(Client):
    """Chroma's embedded feel: starts ``kohybrid serve --store PATH --socket SOCK`` as a child
    process on a Unix domain socket in a private temporary directory, talks to it, and stops it
    on :meth:`close`, at the end of a ``with`` block, or when the interpreter exits (also by
    SIGTERM). The server holds a pipe from this process (``--exit-with-parent``), so it stops
    gracefully even when this process is killed outright.

    Args:
        path: the store directory (created if missing, unless ``read_only``).
        binary: the ``kohybrid`` executable; default ``$KOHYBRID_BIN``, then ``PATH``.
        read_only: serve the store read-only (every write is refused).
        startup_timeout: seconds to wait for the server to answer ``/healthz``.
        shutdown_timeout: seconds to wait after SIGTERM before killing it.
        server_args: more ``kohybrid serve`` options, e.g. ``["--readers", "4"]``.
        stop_on_sigterm: if SIGTERM has its default action (exit without exit handlers, as when
            a pod is stopped), install a handler that first stops the servers gracefully, then
            lets SIGTERM end the process as before. A handler the program set is left alone.

    Several processes (pods) may each open a PersistentClient on one store: their servers take
    the writer lock per write batch, and each sees the others' committed records.

    Raises :class:`KoHybridError` with the server's stderr if it cannot start (a path that is
    not a store directory, a store of a newer format, a bad ``server_args`` option, ...).

    >>> with kohybrid.PersistentClient("/mnt/store") as client:
    ...     col = client.get_collection("omakase.sources")
    """

    def __init__(self, path: Union[str, "os.PathLike[str]"], *, binary: Optional[str] = None,
                 read_only: bool = False, startup_timeout: float = 60.0,
                 shutdown_timeout: float = 30.0, server_args: Sequence[str] = (),
                 stop_on_sigterm: bool = True) -> None:
        self.path = os.path.abspath(os.fspath(path))
        executable = _find_binary(binary)
        # Short base directory: a Unix socket path must fit in ~100 bytes.
        base = tempfile.gettempdir()
        if len(base) > 60:
            base = "/tmp"
        self._directory = tempfile.mkdtemp(prefix="kohybrid-", dir=base)
        self.socket_path = os.path.join(self._directory, "serve.sock")
        self._log_path = os.path.join(self._directory, "serve.log")
        command = [executable, "serve", "--store", self.path, "--socket", self.socket_path, *server_args]
        if read_only:
            command.append("--read-only")
        # A pipe on stdin that only this process holds: if it dies, even by SIGKILL, the server
        # sees EOF and stops gracefully (--exit-with-parent).
        watch = _supports_exit_with_parent(executable)
        if watch:
            command.append("--exit-with-parent")
        # stderr to a file, not a pipe: a pipe nobody reads would fill and block the server.
        with open(self._log_path, "wb") as log:
            try:
                self._process = subprocess.Popen(command, stdin=subprocess.PIPE if watch else subprocess.DEVNULL,
                                                 stdout=subprocess.DEVNULL, stderr=log)
            except OSError as error:
                shutil.rmtree(self._directory, ignore_errors=True)
                raise KoHybridError(f"cannot start {executable}: {error}") from None
        self._finalizer = weakref.finalize(self, _stop_server, self._process, self._directory,
                                           os.getpid(), shutdown_timeout)
        with _sigterm_lock:
            _running_servers.difference_update([f for f in _running_servers if not f.alive])
            _running_servers.add(self._finalizer)
        if stop_on_sigterm:
            _stop_servers_on_sigterm()
        super().__init__(Transport(socket_path=self.socket_path, timeout=None))
        self._transport.failure_detail = _failure_detail(self._process, self._log_path)
        try:
            self._wait_until_ready(startup_timeout)
        except BaseException:
            self._transport.close()
            self._finalizer()
            raise

    @property
    def pid(self) -> int:
        """The server process's id."""
        return self._process.pid

    def server_log(self) -> str:
        """What the server has written to stderr so far."""
        return _read_log(self._log_path)

    def _wait_until_ready(self, timeout: float) -> None:
        probe = Transport(socket_path=self.socket_path, timeout=5.0)
        deadline = time.monotonic() + timeout
        delay = 0.02
        try:
            while True:
                code = self._process.poll()
                if code is not None:
                    raise KoHybridError(f"kohybrid serve --store {self.path} exited with status {code} "
                                        f"at start:\n{self.server_log().strip()}")
                if os.path.exists(self.socket_path):
                    try:
                        probe.request("GET", "/healthz")
                        return
                    except ServerUnavailableError:
                        pass
                if time.monotonic() > deadline:
                    raise KoHybridError(f"kohybrid serve --store {self.path} did not answer within "
                                        f"{timeout} s:\n{self.server_log().strip()}")
                time.sleep(delay)
                delay = min(delay * 2, 0.25)
        finally:
            probe.close()

    def close(self) -> None:
        """Stops the server (SIGTERM: it publishes snapshots and releases the writer lock) and
        removes its socket. Calling it again does nothing."""
        self._transport.close()
        self._finalizer()

    @property
    def running(self) -> bool:
        """Whether the server process is alive."""
        return self._process.poll() is None

    def __repr__(self) -> str:
        return f"PersistentClient({self.path!r}, pid={self._process.pid})"
