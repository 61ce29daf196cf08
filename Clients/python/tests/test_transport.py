"""The HTTP layer against a scripted server (what kohybrid serve does not do on purpose): a
keep-alive connection closed while idle, bodies that are not the server's JSON errors."""

from __future__ import annotations

import json
import socket
import threading
from typing import List, Tuple

import pytest

import kohybrid


class ScriptedServer:
    """Answers each request with the next (status, body) of ``answers``, then closes the
    connection without saying so (as a server does with an idle keep-alive connection)."""

    def __init__(self, answers: List[Tuple[int, bytes]]) -> None:
        self.answers = list(answers)
        self.connections = 0
        self.requests: List[bytes] = []
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen()
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while self.answers:
            connection, _ = self.listener.accept()
            self.connections += 1
            with connection:
                data = b""
                while b"\r\n\r\n" not in data:
                    data += connection.recv(65536)
                head, _, body = data.partition(b"\r\n\r\n")
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), 0)
                while len(body) < length:
                    body += connection.recv(65536)
                self.requests.append(head + b"\r\n\r\n" + body)
                status, payload = self.answers.pop(0)
                connection.sendall(b"HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                                   % (status, len(payload), payload))
        self.listener.close()


def test_idle_connection_closed_by_the_server_is_reopened():
    beat = json.dumps({"nanosecond heartbeat": 42}).encode()
    server = ScriptedServer([(200, beat), (200, beat), (200, beat)])
    client = kohybrid.HttpClient(port=server.port, timeout=10)
    assert [client.heartbeat() for _ in range(3)] == [42, 42, 42]
    assert server.connections == 3


def test_a_request_is_sent_in_one_piece_with_its_body():
    server = ScriptedServer([(200, b'{"analyzer":"korean","terms":[]}')])
    client = kohybrid.HttpClient(port=server.port, timeout=10)
    assert client.analyze("강남역") == []
    request = server.requests[0]
    assert request.startswith(b"POST /kohybrid/v1/analyze HTTP/1.1\r\n")
    assert json.loads(request.partition(b"\r\n\r\n")[2]) == {"text": "강남역"}


def test_bodies_that_are_not_the_servers_errors():
    server = ScriptedServer([
        (502, b"<html>Bad Gateway</html>"),
        (409, b'{"error":"SomethingNew","message":"a newer server error"}'),
        (404, b'{"error":"NotFoundError","message":"Collection [x] does not exist"}'),
        (200, b"not json"),
    ])
    client = kohybrid.HttpClient(port=server.port, timeout=10)
    with pytest.raises(kohybrid.KoHybridError, match=r"GET /api/v2/heartbeat: HTTP 502: <html>Bad Gateway") as info:
        client.heartbeat()
    assert info.value.status == 502
    with pytest.raises(kohybrid.KoHybridError, match="a newer server error") as info:
        client.heartbeat()
    assert type(info.value) is kohybrid.KoHybridError and info.value.error_name == "SomethingNew"
    with pytest.raises(kohybrid.NotFoundError):
        client.get_collection("x")
    with pytest.raises(kohybrid.KoHybridError, match="not JSON"):
        client.heartbeat()


def test_url_host_form():
    server = ScriptedServer([(200, b'{"nanosecond heartbeat": 7}')])
    assert kohybrid.HttpClient(host=f"http://127.0.0.1:{server.port}").heartbeat() == 7


def test_timeout_names_the_wait():
    with socket.socket() as silent:  # accepts connections (backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        client = kohybrid.HttpClient(port=silent.getsockname()[1], timeout=0.3)
        with pytest.raises(kohybrid.ServerUnavailableError, match=r"no answer from http://127.0.0.1:\d+ within 0.3 s"):
            client.heartbeat()
