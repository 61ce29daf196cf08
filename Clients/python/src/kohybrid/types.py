"""Result shapes. ``GetResult`` and ``QueryResult`` are chromadb's, with KoHybrid's extra
columns on queries; ``Hit`` is one search hit of the generation context."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, TypedDict, Union

#: A metadata value: a scalar or a non-empty list of one scalar type.
MetadataValue = Union[str, int, float, bool, List[str], List[int], List[float], List[bool]]
Metadata = Dict[str, MetadataValue]
#: A metadata filter in Chroma's grammar: ``{"price": {"$lt": 30000}}``, ``{"$and": [...]}``.
Where = Dict[str, Any]
#: A document filter: ``{"$contains": "오마카세"}``, ``{"$regex": "^강남"}``, ``$not_*``, ``$and``/``$or``.
WhereDocument = Dict[str, Any]
#: One embedding: a list of numbers or anything with ``.tolist()`` (a numpy array).
Embedding = Union[Sequence[float], Any]
#: Many embeddings: a list of embeddings or a 2-D numpy array.
Embeddings = Union[Sequence[Embedding], Any]
Include = List[str]


class GetResult(TypedDict):
    """Records in columns, as chromadb's ``get`` returns them; a column not in ``include`` is
    None. ``embeddings`` are lists of floats (not numpy arrays)."""
    ids: List[str]
    embeddings: Optional[List[Optional[List[float]]]]
    documents: Optional[List[Optional[str]]]
    metadatas: Optional[List[Optional[Metadata]]]
    uris: Optional[List[Optional[str]]]
    included: Include


class QueryResult(TypedDict):
    """One list per query, one entry per hit, best first: chromadb's shape plus KoHybrid's.

    ``distances`` is the dense distance in Chroma's units (cosine ``1 - cos``, l2 squared,
    ip ``1 - dot``); an entry is None for a hit the dense retriever did not return, and the
    whole field is None in sparse mode. ``scores`` is the fused score (higher is better);
    ``dense_ranks`` / ``sparse_ranks`` are each hit's 1-based rank in that retriever, None where
    it did not return the hit; ``sparse_scores`` are the BM25 scores; ``fusion_weights`` are,
    per query, the weights the fusion gave each retriever.
    """
    ids: List[List[str]]
    embeddings: Optional[List[List[Optional[List[float]]]]]
    documents: Optional[List[List[Optional[str]]]]
    metadatas: Optional[List[List[Optional[Metadata]]]]
    uris: Optional[List[List[Optional[str]]]]
    distances: Optional[List[List[Optional[float]]]]
    scores: List[List[float]]
    dense_ranks: List[List[Optional[int]]]
    sparse_ranks: List[List[Optional[int]]]
    sparse_scores: List[List[Optional[float]]]
    fusion_weights: List[Optional[Dict[str, float]]]
    included: Include


class Hit(TypedDict):
    """One hit of :meth:`kohybrid.Client.generation_context`: the fused ``score`` and the hit's
    place in each retriever (None where that retriever did not return it)."""
    id: str
    document: Optional[str]
    metadata: Optional[Metadata]
    score: float
    distance: Optional[float]
    dense_rank: Optional[int]
    dense_score: Optional[float]
    sparse_rank: Optional[int]
    sparse_score: Optional[float]
    #: The weights the fusion gave each retriever for this query (None outside hybrid mode).
    weights: Optional[Dict[str, float]]


class GenerationContext(TypedDict):
    """The few-shot ``examples`` and the ``sources`` for one generation request."""
    examples: List[Hit]
    sources: List[Hit]
    collections: Dict[str, str]


class Term(TypedDict):
    """One analyzer term; ``start``/``end`` index the Python string (``text[start:end]``)."""
    text: str
    field: str
    position: int
    start: int
    end: int
