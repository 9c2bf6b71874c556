"""The home screen: the tree of packs and topics with counts, today's figures, the ways in."""

from __future__ import annotations

from quizapp.study.session import Scope
from quizapp.tui.screens.home import HomeScreen, PackTree
from quizapp.tui.screens.study import StudyScreen


async def home(pilot, tui) -> HomeScreen:
    await tui.wait_for(pilot, lambda: isinstance(pilot.app.screen, HomeScreen)
                       and pilot.app.screen.overview is not None)
    return pilot.app.screen


def labels(tree: PackTree) -> list[str]:
    out = []

    def walk(node, depth):
        out.append("  " * depth + str(node.label))
        for child in node.children:
            walk(child, depth + 1)

    walk(tree.root, 0)
    return out


async def test_tree_of_packs_and_topics_with_counts(make_app, tui):
    app = make_app()
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await home(pilot, tui)
        tree = screen.query_one(PackTree)
        assert app.focused is tree
        shown = labels(tree)
        assert shown[0] == "All packs  due 0 · new 9 · mastered 0"
        assert shown[1] == "  Deep learning foundations  due 0 · new 9 · mastered 0"
        assert shown[2] == "    Test pack  due 0 · new 9 · mastered 0"
        assert shown[3] == "      Activation functions  due 0 · new 5 · mastered 0"
        assert "        sigmoid_grad · number  due 0 · new 1 · mastered 0" in shown
        assert shown[-1].startswith("        probs · number")
        today = tui.text_of(screen, "#today")
        assert "Due by tonight (forecast): 0" in today and "New left today: 20" in today
        assert "Days in a row: 0" in today
        assert tui.text_of(screen, "#selection") == ("Selected: All packs\n"
                                                      "due 0 · new 9 · mastered 0")


async def test_enter_on_a_topic_studies_just_that_topic(make_app, tui):
    app = make_app()
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await home(pilot, tui)
        await pilot.press("down", "down", "down")  # All → field → Test pack → Activation
        assert tui.text_of(screen, "#selection") == ("Selected: Topic: Activation functions\n"
                                                      "due 0 · new 5 · mastered 0")
        await pilot.press("enter")
        study = await tui.study_screen(pilot)
        assert study.session.scope == Scope(pack="test.mini", topic="activation")
        assert study.session.mode == "study"
        assert all(app.catalog.templates[t].template.topic == "activation"
                   for t in study.session.template_ids)
        assert "Topic: Activation functions" in tui.text_of(study, "#study-scope")


async def test_keys_and_buttons(make_app, tui):
    app = make_app()
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await home(pilot, tui)
        await pilot.press("c")
        study = await tui.study_screen(pilot)
        assert study.session.mode == "cram" and study.session.scope == Scope()
        await pilot.press("escape")  # nothing answered: straight back home
        await tui.wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.click("#home-menu", offset=(4, 1))  # the first line: Study
        study = await tui.study_screen(pilot)
        assert isinstance(study, StudyScreen) and study.session.mode == "study"
        await pilot.press("escape")
        await tui.wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("o")
        await tui.wait_for(pilot, lambda: type(app.screen).__name__ == "SettingsScreen")
        await pilot.press("escape")
        await tui.wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("question_mark")
        await tui.wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen")


async def test_home_refreshes_after_studying(make_app, tui):
    app = make_app(start=tui.study_args(template="test.mini.chain", seed=1))
    async with app.run_test(size=tui.SIZE) as pilot:
        study = await tui.study_screen(pilot)
        await pilot.press(str(study.session.problem.answer))
        await tui.wait_for(pilot, lambda: study.answered)
        await pilot.press("escape")  # → summary
        await pilot.press("escape")  # → home
        screen = await home(pilot, tui)
        assert screen.overview.total == (0, 8, 0)
        today = tui.text_of(screen, "#today")
        assert "Due by tonight (forecast): 1" in today and "Days in a row: 1" in today
        assert "New left today: 19" in today


async def test_japanese_home(make_app, tui):
    app = make_app(lang="ja")
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await home(pilot, tui)
        shown = labels(screen.query_one(PackTree))
        assert shown[0] == "すべてのパック  復習 0 · 新規 9 · 習得 0"
        assert shown[1] == "  深層学習の基礎  復習 0 · 新規 9 · 習得 0"
        assert shown[3] == "      活性化関数  復習 0 · 新規 5 · 習得 0"
        assert "今日中に復習予定：0" in tui.text_of(screen, "#today")
        assert "学習（復習+新規）" in tui.text_of(screen, "#home-menu")
        descriptions = {b.binding.id: b.binding.description
                        for b in screen.active_bindings.values()}
        assert descriptions["home.study"] == "学習"
        assert descriptions["app.quit"] == "終了"


async def test_language_switch_rerenders_home(make_app, tui):
    app = make_app()
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await home(pilot, tui)
        app.set_language("ja")
        await pilot.pause()
        assert labels(screen.query_one(PackTree))[0].startswith("すべてのパック")
        assert "集中練習" in tui.text_of(screen, "#home-menu")
        assert app.store.get_setting("language") == "ja"


async def test_the_tree_groups_packs_by_exam_field_and_a_field_can_be_studied(make_app, tui):
    """Packs sit under their exam field (syllabus order); Enter on a field studies it."""
    app = make_app()
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await home(pilot, tui)
        await pilot.press("down")
        assert tui.text_of(screen, "#selection").startswith(
            "Selected: Field: Deep learning foundations\ndue ")
        await pilot.press("enter")
        study = await tui.study_screen(pilot)
        assert study.session.scope == Scope(field="深層学習の基礎")
        assert all(app.catalog.templates[t].template.field == "深層学習の基礎"
                   for t in study.session.template_ids)


async def test_with_the_whole_syllabus_packs_are_folded_and_filled_when_opened(make_app, tui):
    """With the built-in packs (24), packs start closed with no nodes inside; opening one
    adds its topics, and opening a topic adds its templates."""
    from quizapp.packs.loader import load_catalog

    app = make_app(catalog=load_catalog([], lang="en"))
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await home(pilot, tui)
        tree = screen.query_one(PackTree)
        fields = list(tree.root.children)
        assert [str(f.label).split("  ")[0] for f in fields] == [
            "Applied mathematics", "Machine learning", "Deep learning foundations",
            "Deep learning applications", "Development and operations"]
        packs = [p for f in fields for p in f.children]
        assert len(packs) >= 20
        assert all(not p.is_expanded and not p.children for p in packs)
        cnn = next(p for p in packs if p.data.pack == "cnn")
        cnn.expand()
        await pilot.pause()
        (topic,) = cnn.children
        assert topic.data.topic and not topic.children
        topic.expand()
        await pilot.pause()
        assert any(leaf.data.template == "cnn.conv.output_size" for leaf in topic.children)
