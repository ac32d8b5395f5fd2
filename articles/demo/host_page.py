"""A publisher's page from another origin that embeds the comments: `make run`'s second
port, and the page the cross-origin browser tests load.

The page sets a strict Content-Security-Policy of its own (scripts, styles and calls
from the comments host only), so what works on it works under such a policy anywhere.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.template.loader import render_to_string

from articles.models import Article


def render_host_page(
    *,
    article: Article,
    comments_origin: str,
    page_url: str,
    publication: str = "The Riverside Courier",
    sso_token: str = "",
) -> str:
    return render_to_string(
        "articles/embed/host_page.html",
        {
            "article": article,
            "comments_origin": comments_origin,
            "page_url": page_url,
            "publication": publication,
            "sso_token": sso_token,
        },
    )


# The publisher's own stylesheet: a file, since the page's policy allows no inline style.
HOST_CSS = (
    "body { font-family: Georgia, serif; max-width: 44rem; margin: 2rem auto; "
    "padding: 0 1rem; line-height: 1.5; }\nheader p { color: #555; }\n"
)


class HostPageServer(ThreadingHTTPServer):
    """The publisher's page and its stylesheet (port 0: any free one); not yet started."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__((host, port), _HostPageHandler)
        self.files = {"/host.css": (HOST_CSS.encode(), "text/css; charset=utf-8")}

    @property
    def page_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/"

    def publish(self, html: str) -> None:
        self.files["/"] = (html.encode(), "text/html; charset=utf-8")


class _HostPageHandler(BaseHTTPRequestHandler):
    server: HostPageServer

    def do_GET(self) -> None:
        found = self.server.files.get(self.path.split("?")[0])
        if found is None:
            self.send_error(404)
            return
        body, content_type = found
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the page is static; its requests are not news


def serve_in_background(server: HostPageServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread
