"""Building an exam from the installed packs: eligible templates, strata, seeds.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from quizapp.exam.blueprint import Stratum, plan_blueprint
from quizapp.exam.items import ExamItem, ExamQuestion, _build_question, _instance_key
from quizapp.exam.options import NotConvertible
from quizapp.exam.presets import (
    CONFIG_VERSION,
    DEFAULT_PASS_THRESHOLD,
    EXAM_KINDS,
    SEED_RETRIES,
    SKIPPED_KINDS,
    ExamError,
    Note,
    _hint,
)
from quizapp.exam.spec import ExamSpec
from quizapp.i18n import text_in

if TYPE_CHECKING:
    from quizapp.packs.loader import Catalog

# --------------------------------------------------------------------------- the exam


@dataclass
class Exam:
    """An exam's items made into questions, with its spec, blueprint and notes."""

    spec: ExamSpec
    questions: list[ExamQuestion]
    blueprint: list[dict[str, Any]]
    notes: list[Note]
    topic_titles: dict[str, dict[str, str]]

    @property
    def items(self) -> list[ExamItem]:
        return [q.item for q in self.questions]

    @property
    def time_limit(self) -> float:
        return self.spec.time_limit

    @property
    def target_pace(self) -> float:
        return self.time_limit / max(1, len(self.questions))

    def topic_title(self, topic: str, lang: str) -> str:
        titles = self.topic_titles.get(topic)
        if not titles:
            return topic
        return titles.get(lang) or titles.get("en") or titles.get("ja") or topic

    def config(self) -> dict[str, Any]:
        """The JSON the store keeps: enough to rebuild the exam from the catalogue."""
        s = self.spec
        return {
            "version": CONFIG_VERSION,
            "preset": s.preset,
            "questions": s.questions,
            "minutes": s.minutes,
            "pass_threshold": s.pass_threshold,
            "topics": list(s.topics) if s.topics else None,
            "packs": list(s.packs) if s.packs else None,
            "field_weights": dict(s.field_weights) if s.field_weights else None,
            "topic_weights": dict(s.topic_weights) if s.topic_weights else None,
            "blueprint_file": s.blueprint_file,
            "blueprint": self.blueprint,
            "notes": [n.to_json() for n in self.notes],
            "topic_titles": self.topic_titles,
            "items": [i.to_json() for i in self.items],
        }

    @classmethod
    def from_config(cls, catalog: Catalog, config: Mapping[str, Any], seed: int) -> Exam:
        """Rebuild a stored exam (to resume it or review it).

        Raises ``ExamError``: ``exam.missing_templates`` when a template is gone,
        ``exam.broken_config`` when the stored JSON is not an exam.
        """
        from quizapp.packs.generation import GenerationError

        try:
            items = [ExamItem.from_json(d) for d in config["items"]]
            spec = ExamSpec(
                questions=int(config["questions"]),
                minutes=float(config["minutes"]),
                seed=int(seed),
                preset=config.get("preset"),
                topics=tuple(config["topics"]) if config.get("topics") else None,
                packs=tuple(config["packs"]) if config.get("packs") else None,
                pass_threshold=float(config.get("pass_threshold", DEFAULT_PASS_THRESHOLD)),
                field_weights=config.get("field_weights"),
                topic_weights=config.get("topic_weights"),
                blueprint_file=config.get("blueprint_file"),
            )
            notes = [Note(n["key"], n.get("params", {})) for n in config.get("notes", [])]
        except (KeyError, TypeError, ValueError) as exc:
            raise ExamError("exam.broken_config", detail=f"{type(exc).__name__}: {exc}") from exc
        missing = sorted({i.template_id for i in items if i.template_id not in catalog.templates})
        if missing:
            raise ExamError("exam.missing_templates", ids=", ".join(missing))
        changed: dict[str, tuple[str, str]] = {}
        questions = []
        for index, item in enumerate(items):
            pack = catalog.templates[item.template_id].pack
            if item.pack_version and str(pack.version) != item.pack_version:
                changed[pack.id] = (item.pack_version, str(pack.version))
            try:
                questions.append(_build_question(index, item, catalog))
            except (GenerationError, NotConvertible) as exc:
                detail = getattr(exc, "message", None) or str(exc)
                raise ExamError(
                    "exam.broken_config", detail=f"{item.template_id} seed {item.seed}: {detail}"
                ) from exc
        for pack_id, (old, new) in sorted(changed.items()):
            notes.append(Note("exam.note.pack_changed", {"pack": pack_id, "old": old, "new": new}))
        return cls(
            spec=spec,
            questions=questions,
            blueprint=list(config.get("blueprint") or []),
            notes=notes,
            topic_titles=dict(config.get("topic_titles") or {}),
        )


def _eligible(catalog: Catalog, spec: ExamSpec, lang: str) -> tuple[list[Any], int]:
    """Templates the exam may use (kind, packs, topics), and how many were left out by kind."""
    refs = sorted(catalog.templates.values(), key=lambda r: r.template.id)
    if spec.packs:
        known = {r.pack.id for r in refs}
        for name in spec.packs:
            if name not in known:
                raise ExamError("exam.unknown_pack", name=name, hint=_hint(name, known, lang))
        refs = [r for r in refs if r.pack.id in spec.packs]
    if spec.topics:
        known = {r.template.topic for r in refs}
        for name in spec.topics:
            if name not in known:
                raise ExamError("exam.unknown_topic", name=name, hint=_hint(name, known, lang))
        refs = [r for r in refs if r.template.topic in spec.topics]
    if spec.topic_weights:
        known = {r.template.topic for r in catalog.templates.values()}
        for name in spec.topic_weights:
            if name not in known:
                raise ExamError("exam.bp.unknown_topic", name=name, hint=_hint(name, known, lang))
    exam = [r for r in refs if usable_in_exams(r.template)]
    skipped = sum(1 for r in refs if any(k in SKIPPED_KINDS for k in item_kinds(r.template)))
    return exam, skipped


def item_kinds(template: Any) -> list[str]:
    """The kinds of the items a template gives: its parts' for an item set, else its own."""
    return [p.kind for p in template.parts] or [template.kind]


def usable_in_exams(template: Any) -> bool:
    """Whether every item of the template can be set in a mock exam (four options or a
    value; an item set only when each of its parts can)."""
    return all(k in EXAM_KINDS for k in item_kinds(template))


def _topic_weight(ref: Any, spec: ExamSpec) -> float:
    topic = ref.template.topic
    if spec.topic_weights and topic in spec.topic_weights:
        return float(spec.topic_weights[topic])
    declared = ref.pack.topics.get(topic)
    return float(getattr(declared, "weight", 1.0)) if declared is not None else 1.0


def _topic_titles(refs: Sequence[Any]) -> dict[str, dict[str, str]]:
    titles: dict[str, dict[str, str]] = {}
    for ref in refs:
        topic = ref.template.topic
        declared = ref.pack.topics.get(topic)
        if topic in titles or declared is None:
            continue
        titles[topic] = {lang: text_in(declared.title, lang) for lang in ("ja", "en")}
    return titles


def build_exam(catalog: Catalog, spec: ExamSpec, lang: str = "en") -> Exam:
    """Draw the exam's items from ``catalog`` (deterministic in ``spec.seed``).

    Raises ``ExamError`` (unknown pack/topic, nothing to ask).
    """
    from quizapp.packs.generation import GenerationError

    refs, skipped = _eligible(catalog, spec, lang)
    notes: list[Note] = []
    if skipped:
        notes.append(Note("exam.note.skipped", {"count": skipped}))
    groups: dict[tuple[str, str], list[Any]] = {}
    for ref in refs:
        groups.setdefault((ref.template.field, ref.template.topic), []).append(ref)
    strata = []
    for (fld, topic), members in groups.items():
        weight = sum(_topic_weight(r, spec) for r in members)
        strata.append(
            Stratum(
                field=fld,
                topic=topic,
                templates=tuple(r.template.id for r in members),
                weight=weight,
                fixed=tuple(r.template.id for r in members if r.template.is_fixed),
            )
        )
    if not strata or not any(s.weight > 0 for s in strata):
        raise ExamError("exam.no_templates")
    rng = random.Random(f"quizapp-exam#{spec.seed}")
    blueprint = plan_blueprint(strata, spec.questions, spec.field_weights)
    notes.extend(blueprint.notes)
    refs_by_id = {r.template.id: r for r in refs}

    groups: list[list[ExamQuestion]] = []  # one per template drawn; a set's parts together
    seen: set[tuple[str, ...]] = set()
    dropped: set[str] = set()
    used_templates: set[str] = set()
    for stratum in blueprint.strata:
        count = blueprint.counts[(stratum.field, stratum.topic)]
        if not count:
            continue
        ordered = list(stratum.templates)
        if count <= len(ordered):
            chosen = rng.sample(ordered, count)
        else:
            chosen = list(ordered)
            varied = [tid for tid in ordered if tid not in stratum.fixed]
            while len(chosen) < count:
                cycle = list(varied)
                rng.shuffle(cycle)
                chosen.extend(cycle[: count - len(chosen)])
        fallbacks = [tid for tid in ordered if tid not in stratum.fixed]
        filled = 0  # an item set fills one item per part and is never split
        for template_id in chosen:
            if filled >= count:
                break
            question = None
            last_error = ""
            candidates = [template_id] + [f for f in fallbacks if f != template_id]
            for tid in candidates:
                if tid in dropped:
                    continue
                ref = refs_by_id[tid]
                if filled + max(1, len(ref.template.parts)) > count:
                    continue  # a set larger than what is left of the stratum
                item_seed = None
                for _ in range(SEED_RETRIES):
                    seed = rng.randrange(2**31)
                    item = ExamItem(
                        template_id=tid,
                        seed=seed,
                        pack_id=ref.pack.id,
                        pack_version=str(ref.pack.version),
                        topic=ref.template.topic,
                        field=ref.template.field,
                        part=1 if ref.template.parts else 0,
                    )
                    try:
                        q = _build_question(len(groups), item, catalog)
                    except (GenerationError, NotConvertible) as exc:
                        last_error = getattr(exc, "message", None) or str(exc)
                        continue
                    item_seed = seed
                    if _instance_key(q) in seen and not ref.template.is_fixed:
                        continue  # the same numbers again: draw another seed
                    break
                if item_seed is None:
                    dropped.add(tid)
                    notes.append(Note("exam.note.dropped", {"id": tid, "msg": last_error}))
                    continue
                if _instance_key(q) in seen and ref.template.is_fixed:
                    continue
                question = q
                break
            if question is not None:
                seen.add(_instance_key(question))
                used_templates.add(question.item.template_id)
                group = [question] + [  # the other parts of an item set, in order
                    _build_question(0, replace(question.item, part=n), catalog)
                    for n in range(2, len(refs_by_id[question.item.template_id].template.parts) + 1)
                ]
                groups.append(group)
                filled += len(group)
    questions = [q for g in groups for q in g]
    if not questions:
        raise ExamError("exam.no_templates")
    if len(groups) > len(used_templates):  # a set of k parts is one template, k items
        notes.insert(
            0,
            Note("exam.note.repeats", {"templates": len(used_templates), "items": len(questions)}),
        )
    if len(questions) < spec.questions:
        notes.insert(
            0, Note("exam.note.shrunk", {"count": len(questions), "asked": spec.questions})
        )
    rng.shuffle(groups)  # sets stay together: their parts are consecutive items
    questions = [q for g in groups for q in g]
    questions = [
        ExamQuestion(i, q.item, q.problem, q.options, q.multi) for i, q in enumerate(questions)
    ]
    return Exam(
        spec=spec,
        questions=questions,
        blueprint=blueprint.rows(),
        notes=notes,
        topic_titles=_topic_titles(refs),
    )
