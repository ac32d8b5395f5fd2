"""Base views every API app builds on: the public forms' and the desk's authentication,
permissions and throttles, and the answers shared by both."""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

if TYPE_CHECKING:
    from rest_framework.permissions import _PermissionClass

from newsroom.api.callers import CachedTokenAuthentication
from newsroom.api.permissions import IsEditor, IsModerator
from newsroom.api.throttles import PublicScopedThrottle
from newsroom.lib.client_address import client_address


def drf_validation_error(error: DjangoValidationError) -> ValidationError:
    """A service's field errors as a 400 with the same keys."""
    if hasattr(error, "error_dict"):
        return ValidationError(error.message_dict)
    return ValidationError({"non_field_errors": error.messages})


def request_signals(request: Request) -> dict[str, Any]:
    """What the request tells about its sender, kept for classification and abuse handling."""
    return {
        "ip_address": client_address(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", ""),
        "referrer": request.META.get("HTTP_REFERER", ""),
    }


class PublicAPIView(APIView):
    """No login and no session: the reader's forms, limited per IP address."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    throttle_classes = [PublicScopedThrottle]
    write_scope = "public_write"
    read_scope = "public_read"

    @property
    def throttle_scope(self) -> str:
        return self.read_scope if self.request.method in ("GET", "HEAD") else self.write_scope


class ModeratorMixin:
    # Token first, so an anonymous caller is told how to authenticate (401, not 403).
    # The token's caller comes from a short-lived cache (newsroom.api.callers).
    authentication_classes: Sequence[type[BaseAuthentication]] = [
        CachedTokenAuthentication,
        SessionAuthentication,
    ]
    permission_classes: Sequence["_PermissionClass"] = [IsModerator]
    parser_classes: Sequence[type[BaseParser]] = [JSONParser]


class EditorMixin(ModeratorMixin):
    permission_classes: Sequence["_PermissionClass"] = [IsEditor]


@csrf_exempt
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """A JSON 404 for any path under the API that names no endpoint (Django's is HTML)."""
    return JsonResponse({"detail": "Not found."}, status=404)
