"""Serving benchmark: queries/s and p50/p99 latency on loopback with 1, 8 and 32 concurrent
clients, `kohybrid serve` (release build) against `chroma run` (chromadb 1.5.9's own server) on
the same records in the same sitting.

  python Evaluation/serve/bench.py --corpus ../shared/corpora/kobest-boolq --seconds 8

- dense: chromadb's own HttpClient `collection.query(query_embeddings=[q], n_results=10)`
  against both servers (the unchanged-notebook path);
- hybrid: text + vector through the kohybrid Python client (`mode="hybrid"`), ours only;
- client overhead: the kohybrid client's time per call minus a bare http.client POST of the
  same request, one client, same server.

Each client is its own process (no GIL sharing). Prints one JSON line per measurement, then a
summary table. Both servers and the clients share this machine's cores: compare ratios.
"""
import argparse, json, multiprocessing as mp, os, shutil, signal, socket, subprocess, sys, tempfile, time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("KOHYBRID_SHARED", REPO.parent / "shared"))
sys.path.insert(0, str(SHARED / "peers"))
import beir  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(port, path, timeout=60):
    import http.client
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", path)
            if c.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on {port} did not answer {path}")


def start(kind, store, port, binary, python):
    if kind == "kohybrid":
        cmd = [binary, "serve", "--store", store, "--port", str(port)]
        path = "/healthz"
    else:
        cmd = [str(Path(python).parent / "chroma"), "run", "--path", store, "--host", "127.0.0.1", "--port", str(port)]
        path = "/api/v2/heartbeat"
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_http(port, path)
    return proc


def ingest(port, corpus, vectors):
    import chromadb
    client = chromadb.HttpClient(host="127.0.0.1", port=port)
    col = client.create_collection("bench", metadata={"hnsw:space": "cosine"}, embedding_function=None)
    t = time.perf_counter()
    for s in range(0, len(corpus), 1000):
        part = corpus[s:s + 1000]
        col.add(ids=[d["_id"] for d in part], embeddings=vectors[s:s + 1000],
                documents=[beir.doc_text(d) for d in part], metadatas=[{"n": i + s} for i in range(len(part))])
    return time.perf_counter() - t


def worker(args):
    kind, port, queries, texts, seconds, start_at, out = args
    if kind == "hybrid":
        import kohybrid
        col = kohybrid.HttpClient(host="127.0.0.1", port=port).get_collection("bench")
        call = lambda i: col.query(query_texts=[texts[i]], query_embeddings=[queries[i]], n_results=10, mode="hybrid")
    else:
        import chromadb
        col = chromadb.HttpClient(host="127.0.0.1", port=port).get_collection("bench", embedding_function=None)
        call = lambda i: col.query(query_embeddings=[queries[i]], n_results=10, include=["documents", "metadatas", "distances"])
    call(0)  # connection and caches warm
    while time.time() < start_at:
        time.sleep(0.001)
    lat, i = [], 0
    end = start_at + seconds
    while time.time() < end:
        t = time.perf_counter()
        call(i % len(queries))
        lat.append(time.perf_counter() - t)
        i += 1
    out.put(lat)


def cpu_seconds(pid):
    """User + system CPU seconds of a process and its threads (Linux /proc)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load(kind, port, queries, texts, clients, seconds, server_pid):
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    start_at = time.time() + 3 + clients * 0.3
    procs = [ctx.Process(target=worker, args=((kind, port, queries[c::clients], texts[c::clients], seconds, start_at, out),))
             for c in range(clients)]
    for p in procs:
        p.start()
    while time.time() < start_at:
        time.sleep(0.001)
    cpu0 = cpu_seconds(server_pid)
    lat = [x for _ in procs for x in out.get()]
    cpu = cpu_seconds(server_pid) - cpu0
    for p in procs:
        p.join()
    ms = np.array(lat) * 1000
    # The server's own CPU per query: on a 2-core machine the clients take most of the CPU, so
    # this is the figure that says what serving one more query costs.
    return {"clients": clients, "queries": len(lat), "qps": round(len(lat) / seconds, 1),
            "p50_ms": round(float(np.percentile(ms, 50)), 3), "p99_ms": round(float(np.percentile(ms, 99)), 3),
            "server_cpu_ms_per_query": round(cpu * 1000 / max(len(lat), 1), 3)}


def client_overhead(port, query, text, n=300):
    """The kohybrid client's time per call minus a bare http.client POST of the same body."""
    import http.client, kohybrid
    col = kohybrid.HttpClient(host="127.0.0.1", port=port).get_collection("bench")
    body = json.dumps({"queries": [{"text": text, "vector": [float(x) for x in query]}], "k": 10, "mode": "hybrid",
                       "include": ["documents", "metadatas"]})
    conn = http.client.HTTPConnection("127.0.0.1", port)
    def bare():
        conn.request("POST", "/kohybrid/v1/collections/bench/search", body=body, headers={"Content-Type": "application/json"})
        json.loads(conn.getresponse().read())
    def client():
        col.query(query_texts=[text], query_embeddings=[query], n_results=10, mode="hybrid")
    timings = {}
    for name, f in (("bare", bare), ("client", client), ("bare2", bare), ("client2", client)):
        f()
        t = time.perf_counter()
        for _ in range(n):
            f()
        timings[name] = (time.perf_counter() - t) / n * 1000
    bare_ms = min(timings["bare"], timings["bare2"]); client_ms = min(timings["client"], timings["client2"])
    return {"bare_ms": round(bare_ms, 3), "client_ms": round(client_ms, 3), "overhead_ms": round(client_ms - bare_ms, 3)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(SHARED / "corpora" / "kobest-boolq"))
    ap.add_argument("--bin", default=os.environ.get("KOHYBRID_BIN", str(REPO / ".build" / "release" / "kohybrid")))
    ap.add_argument("--seconds", type=float, default=8)
    ap.add_argument("--clients", default="1,8,32")
    ap.add_argument("--skip-chroma", action="store_true")
    a = ap.parse_args()
    corpus, queries, _ = beir.load(a.corpus)
    D = beir.vectors(a.corpus, "corpus")
    Q = [list(map(float, v)) for v in beir.vectors(a.corpus, "queries")[:2000]]
    texts = [q["text"] for q in beir.load(a.corpus)[1]][:len(Q)]
    levels = [int(x) for x in a.clients.split(",")]
    rows = []
    work = tempfile.mkdtemp(prefix="serve-bench-")
    try:
        for server in (["kohybrid"] + ([] if a.skip_chroma else ["chroma"])):
            port = free_port()
            proc = start(server, os.path.join(work, server), port, a.bin, sys.executable)
            try:
                seconds = ingest(port, corpus, D)
                print(json.dumps({"server": server, "ingest_s": round(seconds, 2), "records": len(corpus)}), flush=True)
                kinds = ["dense"] + (["hybrid"] if server == "kohybrid" else [])
                for kind in kinds:
                    for c in levels:
                        row = {"server": server, "kind": kind, **load(kind, port, Q, texts, c, a.seconds, proc.pid)}
                        rows.append(row)
                        print(json.dumps(row), flush=True)
                if server == "kohybrid":
                    print(json.dumps({"server": server, "client_overhead": client_overhead(port, Q[0], texts[0])}), flush=True)
            finally:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n| server | queries | clients | q/s | p50 ms | p99 ms | server CPU ms / query |\n|---|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['server']} | {r['kind']} | {r['clients']} | {r['qps']} | {r['p50_ms']} | {r['p99_ms']} | {r['server_cpu_ms_per_query']} |")
    chroma = {r["clients"]: r["qps"] for r in rows if r["server"] == "chroma"}
    for r in rows:
        if r["server"] == "kohybrid" and r["clients"] in chroma:
            print(f"{r['kind']} with {r['clients']} clients: {r['qps'] / chroma[r['clients']]:.2f}x chroma run's dense q/s")
    chroma_cpu = {r["clients"]: r["server_cpu_ms_per_query"] for r in rows if r["server"] == "chroma"}
    for r in rows:
        if r["server"] == "kohybrid" and r["clients"] in chroma_cpu and r["server_cpu_ms_per_query"] > 0:
            print(f"{r['kind']} with {r['clients']} clients: server CPU per query {chroma_cpu[r['clients']] / r['server_cpu_ms_per_query']:.2f}x less than chroma run's")


if __name__ == "__main__":
    main()
