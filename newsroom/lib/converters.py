"""URL converters shared by the API's routes."""

from django.urls import register_converter


class IdConverter:
    """A primary key that fits a signed 64-bit column; anything longer is a 404, not a 500."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
