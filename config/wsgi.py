import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

application = get_wsgi_application()

# The in-memory geography (contours, town halls, zone codes) is built before the first search,
# not during it.
from territoires import services as territoires  # noqa: E402

territoires.preload()
