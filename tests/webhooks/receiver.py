"""A real HTTP receiver on a local port (8520-8549), recording what it is sent."""

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

PORTS = range(8520, 8550)


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    received: list[Received] = field(default_factory=list)
    # The status of each answer in turn; the last one repeats.
    statuses: list[int] = field(default_factory=lambda: [200])


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            receiver.received.append(Received(dict(self.headers.items()), body))
            statuses = receiver.statuses
            status = statuses.pop(0) if len(statuses) > 1 else statuses[0]
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def receiver(settings) -> Iterator[Receiver]:
    settings.WEBHOOKS_ALLOW_LOCAL = True
    for port in PORTS:
        try:
            box = Receiver(url=f"http://127.0.0.1:{port}/hooks/newsroom")
            server = ThreadingHTTPServer(("127.0.0.1", port), _handler(box))
            break
        except OSError:
            continue
    else:
        raise RuntimeError("No free port for the webhook receiver.")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield box
    server.shutdown()
    server.server_close()
