"""A real browser on a real server: Playwright drives Debian's Chromium against the live server.

The tests install what they need: Chromium from Debian when it is missing (Playwright's own
browser download cannot reach its servers here). The server is pytest-django's live server, in
this process, so that the stories move the services' clock as the service tests do.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import AppConfig
from django.core.management import call_command
from django.db import connection
from django.db.models.signals import post_migrate
from django.utils import translation
from playwright.sync_api import expect, sync_playwright

from frombelow.db.models import RecordHead
from frombelow.services import clock as services_clock
from tests.services.world import Clock
from tests.web.scene import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Where the screenshots go when asked for: `make screenshots` sets it to docs/screenshots.
SCREENSHOTS_ASKED = "FROMBELOW_SCREENSHOTS"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@dataclass(frozen=True)
class Walk:
    """How a story is walked: in which language (the browser's Accept-Language) and at which
    width. Called with an English text, it returns the words the page shows for it, from the
    site's own catalogue, so that one story reads the same in every language."""

    language: str
    viewport: dict[str, int]
    locale: str

    def __call__(self, text: str) -> str:
        with translation.override(self.language):
            return translation.gettext(text)

    @property
    def id(self) -> str:
        return f"{self.language}-{'phone' if self.viewport == PHONE else 'desktop'}"


ENGLISH_DESKTOP = Walk("en", DESKTOP, "en-GB")
SPANISH_PHONE = Walk("es", PHONE, "es-ES")
# The stories of issue 11 are walked twice: as on a desktop in English, and as on a phone in
# Spanish (on SQLite; see `walk`); each page of both walks is checked by axe.
WALKS = pytest.mark.parametrize(
    "walk", [ENGLISH_DESKTOP, SPANISH_PHONE], ids=lambda w: w.id, indirect=True
)

# Playwright's sync API runs an event loop in this thread; the stories also call the services
# (the ORM) between clicks, which Django would otherwise refuse as if called from async code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def install_chromium() -> str:
    """Return Chromium's path, installing Debian's package first when it is missing."""
    if not Path(CHROMIUM).exists():
        apt = shutil.which("apt-get")
        if apt is None:
            pytest.skip("no Chromium at /usr/bin/chromium and no apt-get to install it")
        subprocess.run([apt, "update", "-qq"], check=False, capture_output=True)
        done = subprocess.run(
            [apt, "install", "-y", "-qq", "chromium"], check=False, capture_output=True, text=True
        )
        if done.returncode != 0 or not Path(CHROMIUM).exists():
            pytest.skip(f"could not install Chromium: {done.stderr.strip()[-300:]}")
    return CHROMIUM


def restore_record_head(sender: AppConfig, using: str = "default", **_: object) -> None:
    """Put back the record's head row, which a migration made, after a flush emptied it.

    Django's flush after each story announces itself with post_migrate; without this the tests
    that run after the stories would find no head to number their entries.
    """
    if sender.name == "frombelow.db":
        RecordHead.objects.using(using).get_or_create(pk=1, defaults={"size": 0})


post_migrate.connect(restore_record_head, dispatch_uid="frombelow-browser-record-head")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Start Chromium once for the run."""
    path = install_chromium()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Give the story the services' clock, which the live server's thread reads too."""
    fixed = Clock()
    monkeypatch.setattr(services_clock, "now", fixed)
    return fixed


@pytest.fixture
def served(transactional_db: None, live_server: Any) -> Iterator[str]:
    """Serve an empty database to the browser, and empty it afterwards.

    The live server reads the database from its own thread, so the story's acts are committed
    for real. Emptying the tables afterwards needs the append-only triggers lifted: they refuse
    DELETE (SQLite) and TRUNCATE (PostgreSQL), which is what a flush is.
    """
    RecordHead.objects.get_or_create(pk=1, defaults={"size": 0})
    yield str(live_server.url)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Under the replica role ordinary triggers do not fire on this connection. It stays
            # so through the test case's own flush that follows, whose TRUNCATE would fire them
            # even on empty tables; the test case then closes the connection, and the role ends
            # with it (TransactionTestCase._post_teardown).
            cursor.execute("SET session_replication_role = replica")
            call_command("flush", interactive=False, verbosity=0)
            return
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        triggers = cursor.fetchall()
        for name, _ in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        call_command("flush", interactive=False, verbosity=0)
        for _, sql in triggers:
            cursor.execute(sql)


_SCREENSHOTS: dict[str, Path] = {}


@pytest.fixture(scope="session", autouse=True)
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the folder the stories' screenshots go into, for this run.

    Only when asked for (FROMBELOW_SCREENSHOTS, which `make screenshots` sets to docs/screenshots)
    do they go where the README shows them; otherwise into a temporary folder, so that `make test`
    changes no tracked file while every screenshot is still taken.
    """
    asked = os.environ.get(SCREENSHOTS_ASKED)
    folder = Path(asked).resolve() if asked else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    _SCREENSHOTS["folder"] = folder
    return folder


def screenshot_path(filename: str) -> str:
    """Return where the screenshot FILENAME goes in this run (see `screenshots`)."""
    return str(_SCREENSHOTS["folder"] / filename)


def shoot(page: Any, name: str) -> None:
    """Save the page at desktop and at phone width, as NAME-{desktop,phone}.png (with the
    language's suffix, NAME-es-phone.png, where the walk is not in English)."""
    walk = walk_of(page)
    suffix = "" if walk.language == "en" else f"-{walk.language}"
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=screenshot_path(f"{name}{suffix}-{label}.png"))
    page.set_viewport_size(walk.viewport)


AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def serious_violations(page: Any) -> list[str]:
    """Run axe-core on the page; return its serious and critical violations, described."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run()).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


_WALK: dict[int, Walk] = {}


@pytest.fixture
def walk(request: pytest.FixtureRequest) -> Walk:
    """How the story is walked: English on a desktop unless the story is parametrized (WALKS)."""
    chosen = getattr(request, "param", ENGLISH_DESKTOP)
    assert isinstance(chosen, Walk)
    if chosen != ENGLISH_DESKTOP and connection.vendor != "sqlite":
        # Each story runs on both databases in English; the other walks differ from it only in
        # the pages' language and width, which no database changes, and cost the suite minutes.
        pytest.skip("walked on SQLite only: the walk differs by language and width, not database")
    return chosen


@pytest.fixture
def page(browser: Any, served: str, walk: Walk) -> Iterator[Any]:
    """A fresh browser tab as the walk says (English on a desktop unless the story asks for
    another); it fails the story on any refused script or style."""
    context = browser.new_context(viewport=walk.viewport, base_url=served, locale=walk.locale)
    tab = context.new_page()
    _WALK[id(tab)] = walk
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    yield tab
    state = context.storage_state()
    context.close()
    assert problems == [], problems
    check_pages(browser, served, walk, state, visited(tab))


def check_pages(
    browser: Any, served: str, walk: Walk, state: Any, seen: list[tuple[str, str | None]]
) -> None:
    """Accessibility: check every page a tab was seen on with axe-core, signed in as that tab
    was (`state`), in a context whose policy is lifted only so that axe's script can be injected.
    """
    checker = browser.new_context(
        viewport=walk.viewport,
        base_url=served,
        storage_state=state,
        bypass_csp=True,
        locale=walk.locale,
    )
    check = checker.new_page()
    try:
        for url, html in seen:
            if html is not None:
                # The answer to a form's POST: the checker is shown what the member saw there.
                check.route(url, replay(html))
            check.goto(url)
            assert serious_violations(check) == [], url
            check.unroute(url)
    finally:
        checker.close()


def replay(html: str) -> Callable[[Any], None]:
    """Return a route handler that answers with the page as it was."""

    def fulfil(route: Any) -> None:
        route.fulfill(body=html, content_type="text/html; charset=utf-8")

    return fulfil


_VISITED: dict[int, list[tuple[str, str | None]]] = {}


def visited(tab: Any) -> list[tuple[str, str | None]]:
    """Return the pages a tab was seen on, for the accessibility check: each URL, with the page's
    HTML where the URL answered a POST and cannot be fetched again."""
    return _VISITED.get(id(tab), [])


def see(page: Any, name: str, *, posted: bool = False) -> None:
    """Note the page for the accessibility check and save its screenshots.

    `posted`: the page is the answer to a form's POST; its HTML is kept for the check.
    """
    seen = _VISITED.setdefault(id(page), [])
    if all(url != page.url for url, _ in seen):
        seen.append((page.url, page.content() if posted else None))
    shoot(page, name)


def fits_a_phone(page: Any) -> None:
    """Check that the page needs no sideways scrolling at a phone's width."""
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a phone"
    page.set_viewport_size(size)


def sign_in(page: Any, username: str, password: str = PASSWORD) -> None:
    """Sign in through the form, as a person would, in the walk's language."""
    say = walk_of(page)
    page.goto("/accounts/login/")
    page.get_by_label(say("User name")).fill(username)
    page.get_by_label(say("Password")).fill(password)
    page.get_by_role("button", name=say("Sign in")).click()
    hello = say("Hello, %(name)s").split(",")[0]
    expect(page.get_by_role("heading", level=1)).to_contain_text(hello)


def sign_out(page: Any) -> None:
    """Sign out with the header's button."""
    page.get_by_role("button", name=walk_of(page)("Sign out")).click()


def walk_of(page: Any) -> Walk:
    """Return how the tab is walked (English on a desktop for a tab the fixture did not open)."""
    return _WALK.get(id(page), ENGLISH_DESKTOP)
