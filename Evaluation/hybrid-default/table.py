"""Markdown tables for README.md from run.sh's results/*.json (kohybrid eval --json)."""
import json
import os
import sys

SETS = ["kobest-boolq", "shops", "ko-paraphrase", "kobest-weak", "kobest-weaker",
        "kobest-boolq-whitespace", "ko-paraphrase-bigram"]
MODES = ["dense", "sparse", "hybrid-rrf", "hybrid-rsf", "hybrid-dbsf", "hybrid-rsf-0.3", "hybrid-adaptive"]


def main(folder):
    results = {}
    for name in SETS:
        path = os.path.join(folder, name + ".json")
        if os.path.exists(path):
            results[name] = json.load(open(path))
    print("recall@10 / MRR@10 (bold: the default; ✓: at least the better single retriever on both)\n")
    print("| mode | " + " | ".join(results) + " |")
    print("|---|" + "---|" * len(results))
    for mode in MODES:
        cells = []
        for name, r in results.items():
            rows = {m["mode"]: m for m in r["modes"]}
            if mode not in rows:
                cells.append("")
                continue
            m = rows[mode]
            best = [max(rows["dense"][k], rows["sparse"][k]) for k in ("recall@10", "mrr@10")]
            ok = m["recall@10"] >= best[0] and m["mrr@10"] >= best[1]
            cell = f"{m['recall@10']:.4f} / {m['mrr@10']:.4f}" + (" ✓" if ok and mode.startswith("hybrid") else "")
            cells.append(f"**{cell}**" if m.get("default") else cell)
        print(f"| {mode} | " + " | ".join(cells) + " |")
    print("\nThe default against each single retriever (difference, two-sided paired randomization p, 10,000 trials):\n")
    print("| set | vs dense: recall@10 | MRR@10 | vs BM25: recall@10 | MRR@10 |")
    print("|---|---|---|---|---|")
    for name, r in results.items():
        default = next(m["mode"] for m in r["modes"] if m.get("default"))
        cells = []
        for base in ("dense", "sparse"):
            for metric in ("recall@10", "mrr@10"):
                t = next(t for t in r["tests"] if t["mode"] == default and t["baseline"] == base and t["metric"] == metric)
                star = "*" if t["p"] < 0.05 else ""
                cells.append(f"{t['difference']:+.4f} (p {t['p']:.4f}){star}")
        print(f"| {name} | " + " | ".join(cells) + " |")
    print()
    for name, r in results.items():
        advice = r.get("recommendation")
        if advice:
            tests = ", ".join(f"{t['metric']} {t['difference']:+.4f} (p {t['p']:.4f})" for t in advice["tests"])
            print(f"- {name}: best swept `{advice['mode']}` {advice['label']} ({advice['sweep']}): {tests}; "
                  f"significant gain: {'yes' if advice['significant_gain'] else 'no'}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "results"))
