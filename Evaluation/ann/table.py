"""Prints the Markdown comparison table for Evaluation/ann/README.md from results/*.jsonl.

Each results file holds rounds of (hnswlib lines, kohybrid lines) run back to back. On a shared
machine a single run can be slowed by neighbours, so per (corpus, engine, ef) the table shows the
best qps over the rounds (and the build time of that same round), plus the qps ratio.
"""
import glob, json, os, sys
from collections import defaultdict

here = os.path.dirname(os.path.abspath(__file__))
prefix = sys.argv[1] if len(sys.argv) > 1 else ""   # e.g. "session2-": only those files


def churn_table(rows):
    """hnswlib and kohybrid through build, delete, (consolidate,) re-insert."""
    print("| engine | phase | ef | recall@10 | qps | time |")
    print("|---|---|---:|---:|---:|---|")
    for r in rows:
        times = ", ".join(f"{k} {v}" for k, v in r.items() if k.endswith("_s") or k.startswith("consolidate_s"))
        print(f"| {r['peer']} | {r.get('phase', 'built')} | {r['ef']} | {r['recall@10']:.4f} | {r['qps']:,.0f} | {times} |")
    print()


for path in sorted(glob.glob(os.path.join(here, "results", prefix + "*.jsonl"))):
    rows = [json.loads(l) for l in open(path) if l.strip().startswith("{")]
    if os.path.basename(path).endswith("churn.jsonl"):
        # kohybrid's first lines are its plain sweep; keep its churn phases and hnswlib's lines.
        name = os.path.basename(path)[:-6]
        kernels = sorted({r.get("kernel", "unknown") for r in rows if r.get("task") == "ann-churn"})
        print(f"### {name}: delete {rows[0]['removed']:,} of {rows[0]['base']:,}, then re-insert them "
              f"(kohybrid distance kernel {'/'.join(kernels)})\n")
        churn_table([r for r in rows if r.get("task") == "ann-churn"])
        continue
    rows = [r for r in rows if r.get("task", "ann") == "ann"]
    best = defaultdict(dict)
    builds = defaultdict(list)
    for r in rows:
        key = (r["peer"], r["ef"])
        if r["qps"] > best[key].get("qps", 0):
            best[key] = r
        if r["ef"] == rows[0]["ef"]:
            builds[r["peer"]].append(r)
    if not rows:
        continue
    name = os.path.basename(path)[:-6]
    first = rows[0]
    # Which SIMD distance bodies kohybrid ran (lines written before it reported them say "unknown").
    kernels = sorted({r.get("kernel", "unknown") for r in rows if r["peer"] == "kohybrid"})
    print(f"### {name}: {first['base']:,} base vectors, {first['queries']:,} queries, dim {first['dim']}, "
          f"M {first['M']}, efConstruction {first['ef_construction']}, k {first['k']}, "
          f"kohybrid distance kernel {'/'.join(kernels)}\n")
    # Round-paired ratios: the i-th hnswlib run against the i-th kohybrid run (back to back).
    per_engine = defaultdict(lambda: defaultdict(list))
    for r in rows:
        per_engine[r["peer"]][r["ef"]].append(r["qps"])
    print("| ef | hnswlib qps (best) | kohybrid qps (best) | ratio of bests | ratio per round (paired) | median | hnswlib recall@10 | kohybrid recall@10 |")
    print("|---:|---:|---:|---:|---|---:|---:|---:|")
    efs = sorted({r["ef"] for r in rows})
    for ef in efs:
        h, k = best[("hnswlib", ef)], best[("kohybrid", ef)]
        if not h or not k:
            continue
        paired = [b / a for a, b in zip(per_engine["hnswlib"][ef], per_engine["kohybrid"][ef])]
        print(f"| {ef} | {h['qps']:,.0f} | {k['qps']:,.0f} | {k['qps'] / h['qps']:.2f}x | "
              f"{', '.join(f'{x:.2f}' for x in paired)} | {sorted(paired)[len(paired) // 2]:.2f} | "
              f"{h['recall@10']:.4f} | {k['recall@10']:.4f} |")
    hb = [r["build_s"] for r in builds["hnswlib"]]
    kb = [r["build_s"] for r in builds["kohybrid"]]
    k2 = [r["build_s_2threads"] for r in builds["kohybrid"]]
    last = builds["kohybrid"][-1] if builds["kohybrid"] else {}
    print()
    print(f"- build, single thread (s, per round): hnswlib {hb}, kohybrid {kb}; kohybrid with 2 threads {k2}")
    if last:
        print(f"- kohybrid memory {last['memory_mb']} MB vs vectors + level-0 links {last['vectors_links_mb']} MB "
              f"({100 * (last['memory_mb'] / last['vectors_links_mb'] - 1):+.1f}%); "
              f"open {last['open_ms']} ms" + (f" (metadata checksums; {last['open_ms_full_checksum']} ms checksumming the whole file)"
                                              if 'open_ms_full_checksum' in last else f" (all checksums; {last['open_ms_unverified']} ms without)") + "; "
              f"exact (flat) search {last['flat_qps']:,.0f} qps")
    print()
