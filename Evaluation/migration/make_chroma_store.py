#!/usr/bin/env python3
"""Build a Chroma PersistentClient store for the migration benchmark.

60,000 live records x 768 float32 (cosine, like e5 embeddings), Korean shop-summary-like
documents and typed metadata (str/int/float/bool and 1.5-style list values), written with
chromadb's own API. To exercise every path of the reader, 60,500 records are added, 300 are
updated (new vector and document) and 500 deleted, so the final state comes from the HNSW
files, the queue tail and deletes.

Usage (chromadb 1.5.9 in the peers venv; the store goes to /tmp, never into the repo):
    "$(bash scripts/peers-venv.sh --print)" Evaluation/migration/make_chroma_store.py /tmp/chroma-bench-60k
"""
import argparse
import os
import shutil
import sys
import time

import numpy as np
import chromadb

CATEGORIES = ["파인다이닝", "스시 오마카세", "가성비 맛집", "웨이팅 핫플", "브런치 카페", "한우 오마카세"]
CITIES = ["서울", "부산", "제주", "대구", "광주", "인천", "수원"]
DISTRICTS = ["성수동", "한남동", "연남동", "서면", "해운대", "을지로", "압구정"]
DISHES = ["전복 리조또", "한우 안심", "참치 뱃살", "성게알 덮밥", "들기름 막국수", "트러플 파스타", "장어 덮밥", "소금빵"]
NOTES = ["예약이 필수다", "웨이팅이 한 시간 넘는다", "런치 코스가 합리적이다", "와인 페어링이 훌륭하다",
         "재료 본연의 맛을 살렸다", "직원들이 친절하다", "좌석 간격이 넓다", "주차가 어렵다"]


def document(rng, i):
    cat, city, dist = rng.choice(CATEGORIES), rng.choice(CITIES), rng.choice(DISTRICTS)
    dish, note1, note2 = rng.choice(DISHES), rng.choice(NOTES), rng.choice(NOTES)
    return f"{city} {dist}의 {cat} 매장 {i}번. 대표 메뉴는 {dish}이며 {note1}. 방문객들은 {note2}고 말한다."


def metadata(rng, i):
    m = {
        "category": str(rng.choice(CATEGORIES)),
        "city": str(rng.choice(CITIES)),
        "price_krw": int(rng.integers(8, 400)) * 1000,
        "rating": float(np.float32(rng.integers(20, 51) / 10)),
        "waiting": bool(rng.integers(0, 2)),
        "shop_no": i,
    }
    if i % 3 == 0:
        m["tags"] = [str(t) for t in rng.choice(DISHES, size=2, replace=False)]
    return m


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--records", type=int, default=60_000)
    ap.add_argument("--dim", type=int, default=768)
    ap.add_argument("--batch", type=int, default=2000)
    a = ap.parse_args()
    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    rng = np.random.default_rng(20261122)
    client = chromadb.PersistentClient(path=a.out)
    col = client.create_collection("shops", metadata={"hnsw:space": "cosine", "source": "benchmark"})
    extra, n_update = 500, 300
    total = a.records + extra
    t0 = time.time()
    for start in range(0, total, a.batch):
        ids = range(start, min(total, start + a.batch))
        vecs = rng.standard_normal((len(ids), a.dim), dtype=np.float32)
        col.add(ids=[f"shop-{i:06d}" for i in ids], embeddings=vecs,
                documents=[document(rng, i) for i in ids], metadatas=[metadata(rng, i) for i in ids])
        print(f"added {start + len(ids)}/{total} ({time.time() - t0:.0f}s)", file=sys.stderr)
    upd = [f"shop-{i:06d}" for i in rng.choice(total, size=n_update, replace=False)]
    col.update(ids=upd, embeddings=rng.standard_normal((n_update, a.dim), dtype=np.float32),
               documents=[f"리뉴얼: {document(rng, 0)}" for _ in upd])
    dele = sorted(set(f"shop-{i:06d}" for i in rng.choice(total, size=extra * 2, replace=False)) - set(upd))[:extra]
    col.delete(ids=dele)
    print(f"count {col.count()} in {time.time() - t0:.0f}s; chromadb {chromadb.__version__}", file=sys.stderr)


if __name__ == "__main__":
    main()
