"""Keyboard-only driving: focus moves with Tab only, controls are used with Enter, Space, the
arrows and typing — never a click, never a value set by script."""

FOCUSED_MATCHES = """([css, text]) => {
  const el = document.activeElement;
  if (!el || el === document.body) return false;
  if (css && !el.matches(css)) return false;
  return !text || (el.innerText || el.value || el.getAttribute('aria-label') || '').includes(text);
}"""
FOCUS_IS_VISIBLE = """() => {
  const el = document.activeElement;
  const shows = (style) => (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
    || (style.boxShadow && style.boxShadow !== 'none');
  // DSFR draws it on the element, or on a pseudo-element when a link enlarges to its card.
  return [null, '::before', '::after'].some((pseudo) => shows(getComputedStyle(el, pseudo)))
    || [...document.querySelectorAll(':focus-within')].some((parent) => parent !== el
       && ['::before', '::after'].some((pseudo) => shows(getComputedStyle(parent, pseudo))));
}"""
MAX_TABS = 200


def tab_to(page, css=None, text=None):
    """Presses Tab until the focus is on the element matching `css` and/or showing `text`, and
    checks that the focus can be seen there."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_MATCHES, [css, text]):
            assert page.evaluate(FOCUS_IS_VISIBLE), f"Focus invisible sur {css or text}"
            return
    raise AssertionError(f"{css or text} n'est pas atteignable avec Tab sur {page.url}")


def type_into(page, css, value):
    tab_to(page, css)
    page.keyboard.type(value)


def press_on(page, css=None, text=None, *, key):
    tab_to(page, css, text)
    page.keyboard.press(key)


def log_in(page, user, password):
    page.goto("/comptes/connexion/")
    type_into(page, "#id_username", user.email)
    type_into(page, "#id_password", password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
