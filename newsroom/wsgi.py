import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.dev")
application = get_wsgi_application()

# Import the scoring tasks (and the classifier stack behind them) while the worker boots,
# not inside the first reader's request: on a busy two-core machine that import takes
# seconds.
import moderation.tasks  # noqa: E402, F401
