"""Issue 10 #5: `quizapp packs preview FILE` reloads the study screen when the file is saved."""

from __future__ import annotations

import argparse

from quizapp.packs.loader import Catalog
from quizapp.tui.app import StartRequest
from quizapp.tui.screens.preview import PreviewScreen

PACK = """\
id: test.preview
version: 1
title: {{ja: プレビュー, en: Preview}}
languages: [ja, en]
topics:
  t: {{title: {{ja: トピック, en: Topic}}}}
templates:
  - id: test.preview.first
    topic: t
    kind: numeric
    params:
      x: {{range: [1, 9]}}
    prompt: {{ja: "{word} {{x}} + 1 を求めよ。", en: "{word} {{x}} plus one."}}
    answer:
      value: x + 1
    explanation:
      steps: ["{{x}} + 1"]
  - id: test.preview.second
    topic: t
    kind: numeric
    params:
      y: {{range: [1, 9]}}
    prompt: {{ja: "{word} {{y}} の 2 倍", en: "{word} twice {{y}}."}}
    answer:
      value: 2 * y
    explanation:
      steps: ["2 × {{y}}"]
"""


def preview_args(path, template=None, seed=None) -> StartRequest:
    return StartRequest("preview", argparse.Namespace(file=str(path), template=template,
                                                      seed=seed))


async def wait(pilot, predicate, seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if predicate():
            return
        await pilot.pause(0.05)
    raise AssertionError("the preview did not reach the expected state")


def prompt_of(screen) -> str:
    found = screen.query("#prompt")
    return str(found.first().render()) if found else ""


async def test_preview_reloads_on_save_keeping_template_and_seed(make_app, tmp_path, tui):
    path = tmp_path / "pack.yaml"
    path.write_text(PACK.format(word="Compute"), encoding="utf-8")
    app = make_app(catalog=Catalog(), start=preview_args(path, "test.preview.second", 5))
    async with app.run_test(size=tui.SIZE) as pilot:
        await wait(pilot, lambda: isinstance(app.screen, PreviewScreen)
                   and "Compute twice" in prompt_of(app.screen))
        screen = app.screen
        first = prompt_of(screen)
        assert screen.session.problem.seed == 5
        path.write_text(PACK.format(word="Now compute"), encoding="utf-8")
        await wait(pilot, lambda: "Now compute twice" in prompt_of(screen))
        assert prompt_of(screen) == first.replace("Compute", "Now compute")  # same seed
        assert screen.session.problem.template_id == "test.preview.second"
        assert screen.session.problem.seed == 5


async def test_preview_shows_validation_errors_then_recovers(make_app, tmp_path, tui):
    path = tmp_path / "pack.yaml"
    path.write_text(PACK.format(word="Compute"), encoding="utf-8")
    app = make_app(catalog=Catalog(), start=preview_args(path))
    async with app.run_test(size=tui.SIZE) as pilot:
        await wait(pilot, lambda: isinstance(app.screen, PreviewScreen)
                   and "Compute" in prompt_of(app.screen))
        screen = app.screen
        assert screen.session.problem.template_id == "test.preview.first"
        broken = PACK.format(word="Compute").replace("value: x + 1", "value: x + nosuch")
        path.write_text(broken, encoding="utf-8")
        await wait(pilot, lambda: bool(screen.query("#preview-errors")))
        errors = str(screen.query_one("#preview-errors").render())
        assert "pack.yaml" in errors and "nosuch" in errors
        assert not screen.query("#prompt")
        path.write_text(PACK.format(word="Fixed"), encoding="utf-8")
        await wait(pilot, lambda: "Fixed" in prompt_of(screen))


async def test_n_draws_another_seed(make_app, tmp_path, tui):
    path = tmp_path / "pack.yaml"
    path.write_text(PACK.format(word="Compute"), encoding="utf-8")
    app = make_app(catalog=Catalog(), start=preview_args(path, seed=1))
    async with app.run_test(size=tui.SIZE) as pilot:
        await wait(pilot, lambda: isinstance(app.screen, PreviewScreen)
                   and app.screen.session is not None)
        screen = app.screen
        screen.query_one("#study-body").focus()
        await pilot.press("ctrl+n")
        await wait(pilot, lambda: screen.seed != 1 and screen.session is not None
                   and screen.session.problem is not None)
        assert screen.session.problem.seed == screen.seed
        assert screen.session.problem.template_id == "test.preview.first"


async def test_preview_footer_says_another_seed(make_app, tmp_path, tui):
    path = tmp_path / "pack.yaml"
    path.write_text(PACK.format(word="Compute"), encoding="utf-8")
    app = make_app(catalog=Catalog(), start=preview_args(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait(pilot, lambda: isinstance(app.screen, PreviewScreen)
                   and app.screen.session is not None)
        shown = {k: a.binding.description for k, a in app.active_bindings.items()}
        assert shown["ctrl+n"] == "Another seed"
