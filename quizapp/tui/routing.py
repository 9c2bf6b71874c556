"""The app's routing: which screen opens for study, statistics, the mock exam, settings.

A mixin of ``QuizApp`` (``quizapp.tui.app``): it uses ``self.catalog``, ``self.store``,
``self.scheduler``, ``self.settings``, ``self.lang`` and the Textual ``App`` methods.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from quizapp.i18n import t

if TYPE_CHECKING:
    from quizapp.study.session import Scope


class Routing:
    """Opening screens; a clear message instead of a crash when one cannot open."""

    catalog: Any
    catalog_error: str | None
    lang: str
    store: Any
    settings: Any
    scheduler: Any
    clock: Any
    session_seed: int | None
    _after_load: Callable[[], None] | None

    def _wait_for_catalog(self, then: Callable[[], None]) -> bool:
        """True when the packs are not loaded yet: ``then`` runs once they are (the last
        such request only), or the reason they failed is shown."""
        if self.catalog is not None:
            return False
        if self.catalog_error:
            self.notify(self.catalog_error, severity="error", markup=False)
        else:
            self._after_load = then
            self.notify(t("app.loading_packs", self.lang), markup=False)
        return True

    def _start_from_cli(self, options: Any) -> None:
        from quizapp.study.session import Scope

        self.start_study(
            Scope(pack=getattr(options, "pack", None), topic=getattr(options, "topic", None)),
            cram=bool(getattr(options, "cram", False)),
            first=getattr(options, "template", None),
            seed=getattr(options, "seed", None),
        )

    def start_study(
        self,
        scope: Scope | None = None,
        *,
        cram: bool = False,
        first: str | None = None,
        seed: int | None = None,
        extra_new: int = 0,
        replace: bool = False,
    ) -> None:
        """Open the study screen for ``scope`` (a clear message when it names nothing)."""
        if self._wait_for_catalog(lambda: self.start_study(
                scope, cram=cram, first=first, seed=seed, extra_new=extra_new, replace=replace)):
            return
        from quizapp.study.session import ScopeError, StudySession
        from quizapp.tui.screens.study import StudyScreen

        try:
            session = StudySession(
                self.catalog,
                self.store,
                self.scheduler,
                scope=scope,
                first=first,
                seed=seed if seed is not None else self.session_seed,
                cram=cram,
                new_limit=self.settings.daily_new_limit + extra_new,
                clock=self.clock,
            )
        except ScopeError as exc:
            self.notify(exc.text(self.lang), severity="error", timeout=15, markup=False)
            return
        screen = StudyScreen(session)
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def _open_guarded(self, what_key: str, module: str, name: str, *args: Any) -> None:
        """Call ``name`` of ``module`` (a screen class to push, or a function that opens
        one) with ``args``: a screen that is not installed or fails to open is a message,
        never a crash (a colleague's screen must not take the app down)."""
        what = t(what_key, self.lang)
        try:
            opener = getattr(importlib.import_module(module), name)
        except ImportError:
            self.notify(t("app.not_available", self.lang, what=what), severity="warning",
                        markup=False)
            return
        try:
            if isinstance(opener, type):
                self.push_screen(opener(*args))
            else:
                opener(*args)
        except Exception as exc:
            self.notify(t("app.open_failed", self.lang, what=what, error=exc), severity="error",
                        markup=False)

    def open_stats(self) -> None:
        if self._wait_for_catalog(self.open_stats):
            return
        self._open_guarded("app.stats", "quizapp.tui.screens.stats", "StatsScreen",
                           self.store, self.catalog, self.lang)

    def open_cohort(self) -> None:
        """The trainer's view: every profile of the store's database, as aggregates."""
        from quizapp.tui.screens.cohort import CohortScreen

        if self._wait_for_catalog(self.open_cohort):
            return
        self.push_screen(CohortScreen(self.store, self.catalog, self.lang))

    def open_exam(self, options: Any = None) -> None:
        if self._wait_for_catalog(lambda: self.open_exam(options)):
            return
        self._open_guarded("app.exam", "quizapp.tui.screens.exam", "open_exam", self, options)

    def open_preview(self, options: Any) -> None:
        """`quizapp packs preview FILE [--template ID] [--seed N]`."""
        from pathlib import Path

        from quizapp.tui.screens.preview import PreviewScreen

        self.push_screen(PreviewScreen(Path(options.file), getattr(options, "template", None),
                                       getattr(options, "seed", None)))

    def open_settings(self) -> None:
        from quizapp.tui.screens.settings import SettingsScreen

        self.push_screen(SettingsScreen())

    def help_sources(self) -> dict[str, list[Any]]:
        """The classes whose keys the help screen lists, per section. An entry is a class
        (its bindings' texts are ``key.<id>``) or ``(class, {binding id: (message key,
        tip key)})`` for the screens that keep their texts in such a table."""
        from quizapp.tui.screens.home import HomeScreen, PackTree
        from quizapp.tui.screens.settings import SettingsScreen
        from quizapp.tui.screens.study import StudyScreen
        from quizapp.tui.screens.summary import SummaryScreen

        sources: dict[str, list[Any]] = {
            "global": [type(self)],
            "home": [HomeScreen, PackTree],
            "study": [StudyScreen],
            "summary": [SummaryScreen],
            "settings": [SettingsScreen],
        }
        screens = "quizapp.tui.screens."
        for section, entries in (
            ("exam", (("exam_screen", "ExamScreen", "_EXAM_BINDINGS"),)),
            ("exam_results", (("exam_results", "ExamResultsScreen", "_RESULT_BINDINGS"),
                              ("exam_review", "ExamReviewScreen", "_REVIEW_BINDINGS"),
                              ("exam_results", "ExamHistoryScreen", "_HISTORY_BINDINGS"))),
            ("stats", (("stats", "StatsScreen", "_BINDING_TEXTS"),)),
            ("cohort", (("cohort", "CohortScreen", "_BINDING_TEXTS"),)),
        ):
            found = []
            for module, cls, texts in entries:
                try:
                    mod = importlib.import_module(screens + module)
                except ImportError:  # a screen that is not there lists no keys
                    continue
                found.append((getattr(mod, cls), getattr(mod, texts)))
            if found:
                sources[section] = found
        return sources
