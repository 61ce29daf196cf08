"""PersistentClient: starts ``kohybrid serve --socket`` on a store as a child process, talks over
the Unix socket, and stops it on close / context exit / garbage collection / interpreter exit."""

from __future__ import annotations

import atexit
import gc
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from typing import Tuple

import pytest

import kohybrid
from conftest import kohybrid_binary


def alive(pid: int) -> bool:
    """Whether the process exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def wait_gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_starts_talks_stops_and_reopens(tmp_store):
    kohybrid_binary()
    client = kohybrid.PersistentClient(tmp_store)
    pid, socket_path = client.pid, client.socket_path
    assert client.running and os.path.exists(socket_path) and alive(pid)
    assert client.heartbeat() > 0
    col = client.create_collection("omakase.examples", metadata={"hnsw:space": "cosine"})
    col.add(ids=["a", "b"], embeddings=[[1.0, 0.0], [0.0, 1.0]], documents=["강남 오마카세", "홍대 국밥"],
            metadatas=[{"price": 120000}, {"price": 9000}])
    r = col.query(query_texts=["오마카세"], query_embeddings=[[0.9, 0.1]], n_results=2)
    assert r["ids"] == [["a", "b"]] and r["sparse_ranks"][0][0] == 1 and r["dense_ranks"][0] == [1, 2]
    client.close()
    assert not client.running and not alive(pid)
    assert not os.path.exists(socket_path) and not os.path.exists(os.path.dirname(socket_path))
    client.close()  # twice is fine
    with pytest.raises(kohybrid.ServerUnavailableError, match="closed"):
        client.heartbeat()

    # The store opens again (the writer lock was released) with everything in it.
    with kohybrid.PersistentClient(tmp_store) as again:
        col = again.get_collection("omakase.examples")
        assert col.count() == 2
        assert col.get(ids=["a"])["metadatas"] == [{"price": 120000}]
        assert col.query(query_texts=["국밥"], n_results=1)["ids"] == [["b"]]
        second_pid = again.pid
    assert wait_gone(second_pid)


def test_context_exit_stops_the_server_even_on_error(tmp_store):
    kohybrid_binary()
    with pytest.raises(RuntimeError):
        with kohybrid.PersistentClient(tmp_store) as client:
            pid = client.pid
            raise RuntimeError("notebook cell failed")
    assert wait_gone(pid)


def test_garbage_collection_stops_the_server(tmp_store):
    kohybrid_binary()
    client = kohybrid.PersistentClient(tmp_store)
    pid, directory = client.pid, os.path.dirname(client.socket_path)
    del client
    gc.collect()
    assert wait_gone(pid) and not os.path.exists(directory)


def test_interpreter_exit_stops_the_server(tmp_store):
    binary = kohybrid_binary()
    script = textwrap.dedent(f"""
        import kohybrid
        client = kohybrid.PersistentClient({tmp_store!r}, binary={binary!r})
        client.create_collection("casual.sources").add(ids=["x"], embeddings=[[1.0, 2.0]])
        print(client.pid, flush=True)
        # no close(): the interpreter's exit must stop the server
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    pid = int(done.stdout.strip())
    assert wait_gone(pid)
    with kohybrid.PersistentClient(tmp_store) as again:  # lock released, data kept
        assert again.get_collection("casual.sources").count() == 1


def start_script(script: str) -> Tuple["subprocess.Popen[str]", int]:
    process = subprocess.Popen([sys.executable, "-c", textwrap.dedent(script)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    assert line.strip().isdigit(), process.communicate(timeout=30)
    return process, int(line)


def test_sigterm_stops_the_server_then_ends_the_process(tmp_store):
    """A pod being stopped: SIGTERM's default action skips exit handlers; the client's handler
    stops the server gracefully first, and the process still dies of SIGTERM."""
    binary = kohybrid_binary()
    process, pid = start_script(f"""
        import time, kohybrid
        client = kohybrid.PersistentClient({tmp_store!r}, binary={binary!r})
        client.create_collection("omakase.sources").add(ids=["a"], embeddings=[[1.0]])
        print(client.pid, flush=True)
        time.sleep(60)
    """)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == -signal.SIGTERM
    assert wait_gone(pid)
    with kohybrid.PersistentClient(tmp_store) as again:
        assert again.get_collection("omakase.sources").count() == 1


def test_sigkill_of_the_python_process_stops_the_server(tmp_store):
    """An OOM kill or a kernel restart runs no Python code at all: the server sees its stdin
    pipe close (--exit-with-parent) and stops gracefully."""
    binary = kohybrid_binary()
    process, pid = start_script(f"""
        import time, kohybrid
        client = kohybrid.PersistentClient({tmp_store!r}, binary={binary!r})
        client.create_collection("omakase.sources").add(ids=["a"], embeddings=[[1.0]])
        print(client.pid, flush=True)
        print(client.socket_path, flush=True)
        time.sleep(60)
    """)
    socket_path = process.stdout.readline().strip()
    process.kill()
    process.wait(timeout=30)
    assert wait_gone(pid), "the server outlived its killed parent"
    assert not os.path.exists(socket_path)  # it stopped gracefully and removed its socket
    # Nothing ran in the killed process to remove its private directory (only the server's log).
    shutil.rmtree(os.path.dirname(socket_path), ignore_errors=True)
    with kohybrid.PersistentClient(tmp_store) as again:
        assert again.get_collection("omakase.sources").count() == 1


def test_sigterm_handler_of_the_program_is_left_alone(tmp_store):
    binary = kohybrid_binary()
    process, pid = start_script(f"""
        import signal, sys, time, kohybrid
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(7))
        client = kohybrid.PersistentClient({tmp_store!r}, binary={binary!r})
        print(client.pid, flush=True)
        time.sleep(60)
    """)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 7  # the program's handler ran; exit handlers stopped the server
    assert wait_gone(pid)


def test_forked_child_does_not_stop_the_parents_server(tmp_store):
    kohybrid_binary()
    with kohybrid.PersistentClient(tmp_store) as client:
        client.create_collection("hotplace.sources")
        child = os.fork()
        if child == 0:  # the child uses the server, then runs the interpreter's exit handlers
            try:
                code = 0 if client.get_collection("hotplace.sources").count() == 0 else 3
                atexit._run_exitfuncs()
            except BaseException:
                code = 4
            os._exit(code)
        _, status = os.waitpid(child, 0)
        assert os.WEXITSTATUS(status) == 0
        assert client.running and client.heartbeat() > 0


def test_two_clients_on_one_store_take_turns_writing(tmp_store):
    """Pods share one store: each PersistentClient's server takes the writer lock per batch, so
    both write, and each sees the other's committed records without a restart."""
    kohybrid_binary()
    with kohybrid.PersistentClient(tmp_store) as first, kohybrid.PersistentClient(tmp_store) as second:
        first.create_collection("omakase.sources").add(ids=["a"], embeddings=[[1.0, 0.0]], documents=["강남 스시"])
        theirs = second.get_collection("omakase.sources")
        theirs.add(ids=["b"], embeddings=[[0.0, 1.0]], documents=["홍대 국밥"])
        for client in (first, second):
            col = client.get_collection("omakase.sources")
            assert col.count() == 2
            assert col.query(query_texts=["국밥"], n_results=1)["ids"] == [["b"]]
            assert col.query(query_embeddings=[[1.0, 0.1]], n_results=1, mode="dense")["ids"] == [["a"]]
        # A read-only server beside the writers sees their records and refuses writes.
        with kohybrid.PersistentClient(tmp_store, read_only=True) as reader:
            col = reader.get_collection("omakase.sources")
            assert col.count() == 2
            with pytest.raises(kohybrid.KoHybridError, match="read-only"):
                col.add(ids=["c"], embeddings=[[2.0, 0.0]])


def test_start_failure_raises_with_the_servers_stderr(tmp_store):
    kohybrid_binary()
    with pytest.raises(kohybrid.KoHybridError, match=r"(?s)exited with status \d+ at start.*--readers"):
        kohybrid.PersistentClient(tmp_store, server_args=["--readers", "0"])
    with kohybrid.PersistentClient(tmp_store):
        pass  # makes the store
    with pytest.raises(kohybrid.KoHybridError, match="(?s)at start.*cannot open the store"):
        kohybrid.PersistentClient(os.path.join(tmp_store, "store.sqlite"))  # a file, not a directory


def test_binary_must_exist(tmp_store, monkeypatch):
    monkeypatch.setenv("KOHYBRID_BIN", os.path.join(os.path.dirname(tmp_store), "no-such-kohybrid"))
    with pytest.raises(kohybrid.KoHybridError, match="KOHYBRID_BIN.*not an executable"):
        kohybrid.PersistentClient(tmp_store)


def test_server_death_is_reported_with_its_log(tmp_store):
    kohybrid_binary()
    client = kohybrid.PersistentClient(tmp_store)
    try:
        client.heartbeat()
        client._process.kill()
        client._process.wait()
        with pytest.raises(kohybrid.ServerUnavailableError, match="exited with status -9"):
            client.heartbeat()
    finally:
        client.close()


def test_backup_opens_as_a_store(tmp_path):
    kohybrid_binary()
    with kohybrid.PersistentClient(str(tmp_path / "store")) as client:
        col = client.create_collection("omakase.sources")
        col.add(ids=["a", "b"], embeddings=[[1.0, 0.0], [0.0, 1.0]], documents=["강남 스시", "홍대 국밥"])
        (tmp_path / "copy").mkdir()
        target = str(tmp_path / "copy" / "store.sqlite")
        answer = client.backup(target)
        assert answer["path"] == target and answer["bytes"] > 0
        with pytest.raises(kohybrid.InvalidArgumentError, match="already exists"):
            client.backup(target)
        with pytest.raises(kohybrid.InvalidArgumentError, match="absolute path"):
            client.backup("relative.sqlite")
    with kohybrid.PersistentClient(str(tmp_path / "copy"), read_only=True) as restored:
        col = restored.get_collection("omakase.sources")
        assert col.count() == 2
        assert col.query(query_texts=["국밥"], n_results=1)["ids"] == [["b"]]
