"""`quizapp packs …` and `quizapp templates`: what is installed, validating pack files."""

from __future__ import annotations

import sys
from pathlib import Path

from quizapp.cli.base import Context, QuizappError, print_json
from quizapp.i18n import t


def cmd_packs_list(ctx: Context) -> int:
    from quizapp.i18n import text_in
    from quizapp.packs.fields import syllabus_order

    catalog = ctx.catalog()
    rows = []
    for loaded in syllabus_order(catalog):
        pack = loaded.pack
        rows.append(
            {
                "id": pack.id,
                "version": pack.version,
                "title": text_in(pack.title, ctx.lang),
                "languages": list(pack.languages),
                "builtin": loaded.builtin,
                "path": str(loaded.path),
                "templates": len(pack.templates),
                "topics": sorted({tpl.topic for tpl in pack.templates}),
            }
        )
    if ctx.args.json:
        print_json({"packs": rows, "issues": [i.format() for i in catalog.issues]})
        return 0
    total = sum(r["templates"] for r in rows)
    print(t("cli.packs_header", ctx.lang, packs=len(rows), templates=total))
    for r in rows:
        where = t("cli.builtin" if r["builtin"] else "cli.user", ctx.lang)
        print(f"  {r['id']:<28} v{r['version']:<4} {r['templates']:>3}  {r['title']}  {where}")
    return 0


def cmd_packs_validate(ctx: Context) -> int:
    from quizapp.grading.checks import check_instances
    from quizapp.grading.lint import check_warnings
    from quizapp.packs.loader import Catalog, builtin_dir, pack_files, read_pack

    args = ctx.args
    paths = [Path(p) for p in args.paths]
    if args.builtin or not paths:
        paths.insert(0, builtin_dir())
    missing = [p for p in paths if not p.exists()]
    files = pack_files([p for p in paths if p.exists()])
    issues = []
    warnings = []
    for p in missing:
        issues.append(f"{p}:1:1: {t('pack.unreadable', ctx.lang, error='No such file or directory')}")
    if not files and not missing:
        raise QuizappError(t("cli.no_files", ctx.lang, paths=", ".join(map(str, paths))), 1)
    catalog = Catalog()  # reports template ids used by two files
    templates = 0
    for f in files:
        loaded, found = read_pack(f, ctx.lang)
        issues.extend(i.format() for i in found)
        if loaded is None:
            continue
        catalog.add(loaded, ctx.lang)
        templates += len(loaded.pack.templates)
        issues.extend(i.format() for i in check_instances(loaded, args.seeds, ctx.lang))
        warnings.extend(i.format() for i in check_warnings(loaded, args.seeds, ctx.lang))
    issues.extend(i.format() for i in catalog.issues)
    if args.strict:  # warnings are problems: on stdout with the others
        issues += warnings
    else:  # printed, but not problems (stdout keeps only the problems)
        for line in warnings:
            print(line, file=sys.stderr)
    for line in issues:
        print(line)
    if warnings:
        print(t("lint.summary", ctx.lang, count=len(warnings)), file=sys.stderr)
    if issues:
        print(t("cli.invalid", ctx.lang, count=len(issues)), file=sys.stderr)
        return 1
    print(t("cli.valid", ctx.lang, files=len(files), templates=templates, seeds=args.seeds))
    return 0


def cmd_packs_schema(ctx: Context) -> int:
    from quizapp.packs.model import pack_json_schema

    print_json(pack_json_schema())
    return 0


def cmd_templates(ctx: Context) -> int:
    """`quizapp templates [--pack P] [--topic T] [--json]`: the template ids."""
    import difflib

    from quizapp.i18n import text_in
    from quizapp.packs.fields import pack_template_ids, syllabus_order

    catalog = ctx.catalog()
    args = ctx.args
    refs = [catalog.templates[tid] for loaded in syllabus_order(catalog)
            for tid in pack_template_ids(catalog, loaded.pack)]
    for name, have in (("pack", {r.pack.id for r in refs}),
                       ("topic", {r.template.topic for r in refs})):
        wanted = getattr(args, name, None)
        if wanted is not None and wanted not in have:
            near = difflib.get_close_matches(wanted, sorted(have))
            hint = t("cli.did_you_mean", ctx.lang, names=", ".join(near)) if near else ""
            raise QuizappError(t(f"cli.unknown_{name}", ctx.lang, id=wanted, hint=hint).strip())
    rows = [
        {
            "id": r.template.id,
            "pack": r.pack.id,
            "topic": r.template.topic,
            "topic_title": _topic_title(r, ctx.lang, text_in),
            "kind": r.template.kind,
            "field": r.template.field,
            "difficulty": r.template.difficulty,
        }
        for r in refs
        if (args.pack is None or r.pack.id == args.pack)
        and (args.topic is None or r.template.topic == args.topic)
    ]
    if args.json:
        print_json({"templates": rows})
        return 0
    print(t("cli.templates_header", ctx.lang, n=len(rows)))
    for r in rows:
        kind = t("kind." + r["kind"], ctx.lang)
        print(f"  {r['id']:<48} " + t("cli.template_row", ctx.lang, kind=kind,
                                               topic=r["topic_title"]))
    return 0


def _topic_title(ref, lang, text_in) -> str:  # type: ignore[no-untyped-def]
    declared = ref.pack.topics.get(ref.template.topic)
    return text_in(declared.title, lang) if declared is not None else ref.template.topic


def cmd_packs_preview(ctx: Context) -> int:
    """`quizapp packs preview FILE`: the study screen on one pack file, reloaded on save."""
    path = Path(ctx.args.file)
    if not path.is_file():
        raise QuizappError(t("cli.no_such_file", ctx.lang, path=path))
    from quizapp.tui.launch import run_preview

    return run_preview(ctx, path)
