"""A misbehaving OpenAI-compatible embeddings server for the embedder's fault tests.

Listens on 127.0.0.1 and a free port (printed on the first stdout line) until stdin closes.
The first path segment picks the behaviour, the second is a token that keeps each test's
request counts apart: POST /<behaviour>/<token>/v1/embeddings. GET /stats/<token> returns
{"requests": n, "last_body": {...}, "authorization": bool} for that token.

Good vectors are 4-dimensional, deterministic per text, never all zero.
"""
import base64
import hashlib
import json
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DIM = 4
lock = threading.Lock()
stats = {}


def vector(text):
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return [1.0 + digest[i] / 255.0 for i in range(DIM)]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, code, body, headers=()):
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        parts = self.path.strip("/").split("/")
        if len(parts) == 2 and parts[0] == "stats":
            with lock:
                entry = stats.get(parts[1], {"requests": 0, "last_body": None, "authorization": False})
            self.send(200, json.dumps(entry))
        else:
            self.send(404, '{"error": "unknown route"}')

    def do_POST(self):
        parts = self.path.strip("/").split("/")
        if len(parts) < 3 or parts[-1] != "embeddings":
            self.send(404, '{"error": "unknown route"}')
            return
        behaviour, token = parts[0], parts[1]
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        with lock:
            entry = stats.setdefault(token, {"requests": 0, "last_body": None, "authorization": False})
            entry["requests"] += 1
            entry["last_body"] = body
            entry["authorization"] = self.headers.get("Authorization") is not None
            n = entry["requests"]
        texts = body.get("input", [])
        texts = [texts] if isinstance(texts, str) else texts
        vectors = [vector(t) for t in texts]

        if behaviour == "retry-after" and n == 1:
            return self.send(429, '{"error": {"message": "slow down"}}', [("Retry-After", "1")])
        if behaviour == "error-then-ok" and n == 1:
            return self.send(500, '{"error": {"message": "temporary failure"}}')
        if behaviour == "always-500":
            return self.send(503, '{"error": {"message": "model is overloaded, try later"}}')
        if behaviour == "bad-request":
            return self.send(400, '{"error": {"message": "unknown field input_type"}}')
        if behaviour == "hang":
            time.sleep(30)
            return
        if behaviour == "malformed":
            return self.send(200, '{"object": "list", "data": [{"index": 0, "embedding": [0.1, 0.2')
        if behaviour == "wrong-count":
            vectors = vectors[:-1]
        if behaviour == "wrong-dimension":
            vectors = [v + [0.5] for v in vectors]
        if behaviour == "nan":
            vectors[0][1] = float("nan")
        if behaviour == "shuffled":
            order = list(reversed(range(len(vectors))))
        else:
            order = list(range(len(vectors)))
        b64 = body.get("encoding_format") == "base64"
        data = []
        for i in order:
            v = vectors[i]
            emb = base64.b64encode(struct.pack("<%df" % len(v), *v)).decode("ascii") if b64 else v
            data.append({"object": "embedding", "index": i, "embedding": emb})
        # json.dumps writes NaN as the bare token NaN (not JSON); base64 carries a real NaN.
        self.send(200, json.dumps({"object": "list", "data": data, "model": body.get("model")}))


httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
httpd.daemon_threads = True
print(httpd.server_address[1], flush=True)


def stop_when_stdin_closes():
    sys.stdin.read()
    httpd.shutdown()


threading.Thread(target=stop_when_stdin_closes, daemon=True).start()
httpd.serve_forever()
