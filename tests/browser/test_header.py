"""The header fits at 1024, 1280 and 1366 px for every role: nothing runs off the page, the
tools never cover the République française logo or the portal's name."""

import pytest

from catalogue.models import Membre
from tests.browser.conftest import keep_territoires
from tests.browser.test_prescription import log_in
from tests.factories import CoordinationFactory, MembreFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=keep_territoires()),
]

WIDTHS = (1024, 1280, 1366)
MEASURE = """() => {
  const box = (selector) => document.querySelector(selector).getBoundingClientRect();
  const visible = [...document.querySelectorAll('.fr-header .fr-btn, .fr-header .fr-nav__link')]
    .filter((e) => e.offsetParent !== null).map((e) => e.getBoundingClientRect());
  return {
    pageWidth: document.documentElement.scrollWidth, viewport: window.innerWidth,
    logo: box('.fr-logo'), brand: box('.fr-header__service'), tools: box('.fr-header__tools'),
    rightmost: Math.max(...visible.map((r) => r.right)),
  };
}"""


def _roles():
    admin = MembreFactory(role=Membre.Role.ADMIN,
                          user=UserFactory(first_name="Marie-Christine", last_name="de La Tour-Dupont"))  # fmt: skip
    CoordinationFactory(membres=[admin.user])  # the longest header: every link
    return {
        "anonyme": None,
        "professionnel": UserFactory(),
        "membre": MembreFactory().user,
        "admin et coordination": admin.user,
        "gestionnaire": UserFactory(is_staff=True, is_superuser=True),
    }


def test_the_header_fits_for_every_role_at_every_width(browser, live_server):
    overflows = []
    for role, user in _roles().items():
        context = browser.new_context(base_url=live_server.url, locale="fr-FR")
        page = context.new_page()
        if user:
            log_in(page, user)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto("/recherche/")
            m = page.evaluate(MEASURE)
            overlaps = (
                m["tools"]["left"] < m["brand"]["right"]
                and m["tools"]["top"] < m["brand"]["bottom"]
            )
            if (
                m["pageWidth"] > m["viewport"]
                or m["rightmost"] > m["viewport"]
                or overlaps
                or m["logo"]["left"] < 0
            ):
                overflows.append(f"{role} à {width} px : {m}")
        context.close()
    assert not overflows, "\n".join(overflows)
