"""Exceptions raised by the kohybrid client.

The server answers every failed request with ``{"error": NAME, "message": TEXT}``, where NAME is
one of chromadb's error names. :func:`error_from_response` turns that into the same-named class
here, so code written against chromadb catches the same names::

    from kohybrid.errors import NotFoundError
    try:
        client.get_collection("omakase.examples")
    except NotFoundError as e:
        print(e.message)  # "Collection [omakase.examples] does not exist"

Every class derives from :class:`KoHybridError` (also exported as ``ChromaError``).
"""

from __future__ import annotations

import json
from typing import Dict, Optional, Type


class KoHybridError(Exception):
    """Base class of every error this client raises.

    Attributes:
        message: the server's message (or the client's, for errors found before a request).
        status: the HTTP status of the failed request, or None when no request was answered.
        error_name: the server's ``error`` field, e.g. ``"NotFoundError"``.
    """

    #: The server's name for this kind of error.
    name: str = "ChromaError"

    def __init__(self, message: str, *, status: Optional[int] = None,
                 error_name: Optional[str] = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.error_name = error_name or self.name

    def __str__(self) -> str:
        return self.message


#: chromadb's base class name, so ``except ChromaError`` keeps working after the switch.
ChromaError = KoHybridError


class InvalidArgumentError(KoHybridError, ValueError):
    """A request refused for its content: a wrong type, a bad filter, a wrong dimension, a bad
    name (by the server, or by the client before sending). Also a ``ValueError``."""
    name = "InvalidArgumentError"


class NotFoundError(KoHybridError):
    """An unknown collection, tenant, database or endpoint."""
    name = "NotFoundError"


class AuthorizationError(KoHybridError):
    """A missing or wrong token (the server was started with ``--token-file``)."""
    name = "AuthorizationError"


class ChromaAuthError(KoHybridError):
    """chromadb's ``AuthError``."""
    name = "AuthError"


class UniqueConstraintError(KoHybridError):
    """Something that must be unique already exists."""
    name = "UniqueConstraintError"


class InvalidDimensionException(KoHybridError):
    """An embedding whose length differs from the collection's dimension."""
    name = "InvalidDimension"


class IDAlreadyExistsError(KoHybridError):
    name = "IDAlreadyExists"


class DuplicateIDError(KoHybridError, ValueError):
    """The same id twice in one write (found by the client before sending)."""
    name = "DuplicateID"


class InvalidUUIDError(KoHybridError):
    name = "InvalidUUID"


class InvalidHTTPVersion(KoHybridError):
    name = "InvalidHTTPVersion"


class BatchSizeExceededError(KoHybridError):
    """A batch or request body over the server's limit."""
    name = "BatchSizeExceededError"


class VersionMismatchError(KoHybridError):
    name = "VersionMismatchError"


class InternalError(KoHybridError):
    """The server failed on its side (a store it cannot open, an I/O error)."""
    name = "InternalError"


class RateLimitError(KoHybridError):
    name = "RateLimitError"


class QuotaError(KoHybridError):
    name = "QuotaError"


class ServerUnavailableError(KoHybridError, ConnectionError):
    """No server answered: not running, wrong address, or it stopped (PersistentClient)."""
    name = "ServerUnavailableError"


#: The server's ``error`` names (chromadb's ``error_types`` keys) to classes.
ERROR_TYPES: Dict[str, Type[KoHybridError]] = {
    cls.name: cls
    for cls in (
        InvalidArgumentError, NotFoundError, AuthorizationError, ChromaAuthError,
        UniqueConstraintError, InvalidDimensionException, IDAlreadyExistsError, DuplicateIDError,
        InvalidUUIDError, InvalidHTTPVersion, BatchSizeExceededError, VersionMismatchError,
        InternalError, RateLimitError, QuotaError,
    )
}
ERROR_TYPES["ChromaError"] = KoHybridError


def error_from_response(status: int, body: bytes, method: str, path: str) -> KoHybridError:
    """The exception for a non-2xx answer: the class the server's ``error`` names, carrying its
    ``message``; a plain :class:`KoHybridError` naming the status when the body is not the
    server's JSON error (a proxy's HTML page, say)."""
    text = body.decode("utf-8", errors="replace")
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict) and isinstance(parsed.get("message"), str):
        error = parsed.get("error")
        name = error if isinstance(error, str) else "ChromaError"
        cls = ERROR_TYPES.get(name, KoHybridError)
        return cls(parsed["message"], status=status, error_name=name)
    snippet = text.strip()[:500] or "(empty body)"
    return KoHybridError(f"{method} {path}: HTTP {status}: {snippet}", status=status)
