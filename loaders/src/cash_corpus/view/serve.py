"""`cash view --serve`: the built site over HTTP on 127.0.0.1 only, for a quick look."""

from __future__ import annotations

import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HOST = "127.0.0.1"


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves the files of the site folder (nothing outside it); one log line per request unless quiet."""

    quiet = False

    def log_message(self, format, *args) -> None:  # noqa: A002 (the base class's name)
        if not self.quiet:
            super().log_message(format, *args)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()


def make_server(folder: Path, port: int = 0, *, quiet: bool = False) -> ThreadingHTTPServer:
    """A server bound to 127.0.0.1 (port 0: any free port; see `server.server_address`)."""
    handler = functools.partial(type("Handler", (SiteHandler,), {"quiet": quiet}), directory=str(folder))
    return ThreadingHTTPServer((HOST, port), handler)


def serve(folder: Path, port: int = 8000, announce=print) -> None:
    server = make_server(folder, port)
    host, bound = server.server_address[:2]
    announce(f"serving {folder} at http://{host}:{bound}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
