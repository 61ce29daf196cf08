"""The kohybrid client against a real ``kohybrid serve``: every client and collection method,
hybrid queries with each hit's dense and sparse ranks, filters, batching and errors."""

from __future__ import annotations

import math
import re
import threading

import numpy as np
import pytest

import kohybrid
from kohybrid import errors

DISTRICTS = ["강남", "홍대", "성수", "이태원", "종로"]
KINDS = ["오마카세", "파스타", "국밥", "스시", "카페"]
DIM = 8


def shops(n: int = 50, seed: int = 7):
    """n shops with Korean documents, typed metadata and random unit vectors."""
    rng = np.random.default_rng(seed)
    vectors = rng.standard_normal((n, DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids, documents, metadatas = [], [], []
    for i in range(n):
        district, kind = DISTRICTS[i % 5], KINDS[(i // 5) % 5]
        ids.append(f"shop-{i:03d}")
        documents.append(f"{district} {kind} 맛집 {i}호점")
        metadatas.append({"district": district, "kind": kind, "price": 10000 + 1000 * i,
                          "rating": round(3.0 + (i % 20) / 10, 1), "open": i % 3 != 0,
                          "tags": [kind, district]})
    return ids, vectors, documents, metadatas


def cosine_distances(vectors: np.ndarray, query: np.ndarray) -> np.ndarray:
    q = query / np.linalg.norm(query)
    v = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return 1.0 - v @ q


@pytest.fixture
def filled(client):
    col = client.create_collection("shops.sources", metadata={"hnsw:space": "cosine"})
    ids, vectors, documents, metadatas = shops()
    col.add(ids=ids, embeddings=vectors, documents=documents, metadatas=metadatas)
    return col, (ids, vectors, documents, metadatas)


# MARK: - Server and collections

def test_heartbeat_version_stats(client, filled):
    assert client.heartbeat() > 0
    assert client.get_version()
    stats = client.stats()
    by_name = {c["name"]: c for c in stats["collections"]}
    assert by_name["shops.sources"]["count"] == 50
    assert by_name["shops.sources"]["dimension"] == DIM
    assert by_name["shops.sources"]["metric"] == "cosine"


def test_collection_crud(client):
    a = client.create_collection("omakase.examples", metadata={"hnsw:space": "cosine", "owner": "data"})
    assert a.name == "omakase.examples" and a.metadata["owner"] == "data"
    assert a.configuration["hnsw"]["space"] == "cosine"
    b = client.create_collection("casual.examples", configuration={"hnsw": {"space": "ip"}})
    assert b.configuration["hnsw"]["space"] == "ip"
    assert client.create_collection("hotplace.examples").configuration["hnsw"]["space"] == "l2"

    assert client.get_collection("omakase.examples") == a
    assert client.get_or_create_collection("omakase.examples") == a
    c = client.get_or_create_collection("hotplace.sources", metadata={"k": 1})
    assert c.metadata == {"k": 1}
    assert sorted(x.name for x in client.list_collections()) == [
        "casual.examples", "hotplace.examples", "hotplace.sources", "omakase.examples"]
    assert client.count_collections() == 4
    assert [x.name for x in client.list_collections(limit=2, offset=1)] == \
        [x.name for x in client.list_collections()][1:3]

    with pytest.raises(kohybrid.ChromaError, match=r"already exists"):
        client.create_collection("omakase.examples")
    client.delete_collection("omakase.examples")
    with pytest.raises(kohybrid.NotFoundError, match=r"omakase\.examples"):
        client.get_collection("omakase.examples")
    with pytest.raises(kohybrid.NotFoundError, match=r"does not exist"):
        client.delete_collection("omakase.examples")
    with pytest.raises(kohybrid.NotFoundError):
        a.count()  # the handle of a deleted collection


def test_bad_collection_name(client):
    with pytest.raises(kohybrid.InvalidArgumentError, match=r"3-512 characters"):
        client.create_collection("a")


def test_modify(client):
    col = client.create_collection("omakase.examples", metadata={"a": 1})
    col.modify(name="omakase.examples.v2", metadata={"b": "two"})
    assert col.name == "omakase.examples.v2"
    fetched = client.get_collection("omakase.examples.v2")
    assert fetched.id == col.id and fetched.metadata == {"b": "two"}
    with pytest.raises(kohybrid.NotFoundError):
        client.get_collection("omakase.examples")
    col.add(ids=["x"], embeddings=[[1.0, 0.0]], documents=["강남 스시"])
    # query goes by name: it follows the rename.
    assert col.query(query_texts=["스시"], n_results=1)["ids"] == [["x"]]


# MARK: - Records

def test_add_get_roundtrip(filled):
    col, (ids, vectors, documents, metadatas) = filled
    assert col.count() == 50
    got = col.get(ids=["shop-003", "shop-001"], include=["documents", "metadatas", "embeddings"])
    assert sorted(got["ids"]) == ["shop-001", "shop-003"]
    for i, record_id in enumerate(got["ids"]):
        k = ids.index(record_id)
        assert got["documents"][i] == documents[k]
        assert got["metadatas"][i] == metadatas[k]
        assert type(got["metadatas"][i]["rating"]) is float and type(got["metadatas"][i]["open"]) is bool
        assert np.allclose(got["embeddings"][i], vectors[k], atol=1e-7)
    assert got["included"] == ["documents", "metadatas", "embeddings"]
    only_ids = col.get(include=[])
    assert sorted(only_ids["ids"]) == sorted(ids)
    assert only_ids["documents"] is None and only_ids["metadatas"] is None and only_ids["embeddings"] is None
    assert col.get(ids="missing")["ids"] == []
    page = col.get(limit=5, offset=10)
    assert len(page["ids"]) == 5 and page["ids"] == col.get()["ids"][10:15]


def test_peek(filled):
    col, (ids, vectors, *_rest) = filled
    peek = col.peek(limit=3)
    assert len(peek["ids"]) == 3
    assert len(peek["embeddings"]) == 3 and len(peek["embeddings"][0]) == DIM
    assert peek["documents"] is not None and peek["metadatas"] is not None


def test_add_single_and_lists(client):
    col = client.create_collection("casual.sources")
    col.add(ids="one", embeddings=[0.5, 0.25], documents="국밥 한 그릇", metadatas={"n": 1})
    col.add(ids=["two"], embeddings=((1.0, 2.0),), documents=["스시"])
    got = col.get(include=["documents", "metadatas", "embeddings"])
    assert got["ids"] == ["one", "two"]
    assert got["documents"] == ["국밥 한 그릇", "스시"]
    assert got["metadatas"] == [{"n": 1}, None]
    assert got["embeddings"] == [[0.5, 0.25], [1.0, 2.0]]


def test_add_existing_id_is_ignored(filled):
    col, (ids, *_rest) = filled
    before = col.get(ids=["shop-000"], include=["documents", "metadatas", "embeddings"])
    col.add(ids=["shop-000"], embeddings=[[0.5] * DIM], documents=["다른 문서"], metadatas=[{"x": 1}])
    assert col.get(ids=["shop-000"], include=["documents", "metadatas", "embeddings"]) == before
    assert col.count() == 50


def test_update_merges_and_upsert(client):
    col = client.create_collection("hotplace.sources")
    col.add(ids=["a", "b"], embeddings=[[1.0, 0.0], [0.0, 1.0]], documents=["성수 카페", "종로 국밥"],
            metadatas=[{"x": 1, "y": "keep"}, {"x": 2}])
    col.update(ids=["a"], metadatas=[{"x": 5}])
    got = col.get(ids=["a"], include=["documents", "metadatas", "embeddings"])
    assert got["metadatas"] == [{"x": 5, "y": "keep"}]
    assert got["documents"] == ["성수 카페"] and got["embeddings"] == [[1.0, 0.0]]
    col.update(ids=["a"], metadatas=[{"y": None}], documents=["성수 브런치 카페"])
    got = col.get(ids=["a"])
    assert got["metadatas"] == [{"x": 5}] and got["documents"] == ["성수 브런치 카페"]
    col.update(ids=["nobody"], metadatas=[{"x": 9}])  # unknown ids are ignored
    assert col.count() == 2

    col.upsert(ids=["b", "c"], embeddings=[[0.0, 2.0], [3.0, 3.0]], metadatas=[{"z": True}, {"z": False}],
               documents=["종로 국밥 노포", "이태원 파스타"])
    got = col.get(ids=["b", "c"], include=["documents", "metadatas", "embeddings"])
    rows = dict(zip(got["ids"], zip(got["documents"], got["metadatas"], got["embeddings"])))
    assert rows["b"] == ("종로 국밥 노포", {"x": 2, "z": True}, [0.0, 2.0])
    assert rows["c"] == ("이태원 파스타", {"z": False}, [3.0, 3.0])
    # The new document is what BM25 finds now.
    assert col.query(query_texts=["노포"], n_results=3)["ids"] == [["b"]]


def test_delete(filled):
    col, (ids, *_rest) = filled
    assert col.delete(ids=["shop-000", "shop-001", "nope"]) == {"deleted": 2}
    assert col.delete(where={"district": "홍대"}) == {"deleted": 9}  # shop-001 was one of ten
    assert col.delete(where_document={"$contains": "국밥"}) == {"deleted": 8}
    assert col.count() == 50 - 2 - 9 - 8
    assert col.get(where={"district": "홍대"})["ids"] == []
    assert col.delete(ids=["shop-002"], where={"district": "강남"}) == {"deleted": 0}
    with pytest.raises(kohybrid.InvalidArgumentError, match="needs ids, where or where_document"):
        col.delete()


def test_numpy_inputs(client):
    col = client.create_collection("np.sources")
    col.add(ids=np.array(["a", "b"]), embeddings=np.eye(2, dtype=np.float32),
            metadatas=[{"n": np.int64(3), "f": np.float32(0.5)}, {"n": 1}])
    got = col.get(ids=["a"], include=["metadatas", "embeddings"])
    assert got["metadatas"] == [{"n": 3, "f": 0.5}] and got["embeddings"] == [[1.0, 0.0]]
    r = col.query(query_embeddings=np.array([1.0, 0.0]), n_results=1, mode="dense")
    assert r["ids"] == [["a"]]


def test_writes_split_into_batches(client, monkeypatch):
    col = client.create_collection("big.sources")
    ids, vectors, documents, metadatas = shops(n=300, seed=3)
    monkeypatch.setattr(client, "_batch_size", 37)        # the server's max_batch_size, smaller
    monkeypatch.setattr(client, "max_request_bytes", 20_000)  # and a small body limit
    col.add(ids=ids, embeddings=vectors, documents=documents, metadatas=metadatas)
    assert col.count() == 300
    got = col.get(include=["documents", "embeddings"])
    assert sorted(got["ids"]) == sorted(ids)
    one = got["ids"].index("shop-299")
    assert got["documents"][one] == documents[299]
    assert np.allclose(got["embeddings"][one], vectors[299])


def test_failed_batch_names_what_was_written(client, monkeypatch):
    col = client.create_collection("big.sources")
    monkeypatch.setattr(client, "_batch_size", 2)
    vectors = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0, 1.0], [0.5, 0.5]]
    with pytest.raises(kohybrid.InvalidArgumentError, match=r"records 0\.\.1 of this add were written"):
        col.add(ids=["a", "b", "c", "d"], embeddings=vectors)
    assert sorted(col.get()["ids"]) == ["a", "b"]


# MARK: - Queries

def test_hybrid_query_text_and_vector_gives_both_ranks(filled):
    col, (ids, vectors, documents, metadatas) = filled
    query_vector = vectors[12] + 0.05
    r = col.query(query_texts=["성수 국밥"], query_embeddings=[query_vector], n_results=10,
                  candidates=50)
    assert set(r) >= {"ids", "documents", "metadatas", "distances", "scores", "dense_ranks", "sparse_ranks"}
    hits = r["ids"][0]
    assert len(hits) == 10 and len(set(hits)) == 10
    assert r["scores"][0] == sorted(r["scores"][0], reverse=True)

    distances = cosine_distances(vectors, query_vector)
    dense_order = [ids[i] for i in np.argsort(distances)]
    for i, record_id in enumerate(hits):
        k = ids.index(record_id)
        assert r["documents"][0][i] == documents[k] and r["metadatas"][0][i] == metadatas[k]
        # With candidates=50 the dense retriever ranks every record: its rank is the exact one.
        assert r["dense_ranks"][0][i] == dense_order.index(record_id) + 1
        assert r["distances"][0][i] == pytest.approx(distances[k], abs=1e-5)
        matches_text = "성수" in documents[k] or "국밥" in documents[k]
        assert (r["sparse_ranks"][0][i] is not None) == matches_text
    # Both retrievers contributed: some hits come from BM25, the dense top-1 is among the hits.
    assert any(rank is not None for rank in r["sparse_ranks"][0])
    assert dense_order[0] in hits
    # The record matching both words ranks first by BM25 among the hits.
    both = [i for i, record_id in enumerate(hits)
            if "성수" in documents[ids.index(record_id)] and "국밥" in documents[ids.index(record_id)]]
    assert both and min(r["sparse_ranks"][0][i] for i in both) == 1


def test_hybrid_hits_from_one_retriever_only(filled):
    col, (ids, vectors, documents, _m) = filled
    # Each retriever looks max(candidates, n_results) = 12 deep.
    r = col.query(query_texts=["종로 파스타"], query_embeddings=[vectors[40]], n_results=12, candidates=5)
    ranks = list(zip(r["ids"][0], r["distances"][0], r["dense_ranks"][0], r["sparse_ranks"][0]))
    assert len(ranks) >= 6
    for record_id, distance, dense, sparse in ranks:
        assert dense is not None or sparse is not None
        assert (distance is None) == (dense is None)
        assert dense is None or 1 <= dense <= 12
        assert sparse is None or 1 <= sparse <= 12
    assert any(d is None for _, _, d, _ in ranks) and any(s is None for _, _, _, s in ranks)


def test_dense_mode_matches_brute_force(filled):
    col, (ids, vectors, *_rest) = filled
    rng = np.random.default_rng(1)
    queries = rng.standard_normal((3, DIM)).astype(np.float32)
    r = col.query(query_embeddings=queries, n_results=5, mode="dense")
    assert len(r["ids"]) == 3
    for q, query in enumerate(queries):
        distances = cosine_distances(vectors, query)
        order = np.argsort(distances)[:5]
        assert r["ids"][q] == [ids[i] for i in order]
        assert r["distances"][q] == pytest.approx(distances[order].tolist(), abs=1e-5)
        assert r["dense_ranks"][q] == [1, 2, 3, 4, 5]
        assert r["sparse_ranks"][q] == [None] * 5


def test_sparse_mode(filled):
    col, (ids, _vectors, documents, _m) = filled
    r = col.query(query_texts=["이태원 오마카세", "종로"], n_results=20, mode="sparse")
    assert r["distances"] is None
    assert all(rank is None for rank in r["dense_ranks"][0])
    first = [documents[ids.index(x)] for x in r["ids"][0]]
    assert all("이태원" in d or "오마카세" in d for d in first)
    assert "이태원" in first[0] and "오마카세" in first[0]
    assert r["sparse_ranks"][0] == list(range(1, len(first) + 1))
    assert sorted(r["ids"][1]) == sorted(x for x, d in zip(ids, documents) if "종로" in d)
    with pytest.raises(kohybrid.InvalidArgumentError, match="needs text"):
        col.query(query_embeddings=[[0.1] * DIM], mode="sparse")


def test_paired_queries_and_include(filled):
    col, (ids, vectors, *_rest) = filled
    r = col.query(query_texts=["강남", "홍대"], query_embeddings=vectors[:2], n_results=3,
                  include=["documents", "embeddings", "distances"])
    assert len(r["ids"]) == 2
    assert r["metadatas"] is None and r["documents"] is not None
    for q in range(2):
        for i, record_id in enumerate(r["ids"][q]):
            assert np.allclose(r["embeddings"][q][i], vectors[ids.index(record_id)])
    with pytest.raises(kohybrid.InvalidArgumentError, match="pair up per query"):
        col.query(query_texts=["강남"], query_embeddings=vectors[:2])
    with pytest.raises(kohybrid.InvalidArgumentError, match="needs query_texts, query_embeddings or both"):
        col.query()
    with pytest.raises(kohybrid.InvalidArgumentError, match="unknown column 'scores'"):
        col.query(query_texts=["강남"], include=["scores"])


def test_more_queries_than_one_request_carries(filled):
    col, (ids, _v, documents, _m) = filled
    texts = [DISTRICTS[i % 5] for i in range(1203)]  # the server takes 1,000 queries a request
    r = col.query(query_texts=texts, n_results=2, mode="sparse", include=["documents"])
    assert len(r["ids"]) == 1203
    for text, hits in zip(texts, r["documents"]):
        assert len(hits) == 2 and all(text in d for d in hits)


def test_rrf_fusion_scores_follow_ranks(filled):
    col, (ids, vectors, *_rest) = filled
    r = col.query(query_texts=["성수 카페"], query_embeddings=[vectors[3]], n_results=10,
                  fusion="rrf", rrf_k=60, weights={"dense": 2.0, "sparse": 1.0})
    for score, dense, sparse in zip(r["scores"][0], r["dense_ranks"][0], r["sparse_ranks"][0]):
        expected = (2.0 / (60 + dense) if dense else 0.0) + (1.0 / (60 + sparse) if sparse else 0.0)
        assert score == pytest.approx(expected, rel=1e-6)
    assert r["fusion_weights"] == [{"dense": 2.0, "sparse": 1.0}]
    with pytest.raises(kohybrid.InvalidArgumentError, match="fusion"):
        col.query(query_texts=["성수"], fusion="nonsense")
    with pytest.raises(kohybrid.InvalidArgumentError, match="weights"):
        col.query(query_texts=["성수"], weights=(0.7, 0.3))  # the default fusion picks its own
    r = col.query(query_texts=["성수 카페"], query_embeddings=[vectors[3]], n_results=3)
    weights = r["fusion_weights"][0]
    assert set(weights) == {"dense", "sparse"} and all(w >= 0 for w in weights.values())
    r = col.query(query_texts=["성수 카페"], query_embeddings=[vectors[3]], n_results=3,
                  fusion="rsf", weights=(0.25, 0.75))
    assert r["fusion_weights"] == [{"dense": 0.25, "sparse": 0.75}]
    with pytest.raises(kohybrid.InvalidArgumentError, match="mode"):
        col.query(query_texts=["성수"], mode="fuzzy")


def test_query_filters(filled):
    col, (ids, vectors, documents, metadatas) = filled
    where = {"$and": [{"price": {"$lt": 40000}}, {"open": True}]}
    r = col.query(query_texts=["맛집"], query_embeddings=[vectors[0]], n_results=50, where=where)
    expected = {x for x, m in zip(ids, metadatas) if m["price"] < 40000 and m["open"]}
    assert set(r["ids"][0]) == expected
    r = col.query(query_embeddings=[vectors[0]], n_results=50, mode="dense",
                  where={"tags": {"$contains": "스시"}}, where_document={"$regex": "^(강남|성수) "})
    expected = {x for x, m, d in zip(ids, metadatas, documents)
                if "스시" in m["tags"] and (d.startswith("강남 ") or d.startswith("성수 "))}
    assert expected and set(r["ids"][0]) == expected
    r = col.query(query_texts=["스시"], n_results=50, where={"district": {"$in": ["홍대", "종로"]}},
                  where_document={"$not_regex": "4\\d호점$"})
    expected = {x for x, m, d in zip(ids, metadatas, documents)
                if "스시" in d and m["district"] in ("홍대", "종로") and not re.search(r"4\d호점$", d)}
    assert set(r["ids"][0]) == expected


def test_get_filters(filled):
    col, (ids, _v, documents, metadatas) = filled
    def ids_where(pred):
        return sorted(x for x, m, d in zip(ids, metadatas, documents) if pred(m, d))
    assert sorted(col.get(where={"district": "성수"})["ids"]) == ids_where(lambda m, d: m["district"] == "성수")
    assert sorted(col.get(where={"rating": {"$gte": 4.5}})["ids"]) == ids_where(lambda m, d: m["rating"] >= 4.5)
    assert sorted(col.get(where={"$or": [{"kind": "카페"}, {"price": {"$gt": 55000}}]})["ids"]) == \
        ids_where(lambda m, d: m["kind"] == "카페" or m["price"] > 55000)
    assert sorted(col.get(where={"kind": {"$nin": ["카페", "국밥"]}, })["ids"]) == \
        ids_where(lambda m, d: m["kind"] not in ("카페", "국밥"))
    assert sorted(col.get(where_document={"$contains": "파스타"})["ids"]) == ids_where(lambda m, d: "파스타" in d)
    assert sorted(col.get(where_document={"$not_contains": "맛집"})["ids"]) == []
    assert sorted(col.get(where_document={"$regex": "^(홍대|종로) 스시"})["ids"]) == \
        ids_where(lambda m, d: d.startswith(("홍대 스시", "종로 스시")))
    assert sorted(col.get(where_document={"$and": [{"$contains": "강남"}, {"$regex": "[13]호점$"}]})["ids"]) == \
        ids_where(lambda m, d: "강남" in d and d[-3] in "13")
    assert col.get(ids=["shop-000", "shop-005"], where={"kind": "오마카세"})["ids"] == ["shop-000"]


# MARK: - Errors

def test_errors_carry_the_servers_message(client, filled):
    col, _data = filled
    with pytest.raises(kohybrid.NotFoundError, match=r"Collection \[nope\] does not exist") as info:
        client.get_collection("nope")
    assert info.value.status == 404 and info.value.error_name == "NotFoundError"

    with pytest.raises(kohybrid.InvalidArgumentError, match=rf"record \"short\": vector has 3 values, the collection.s dimension is {DIM}") as info:
        col.add(ids=["short"], embeddings=[[1.0, 2.0, 3.0]])
    assert info.value.status == 400
    with pytest.raises(kohybrid.InvalidArgumentError, match=r"dimension"):
        col.query(query_embeddings=[[1.0, 2.0, 3.0]])
    with pytest.raises(kohybrid.InvalidArgumentError, match=r"\$bad"):
        col.get(where={"price": {"$bad": 1}})
    with pytest.raises(kohybrid.InvalidArgumentError, match=r"where_document"):
        col.query(query_texts=["강남"], where_document={"$regex": "("})
    with pytest.raises(kohybrid.InvalidArgumentError, match=r"where"):
        col.query(query_texts=["강남"], where={"price": {"$lt": "cheap"}})
    with pytest.raises(kohybrid.InvalidArgumentError, match=r"n_results|k"):
        col.query(query_texts=["강남"], n_results=0)
    with pytest.raises(kohybrid.DuplicateIDError, match="'x' appears more than once"):
        col.add(ids=["x", "x"], embeddings=[[0.0] * DIM] * 2)
    with pytest.raises(kohybrid.InvalidArgumentError, match=r"documents has 1 entries but ids has 2"):
        col.add(ids=["x", "y"], documents=["하나"])
    with pytest.raises(ValueError, match=r"embeddings\[1\]\[2\]: expected a finite number"):
        col.add(ids=["x", "y"], embeddings=[[0.0] * DIM, [0.0, 0.0, math.nan] + [0.0] * (DIM - 3)])
    with pytest.raises(kohybrid.InvalidArgumentError, match=r"query_embeddings\[0\]\[1\]: expected a finite number, got nan"):
        col.query(query_embeddings=[[0.0, math.nan] + [0.0] * (DIM - 2)])
    with pytest.raises(kohybrid.InvalidArgumentError, match=r"query_embeddings\[1\]\[0\]: expected a finite number, got '1'"):
        col.query(query_embeddings=[[0.0] * DIM, ["1"] + [0.0] * (DIM - 1)])
    with pytest.raises(kohybrid.InvalidArgumentError, match=r"query_embeddings\[0\]: not a list of float32 values"):
        col.query(query_embeddings=[[1e39] + [0.0] * (DIM - 1)])
    with pytest.raises(kohybrid.InvalidArgumentError, match=r"embedding\[0\]: expected a finite number, got None"):
        client.generation_context("shops", "강남", [None, 1.0])
    assert col.count() == 50  # nothing was written by the failed calls
    client.delete_collection(col.name)
    with pytest.raises(kohybrid.NotFoundError):
        col.query(query_texts=["강남"])
    # Every server error is a KoHybridError (ChromaError), and none is a 5xx.
    assert issubclass(kohybrid.NotFoundError, errors.ChromaError)


def test_unreachable_server():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(kohybrid.ServerUnavailableError, match="cannot reach"):
        kohybrid.HttpClient(port=port).heartbeat()


# MARK: - Generation context, analyze

def test_generation_context(client):
    examples = client.create_collection("omakase.examples", metadata={"hnsw:space": "cosine"})
    sources = client.create_collection("omakase.sources", metadata={"hnsw:space": "cosine"})
    ids, vectors, documents, metadatas = shops(n=30, seed=11)
    examples.add(ids=ids, embeddings=vectors, documents=documents, metadatas=metadatas)
    sources.add(ids=[f"src-{x}" for x in ids], embeddings=vectors[::-1], documents=documents[::-1],
                metadatas=metadatas[::-1])
    ctx = client.generation_context("omakase", "강남 오마카세 코스", vectors[0], examples=3, sources=5)
    assert len(ctx["examples"]) == 3 and len(ctx["sources"]) == 5
    assert ctx["collections"] == {"examples": "omakase.examples", "sources": "omakase.sources"}
    top = ctx["examples"][0]
    assert top["id"] == "shop-000" and top["dense_rank"] == 1 and top["sparse_rank"] == 1
    assert top["distance"] == pytest.approx(0.0, abs=1e-5)
    assert top["document"] == documents[0] and top["metadata"] == metadatas[0]
    assert set(top["weights"]) == {"dense", "sparse"}
    assert all(h["id"].startswith("src-") for h in ctx["sources"])
    scores = [h["score"] for h in ctx["sources"]]
    assert scores == sorted(scores, reverse=True)

    ctx = client.generation_context("omakase", "강남", examples=10, sources=0, where={"open": True})
    assert ctx["sources"] == []
    assert ctx["examples"] and all(h["metadata"]["open"] for h in ctx["examples"])
    assert all(h["dense_rank"] is None and h["sparse_rank"] is not None for h in ctx["examples"])
    assert all(h["weights"] is None for h in ctx["examples"])  # BM25 alone: nothing was fused
    with pytest.raises(kohybrid.NotFoundError, match=r"casual\.examples"):
        client.generation_context("casual", "국밥")


def test_generation_context_where_document(client):
    for kind in ("examples", "sources"):
        col = client.create_collection(f"hotplace.{kind}")
        col.add(ids=["a", "b", "c"], embeddings=[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]],
                documents=["강남 오마카세 맛집", "강남 홍대 파스타", "강남역 스시"])
    ctx = client.generation_context("hotplace", "강남", [1.0, 0.0], examples=3, sources=3,
                                    where_document={"$contains": "홍대"})
    assert [h["id"] for h in ctx["examples"]] == ["b"] and [h["id"] for h in ctx["sources"]] == ["b"]


def test_analyze(client):
    text = "강남역 오마카세, 런치 코스 3만원"
    terms = client.analyze(text)
    words = [t for t in terms if t["field"] == "word"]
    assert [t["text"] for t in words][:3] == ["강남역", "오마카세", "런치"]
    for t in words:
        assert text[t["start"]:t["end"]] == t["text"] or t["text"] in text[t["start"]:t["end"]].lower()
    assert any(t["field"] == "bigram" and t["text"] == "마카" for t in terms)
    with pytest.raises(kohybrid.InvalidArgumentError, match="analyzer"):
        client.analyze(text, analyzer="klingon")


# MARK: - Threads

def test_threads_share_one_client(filled):
    col, (ids, vectors, *_rest) = filled
    failures = []

    def work(k: int) -> None:
        try:
            for j in range(20):
                r = col.query(query_texts=["맛집"], query_embeddings=[vectors[(k + j) % 50]], n_results=3)
                assert r["ids"][0][0] == ids[(k + j) % 50] or r["dense_ranks"][0]
        except Exception as error:  # pragma: no cover - reported below
            failures.append(error)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
