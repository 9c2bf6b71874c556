"""Shared by the content tests: every `Localized` text inside a pack model."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from quizapp.packs.model import Localized


def localized_texts(node: Any) -> list[Localized]:
    """Every Localized text inside ``node`` (a template: prompt, hint, options, messages,
    explanation, the parts of an item set …), found by walking the model."""
    if isinstance(node, Localized):
        return [node]
    if isinstance(node, (list, tuple)):
        return [t for item in node for t in localized_texts(item)]
    if isinstance(node, dict):
        return [t for item in node.values() for t in localized_texts(item)]
    if isinstance(node, BaseModel):
        return [t for name in type(node).model_fields for t in localized_texts(getattr(node, name))]
    return []
