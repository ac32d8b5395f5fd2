"""Documented error answers, shared by every endpoint's OpenAPI description."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer(
    name="Error", fields={"detail": serializers.CharField()}, required=False
)

_DESCRIPTIONS = {
    400: (
        "Invalid input: an object whose keys are the offending fields (or `detail` / "
        "`non_field_errors`), each with a list of messages."
    ),
    401: "No credentials, or invalid ones.",
    403: "Signed in, but not in a group allowed to do this.",
    404: "No such object (or not public).",
    409: "The object has moved on since you saw it; the body holds its current state.",
    429: "Too many requests from your address; retry after the Retry-After seconds.",
    503: "The task queue could not be reached; try again shortly.",
}


def errors(*codes: int) -> dict[int, Any]:
    """OpenAPI responses for the given error status codes."""
    responses: dict[int, Any] = {}
    for code in codes:
        body: Any = OpenApiTypes.OBJECT if code == 400 else ErrorSerializer
        responses[code] = OpenApiResponse(response=body, description=_DESCRIPTIONS[code])
    return responses


PUBLIC_WRITE_ERRORS = errors(400, 404, 429)
MODERATOR_ERRORS = errors(401, 403)
