"""Token auth: a server started with ``--token-file`` answers only requests with the token
(``Authorization: Bearer T`` from this client); others get AuthorizationError."""

from __future__ import annotations

import urllib.request

import pytest

import kohybrid
from conftest import Server


@pytest.fixture
def secured(tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text("s3cret-token-1\n", encoding="utf-8")
    running = Server(str(tmp_path / "store"), ["--token-file", str(token_file)])
    yield running
    assert running.stop() == 0


def test_right_token_works(secured):
    client = secured.client(token="s3cret-token-1")
    col = client.create_collection("omakase.examples")
    col.add(ids=["a"], embeddings=[[1.0, 0.0]], documents=["강남 오마카세"])
    assert col.query(query_texts=["오마카세"], n_results=1)["ids"] == [["a"]]
    assert client.stats()["collections"][0]["count"] == 1


@pytest.mark.parametrize("token", [None, "wrong", "s3cret-token-", "s3cret-token-1x"])
def test_missing_or_wrong_token_is_refused(secured, token):
    client = secured.client(token=token)
    for call in (client.heartbeat, client.list_collections, client.stats,
                 lambda: client.analyze("강남"), lambda: client.create_collection("casual.examples")):
        with pytest.raises(kohybrid.AuthorizationError, match="missing or wrong token") as info:
            call()
        assert info.value.status == 401
    assert "s3cret" not in secured.log()  # never logged


def test_healthz_stays_open_for_probes(secured):
    with urllib.request.urlopen(f"http://127.0.0.1:{secured.port}/healthz") as response:
        assert response.status == 200


def test_token_must_be_printable_ascii():
    with pytest.raises(kohybrid.InvalidArgumentError, match="token"):
        kohybrid.HttpClient(token="토큰")
    with pytest.raises(kohybrid.InvalidArgumentError, match="token"):
        kohybrid.HttpClient(token="a\nb")


def test_chromadb_token_auth(secured):
    """chromadb's own token auth, both ways it sends the token."""
    chromadb = pytest.importorskip("chromadb")
    from chromadb.config import Settings

    def settings(token, header=None):
        extra = {"chroma_auth_token_transport_header": header} if header else {}
        return Settings(anonymized_telemetry=False,
                        chroma_client_auth_provider="chromadb.auth.token_authn.TokenAuthClientProvider",
                        chroma_client_auth_credentials=token, **extra)

    for header in (None, "X-Chroma-Token"):
        client = chromadb.HttpClient(host="127.0.0.1", port=secured.port, settings=settings("s3cret-token-1", header))
        col = client.get_or_create_collection("casual.sources", embedding_function=None)
        col.upsert(ids=["a"], embeddings=[[1.0, 2.0]])
        assert col.count() == 1
        with pytest.raises(chromadb.errors.AuthorizationError):
            chromadb.HttpClient(host="127.0.0.1", port=secured.port, settings=settings("wrong", header))
