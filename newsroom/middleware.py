"""Request-level hardening: request ids, body size limits, Content-Security-Policy, and a
clean 503 (never a 500) while the database is unreachable."""

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from newsroom.errors import database_unavailable_response, is_database_unavailable
from newsroom.lib.client_address import client_address
from newsroom.logging import request_id_var

logger = logging.getLogger("newsroom.request")

GetResponse = Callable[[HttpRequest], HttpResponse]

# A caller's id is kept only if it is short and plain, so it can't forge log lines.
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Give each request an id (or keep a proxy's X-Request-ID), echo it, log the request
    with its client's address."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "client": client_address(request),
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


def _too_large(request: HttpRequest, limit: int) -> HttpResponse:
    message = f"Request bodies are limited to {limit} bytes."
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=413)
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


class RequestBodyLimitMiddleware:
    """Refuse a declared body over REQUEST_BODY_MAX_BYTES with 413 before reading any of it.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE only triggers while parsing, after the body has
    arrived; this answers from the headers alone, so a 10 MB upload costs nothing.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit: int = settings.REQUEST_BODY_MAX_BYTES
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            declared = int(raw)
        except ValueError:
            return HttpResponse("Bad Content-Length.", status=400, content_type="text/plain")
        if declared > limit:
            # The unread body stays on the socket; the WSGI server closes or drains it.
            return _too_large(request, limit)
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Send CONTENT_SECURITY_POLICY on HTML pages: no inline or third-party script runs."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy: str = settings.CONTENT_SECURITY_POLICY
        if (
            policy
            and response.get("Content-Type", "").startswith("text/html")
            and "Content-Security-Policy" not in response
        ):
            response["Content-Security-Policy"] = policy
        return response


class DatabaseUnavailableMiddleware:
    """A view that finds the database gone answers 503 with Retry-After, not 500.

    Exceptions raised outside a view (a middleware touching the session, say) reach
    `newsroom.errors.server_error`, which makes the same decision.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_unavailable(exception):
            return None
        logger.warning(
            "Database unavailable: %s", exception, extra={"path": request.path, "status": 503}
        )
        return database_unavailable_response(request)
