import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

application = get_wsgi_application()

# The in-memory geography (contours, town halls, zone codes) is built before the first search,
# not during it.
from django.db import DatabaseError  # noqa: E402

from search import checks as search_checks  # noqa: E402
from territoires import services as territoires  # noqa: E402

try:
    territoires.preload()
except DatabaseError as error:  # not migrated yet: built on first use instead
    logging.getLogger(__name__).warning("Géographie non préchargée : %s", error)
search_checks.log_at_start()  # Elasticsearch unreachable or incompatible: said once, at start
