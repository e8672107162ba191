"""The Label Studio client never shows the API key or an HTTP body (which may echo the request headers)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cash_corpus.cli import main
from cash_corpus.errors import CashError, UsageError
from cash_corpus.labelstudio.client import API_KEY_ENV, api_key_from_env, connect, find_project

KEY = "secret0123456789abcdef"


class _EchoingServer(BaseHTTPRequestHandler):
    """A misbehaving server (or proxy) that refuses every request and echoes its headers in the body."""

    def do_GET(self):  # noqa: N802 - http.server's naming
        body = ("forbidden; you sent: " + str(self.headers)).encode()
        self.send_response(403)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def echoing_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EchoingServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_http_error_reports_the_status_never_the_body(echoing_server):
    with pytest.raises(CashError) as caught:
        find_project(connect(echoing_server, KEY), "7")
    message = str(caught.value)
    assert "HTTP 403" in message
    assert KEY not in message and "you sent" not in message


def test_the_cli_never_prints_the_key_or_the_body(echoing_server, monkeypatch, capsys, small_corpus):
    monkeypatch.setenv(API_KEY_ENV, KEY)
    assert main(["--root", str(small_corpus), "ls", "push", "--url", echoing_server, "--project", "x"]) == 1
    out = capsys.readouterr()
    assert "HTTP 403" in out.err and KEY not in out.out + out.err and "you sent" not in out.err


@pytest.mark.parametrize("key", ["kéy-0123", "line1\nline2", "with space", "tab\there", "ctrl\x1b[31m"])
def test_a_non_ascii_or_multi_line_key_is_a_usage_error_that_does_not_show_it(key, monkeypatch, capsys,
                                                                               small_corpus):
    monkeypatch.setenv(API_KEY_ENV, key)
    with pytest.raises(UsageError) as caught:
        api_key_from_env()
    assert key not in str(caught.value) and "not shown" in str(caught.value)
    assert main(["--root", str(small_corpus), "ls", "push", "--url", "http://127.0.0.1:9", "--project", "x"]) == 2
    out = capsys.readouterr()
    assert key not in out.out + out.err and API_KEY_ENV in out.err
