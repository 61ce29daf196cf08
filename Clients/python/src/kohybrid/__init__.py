"""KoHybrid's Python client: Chroma-shaped collections on ``kohybrid serve``, plus the hybrid
(dense + Korean BM25) search Chroma's API cannot carry.

>>> import kohybrid
>>> client = kohybrid.PersistentClient("./store")         # or kohybrid.HttpClient(port=8000)
>>> col = client.get_or_create_collection("omakase.sources", metadata={"hnsw:space": "cosine"})
>>> col.add(ids=["s1"], embeddings=[vec], documents=["강남 오마카세 런치"], metadatas=[{"price": 80000}])
>>> r = col.query(query_texts=["강남 오마카세"], query_embeddings=[vec], n_results=5)
>>> r["ids"][0], r["scores"][0], r["dense_ranks"][0], r["sparse_ranks"][0]
"""

from . import errors
from .client import Client, HttpClient, PersistentClient
from .collection import Collection
from .errors import (AuthorizationError, ChromaError, DuplicateIDError, InvalidArgumentError,
                     KoHybridError, NotFoundError, ServerUnavailableError)
from .types import GenerationContext, GetResult, Hit, QueryResult, Term

__version__ = "0.3.0"

__all__ = [
    "Client", "HttpClient", "PersistentClient", "Collection",
    "GetResult", "QueryResult", "Hit", "GenerationContext", "Term",
    "errors", "KoHybridError", "ChromaError", "NotFoundError", "InvalidArgumentError",
    "AuthorizationError", "DuplicateIDError", "ServerUnavailableError",
]
