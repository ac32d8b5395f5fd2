"""Error pages that need no database: 503 while it is away, and the 500 handler."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

RETRY_AFTER_SECONDS = 5

# Plain HTML, no template: rendering the site's base template could itself need the
# database (the user, context processors), which is exactly what is missing.
_UNAVAILABLE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Back in a moment</title></head>
<body><h1>Back in a moment</h1>
<p>We can't reach our database just now. Please try again in a few seconds;
nothing you sent has been half-saved.</p></body></html>
"""


def is_database_unavailable(exception: BaseException | None) -> bool:
    """Connection-level failures (server down, restarting, connection lost), not bad SQL."""
    return isinstance(exception, OperationalError | InterfaceError)


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": "The service is briefly unavailable; retry shortly."}, status=503
        )
    else:
        response = HttpResponse(_UNAVAILABLE_HTML, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: Django calls it inside the `except` block, so the exception is at hand."""
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable_response(request)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Server error."}, status=500)
    return defaults.server_error(request)
