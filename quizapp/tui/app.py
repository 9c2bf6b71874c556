"""The quizapp Textual app: shared state, bindings and commands. Screens live in ``screens/``;
how the app starts is the ``Loading`` mixin (``tui/loading.py``), which screen opens is the
``Routing`` mixin (``tui/routing.py``), and the command line runs it through ``tui/launch.py``.

``create_app`` is the one factory used by the CLI (``run_app``), the Pilot tests and the
snapshots. The first frame needs only the store (SQLite) and four settings read straight
from it (``quizapp.progress.prefs``); the packs follow in the background.

What the other screens may use: ``app.store``, ``app.catalog`` (None until loaded),
``app.shown_catalog`` (the catalogue, else its index: names only, for lists),
``app.scheduler``, ``app.lang``, ``app.settings``, ``app.set_language(lang)`` (screens
with an ``apply_language(lang)`` method are re-rendered), ``app.start_study(...)``.
On ctrl+q every open screen with a ``before_quit()`` method is called first.

A progress file that cannot be opened (locked by another program, written by a newer
quizapp, an unwritable folder) does not stop the app: it runs on an in-memory store, the
home screen says that nothing is saved, and the user may still practise.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding

from quizapp.i18n import default_lang, t
from quizapp.progress.prefs import startup_prefs
from quizapp.progress.store import Store, StoreError
from quizapp.tui.loading import PROBE_ENV, Loading
from quizapp.tui.localize import localize_bindings
from quizapp.tui.routing import Routing
from quizapp.tui.wide_chars import install as keep_wide_chars_whole

keep_wide_chars_whole()  # Textualize/textual#6357: see quizapp.tui.wide_chars

if TYPE_CHECKING:
    from quizapp.progress.scheduler import Scheduler
    from quizapp.progress.settings import Settings



@dataclass(frozen=True)
class StartRequest:
    """What to open after the home screen: `quizapp study …` or `quizapp exam …`."""

    command: str | None = None
    options: Any = None


class QuizApp(Loading, Routing, App[int]):
    """The app. Build it with ``create_app``."""

    CSS_PATH = "app.tcss"
    TITLE = "quizapp"
    COMMANDS = App.COMMANDS | {lambda: _commands_provider()}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("f1", "help", "Help", id="app.help", priority=True),
        Binding("ctrl+p", "command_palette", "Commands", id="app.palette", show=False,
                priority=True),
    ]

    def __init__(
        self,
        store: Store,
        *,
        catalog: Any = None,
        load_catalog: Callable[[], Any] | None = None,
        load_index: Callable[[], Any] | None = None,
        lang: str | None = None,
        clock: Callable[[], datetime] | None = None,
        tz: tzinfo | None = None,
        start: StartRequest | None = None,
        store_problem: str | None = None,
        session_seed: int | None = None,
    ) -> None:
        self.prefs = startup_prefs(store)
        stored_theme = self.prefs.theme
        super().__init__()
        self.lang: str = lang or self.prefs.language or default_lang()
        self.lang_from_cli = lang is not None
        self.store = store
        self.catalog: Any = catalog
        self._load_catalog = load_catalog
        self._load_index = load_index
        self.index: Any = None
        self._after_load: Callable[[], None] | None = None
        self.clock = clock
        self.tz = tz
        self.start = start or StartRequest()
        self.store_problem = store_problem
        self.session_seed = session_seed
        self.catalog_error: str | None = None
        self._settings: Settings | None = None
        self._scheduler: Scheduler | None = None
        self._probe = os.environ.get(PROBE_ENV)
        self._probed: set[str] = set()
        self._loading = False
        if stored_theme and stored_theme in self.available_themes:
            self.theme = stored_theme
        localize_bindings(self, self.lang)

    # ------------------------------------------------------------------ shared state

    @property
    def settings(self) -> Settings:
        """The user's settings (loaded from the store on first use)."""
        if self._settings is None:
            from quizapp.progress.settings import Settings

            self._settings = Settings.load(self.store)
            if self.lang_from_cli:
                self._settings.language = self.lang  # type: ignore[assignment]
        return self._settings

    @property
    def scheduler(self) -> Scheduler:
        """The scheduler (before the settings are loaded, with the retention read by
        ``startup_prefs``: the same value)."""
        if self._scheduler is None:
            from quizapp.progress.scheduler import Scheduler

            retention = (self._settings or self.prefs).desired_retention
            self._scheduler = Scheduler(self.store, retention, self.clock, tz=self.tz)
        return self._scheduler

    @property
    def new_limit(self) -> int:
        """The daily limit of new templates (read without pydantic until the settings are)."""
        return (self._settings or self.prefs).daily_new_limit

    @property
    def shown_catalog(self) -> Any:
        """What lists show: the catalogue, else its index (names only), else None."""
        return self.catalog if self.catalog is not None else self.index

    def now(self) -> datetime:
        return self.scheduler.now()

    def save_setting(self, name: str, value: Any) -> bool:
        """Set and save one setting; False (and a notification) when the store fails."""
        setattr(self.settings, name, value)
        if name == "desired_retention":
            self._scheduler = None
        try:
            self.settings.save(self.store, (name,))
        except StoreError as exc:
            self.notify(t("app.store_failed", self.lang, error=exc.text(self.lang)),
                        severity="error", markup=False)
            return False
        return True

    def set_language(self, lang: str) -> None:
        """Switch the interface language, save it, and re-render every open screen."""
        self.lang = lang
        self.lang_from_cli = False
        self.save_setting("language", lang)
        localize_bindings(self, lang)
        for screen in self.screen_stack:
            apply = getattr(screen, "apply_language", None)
            if apply is not None:
                apply(lang)
            elif hasattr(screen, "lang"):
                screen.lang = lang
        self.refresh_bindings()

    def set_theme(self, name: str) -> None:
        if name in self.available_themes:
            self.theme = name
            self.save_setting("theme", name)

    # ------------------------------------------------------------------ start-up

    def on_mount(self) -> None:
        from quizapp.tui.screens.home import HomeScreen

        self.title = t("app.title", self.lang)
        self.push_screen(HomeScreen())
        if self.catalog is not None:
            self.post_message(self.CatalogLoaded(self.catalog, self.settings))

    def action_help(self) -> None:
        """F1 from any screen (dialogs included) opens the keys; F1 again closes them."""
        from quizapp.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen(self.help_sources(), current=type(self.screen)))

    def action_help_quit(self) -> None:
        """ctrl+c does not quit: say how to, in the user's language (Textual's own text is
        English)."""
        self.notify(t("app.how_to_quit", self.lang, key="Ctrl+Q"),
                    title=t("app.how_to_quit.title", self.lang), markup=False)

    def action_command_palette(self) -> None:
        """The command palette with its placeholder in the user's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette",
                                            placeholder=t("app.palette_placeholder", self.lang)))

    async def action_quit(self) -> None:
        """Quit from anywhere, leaving nothing unsaved: every open screen with a
        ``before_quit()`` method gets to save (a study session's summary, a typed setting)."""
        for screen in reversed(self.screen_stack):
            before_quit = getattr(screen, "before_quit", None)
            if before_quit is not None:
                try:
                    before_quit()
                except Exception as exc:  # quitting must work even then
                    self.log.error(f"before_quit of {screen!r}: {exc!r}")
        self.exit(0)

    def get_system_commands(self, screen: Any) -> Any:
        yield SystemCommand(t("cmd.theme", self.lang), t("cmd.theme.help", self.lang),
                            self.action_change_theme)
        yield SystemCommand(t("key.app.quit", self.lang), t("cmd.quit.help", self.lang),
                            self.action_quit)


def _commands_provider() -> Any:
    from quizapp.tui.commands import QuizCommands

    return QuizCommands


def create_app(
    store: Store,
    *,
    catalog: Any = None,
    load_catalog: Callable[[], Any] | None = None,
    load_index: Callable[[], Any] | None = None,
    lang: str | None = None,
    clock: Callable[[], datetime] | None = None,
    tz: tzinfo | None = None,
    start: StartRequest | None = None,
    store_problem: str | None = None,
    session_seed: int | None = None,
) -> QuizApp:
    """The app, for the CLI, the tests and the snapshots.

    ``catalog``: the packs, already loaded (tests); else ``load_catalog`` is called in a
    worker after the first frame (default: the built-in packs), after ``load_index`` (the
    catalogue's index, or None) when given. ``lang``: forced for
    this run (``--lang``); else the stored setting, else the locale. ``clock``/``tz``:
    the time (tests). ``start``: what `quizapp study/exam …` asked for.
    ``session_seed``: every study session draws its seeds from this (tests, snapshots).
    """
    return QuizApp(
        store,
        catalog=catalog,
        load_catalog=load_catalog,
        load_index=load_index,
        lang=lang,
        clock=clock,
        tz=tz,
        start=start,
        store_problem=store_problem,
        session_seed=session_seed,
    )
