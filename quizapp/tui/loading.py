"""How the app starts: the first frame, then the index and the packs from a worker thread.

A mixin of ``QuizApp`` (``quizapp.tui.app``). The home screen calls ``first_frame()`` once
it is drawn; a daemon thread then reads the catalogue's index (``quizapp.packs.index``:
the home tree is filled from it at once) and loads the packs and the full ``Settings``
(pydantic). ``IndexLoaded``, ``CatalogLoaded`` and ``CatalogFailed`` carry the results to
the event loop; the worker never touches widgets. A study, exam or statistics request
made before the packs are in is carried out when they are (``Routing._wait_for_catalog``),
and the garbage collector paused at start-up (``quizapp.gcpause``) is given back.

``PROBE_ENV`` is the benchmark's hook (``benchmarks/startup.py``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.message import Message

from quizapp import gcpause
from quizapp.i18n import t
from quizapp.progress.store import StoreError

PROBE_ENV = "QUIZAPP_STARTUP_PROBE"
"""When set to a file path, the app appends `ready <time>` at its first frame, `loaded
<time>` when the home tree is filled and `catalog <time>` when the packs are loaded, then
exits (benchmarks/startup.py)."""


class Loading:
    """The start-up of ``QuizApp``: see the module docstring."""

    catalog: Any
    catalog_error: str | None
    index: Any
    lang: str
    lang_from_cli: bool
    start: Any
    store: Any
    _settings: Any
    _scheduler: Any
    _load_catalog: Callable[[], Any] | None
    _load_index: Callable[[], Any] | None
    _after_load: Callable[[], None] | None
    _loading: bool
    _probe: str | None
    _probed: set[str]
    scheduler: Any
    new_limit: int

    class IndexLoaded(Message):
        """Posted by the loading worker: the catalogue's index (names only) and the home
        screen's overview of it (``view``, for ``lang``; None if it could not be made)."""

        def __init__(self, index: Any, view: Any, lang: str) -> None:
            super().__init__()
            self.index = index
            self.view = view
            self.lang = lang

    class CatalogLoaded(Message):
        """Posted by the loading worker (never touches widgets)."""

        def __init__(self, catalog: Any, settings: Any, view: Any = None,
                     lang: str = "") -> None:
            super().__init__()
            self.catalog = catalog
            self.settings = settings
            self.view = view
            self.lang = lang

    class CatalogFailed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def first_frame(self) -> None:
        """The home screen has been drawn: now read the index and load the packs (not
        before: Python runs one thread at a time, and the first frame comes first)."""
        self.probe("ready")
        if self.catalog is None and not self._loading:
            self._loading = True
            self._load()

    def _load(self) -> None:
        """Load in a daemon thread, then post the results: ctrl+q quits at once even while
        a slow user pack is being read (a worker of the event loop's executor would be
        waited for at exit)."""
        threading.Thread(target=self._load_packs, name="quizapp-catalog", daemon=True).start()

    def _load_packs(self) -> None:
        if self._load_index is not None:
            try:
                index = self._load_index()
            except Exception:  # the index is only a shortcut: the packs follow anyway
                index = None
            if index is not None:
                lang = self.lang
                self.post_message(self.IndexLoaded(index, self._home_view(index, lang), lang))
        try:
            catalog = self._load_catalog() if self._load_catalog is not None else None
            if catalog is None:
                from quizapp.packs.loader import load_catalog

                catalog = load_catalog(lang=self.lang)
            from quizapp.progress.settings import Settings

            settings = Settings.load(self.store)
        except StoreError as exc:
            self.post_message(self.CatalogFailed(exc.text(self.lang)))
        except Exception as exc:  # never a traceback for the user
            self.post_message(self.CatalogFailed(f"{type(exc).__name__}: {exc}"))
        else:
            lang = self.lang
            view = self._home_view(catalog, lang, settings.daily_new_limit)
            self.post_message(self.CatalogLoaded(catalog, settings, view, lang))

    def _home_view(self, shown: Any, lang: str, new_limit: int | None = None) -> Any:
        """The home screen's overview, made in the worker: its SQL and counting then do not
        hold up the event loop (None when the store fails: the home screen says why)."""
        from quizapp.study.overview import overview

        try:
            return overview(shown, self.scheduler, lang,
                            new_limit=self.new_limit if new_limit is None else new_limit)
        except Exception:  # the home screen computes it again and reports the problem
            return None

    def on_loading_index_loaded(self, message: IndexLoaded) -> None:
        if self.catalog is None:
            self.index = message.index
            self.refresh_home(message.view if message.lang == self.lang else None)
            self.probe("loaded")

    def on_loading_catalog_loaded(self, message: CatalogLoaded) -> None:
        self.catalog = message.catalog
        self.index = None
        if self._settings is None:
            self._settings = message.settings
            if self.lang_from_cli:
                self._settings.language = self.lang  # type: ignore[assignment]
            if (self._scheduler is not None
                    and self._scheduler.desired_retention != self._settings.desired_retention):
                self._scheduler = None
                message.view = None  # counted with another retention: count again
        self.refresh_home(message.view if message.lang == self.lang else None)
        self.probe("loaded")
        self.probe("catalog")
        self.call_after_refresh(gcpause.resume, freeze=True)
        then, self._after_load = self._after_load, None
        if then is not None:
            then()
        elif self.start.command == "study":
            self._start_from_cli(self.start.options)
        elif self.start.command == "exam":
            self.open_exam(self.start.options)
        elif self.start.command == "preview":
            self.open_preview(self.start.options)

    def on_loading_catalog_failed(self, message: CatalogFailed) -> None:
        gcpause.resume()
        self._after_load = None
        self.catalog_error = t("app.packs_failed", self.lang, error=message.error)
        self.notify(self.catalog_error, severity="error", timeout=30, markup=False)
        self.refresh_home()

    def refresh_home(self, view: Any = None) -> None:
        """Rebuild the home screen's tree (from ``view`` when the worker made it)."""
        from quizapp.tui.screens.home import HomeScreen

        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.refresh_overview(view)

    def probe(self, event: str) -> None:
        """Benchmark hook (PROBE_ENV): record the time of `event` once (``ready``: the first
        frame; ``loaded``: the home tree filled; ``catalog``: the packs loaded), and exit
        when the packs are loaded after the first frame."""
        if not self._probe or event in self._probed:
            return
        if event == "loaded" and "ready" not in self._probed:
            self._probed.add("loaded-early")  # the tree is filled in the first frame
            return
        self._probed.add(event)
        with Path(self._probe).open("a", encoding="utf-8") as fh:
            fh.write(f"{event} {time.time():.6f}\n")
        if event == "ready" and "loaded-early" in self._probed:
            self.call_after_refresh(self.probe, "loaded")  # at the latest, the next frame
        if {"ready", "catalog"} <= self._probed:
            self.exit(0)
