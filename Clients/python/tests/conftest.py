"""Fixtures: a real ``kohybrid serve`` on 127.0.0.1 (a free port, a temporary store), started by
the tests and stopped by them. The binary comes from ``KOHYBRID_BIN`` or ``PATH``."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from typing import Iterator, List, Optional

import pytest

import kohybrid


def kohybrid_binary() -> str:
    binary = os.environ.get("KOHYBRID_BIN") or shutil.which("kohybrid")
    if not binary or not os.access(binary, os.X_OK):
        pytest.fail("these tests need the kohybrid binary: set KOHYBRID_BIN "
                    "(e.g. .build/debug/kohybrid) or put kohybrid on PATH", pytrace=False)
    return binary


class Server:
    """``kohybrid serve --port 0`` on a store; ``port`` is read from its stderr line
    ``kohybrid serve: listening on ...:PORT``."""

    def __init__(self, store: str, args: Optional[List[str]] = None, timeout: float = 30.0) -> None:
        self.store = store
        self.log_path = store.rstrip("/") + ".serve.log"
        command = [kohybrid_binary(), "serve", "--store", store, "--host", "127.0.0.1", "--port", "0",
                   *(args or [])]
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + timeout
        while True:
            match = re.search(r"kohybrid serve: listening on .*:(\d+)\s*$", self.log(), re.MULTILINE)
            if match:
                self.port = int(match.group(1))
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"kohybrid serve exited with {self.process.returncode}:\n{self.log()}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"kohybrid serve did not start within {timeout} s:\n{self.log()}")
            time.sleep(0.02)

    def log(self) -> str:
        with open(self.log_path, "rb") as log:
            return log.read().decode("utf-8", errors="replace")

    def client(self, **kwargs) -> kohybrid.HttpClient:
        return kohybrid.HttpClient(host="127.0.0.1", port=self.port, **kwargs)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


@pytest.fixture
def tmp_store(tmp_path) -> str:
    return str(tmp_path / "store")


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    directory = tempfile.mkdtemp(prefix="kohybrid-test-")
    running = Server(os.path.join(directory, "store"))
    yield running
    code = running.stop()
    log = running.log()
    shutil.rmtree(directory, ignore_errors=True)
    assert code == 0, f"kohybrid serve exited with {code} on SIGTERM:\n{log}"


@pytest.fixture
def client(server: Server) -> Iterator[kohybrid.HttpClient]:
    """A client of the module's server; every collection is deleted after the test."""
    c = server.client()
    yield c
    for collection in c.list_collections():
        c.delete_collection(collection.name)
    c.close()
