"""The exam fields of the JDLA E資格 syllabus (2024), and the names used before it.

Light on purpose (no imports): statistics and the exam read it without pydantic.
"""

FIELDS = ("応用数学", "機械学習", "深層学習の基礎", "深層学習の応用", "開発・運用環境")
"""The five official fields, in the syllabus order."""

LEGACY_FIELDS: dict[str, str] = {"深層学習": "深層学習の基礎", "開発環境": "開発・運用環境"}
"""Field names used before the 2024 syllabus: old packs, progress and exam history stay readable."""


def canonical_field(name: str) -> str:
    """The official field name for ``name`` (a legacy name maps to its successor)."""
    return LEGACY_FIELDS.get(name, name)
