"""Reference BM25 scores from bm25s (method="lucene") for the Swift tests.

  python bm25s_reference.py INPUT.json OUTPUT.json

INPUT: {"k1": 1.2, "b": 0.75, "k": 10, "docs": [[term, ...], ...], "queries": [[term, ...], ...]}
OUTPUT: [[[doc_index, score], ...] per query], best first (only hits with a positive score)."""
import json
import sys

import bm25s


def main():
    source, target = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as f:
        spec = json.load(f)
    vocab = {}
    ids = [[vocab.setdefault(t, len(vocab)) for t in doc] for doc in spec["docs"]]
    retriever = bm25s.BM25(method="lucene", k1=spec["k1"], b=spec["b"])
    retriever.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False)
    k = min(spec["k"], len(ids))
    out = []
    for query in spec["queries"]:
        qids = [vocab[t] for t in query if t in vocab]
        if not qids:
            out.append([])
            continue
        docs, scores = retriever.retrieve(bm25s.tokenization.Tokenized(ids=[qids], vocab=vocab), k=k,
                                          show_progress=False, n_threads=1)
        out.append([[int(d), float(s)] for d, s in zip(docs[0], scores[0]) if s > 0])
    with open(target, "w", encoding="utf-8") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
