"""Property-based fuzzing of every operation in the OpenAPI schema, as a moderator.

Schemathesis generates valid and invalid requests from the schema itself; each answer
must not be a server error, must carry a documented status code and content type, and
its body must match the documented schema. Bounded in examples so the suite stays fast.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from moderation.models import ClassifierModel, CommentReport

EXAMPLES_PER_OPERATION = 15
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def tokens(db, article, make_comment, editor, moderator, settings_for_fuzzing) -> dict[str, str]:
    # Real rows for the generated ids to land on now and then, besides the 404s.
    published = make_comment(status="approved", spam_score=0.1, explanation={"spam": []})
    make_comment(status="pending", spam_score=0.6, uncertainty=0.8)
    make_comment(status="spam", spam_score=0.95)
    CommentReport.objects.create(comment=published, reason="abuse", text="Rude")
    ClassifierModel.objects.create(
        task="spam",
        version="0" * 64,
        state="active",
        sklearn_version="1.9.0",
        training_size=10,
        sources={"seed": 10},
        metrics={"f1": 0.9},
        artifact=b"x",
    )
    return {
        "moderator": Token.objects.get_or_create(user=moderator)[0].key,
        "editor": Token.objects.get_or_create(user=editor)[0].key,
    }


@pytest.fixture
def settings_for_fuzzing(settings, monkeypatch, keep_connection):
    # Throttling would turn the later examples into 429s; it has its own tests.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}}
    # Retraining is queued, never run here: keep the broker out of it.
    from newsroom.celery import app

    class Queued:
        id = "fuzz"

    monkeypatch.setattr(app, "send_task", lambda *args, **kwargs: Queued())


# Generating the schema reads no rows, so it can be loaded when the module is collected
# (pytest-django has configured Django by then).
@pytest.fixture
def keep_connection():
    # The requests go through the real WSGI handler, which closes the database connection
    # when each request finishes; that would end the test's transaction. Django's own
    # test client holds these signals off in the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())

# Editor-only operations are called as an editor; everything else as a moderator.
EDITOR_PATHS = ("/api/v1/moderation/corrections/", "/api/v1/moderation/models/")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_honours_its_schema(case, tokens):
    role = "editor" if case.operation.path.startswith(EDITOR_PATHS) else "moderator"
    case.call_and_validate(headers={"Authorization": f"Token {tokens[role]}"}, checks=CHECKS)
