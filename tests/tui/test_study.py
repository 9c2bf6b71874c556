"""The study loop through the keyboard, as a learner uses it (Pilot, fixed pack and clock)."""

from __future__ import annotations

from quizapp.packs.expressions import FUNCTIONS
from quizapp.progress.store import Store
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.study import StudyScreen
from quizapp.tui.screens.summary import SummaryScreen


def right_answer(problem) -> str:
    kind = problem.kind
    if kind == "numeric":
        return repr(float(problem.answer))
    if kind in ("vector", "matrix"):
        return str(problem.answer.tolist())
    return str(problem.answer)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)


async def test_problem_appears_with_focus_and_a_right_answer_is_correct(make_app, tui):
    app = make_app(start=tui.study_args(template="test.mini.sigmoid_grad", seed=2))
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await tui.study_screen(pilot)
        problem = screen.session.problem
        assert (problem.template_id, problem.seed) == ("test.mini.sigmoid_grad", 2)
        assert app.focused is not None and app.focused.id == "answer"  # contract
        assert "seed 2" in tui.text_of(screen, "#study-seed")
        assert "x = -0.5" in tui.text_of(screen, "#prompt")
        await type_text(pilot, right_answer(problem))
        await pilot.press("enter")
        await tui.wait_for(pilot, lambda: bool(screen.query("#verdict")))
        assert tui.text_of(screen, "#verdict") == "✓ Correct"
        (attempt,) = app.store.attempts()
        assert attempt.correct and attempt.mode == "study" and attempt.seed == 2
        assert app.store.card("test.mini.sigmoid_grad") is not None
        assert "σ(-0.5) = 0.3775" in tui.text_of(screen, "#explanation-steps")
        assert screen.query("#activation-plot")  # the template has a plot
        assert "Progress 1 /" in tui.text_of(screen, "#progress-label")


async def test_wrong_answer_shows_the_misconception(make_app, tui):
    app = make_app(start=tui.study_args(template="test.mini.sigmoid_grad", seed=2))
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await tui.study_screen(pilot)
        sigma = float(FUNCTIONS["sigmoid"](-0.5))
        await type_text(pilot, f"{sigma:.4f}")
        await pilot.press("enter")
        await tui.wait_for(pilot, lambda: bool(screen.query("#verdict")))
        assert tui.text_of(screen, "#verdict") == "✗ Incorrect"
        assert tui.text_of(screen, "#misconception") == "That is σ(x), not σ'(x)."
        assert tui.text_of(screen, "#canonical") == "Answer: 0.235004"
        (attempt,) = app.store.attempts()
        assert attempt.misconception == "sigma_not_derivative" and not attempt.correct


async def test_invalid_answer_costs_nothing_and_can_be_retried(make_app, tui):
    app = make_app(start=tui.study_args(template="test.mini.sigmoid_grad", seed=2))
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await tui.study_screen(pilot)
        await type_text(pilot, "abc")
        await pilot.press("enter")
        await tui.wait_for(pilot, lambda: screen.query_one("#invalid").display)
        message = tui.text_of(screen, "#invalid")
        assert "Could not read a number from “abc”" in message
        assert "not recorded" in message
        assert app.store.attempts() == []
        assert app.focused.id == "answer"  # still typing
        for _ in range(3):
            await pilot.press("backspace")
        await type_text(pilot, "1/4")
        await pilot.press("enter")
        await tui.wait_for(pilot, lambda: bool(screen.query("#verdict")))
        assert "read as 0.25" in tui.text_of(screen, "#your-answer")
        assert len(app.store.attempts()) == 1


async def test_another_like_this_then_next(make_app, tui):
    app = make_app(start=tui.study_args(template="test.mini.sigmoid_grad", seed=2))
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await tui.study_screen(pilot)
        await pilot.press("ctrl+g")  # show the answer (recorded as incorrect)
        await tui.wait_for(pilot, lambda: screen.answered)
        card = app.store.card("test.mini.sigmoid_grad")
        await pilot.press("ctrl+n")
        await tui.wait_for(pilot, lambda: not screen.answered)
        problem = screen.session.problem
        assert problem.template_id == "test.mini.sigmoid_grad" and problem.seed != 2
        assert "another like this" in tui.text_of(screen, "#meta")
        assert app.focused.id == "answer"
        await type_text(pilot, right_answer(problem))
        await pilot.press("enter")
        await tui.wait_for(pilot, lambda: screen.answered)
        assert [a.mode for a in app.store.attempts()] == ["study", "cram"]
        assert app.store.card("test.mini.sigmoid_grad") == card  # not rescheduled twice
        await pilot.press("enter")  # next
        await tui.wait_for(pilot, lambda: not screen.answered)
        assert screen.session.problem.template_id != "test.mini.sigmoid_grad"
        assert app.focused.id == "answer"


async def test_choice_item_answers_with_key_2(make_app, tui):
    app = make_app(start=tui.study_args(template="test.mini.chain", seed=1))
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await tui.study_screen(pilot)
        problem = screen.session.problem
        assert app.focused.id == "answer"
        await pilot.press("2")
        await tui.wait_for(pilot, lambda: screen.answered)
        expected = "✓ Correct" if problem.answer == 2 else "✗ Incorrect"
        assert tui.text_of(screen, "#verdict") == expected
        assert "Your answer: 2. " + problem.choices[1].text("en") == tui.text_of(
            screen, "#your-answer")
        (attempt,) = app.store.attempts()
        assert attempt.parsed == 2


async def test_choice_item_with_the_misconception_message(make_app, tui):
    app = make_app(start=tui.study_args(template="test.mini.chain", seed=1))
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await tui.study_screen(pilot)
        problem = screen.session.problem
        circular = next(i for i, c in enumerate(problem.choices, 1) if c.tag == "circular")
        await pilot.press(str(circular))
        await tui.wait_for(pilot, lambda: screen.answered)
        assert tui.text_of(screen, "#misconception") == "That is circular."


async def test_true_false_and_multi_choice_keys(make_app, tui):
    app = make_app(start=tui.study_args(template="test.mini.tanh_sym", seed=1))
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await tui.study_screen(pilot)
        await pilot.press("t")
        await tui.wait_for(pilot, lambda: screen.answered)
        assert tui.text_of(screen, "#verdict") == "✓ Correct"
        # multiple choice: mark 1 and 2, then Enter
        app.start_study(first="test.mini.which_true", seed=3, replace=True)
        screen = await tui.study_screen(pilot)
        while screen.session.problem.template_id != "test.mini.which_true":
            await pilot.pause()
        problem = screen.session.problem
        for n in problem.answer:
            await pilot.press(str(n))
        await pilot.press("enter")
        await tui.wait_for(pilot, lambda: screen.answered)
        assert tui.text_of(screen, "#verdict") == "✓ Correct"


async def test_true_false_takes_n_for_false(make_app, tui):
    app = make_app(start=tui.study_args(template="test.mini.tanh_sym", seed=1))
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await tui.study_screen(pilot)
        await pilot.press("n")  # "no": not the screen's "another like this" before answering
        await tui.wait_for(pilot, lambda: screen.answered)
        assert tui.text_of(screen, "#verdict") == "✗ Incorrect"
        assert tui.text_of(screen, "#your-answer") == "Your answer: 2. False"
        await pilot.press("n")  # now it is "another like this"
        await tui.wait_for(pilot, lambda: not screen.answered)
        assert screen.session.current.extra


async def test_multi_choice_with_nothing_marked_is_invalid(make_app, tui):
    app = make_app(start=tui.study_args(template="test.mini.which_true", seed=3))
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await tui.study_screen(pilot)
        await pilot.press("enter")
        await tui.wait_for(pilot, lambda: screen.query_one("#invalid").display)
        assert "The answer is empty." in tui.text_of(screen, "#invalid")
        assert app.store.attempts() == []


async def test_matrix_answer_shows_its_shape_while_typing(make_app, tui):
    app = make_app(start=tui.study_args(template="test.mini.output_grad", seed=3))
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await tui.study_screen(pilot)
        assert "A 2×3 matrix" in tui.text_of(screen, "#hint")
        await type_text(pilot, "1 2; 3 4")
        await pilot.pause()
        assert tui.text_of(screen, "#matrix-preview") == "Reads as 2×2 (2×3 needed)"
        await pilot.press("enter")
        await tui.wait_for(pilot, lambda: screen.query_one("#invalid").display)
        assert "Wrong shape: read 2×2, but 2×3 is needed." in tui.text_of(screen, "#invalid")
        assert app.store.attempts() == []
        await pilot.press(*["backspace"] * 8)
        await type_text(pilot, "-0.32 -0.096 -0.16; 0.46 0.138 0.23")
        await pilot.pause()
        assert tui.text_of(screen, "#matrix-preview") == "Reads as 2×3 ✓"
        await pilot.press("enter")
        await tui.wait_for(pilot, lambda: screen.answered)
        assert tui.text_of(screen, "#verdict") == "✓ Correct"


async def test_formula_answer(make_app, tui):
    app = make_app(start=tui.study_args(template="test.mini.sigmoid_formula", seed=0))
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await tui.study_screen(pilot)
        await type_text(pilot, "σ(x)(1-σ(x))")
        await pilot.press("enter")
        await pilot.pause()
        # implicit multiplication is not read: invalid, then the explicit form
        if not screen.answered:
            assert screen.query_one("#invalid").display
            await pilot.press(*["backspace"] * 12)
            await type_text(pilot, "σ(x)*(1-σ(x))")
            await pilot.press("enter")
        await tui.wait_for(pilot, lambda: screen.answered)
        assert tui.text_of(screen, "#verdict") == "✓ Correct"


async def test_session_to_summary_and_home(make_app, tui):
    app = make_app(start=tui.study_args(template="test.mini.sigmoid_grad", seed=2))
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await tui.study_screen(pilot)
        await type_text(pilot, "0.3775")
        await pilot.press("enter")
        await tui.wait_for(pilot, lambda: screen.answered)
        await pilot.press("escape")
        await tui.wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        summary = app.screen
        assert tui.text_of(summary, "#summary-score").startswith("0 of 1 correct (0%)")
        mistakes = tui.text_of(summary, "#summary-mistakes")
        assert "That is σ(x), not σ'(x)." in mistakes
        assert "quizapp study --template test.mini.sigmoid_grad --seed 2" in mistakes
        record = app.store.sessions()[0]
        assert record.ended_at is not None and record.summary["answered"] == 1
        await pilot.press("enter")
        await tui.wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert "Due by tonight (forecast): 1" in tui.text_of(app.screen, "#today")


async def test_nothing_due_offers_cram(make_app, tui):
    app = make_app()
    async with app.run_test(size=tui.SIZE) as pilot:
        await tui.wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.settings.daily_new_limit = 0
        await pilot.press("s")
        screen = await tui.study_screen(pilot)
        assert screen.empty
        assert "Nothing is due right now." in tui.text_of(screen, "#empty")
        assert "New templates waiting: 9" in tui.text_of(screen, "#empty")
        await pilot.press("c")
        await tui.wait_for(pilot, lambda: isinstance(app.screen, StudyScreen)
                           and app.screen is not screen and app.screen.session.problem is not None)
        assert app.screen.session.mode == "cram"
        assert "Cram" in tui.text_of(app.screen, "#study-scope")


async def test_quit_and_resume_keeps_progress(make_app, tui, tmp_path):
    app = make_app(start=tui.study_args(template="test.mini.sigmoid_grad", seed=2))
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await tui.study_screen(pilot)
        await type_text(pilot, right_answer(screen.session.problem))
        await pilot.press("enter")
        await tui.wait_for(pilot, lambda: screen.answered)
        await pilot.press("enter")
        await tui.wait_for(pilot, lambda: not screen.answered)
        await type_text(pilot, "1.5")  # typed, not submitted: nothing to save
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
    with Store.open(tmp_path / "progress.sqlite3") as store:
        assert len(store.attempts()) == 1
        (record,) = store.sessions()
        assert record.ended_at is not None  # the session was closed on ctrl+q
    again = make_app()
    async with again.run_test(size=tui.SIZE) as pilot:
        await tui.wait_for(pilot, lambda: isinstance(again.screen, HomeScreen)
                           and again.screen.overview is not None)
        assert again.screen.overview.total.new == 8
        assert "New left today: 19" in tui.text_of(again.screen, "#today")


async def test_switching_language_keeps_what_was_typed(make_app, tui):
    app = make_app(start=tui.study_args(template="test.mini.sigmoid_grad", seed=2))
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await tui.study_screen(pilot)
        await type_text(pilot, "0.2")
        app.set_language("ja")
        await pilot.pause()
        assert tui.text_of(screen, "#prompt") == "x = -0.5 における σ'(x) を求めよ。"
        assert screen.query_one("#answer").value == "0.2"
        await pilot.press("5", "enter")
        await tui.wait_for(pilot, lambda: screen.answered)
        assert tui.text_of(screen, "#verdict") == "✗ 不正解"
        app.set_language("en")
        await tui.wait_for(pilot, lambda: tui.text_of(screen, "#verdict") == "✗ Incorrect")


async def test_unknown_topic_from_the_command_line_is_a_message(make_app, tui):
    app = make_app(start=tui.study_args(topic="activaton"))
    async with app.run_test(size=tui.SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        messages = [n.message for n in app._notifications]
        assert any("There is no topic 'activaton'" in m and "activation" in m for m in messages)
