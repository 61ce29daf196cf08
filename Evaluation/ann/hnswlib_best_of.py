"""hnswlib timed as `kohybrid bench ann --repeats N` times itself: the index of ann_peers.py
(same parameters, seed and insertion order), each ef queried N times one query at a time, qps the
best pass. On a shared machine a pass is only ever slowed down, so best-of-N on both sides is a
steadier ratio than two single passes taken a minute apart.

    python hnswlib_best_of.py --base F.f32 [--queries Q.f32 | --holdout 1000] --dim 384 --repeats 5
"""
import argparse, json, time
import numpy as np
import hnswlib


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--queries")
    ap.add_argument("--holdout", type=int, default=1000)
    ap.add_argument("--dim", type=int, default=384)
    ap.add_argument("--M", type=int, default=16)
    ap.add_argument("--ef-construction", type=int, default=200)
    ap.add_argument("--ef", default="16,32,64,128,256")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--repeats", type=int, default=5)
    a = ap.parse_args()
    base = np.fromfile(a.base, dtype="<f4").reshape(-1, a.dim)
    if a.queries:
        queries = np.fromfile(a.queries, dtype="<f4").reshape(-1, a.dim)
    else:
        base, queries = base[:-a.holdout], base[-a.holdout:]
    base, queries = np.ascontiguousarray(base), np.ascontiguousarray(queries)
    scores = queries @ base.T
    truth = np.argpartition(-scores, a.k, axis=1)[:, :a.k]
    idx = hnswlib.Index(space="ip", dim=a.dim)
    idx.init_index(max_elements=len(base), M=a.M, ef_construction=a.ef_construction, random_seed=1)
    idx.set_num_threads(1)
    t = time.perf_counter()
    idx.add_items(base, np.arange(len(base)))
    build = time.perf_counter() - t
    for ef in [int(x) for x in a.ef.split(",")]:
        idx.set_ef(max(ef, a.k))
        passes = []
        for _ in range(a.repeats):
            found = np.empty((len(queries), a.k), dtype=np.int64)
            t = time.perf_counter()
            for i, q in enumerate(queries):
                found[i] = idx.knn_query(q, k=a.k)[0][0]
            passes.append(round(len(queries) / (time.perf_counter() - t), 1))
        r = np.mean([len(set(f.tolist()) & set(s.tolist())) / a.k for f, s in zip(found, truth)])
        print(json.dumps({"peer": "hnswlib", "task": "ann", "base": len(base), "queries": len(queries),
                          "dim": a.dim, "M": a.M, "ef_construction": a.ef_construction, "k": a.k, "ef": ef,
                          "build_s": round(build, 2), "qps": max(passes), "qps_passes": passes,
                          f"recall@{a.k}": round(float(r), 4)}), flush=True)


if __name__ == "__main__":
    main()
