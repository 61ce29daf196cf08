"""A collection: chromadb's record methods, and ``query`` by text and/or vector with hybrid
(dense + BM25) fusion.

Record writes and gets go through the server's Chroma API v2 (by the collection's UUID); queries
go through KoHybrid's ``/kohybrid/v1/collections/{name}/search``, which takes query text (Chroma's
API cannot carry it) and tells each hit's rank in each retriever.
"""

from __future__ import annotations

import base64
import math
import struct
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Set, Tuple, Union

from ._transport import encode_json
from .errors import DuplicateIDError, InvalidArgumentError, KoHybridError
from .types import Embeddings, GetResult, Hit, Include, Metadata, QueryResult, Where, WhereDocument

if TYPE_CHECKING:
    from .client import Client

_GET_COLUMNS = ("documents", "metadatas", "embeddings", "uris", "data")
_QUERY_COLUMNS = _GET_COLUMNS + ("distances",)
#: The most queries one search request carries (the server's limit).
_QUERIES_PER_REQUEST = 1000


def _is_number(value: Any) -> bool:
    if hasattr(value, "tolist"):  # a numpy scalar (or an array, which is not a number)
        value = value.tolist()
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _embeddings(value: Optional[Embeddings], field: str) -> Optional[List[Any]]:
    """A list of vectors (plain lists) from lists, tuples or numpy arrays; one vector (a list of
    numbers, a 1-D array) becomes a list of one."""
    if value is None:
        return None
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise InvalidArgumentError(f"{field}: expected a list of embeddings, got {type(value).__name__}")
    rows = list(value)
    if rows and _is_number(rows[0]):
        rows = [rows]
    out: List[Any] = []
    for i, row in enumerate(rows):
        if row is None:
            out.append(None)
            continue
        if hasattr(row, "tolist"):
            row = row.tolist()
        if isinstance(row, (str, bytes)) or not isinstance(row, Sequence):
            raise InvalidArgumentError(f"{field}[{i}]: expected a list of numbers, got {type(row).__name__}")
        out.append(row if isinstance(row, list) else list(row))
    return out


def one_vector(value: Any, field: str) -> List[Any]:
    """One embedding from a list, a 1-D array, or a list / 2-D array holding exactly one."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise InvalidArgumentError(f"{field}: expected a list of numbers, got {type(value).__name__}")
    if value and (hasattr(value[0], "tolist") or
                  (isinstance(value[0], Sequence) and not isinstance(value[0], (str, bytes)))):
        if len(value) != 1:
            raise InvalidArgumentError(f"{field}: expected one vector, got {len(value)}")
        return one_vector(value[0], field)
    return list(value)


def packed_vector(vector: Sequence[float], field: str) -> str:
    """A query vector as the search endpoints also take it: base64 of little-endian float32,
    the precision the server searches at, at a fraction of the cost of JSON numbers."""
    for i, value in enumerate(vector):
        try:
            number = not isinstance(value, (bool, str, bytes)) and math.isfinite(value)
        except TypeError:
            number = False
        if not number:
            raise InvalidArgumentError(f"{field}[{i}]: expected a finite number, got {value!r}")
    try:
        data = struct.pack(f"<{len(vector)}f", *vector)
    except (struct.error, OverflowError, TypeError) as error:
        raise InvalidArgumentError(f"{field}: not a list of float32 values ({error})") from None
    return base64.b64encode(data).decode("ascii")


def _strings(value: Union[None, str, Sequence[str]], field: str) -> Optional[List[str]]:
    """A list of strings; one string becomes a list of one."""
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    if hasattr(value, "tolist"):
        value = value.tolist()
    if not isinstance(value, Sequence):
        raise InvalidArgumentError(f"{field}: expected a list of strings, got {type(value).__name__}")
    out = list(value)
    for i, item in enumerate(out):
        if not isinstance(item, str):
            raise InvalidArgumentError(f"{field}[{i}]: expected a string, got {type(item).__name__}")
    return out


def _column(value: Any, field: str, single: type) -> Optional[List[Any]]:
    """A per-record column; one value of type ``single`` becomes a list of one."""
    if value is None:
        return None
    if isinstance(value, single):
        return [value]
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise InvalidArgumentError(f"{field}: expected a list, got {type(value).__name__}")
    return list(value)


def _include(include: Optional[Sequence[str]], allowed: Tuple[str, ...], what: str) -> List[str]:
    names = list(include) if include is not None else []
    for name in names:
        if name not in allowed:
            raise InvalidArgumentError(f"include: unknown column {name!r} for {what} "
                                       f"(expected {', '.join(allowed)})")
    return names


def _metadata_or_none(metadata: Any) -> Optional[Metadata]:
    # A record without metadata: None in Chroma's shape (servers before a01dbb8 sent {}).
    return metadata if metadata else None


class Collection:
    """A named collection on the server. Get one from :meth:`kohybrid.Client.get_collection`,
    ``create_collection`` or ``get_or_create_collection``.

    Attributes:
        id: the collection's UUID (stable across renames).
        name: its name.
        metadata: its metadata (None when it has none).
        configuration: the server's ``configuration_json`` (``hnsw.space`` and the like).
        dimension: the embedding dimension, None until the first vectors arrive.
    """

    def __init__(self, client: "Client", model: Mapping[str, Any]) -> None:
        self._client = client
        self.id: str = model["id"]
        self.name: str = model["name"]
        self.metadata: Optional[Dict[str, Any]] = model.get("metadata")
        self.configuration: Dict[str, Any] = model.get("configuration_json") or {}
        self.dimension: Optional[int] = model.get("dimension")

    def __repr__(self) -> str:
        return f"Collection(name={self.name!r}, id={self.id!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Collection) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    @property
    def _path(self) -> str:
        return f"{self._client._database_path}/collections/{self.id}"

    def _request(self, method: str, action: str = "", body: Any = None, **kw: Any) -> Any:
        return self._client._transport.request(method, f"{self._path}{action}", body, **kw)

    # MARK: - Writes

    def add(self, ids: Union[str, Sequence[str]], embeddings: Optional[Embeddings] = None,
            metadatas: Union[None, Metadata, Sequence[Optional[Metadata]]] = None,
            documents: Union[None, str, Sequence[Optional[str]]] = None) -> None:
        """Adds records. An id that already exists is left as it is (Chroma's rule).

        ``embeddings`` are lists of numbers or a 2-D numpy array; the first vectors fix the
        collection's dimension. Large calls are sent in several requests (each under the
        server's batch and body limits), each committed on its own.

        >>> col.add(ids=["s1"], embeddings=[[0.1, 0.2]], documents=["강남 오마카세"],
        ...         metadatas=[{"district": "강남", "price": 120000, "tags": ["sushi"]}])
        """
        self._write("add", ids, embeddings, metadatas, documents)

    def upsert(self, ids: Union[str, Sequence[str]], embeddings: Optional[Embeddings] = None,
               metadatas: Union[None, Metadata, Sequence[Optional[Metadata]]] = None,
               documents: Union[None, str, Sequence[Optional[str]]] = None) -> None:
        """Updates the records that exist (as :meth:`update`) and adds the others."""
        self._write("upsert", ids, embeddings, metadatas, documents)

    def update(self, ids: Union[str, Sequence[str]], embeddings: Optional[Embeddings] = None,
               metadatas: Union[None, Metadata, Sequence[Optional[Metadata]]] = None,
               documents: Union[None, str, Sequence[Optional[str]]] = None) -> None:
        """Changes existing records; unknown ids are ignored (Chroma's rule).

        Metadata is merged into the stored metadata: keys sent replace those keys, a key sent
        as None is removed, keys not sent stay. A document or embedding not sent is kept.
        """
        self._write("update", ids, embeddings, metadatas, documents)

    def _write(self, action: str, ids: Any, embeddings: Any, metadatas: Any, documents: Any) -> None:
        id_list = _strings(ids, "ids")
        if not id_list:
            raise InvalidArgumentError(f"{action}: ids must be a non-empty list of strings")
        seen: Set[str] = set()
        for record_id in id_list:
            if record_id in seen:
                raise DuplicateIDError(f"{action}: id {record_id!r} appears more than once in ids")
            seen.add(record_id)
        vectors = _embeddings(embeddings, "embeddings")
        columns: Dict[str, Optional[List[Any]]] = {
            # base64 float32, as chromadb's own client writes: ~20x cheaper to encode than JSON
            # numbers, and exactly the precision the server stores.
            "embeddings": None if vectors is None else [
                None if v is None else packed_vector(v, f"embeddings[{i}]") for i, v in enumerate(vectors)],
            "metadatas": _column(metadatas, "metadatas", dict),
            "documents": _column(documents, "documents", str),
        }
        for name, column in columns.items():
            if column is not None and len(column) != len(id_list):
                raise InvalidArgumentError(f"{action}: {name} has {len(column)} entries but ids has {len(id_list)}")
        self._send_batches(action, id_list, columns, 0, len(id_list))

    def _send_batches(self, action: str, ids: List[str], columns: Dict[str, Optional[List[Any]]],
                      start: int, end: int) -> None:
        """Sends ids[start:end], split so that each request stays under the server's batch size
        and the client's body limit."""
        limit = self._client._max_batch_size()
        if end - start > limit:
            for lo in range(start, end, limit):
                self._send_batches(action, ids, columns, lo, min(lo + limit, end))
            return
        body: Dict[str, Any] = {"ids": ids[start:end]}
        body.update({name: (column[start:end] if column is not None else None)
                     for name, column in columns.items()})
        payload = encode_json(body)
        if len(payload) > self._client.max_request_bytes and end - start > 1:
            middle = (start + end) // 2
            self._send_batches(action, ids, columns, start, middle)
            self._send_batches(action, ids, columns, middle, end)
            return
        try:
            self._request("POST", f"/{action}", payload=payload)
        except KoHybridError as error:
            if start > 0:
                error.message = (f"{error.message} (in the batch of records {start}..{end - 1}; "
                                 f"records 0..{start - 1} of this {action} were written)")
                error.args = (error.message,)
            raise

    def delete(self, ids: Union[None, str, Sequence[str]] = None, where: Optional[Where] = None,
               where_document: Optional[WhereDocument] = None) -> Dict[str, int]:
        """Deletes records by ids and/or filters (all given must match); returns
        ``{"deleted": n}``."""
        id_list = _strings(ids, "ids")
        if id_list is None and not where and not where_document:
            raise InvalidArgumentError("delete needs ids, where or where_document")
        answer = self._request("POST", "/delete", {"ids": id_list, "where": where or None,
                                                   "where_document": where_document or None})
        return {"deleted": int((answer or {}).get("deleted", 0))}

    # MARK: - Reads

    def get(self, ids: Union[None, str, Sequence[str]] = None, where: Optional[Where] = None,
            where_document: Optional[WhereDocument] = None, limit: Optional[int] = None,
            offset: Optional[int] = None,
            include: Include = ["metadatas", "documents"]) -> GetResult:  # noqa: B006 (chromadb's default)
        """Records by ids and/or filters, after ``offset`` / ``limit``.

        >>> col.get(where={"price": {"$lt": 50000}}, where_document={"$regex": "^강남"},
        ...         include=["documents", "metadatas", "embeddings"])
        """
        names = _include(include, _GET_COLUMNS, "get")
        answer = self._request("POST", "/get", {
            "ids": _strings(ids, "ids"), "where": where or None, "where_document": where_document or None,
            "limit": limit, "offset": offset, "include": [n for n in names if n != "data"]})
        return GetResult(ids=answer["ids"],
                         embeddings=answer.get("embeddings") if "embeddings" in names else None,
                         documents=answer.get("documents") if "documents" in names else None,
                         metadatas=answer.get("metadatas") if "metadatas" in names else None,
                         uris=answer.get("uris") if "uris" in names else None,
                         included=names)

    def peek(self, limit: int = 10) -> GetResult:
        """The first ``limit`` records with their embeddings, documents and metadatas."""
        return self.get(limit=limit, include=["embeddings", "documents", "metadatas"])

    def count(self) -> int:
        """How many records the collection holds."""
        return int(self._request("GET", "/count"))

    def query(self, query_texts: Union[None, str, Sequence[str]] = None,
              query_embeddings: Optional[Embeddings] = None, n_results: int = 10,
              where: Optional[Where] = None, where_document: Optional[WhereDocument] = None,
              mode: str = "hybrid", fusion: Optional[str] = None,
              weights: Union[None, Mapping[str, float], Sequence[float]] = None,
              include: Include = ["metadatas", "documents", "distances"],  # noqa: B006
              candidates: Optional[int] = None, ef: Optional[int] = None,
              rrf_k: Optional[float] = None) -> QueryResult:
        """The ``n_results`` best records for each query, in chromadb's result shape.

        A query is a text (BM25 over KoHybrid's Korean analyzer), an embedding (dense), or both
        (fused): ``query_texts`` and ``query_embeddings`` given together pair up by position and
        must be equally long.

        Args:
            mode: ``"hybrid"`` (fuse both retrievers; with only one kind of query it ranks by
                that one), ``"dense"`` (embeddings only) or ``"sparse"`` (texts only).
            fusion: for hybrid, ``"default"``, ``"rrf"``, ``"rsf"`` or ``"dbsf"``.
            weights: for a named hybrid fusion, ``{"dense": 0.7, "sparse": 0.3}`` or
                ``(0.7, 0.3)`` (the default fusion chooses its weights per query and refuses
                fixed ones).
            candidates: how deep each retriever looks before fusion (at least ``n_results``).
            ef: the HNSW search width.
            rrf_k: the k of reciprocal rank fusion (default 60).

        Returns ``ids``, ``documents``, ``metadatas``, ``embeddings``, ``distances`` (the dense
        distance, None where the dense retriever did not return a hit, the whole field None in
        sparse mode) and ``scores`` (fused, higher is better), ``dense_ranks``,
        ``sparse_ranks`` and ``sparse_scores`` (1-based ranks, None where that retriever did not
        return the hit); one list per query. ``fusion_weights`` holds, per query, the weights
        the fusion gave each retriever (``{"dense": w, "sparse": w}``; None without hits or
        outside hybrid mode).

        >>> r = col.query(query_texts=["강남 오마카세"], query_embeddings=[vec], n_results=5,
        ...               where={"price": {"$lt": 150000}})
        >>> r["ids"][0], r["dense_ranks"][0], r["sparse_ranks"][0]
        """
        names = _include(include, _QUERY_COLUMNS, "query")
        texts = _strings(query_texts, "query_texts")
        vectors = _embeddings(query_embeddings, "query_embeddings")
        if texts is None and vectors is None:
            raise InvalidArgumentError("query needs query_texts, query_embeddings or both")
        if texts is not None and vectors is not None and len(texts) != len(vectors):
            raise InvalidArgumentError(f"query_texts has {len(texts)} entries but query_embeddings has "
                                       f"{len(vectors)}; given together they pair up per query")
        count = len(texts if texts is not None else vectors)  # type: ignore[arg-type]
        if count == 0:
            raise InvalidArgumentError("query needs at least one query")
        queries = []
        for i in range(count):
            one: Dict[str, Any] = {}
            if texts is not None:
                one["text"] = texts[i]
            if vectors is not None:
                if vectors[i] is None:
                    raise InvalidArgumentError(f"query_embeddings[{i}] is None")
                one["vector"] = packed_vector(vectors[i], f"query_embeddings[{i}]")
            queries.append(one)
        body: Dict[str, Any] = {"k": n_results, "mode": mode,
                                "include": [n for n in names if n in ("documents", "metadatas")]}
        body.update(search_options(where, where_document, fusion, weights))
        for key, value in (("candidates", candidates), ("ef", ef), ("rrf_k", rrf_k)):
            if value is not None:
                body[key] = value
        results: List[List[Dict[str, Any]]] = []
        answered_mode = mode
        for lo in range(0, count, _QUERIES_PER_REQUEST):
            body["queries"] = queries[lo:lo + _QUERIES_PER_REQUEST]
            answer = self._client._transport.request(
                "POST", f"/kohybrid/v1/collections/{self.name}/search", body)
            results.extend(answer["results"])
            answered_mode = answer.get("mode", mode)
        return self._query_result(results, names, sparse_only=answered_mode == "sparse")

    def _query_result(self, results: List[List[Dict[str, Any]]], names: List[str],
                      sparse_only: bool) -> QueryResult:
        def column(value: Any) -> List[List[Any]]:
            return [[value(hit) for hit in hits] for hits in results]

        def part(hit: Dict[str, Any], retriever: str, key: str) -> Any:
            found = hit.get(retriever)
            return found.get(key) if found else None

        embeddings = None
        if "embeddings" in names:
            wanted = list(dict.fromkeys(hit["id"] for hits in results for hit in hits))
            vectors: Dict[str, Any] = {}
            if wanted:
                got = self.get(ids=wanted, include=["embeddings"])
                vectors = dict(zip(got["ids"], got["embeddings"] or []))
            embeddings = column(lambda h: vectors.get(h["id"]))
        return QueryResult(
            ids=column(lambda h: h["id"]),
            embeddings=embeddings,
            documents=column(lambda h: h.get("document")) if "documents" in names else None,
            metadatas=column(lambda h: _metadata_or_none(h.get("metadata"))) if "metadatas" in names else None,
            uris=column(lambda h: None) if "uris" in names else None,
            distances=(column(lambda h: part(h, "dense", "distance"))
                       if "distances" in names and not sparse_only else None),
            scores=column(lambda h: h["score"]),
            dense_ranks=column(lambda h: part(h, "dense", "rank")),
            sparse_ranks=column(lambda h: part(h, "sparse", "rank")),
            sparse_scores=column(lambda h: part(h, "sparse", "score")),
            fusion_weights=[hits[0].get("weights") if hits else None for hits in results],
            included=names,
        )

    # MARK: - The collection itself

    def modify(self, name: Optional[str] = None, metadata: Optional[Metadata] = None,
               configuration: Optional[Dict[str, Any]] = None) -> None:
        """Renames the collection and/or replaces its metadata (the whole object, as Chroma
        does). ``configuration`` is accepted for chromadb's signature; the server keeps the
        engine settings fixed at creation."""
        self._request("PUT", "", {"new_name": name, "new_metadata": metadata,
                                  "new_configuration": configuration})
        if name is not None:
            self.name = name
        if metadata is not None:
            self.metadata = metadata


def search_options(where: Any, where_document: Any, fusion: Optional[str], weights: Any) -> Dict[str, Any]:
    """The filter and fusion fields a search or generation-context request carries (only those
    given)."""
    options: Dict[str, Any] = {}
    if where:
        options["where"] = where
    if where_document:
        options["where_document"] = where_document
    if fusion is not None:
        options["fusion"] = fusion
    if weights is not None:
        options["weights"] = _weights(weights)
    return options


def _weights(weights: Union[Mapping[str, float], Sequence[float]]) -> Dict[str, float]:
    if isinstance(weights, Mapping):
        return dict(weights)
    pair = list(weights)
    if len(pair) != 2:
        raise InvalidArgumentError(f"weights: expected {{'dense': w, 'sparse': w}} or (dense, sparse), got {weights!r}")
    return {"dense": pair[0], "sparse": pair[1]}


def hit_from_json(hit: Mapping[str, Any]) -> Hit:
    """A search hit of the server's JSON as a flat :class:`kohybrid.types.Hit`."""
    dense = hit.get("dense") or {}
    sparse = hit.get("sparse") or {}
    return Hit(id=hit["id"], document=hit.get("document"), metadata=_metadata_or_none(hit.get("metadata")),
               score=hit["score"], distance=dense.get("distance"), dense_rank=dense.get("rank"),
               dense_score=dense.get("score"), sparse_rank=sparse.get("rank"),
               sparse_score=sparse.get("score"), weights=hit.get("weights"))
