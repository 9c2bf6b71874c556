"""What to study: a pack, a topic, one template (``Scope``), and how lists name them."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from quizapp.i18n import t, text_in


class ScopeError(ValueError):
    """A --pack / --topic / --template that names nothing; ``text(lang)`` says so."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def text(self, lang: str) -> str:
        params = dict(self.params)
        names = params.pop("near", ())
        hint = t("scope.did_you_mean", lang, names=", ".join(names)) if names else ""
        return t(self.key, lang, hint=hint, **params).strip()


@dataclass(frozen=True)
class Scope:
    """Which templates to study: all, one exam field, one pack, one topic (of one pack or of
    any), one template."""

    pack: str | None = None
    topic: str | None = None
    template: str | None = None
    field: str | None = None

    def template_ids(self, catalog: Any) -> list[str]:
        """The templates in the scope, in catalogue order (packs, then their templates).

        Raises ``ScopeError`` for a name that is not in the catalogue.
        """
        refs = catalog.templates
        if self.template is not None:
            if self.template not in refs:
                raise ScopeError("scope.no_template", id=self.template,
                                 near=catalog.suggest(self.template))
            return [self.template]
        packs = [loaded.pack for loaded in catalog.packs]
        if self.pack is not None and self.pack not in {p.id for p in packs}:
            raise ScopeError("scope.no_pack", id=self.pack,
                             near=difflib.get_close_matches(self.pack, [p.id for p in packs]))
        ids = [
            tid
            for tid, ref in refs.items()
            if (self.pack is None or ref.pack.id == self.pack)
            and (self.topic is None or ref.template.topic == self.topic)
            and (self.field is None or ref.template.field == self.field)
        ]
        if self.topic is not None and not ids:
            topics = sorted({ref.template.topic for ref in refs.values()})
            raise ScopeError("scope.no_topic", id=self.topic,
                             near=difflib.get_close_matches(self.topic, topics))
        return ids

    def describe(self, catalog: Any, lang: str) -> str:
        """The scope as a person reads it: 'All packs', 'Pack: …', 'Topic: …'."""
        if self.template is not None:
            return t("scope.template", lang, id=self.template)
        if self.topic is not None:
            return t("scope.topic", lang, title=topic_title(catalog, self.topic, lang, self.pack))
        if self.pack is not None:
            for loaded in catalog.packs:
                if loaded.pack.id == self.pack:
                    return t("scope.pack", lang, title=text_in(loaded.pack.title, lang))
            return t("scope.pack", lang, title=self.pack)
        if self.field is not None:
            return t("scope.field", lang, title=t(f"field.{self.field}", lang))
        return t("scope.all", lang)

    def key(self) -> str:
        """A short machine-readable form, stored as the session's filter."""
        parts = [f"{k}={v}" for k, v in (("pack", self.pack), ("topic", self.topic),
                                          ("template", self.template),
                                          ("field", self.field)) if v is not None]
        return ",".join(parts) or "all"


def topic_title(catalog: Any, topic: str, lang: str, pack: str | None = None) -> str:
    """The declared title of a topic (from the first pack that declares it), else its id."""
    for loaded in catalog.packs:
        if pack is not None and loaded.pack.id != pack:
            continue
        declared = loaded.pack.topics.get(topic)
        if declared is not None:
            return text_in(declared.title, lang)
    return topic


def template_label(template: Any, lang: str) -> str:
    """A template in lists: the last part of its id and its kind ('sigmoid_grad · number')."""
    return f"{template.id.rsplit('.', 1)[-1]} · {t('kind.' + template.kind, lang)}"
