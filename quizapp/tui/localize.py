"""Key descriptions in the user's language.

Every ``Binding`` of our screens has an ``id``; its Footer description is the message
``key.<id>`` and its tooltip ``key.<id>.tip`` (both in the catalogues, quizapp/i18n/*.toml).
``localize_bindings(node, lang)`` rebuilds a node's bindings from its class's with the
texts of ``lang``; call it from ``__init__`` and again when the language changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from textual.binding import Binding, BindingsMap

from quizapp.i18n import has, t


def binding_text(binding: Binding, lang: str) -> tuple[str, str]:
    """(description, tooltip) of a binding in ``lang`` (its own texts when not registered)."""
    key = f"key.{binding.id}"
    if binding.id and has(key):
        description = t(key, lang)
        tip_key = f"{key}.tip"
        tooltip = t(tip_key, lang) if has(tip_key) else description
        return description, tooltip
    return binding.description, binding.tooltip


def localize_bindings(node: Any, lang: str) -> None:
    """Give ``node`` (an App, Screen or Widget) its class's bindings in ``lang``."""
    original = type(node)._merged_bindings
    fresh = original.copy() if original is not None else BindingsMap()
    for key, bindings in list(fresh.key_to_bindings.items()):
        localized = []
        for binding in bindings:
            description, tooltip = binding_text(binding, lang)
            localized.append(replace(binding, description=description, tooltip=tooltip))
        fresh.key_to_bindings[key] = localized
    node._bindings = fresh


def localize_bindings_from(
    node: Any, texts: Mapping[str, tuple[str, str]], lang: str, group_key: str | None = None
) -> None:
    """Give ``node``'s bindings (found by id in ``texts``) descriptions in ``lang``."""
    group = Binding.Group(t(group_key, lang), compact=True) if group_key else None
    try:
        table = node._bindings.key_to_bindings
    except AttributeError:  # pragma: no cover - a Textual without the binding map
        return
    for key, bindings in list(table.items()):
        localized = []
        for binding in bindings:
            entry = texts.get(binding.id or "")
            if entry is not None:
                binding = replace(
                    binding,
                    description=t(entry[0], lang),
                    tooltip=t(entry[1], lang),
                    group=group if binding.group is not None else None,
                )
            localized.append(binding)
        table[key] = localized
