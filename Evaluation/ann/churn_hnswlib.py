"""hnswlib under the churn of `kohybrid bench ann --churn F`: build, mark a fraction deleted (the
same keys: a hash of the key), measure recall, re-insert them with replace_deleted=True (hnswlib's
slot reuse), measure again. Recall is against exact search over the records live in each phase.

    python churn_hnswlib.py --base vectors.e5-small.f32 --holdout 1000 --dim 384 --churn 0.3 [--limit N]
"""
import argparse, json, time
import numpy as np
import hnswlib


def exact(base, live, queries, k):
    scores = queries @ base[live].T
    top = np.argpartition(-scores, k, axis=1)[:, :k]
    return [set(live[row].tolist()) for row in top]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--dim", type=int, default=384)
    ap.add_argument("--holdout", type=int, default=1000)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--churn", type=float, default=0.3)
    ap.add_argument("--M", type=int, default=16)
    ap.add_argument("--ef-construction", type=int, default=200)
    ap.add_argument("--ef", default="64,128,256")
    ap.add_argument("--k", type=int, default=10)
    a = ap.parse_args()
    rows = np.fromfile(a.base, dtype="<f4").reshape(-1, a.dim)
    base, queries = rows[:-a.holdout], rows[-a.holdout:]
    if a.limit:
        base = base[:a.limit]
    base = np.ascontiguousarray(base)
    n = len(base)
    keys = np.arange(n, dtype=np.uint64)
    # The same selection as BenchANNCommand.runChurn: (key * golden) >> 11 as a fraction of 2^53.
    mixed = (keys * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(11)
    removed = np.nonzero(mixed.astype(np.float64) * 2.0**-53 < a.churn)[0]
    idx = hnswlib.Index(space="ip", dim=a.dim)
    idx.init_index(max_elements=n, M=a.M, ef_construction=a.ef_construction, random_seed=1, allow_replace_deleted=True)
    idx.set_num_threads(1)
    t = time.perf_counter()
    idx.add_items(base, np.arange(n))
    build = time.perf_counter() - t

    def measure(phase, live, extra):
        truth = exact(base, live, queries, a.k)
        for ef in [int(x) for x in a.ef.split(",")]:
            idx.set_ef(max(ef, a.k))
            t = time.perf_counter()
            found = [idx.knn_query(q, k=a.k)[0][0] for q in queries]
            qps = len(queries) / (time.perf_counter() - t)
            r = np.mean([len(set(f.tolist()) & s) / a.k for f, s in zip(found, truth)])
            print(json.dumps({"peer": "hnswlib", "task": "ann-churn", "phase": phase, "base": n,
                              "removed": len(removed), "ef": ef, "qps": round(qps, 1),
                              f"recall@{a.k}": round(float(r), 4), **extra}), flush=True)

    everything = np.arange(n)
    measure("built", everything, {"build_s": round(build, 2)})
    t = time.perf_counter()
    for key in removed:
        idx.mark_deleted(int(key))
    delete_s = time.perf_counter() - t
    measure("deleted", np.setdiff1d(everything, removed), {"delete_s": round(delete_s, 2)})
    t = time.perf_counter()
    idx.add_items(base[removed], removed, replace_deleted=True)
    measure("reinserted", everything, {"reinsert_s": round(time.perf_counter() - t, 2)})


if __name__ == "__main__":
    main()
