"""What several browser test modules do."""

import re
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Page, Route

SCRIPT = re.compile(r"\.js(\?|$)")


@contextmanager
def scripts_held(page: Page) -> Iterator[None]:
    """Hold back every script the page asks for inside the block, as a slow connection would; let them run after it."""
    held: list[Route] = []
    released = False

    def handle(route: Route) -> None:
        if released:
            route.continue_()
        else:
            held.append(route)

    page.route(SCRIPT, handle)
    yield
    assert page.evaluate("typeof htmx") == "undefined", "htmx ran while its script was held"
    released = True
    for route in held:
        route.continue_()


def suggestions_settled(page: Page) -> None:
    """Wait until htmx has settled the suggestions it swapped in: until then their buttons are not wired to post (htmx
    processes new content when it settles, 20 ms after the swap), and a key pressed on one picks nothing."""
    page.wait_for_function("() => !document.querySelector('#suggestions .htmx-added, #suggestions.htmx-settling')")


def swaps_settled(page: Page) -> None:
    """Wait until htmx has settled what it swapped in: the editor's script moves the focus only then."""
    page.wait_for_function("() => !document.querySelector('.htmx-added, .htmx-settling, .htmx-swapping')")
