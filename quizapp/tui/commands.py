"""The command palette (ctrl+p): jump to a pack, topic or template and study it, or open
a screen. Names are searched in the user's language; template ids are searched too."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from quizapp.i18n import t


class QuizCommands(Provider):
    """Packs, topics and templates of the catalogue, and the app's screens."""

    def _commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        from quizapp.study.session import Scope, template_label, topic_title

        app: Any = self.app
        lang = app.lang
        out: list[tuple[str, Callable[[], Any], str]] = [
            (t("cmd.settings", lang), app.open_settings, t("cmd.open.help", lang)),
            (t("cmd.help", lang), app.action_help, t("cmd.open.help", lang)),
            (t("cmd.stats", lang), app.open_stats, t("cmd.open.help", lang)),
            (t("cmd.cohort", lang), app.open_cohort, t("cmd.open.help", lang)),
            (t("cmd.exam", lang), partial(app.open_exam, None), t("cmd.open.help", lang)),
        ]
        catalog = app.catalog
        if catalog is None:
            return out
        scopes: list[tuple[str, Any]] = [(Scope().describe(catalog, lang), Scope())]
        for loaded in catalog.packs:
            pack = loaded.pack
            scopes.append((Scope(pack=pack.id).describe(catalog, lang), Scope(pack=pack.id)))
            topics = dict.fromkeys(tpl.topic for tpl in pack.templates)
            for topic in topics:
                title = topic_title(catalog, topic, lang, pack.id)
                scopes.append((f"{t('scope.topic', lang, title=title)} ({pack.id})",
                               Scope(pack=pack.id, topic=topic)))
        for name, scope in scopes:
            out.append((t("cmd.study", lang, what=name), partial(app.start_study, scope),
                        t("cmd.study.help", lang)))
            out.append((t("cmd.cram", lang, what=name),
                        partial(app.start_study, scope, cram=True), t("cmd.cram.help", lang)))
        for tid, ref in catalog.templates.items():
            label = f"{tid}  ({template_label(ref.template, lang)})"
            out.append((t("cmd.study", lang, what=label),
                        partial(app.start_study, Scope(template=tid)),
                        t("cmd.template.help", lang)))
        return out

    async def discover(self) -> Hits:
        for text, command, help_text in self._commands()[:12]:
            yield DiscoveryHit(text, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, command, help_text in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command, text=text, help=help_text)
