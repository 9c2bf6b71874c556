"""The exam fields of the JDLA E資格 syllabus (2024), and the names used before it.

Light on purpose (no imports): statistics and the exam read it without pydantic.
"""

from typing import Any

FIELDS = ("応用数学", "機械学習", "深層学習の基礎", "深層学習の応用", "開発・運用環境")
"""The five official fields, in the syllabus order."""

LEGACY_FIELDS: dict[str, str] = {"深層学習": "深層学習の基礎", "開発環境": "開発・運用環境"}
"""Field names used before the 2024 syllabus: old packs, progress and exam history stay readable."""


def canonical_field(name: str) -> str:
    """The official field name for ``name`` (a legacy name maps to its successor)."""
    return LEGACY_FIELDS.get(name, name)


def pack_template_ids(catalog: Any, pack: Any) -> list[str]:
    """The ids of ``pack``'s templates that the catalogue holds as this pack's (a duplicate
    id another pack claimed first is left out)."""
    return [tpl.id for tpl in pack.templates
            if tpl.id in catalog.templates and catalog.templates[tpl.id].pack is pack]


def main_field(catalog: Any, template_ids: list[str]) -> str:
    """The exam field most of these templates belong to (a pack's place in the syllabus)."""
    counts: dict[str, int] = {}
    for tid in template_ids:
        field = catalog.templates[tid].template.field
        counts[field] = counts.get(field, 0) + 1
    return max(counts, key=lambda f: counts[f]) if counts else FIELDS[2]


def field_rank(name: str) -> tuple[int, str]:
    """Sort key of a field: the syllabus order, then other names alphabetically."""
    return (FIELDS.index(name), "") if name in FIELDS else (len(FIELDS), name)


def syllabus_order(catalog: Any) -> list[Any]:
    """The catalogue's loaded packs by field in the syllabus order, then by each pack's
    ``order``, then as the files were read (the order of the home tree)."""
    def key(loaded: Any) -> tuple[tuple[int, str], int]:
        field = main_field(catalog, pack_template_ids(catalog, loaded.pack))
        return field_rank(field), loaded.pack.order

    return sorted(catalog.packs, key=key)
