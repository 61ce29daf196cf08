"""Formats ablation JSON lines (from run-ablation.sh) as the Markdown table in README.md.

  python3 Evaluation/bm25/table.py < Evaluation/bm25/ablation-kobest-boolq.jsonl"""
import json
import sys

print("| run | recall@10 | MRR@10 | terms in index |")
print("|---|---|---|---|")
for line in sys.stdin:
    r = json.loads(line)
    if r["without"]:
        name = f"`{r['preset']}` without {r['without']}"
    elif r["preset"] == "korean" and r["bigram_weight"] != 0.75:
        name = f"`korean`, bigram weight {r['bigram_weight']}"
    else:
        name = f"`{r['preset']}`" + (" (default)" if r["preset"] == "korean" else "")
    print(f"| {name} | {r['recall@10']:.4f} | {r['mrr@10']:.4f} | {r['terms']:,} |")
