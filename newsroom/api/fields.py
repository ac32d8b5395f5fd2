"""Input fields every API app shares: ids and date-times a database can hold."""

import datetime
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from rest_framework import serializers

# Keep ids inside a signed 64-bit column: a larger number is a 400, not a database error.
MAX_ID = 2**63 - 1


def IdField(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class BoundedDateTimeField(forms.DateTimeField):
    """An ISO 8601 date-time within years a database round trip can represent.

    Year 1 in a time zone east of UTC cannot be converted to UTC, which would turn a
    reader's typo into a server error.
    """

    def to_python(self, value: Any) -> datetime.datetime | None:
        result = super().to_python(value)
        if result is not None and not 1900 <= result.year <= 2999:
            raise ValidationError("Enter a date between the years 1900 and 2999.")
        return result


class BoundedDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = BoundedDateTimeField
