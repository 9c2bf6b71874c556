"""What the home screen shows: packs → topics → templates with their counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from quizapp.i18n import t, text_in
from quizapp.packs.fields import field_rank, main_field, pack_template_ids
from quizapp.progress.scheduler import DEFAULT_NEW_LIMIT, Scheduler
from quizapp.progress.store import Counts
from quizapp.study.scope import Scope, template_label


def counts_label(counts: Counts, lang: str) -> str:
    return t("counts.label", lang, due=counts.due, new=counts.new, mastered=counts.mastered)


@dataclass(frozen=True)
class OverviewNode:
    """A pack, topic or template on the home screen, with its counts."""

    scope: Scope
    label: str
    counts: Counts
    children: tuple[OverviewNode, ...] = ()


@dataclass(frozen=True)
class Overview:
    """What the home screen shows."""

    packs: tuple[OverviewNode, ...]
    total: Counts
    due_today: int
    """Cards due by the end of the local day (overdue ones included)."""
    new_left: int
    """New templates that may still be introduced today."""
    streak: int
    templates: int
    fields: tuple[OverviewNode, ...] = ()
    """The packs grouped by the exam field of their templates, in the syllabus order."""


def overview(
    catalog: Any, scheduler: Scheduler, lang: str, *, new_limit: int = DEFAULT_NEW_LIMIT,
    now: datetime | None = None,
) -> Overview:
    """Packs → topics → templates with (due, new, mastered), the day's due count, the streak."""
    now = scheduler.now() if now is None else now
    count = scheduler.counter(now)
    packs = []
    pack_field: dict[str, str] = {}
    pack_order: dict[str, int] = {}
    pack_ids: dict[str, list[str]] = {}
    all_ids: list[str] = []
    for loaded in catalog.packs:
        pack = loaded.pack
        ids = pack_template_ids(catalog, pack)
        all_ids.extend(ids)
        topics: dict[str, list[str]] = {}
        for tid in ids:
            topics.setdefault(catalog.templates[tid].template.topic, []).append(tid)
        topic_nodes = []
        for topic, tids in topics.items():
            declared = pack.topics.get(topic)
            title = text_in(declared.title, lang) if declared is not None else topic
            leaves = tuple(
                OverviewNode(
                    Scope(template=tid),
                    template_label(catalog.templates[tid].template, lang),
                    count([tid]),
                )
                for tid in tids
            )
            topic_nodes.append(
                OverviewNode(Scope(pack=pack.id, topic=topic), title,
                             count(tids), leaves)
            )
        packs.append(
            OverviewNode(Scope(pack=pack.id), text_in(pack.title, lang),
                         count(ids), tuple(topic_nodes))
        )
        pack_field[pack.id] = main_field(catalog, ids)
        pack_order[pack.id] = pack.order
        pack_ids[pack.id] = ids
    forecast = scheduler.store.due_forecast(1, now, tz=scheduler.tz, template_ids=all_ids)
    day = now.astimezone(scheduler.tz).date() if scheduler.tz else now.astimezone().date()
    fields = []
    for name in sorted(set(pack_field.values()), key=field_rank):
        members = tuple(sorted((p for p in packs if pack_field[p.scope.pack] == name),
                               key=lambda p: pack_order[p.scope.pack]))  # type: ignore[index]
        if members:
            ids = [tid for p in members for tid in pack_ids[p.scope.pack]]  # type: ignore[index]
            fields.append(OverviewNode(Scope(field=name), t(f"field.{name}", lang),
                                       count(ids), members))
    return Overview(
        fields=tuple(fields),
        packs=tuple(packs),
        total=count(all_ids),
        due_today=forecast[0][1] if forecast else 0,
        new_left=max(0, new_limit - scheduler.new_today(now)),
        streak=scheduler.store.streak(day, tz=scheduler.tz),
        templates=len(all_ids),
    )

