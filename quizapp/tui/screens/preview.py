"""`quizapp packs preview FILE`: the study screen on one pack file, reloaded when it is saved.

How an instructor writes a pack: edit, save, see it. The screen polls the file's
modification time (a Textual interval, no file-watching dependency); on a change it
reads and validates the file again and shows the same template with the same seed, or
the validation errors in place of the problem. ``n`` (or Enter after an answer) draws
another seed. Answers are graded as in study but kept in memory only (cram mode over an
in-memory store: the learner's schedule is never touched).
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path
from typing import Any

from textual.containers import VerticalScroll
from textual.widgets import Static

from quizapp.i18n import t
from quizapp.tui.localize import localize_bindings
from quizapp.tui.screens.study import StudyScreen

POLL_SECONDS = 0.5
CHECK_SEEDS = 3
"""Seeds per template checked on each reload (``packs validate`` checks 20)."""


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


class PreviewScreen(StudyScreen):
    """A ``StudyScreen`` whose session is rebuilt from one pack file on every save."""

    def __init__(self, path: Path, template: str | None = None, seed: int | None = None,
                 *, poll_seconds: float = POLL_SECONDS) -> None:
        super().__init__(None)
        self.path = Path(path)
        self.template_id = template
        self.seed = 0 if seed is None else seed
        self.poll_seconds = poll_seconds
        self.errors: list[str] = []
        self._stamp: tuple[int, int] | None = None
        self.reloads = 0
        self._label_reseed()

    def _label_reseed(self) -> None:
        """ctrl+n / n draw another seed here: say so in the footer."""
        table = self._bindings.key_to_bindings
        for key, bindings in list(table.items()):
            table[key] = [replace(b, description=t("preview.reseed", self.lang),
                                  tooltip=t("preview.reseed", self.lang))
                          if b.action == "another" else b for b in bindings]

    # ------------------------------------------------------------------ loading

    async def on_mount(self) -> None:
        await self.reload()
        self.set_interval(self.poll_seconds, self._poll)

    async def _poll(self) -> None:
        if _stamp(self.path) != self._stamp:
            await self.reload()

    def _read(self) -> tuple[Any, list[str]]:
        """The file as a one-pack catalogue, or the reasons it cannot be shown."""
        from quizapp.grading.checks import check_instances
        from quizapp.packs.loader import Catalog, read_pack

        lang = self.lang
        loaded, issues = read_pack(self.path, lang)
        errors = [i.format() for i in issues]
        if loaded is None or errors:
            return None, errors or [t("preview.unreadable", lang)]
        errors = [i.format() for i in check_instances(loaded, CHECK_SEEDS, lang)]
        catalog = Catalog()
        catalog.add(loaded, lang)
        errors += [i.format() for i in catalog.issues]
        if not catalog.templates:
            errors.append(t("preview.no_templates", lang))
        return catalog, errors

    def _session(self, catalog: Any) -> Any:
        from quizapp.packs.generation import GenerationError, generate
        from quizapp.study.session import Scope, StudySession

        if self.template_id not in catalog.templates:
            self.template_id = next(iter(catalog.templates))
        ref = catalog.templates[self.template_id]
        try:  # a draw that fails is an error to show, not a problem to skip
            generate(ref.template, self.seed, pack_id=ref.pack.id,
                     pack_version=str(ref.pack.version))
        except GenerationError as exc:
            where = f"{exc.where}: " if exc.where else ""
            self.errors.append(f"{self.template_id} seed {self.seed}: {where}{exc.message}")
            return None
        return StudySession(catalog, self.app.store, self.app.scheduler,
                            scope=Scope(template=self.template_id), first=self.template_id,
                            seed=self.seed, cram=True, clock=self.app.clock)

    async def reload(self) -> None:
        """Read the file again; show the same template and seed, or the errors."""
        self._stamp = _stamp(self.path)
        self.reloads += 1
        catalog, self.errors = self._read()
        self.session = None
        if catalog is not None and catalog.templates:
            self.session = self._session(catalog)
        if self.errors or self.session is None:
            self.session = None
            await self.show_errors()
            return
        await self.show_next()

    async def show_errors(self) -> None:
        self.empty = False
        body = self.query_one("#study-body", VerticalScroll)
        await body.remove_children()
        text = "\n".join([t("preview.errors", self.lang, path=self.path), "", *self.errors])
        await body.mount(Static(text, id="preview-errors", markup=False))
        self._render_chrome()
        self.refresh_bindings()

    # ------------------------------------------------------------------ study screen parts

    @property
    def answered(self) -> bool:
        return self.session is not None and self.session.answered

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "another":
            return True
        if self.session is None:
            return action in ("finish",)
        return super().check_action(action, parameters)

    async def show_next(self) -> None:
        if self.session is not None and self.session.answered:
            await self.action_another()
            return
        await super().show_next()

    async def action_another(self) -> None:
        """Another seed of the same template (kept on the next reload)."""
        self.seed = random.SystemRandom().randrange(2**31)
        await self.reload()

    def _render_chrome(self) -> None:
        self.query_one("#study-scope", Static).update(
            t("preview.title", self.lang, file=self.path.name))
        shown = (f"{self.template_id}  {t('study.seed', self.lang, seed=self.seed)}"
                 if self.template_id else "")
        self.query_one("#study-seed", Static).update(shown)
        self.query_one("#study-progress").display = False

    def action_finish(self) -> None:
        self.close_session()
        self.app.exit(0)

    def finish(self) -> None:
        self.close_session()
        self.app.exit(0)

    def close_session(self) -> None:
        if self.session is not None:
            super().close_session()

    def before_quit(self) -> None:
        self.close_session()

    def apply_language(self, lang: str) -> None:
        if self.session is None:
            localize_bindings(self, lang)
            self.call_later(self.reload)
        else:
            super().apply_language(lang)
        self._label_reseed()
