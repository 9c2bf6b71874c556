"""The study session core: order, recording, invalid answers, cram, summary, home figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.packs.expressions import FUNCTIONS
from quizapp.packs.generation import generate
from quizapp.packs.loader import load_catalog
from quizapp.progress.scheduler import Scheduler
from quizapp.progress.store import Store, StoreError
from quizapp.study.session import (
    Scope,
    ScopeError,
    StudySession,
    answer_hint,
    choice_labels,
    counts_label,
    feedback_view,
    format_duration,
    format_when,
    invalid_text,
    overview,
    plot_data,
    raw_for_choice,
)

GOOD = Path(__file__).resolve().parents[1] / "data" / "good"
T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
MINI = [
    "test.mini.sigmoid_grad",
    "test.mini.output_grad",
    "test.mini.softmax_grad",
    "test.mini.chain",
    "test.mini.relu_choice",
    "test.mini.which_true",
    "test.mini.sigmoid_formula",
    "test.mini.tanh_sym",
    "test.mini.probs",
]


class Clock:
    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog([GOOD], builtin=False)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store():
    s = Store.memory()
    yield s
    s.close()


@pytest.fixture
def scheduler(store, clock):
    return Scheduler(store, clock=clock, tz=UTC)


def make(catalog, store, scheduler, **kw) -> StudySession:
    return StudySession(catalog, store, scheduler, **kw)


def right_answer(problem) -> str:
    """A correct answer, typed as a learner would."""
    kind = problem.kind
    if kind in ("numeric",):
        return repr(float(problem.answer))
    if kind in ("vector", "matrix"):
        return str(problem.answer.tolist())
    if kind == "single_choice":
        return str(problem.answer)
    if kind == "multi_choice":
        return ",".join(map(str, problem.answer))
    if kind == "true_false":
        return "true" if problem.answer else "false"
    return str(problem.answer)


# --------------------------------------------------------------------------- scopes


def test_scope_selects_templates_in_catalogue_order(catalog):
    assert Scope().template_ids(catalog) == MINI
    assert Scope(pack="test.mini").template_ids(catalog) == MINI
    assert Scope(topic="activation").template_ids(catalog) == [
        "test.mini.sigmoid_grad",
        "test.mini.relu_choice",
        "test.mini.which_true",
        "test.mini.sigmoid_formula",
        "test.mini.tanh_sym",
    ]
    assert Scope(template="test.mini.chain").template_ids(catalog) == ["test.mini.chain"]


def test_unknown_names_give_suggestions_in_both_languages(catalog):
    with pytest.raises(ScopeError) as err:
        Scope(topic="activaton").template_ids(catalog)
    assert "Did you mean: activation?" in err.value.text("en")
    assert "候補：activation" in err.value.text("ja")
    with pytest.raises(ScopeError) as err:
        Scope(pack="test.mnii").template_ids(catalog)
    assert "test.mini" in err.value.text("en")
    with pytest.raises(ScopeError) as err:
        Scope(template="test.mini.chian").template_ids(catalog)
    assert "test.mini.chain" in err.value.text("en")


def test_scope_describe(catalog):
    assert Scope().describe(catalog, "en") == "All packs"
    assert Scope(pack="test.mini").describe(catalog, "ja") == "パック：テスト用パック"
    assert Scope(topic="backprop").describe(catalog, "en") == "Topic: Backpropagation"
    assert Scope(topic="backprop").key() == "topic=backprop"


def test_unknown_first_template_is_refused(catalog, store, scheduler):
    with pytest.raises(ScopeError):
        make(catalog, store, scheduler, first="nope.nothing")


# --------------------------------------------------------------------------- order and recording


def test_first_template_with_seed_is_exactly_that_problem(catalog, store, scheduler):
    session = make(catalog, store, scheduler, first="test.mini.output_grad", seed=3)
    problem = session.next_problem()
    ref = catalog.templates["test.mini.output_grad"]
    expected = generate(ref.template, 3, pack_id="test.mini", pack_version="1")
    assert problem.template_id == "test.mini.output_grad"
    assert problem.seed == 3
    assert problem.prompt("en") == expected.prompt("en")


def test_study_order_is_the_scheduler_queue(catalog, store, scheduler):
    session = make(catalog, store, scheduler, seed=1)
    assert session.upcoming() == MINI
    assert session.progress() == (0, 9)
    seen = []
    while (problem := session.next_problem()) is not None:
        seen.append(problem.template_id)
        session.submit(right_answer(problem))
    assert seen == MINI
    assert session.progress() == (9, 9)
    assert len(store.cards()) == 9


def test_invalid_answer_is_not_recorded_and_can_be_retried(catalog, store, scheduler, clock):
    session = make(catalog, store, scheduler, first="test.mini.sigmoid_grad", seed=2)
    problem = session.next_problem()
    clock.advance(seconds=5)
    bad = session.submit("abc")
    assert not bad.valid
    assert store.attempts() == []
    assert not session.answered
    assert "abc" in invalid_text(bad, "en") and "not recorded" in invalid_text(bad, "en")
    assert "記録されません" in invalid_text(bad, "ja")
    assert invalid_text(bad, "ja").startswith("読み取れない回答：")  # full-width ：
    clock.advance(seconds=7)
    good = session.submit(right_answer(problem))
    assert good.valid and good.correct
    (attempt,) = store.attempts()
    assert attempt.correct and attempt.mode == "study"
    assert attempt.seconds == pytest.approx(12.0)
    assert attempt.session_id == session.session_id
    assert store.card("test.mini.sigmoid_grad") is not None
    # Answering again changes nothing.
    assert session.submit("0") is good
    assert len(store.attempts()) == 1


def test_wrong_answer_with_a_misconception(catalog, store, scheduler):
    session = make(catalog, store, scheduler, first="test.mini.sigmoid_grad", seed=4)
    problem = session.next_problem()
    x = problem.params["x"]
    raw = repr(float(FUNCTIONS["sigmoid"](x)))
    result = session.submit(raw)
    assert result.valid and not result.correct
    assert result.misconception == "sigma_not_derivative"
    (attempt,) = store.attempts()
    assert attempt.misconception == "sigma_not_derivative"
    view = feedback_view(problem, result, "en", raw=raw)
    assert view.verdict == "Incorrect"
    assert view.misconception == "That is σ(x), not σ'(x)."
    assert view.answer.startswith("Answer: ")
    assert view.steps and str(x) in view.steps[0]
    ja = feedback_view(problem, result, "ja", raw=raw)
    assert ja.verdict == "不正解" and ja.misconception == "σ(x) を答えています。"


def test_feedback_shows_how_a_fraction_was_read(catalog, store, scheduler):
    session = make(catalog, store, scheduler, first="test.mini.sigmoid_grad", seed=4)
    problem = session.next_problem()
    result = session.submit("1/4")
    view = feedback_view(problem, result, "en", raw="1/4")
    assert view.your_answer == "Your answer: 1/4 (read as 0.25)"
    ja = feedback_view(problem, result, "ja", raw="1/4")
    assert ja.your_answer == "あなたの回答：1/4（読み取り：0.25）"  # no space before （
    plain = feedback_view(problem, result, "en", raw="0.25")
    assert plain.your_answer == "Your answer: 0.25"


def test_matrix_feedback_names_wrong_cells(catalog, store, scheduler):
    session = make(catalog, store, scheduler, first="test.mini.output_grad", seed=3)
    problem = session.next_problem()
    wrong = problem.answer.copy()
    wrong[1, 2] += 1
    raw = "; ".join(" ".join(str(v) for v in row) for row in wrong.tolist())
    result = session.submit(raw)
    view = feedback_view(problem, result, "en", raw=raw)
    assert not view.correct
    assert view.cells == "Wrong entries (row, column): (2, 3)"
    assert "read as" in view.your_answer


def test_another_like_this_is_cram_and_not_rescheduled(catalog, store, scheduler, clock):
    session = make(catalog, store, scheduler, first="test.mini.sigmoid_grad", seed=5)
    first = session.next_problem()
    session.submit(right_answer(first))
    card = store.card("test.mini.sigmoid_grad")
    with pytest.raises(RuntimeError):
        make(catalog, store, scheduler).another_like_this()
    clock.advance(seconds=3)
    again = session.another_like_this()
    assert again.template_id == first.template_id
    assert again.seed != first.seed
    assert session.progress()[0] == 1  # an extra does not count as a queue item
    session.submit(right_answer(again))
    attempts = store.attempts()
    assert [a.mode for a in attempts] == ["study", "cram"]
    assert store.card("test.mini.sigmoid_grad") == card  # untouched
    # The next problem comes from the queue again.
    nxt = session.next_problem()
    assert nxt.template_id != "test.mini.sigmoid_grad"


def test_failed_card_comes_back_later_in_the_session(catalog, store, scheduler, clock):
    session = make(catalog, store, scheduler, scope=Scope(topic="backprop"), new_limit=2,
                   seed=9)
    problem = session.next_problem()
    failed = problem.template_id
    session.reveal()  # wrong
    clock.advance(seconds=30)
    second = session.next_problem()
    assert second.template_id != failed
    session.submit(right_answer(second))
    assert session.next_problem() is None  # the failed card is due in a minute, limit reached
    clock.advance(minutes=2)
    again = session.next_problem()
    assert again is not None and again.template_id == failed


def test_new_limit_and_nothing_due(catalog, store, scheduler, clock):
    session = make(catalog, store, scheduler, new_limit=2, seed=1)
    assert session.progress() == (0, 2)
    for _ in range(2):
        session.submit(right_answer(session.next_problem()))
    assert session.next_problem() is None
    info = session.empty_info()
    assert info.new_waiting == 7
    lines = info.lines(clock(), "en")
    assert lines[0] == "Nothing is due right now."
    assert "in 10 min" in lines[1]
    assert "New templates waiting: 7" in lines[2]
    ja = info.lines(clock(), "ja")
    assert ja[0] == "今は復習する問題がありません。"
    # A fresh session on the same day: nothing due, the limit is used up.
    later = make(catalog, store, scheduler, new_limit=2)
    assert later.next_problem() is None
    # Raising the limit lets new ones in.
    more = make(catalog, store, scheduler, new_limit=4)
    assert more.next_problem() is not None


def test_cram_touches_no_card_and_shows_each_template_once(catalog, store, scheduler):
    session = make(catalog, store, scheduler, cram=True, seed=11)
    seen = []
    while (problem := session.next_problem()) is not None:
        seen.append(problem.template_id)
        session.submit(right_answer(problem))
    assert sorted(seen) == sorted(MINI)
    assert seen == Scheduler.cram_queue(MINI, 11)
    assert store.cards() == {}
    assert {a.mode for a in store.attempts()} == {"cram"}


def test_cram_with_first_template(catalog, store, scheduler):
    session = make(catalog, store, scheduler, cram=True, first="test.mini.probs", seed=0)
    assert session.next_problem().template_id == "test.mini.probs"
    assert session.progress() == (0, 9)


def test_reveal_records_an_incorrect_answer(catalog, store, scheduler):
    session = make(catalog, store, scheduler, first="test.mini.chain", seed=0)
    problem = session.next_problem()
    result = session.reveal()
    assert result.valid and not result.correct
    (attempt,) = store.attempts()
    assert not attempt.correct and attempt.raw_answer == ""
    view = feedback_view(problem, result, "en", gave_up=True)
    assert view.your_answer == "You asked for the answer (recorded as incorrect)."
    assert "∂u/∂w" in view.answer


def test_a_template_that_cannot_be_built_is_skipped(catalog, store, scheduler, monkeypatch):
    import quizapp.study.session as session_module
    from quizapp.packs.generation import GenerationError

    real = session_module.generate

    def flaky(template, seed, **kw):
        if template.id == "test.mini.sigmoid_grad":
            raise GenerationError("boom", "params.x")
        return real(template, seed, **kw)

    monkeypatch.setattr(session_module, "generate", flaky)
    session = make(catalog, store, scheduler, seed=1)
    problem = session.next_problem()
    assert problem.template_id == "test.mini.output_grad"
    summary = session.summary("en")
    assert summary.skipped == ("Could not build a problem of test.mini.sigmoid_grad "
                               "(params.x: boom)",)


def test_store_error_leaves_the_problem_unanswered(catalog, store, scheduler, monkeypatch):
    session = make(catalog, store, scheduler, first="test.mini.chain", seed=0)
    problem = session.next_problem()

    def locked(*a, **kw):
        raise StoreError("store.locked", path="x.sqlite3")

    monkeypatch.setattr(scheduler, "review", locked)
    with pytest.raises(StoreError):
        session.submit(right_answer(problem))
    assert not session.answered
    monkeypatch.undo()
    assert session.submit(right_answer(problem)).correct
    assert len(store.attempts()) == 1


def test_summary_and_close(catalog, store, scheduler, clock):
    session = make(catalog, store, scheduler, first="test.mini.sigmoid_grad", seed=4)
    problem = session.next_problem()
    session.submit(repr(float(FUNCTIONS["sigmoid"](problem.params["x"]))))
    session.next_problem()
    session.submit(right_answer(session.problem))
    clock.advance(minutes=2, seconds=5)
    summary = session.close("en")
    assert summary.score_text() == "1 of 2 correct (50%)"
    assert summary.time_text() == "Time: 2 min 5 s"
    assert [(s.title, s.answered, s.correct) for s in summary.topics] == [
        ("Activation functions", 1, 0),
        ("Backpropagation", 1, 1),
    ]
    (mistake,) = summary.mistakes
    assert mistake.template_id == "test.mini.sigmoid_grad"
    assert mistake.message == "That is σ(x), not σ'(x)."
    record = store.session(session.session_id)
    assert record.ended_at is not None
    assert record.summary["answered"] == 2 and record.summary["correct"] == 1
    assert session.next_problem() is None
    ja = session.summary("ja")
    assert ja.score_text() == "1 / 2 問正解（50%）"
    assert ja.topics[0].title == "活性化関数"


def test_empty_session_writes_no_session_record(catalog, store, scheduler):
    session = make(catalog, store, scheduler, new_limit=0)
    assert session.next_problem() is None
    session.close("en")
    assert store.sessions() == []
    assert session.summary("en").score_text() == "No problems were answered."


# --------------------------------------------------------------------------- what screens show


@pytest.mark.parametrize(
    ("template_id", "needle_en", "needle_ja"),
    [
        ("test.mini.sigmoid_grad", "a number", "数値"),
        ("test.mini.softmax_grad", "A vector of 3 numbers", "要素 3 個"),
        ("test.mini.output_grad", "A 2×3 matrix", "2×3 行列"),
        ("test.mini.sigmoid_formula", "a formula in x", "x の式"),
        ("test.mini.chain", "Press 1–4", "1〜4"),
        ("test.mini.relu_choice", "Press 1–3", "1〜3"),
        ("test.mini.which_true", "mark or unmark", "切り替え"),
        ("test.mini.tanh_sym", "1 or t for true", "正しい"),
    ],
)
def test_answer_hints(catalog, template_id, needle_en, needle_ja):
    ref = catalog.templates[template_id]
    problem = generate(ref.template, 1)
    assert needle_en in answer_hint(problem, "en")
    assert needle_ja in answer_hint(problem, "ja")


def test_matrix_hint_never_gives_the_answer(catalog):
    problem = generate(catalog.templates["test.mini.output_grad"].template, 3)
    hint = answer_hint(problem, "en")
    assert "1 2 3; 4 5 6" in hint
    assert "-0.32" not in hint


def test_choice_labels_and_raw(catalog):
    tf = generate(catalog.templates["test.mini.tanh_sym"].template, 1)
    assert choice_labels(tf, "en") == ["True", "False"]
    assert raw_for_choice(tf, [2]) == "false"
    chain = generate(catalog.templates["test.mini.chain"].template, 1)
    assert len(choice_labels(chain, "en")) == 4
    assert raw_for_choice(chain, [3, 1]) == "1,3"


def test_plot_data_marks_the_point(catalog):
    problem = generate(catalog.templates["test.mini.sigmoid_grad"].template, 2)
    data = plot_data(problem)
    assert data is not None
    assert [name for name, _ in data.series] == ["sigmoid", "sigmoid_grad"]
    assert data.xs[0] == -5 and data.xs[-1] == 5
    assert data.at == problem.params["x"]
    marks = dict(data.marks)
    assert marks["sigmoid_grad"] == pytest.approx(problem.answer)
    assert plot_data(generate(catalog.templates["test.mini.chain"].template, 1)) is None


def test_overview_counts_due_new_mastered_and_streak(catalog, store, scheduler, clock):
    view = overview(catalog, scheduler, "en")
    assert view.total == (0, 9, 0)
    assert view.streak == 0 and view.due_today == 0 and view.new_left == 20
    (pack,) = view.packs
    assert pack.label == "Test pack"
    assert [n.label for n in pack.children] == ["Activation functions", "Backpropagation"]
    assert pack.children[0].scope == Scope(pack="test.mini", topic="activation")
    leaf = pack.children[0].children[0]
    assert leaf.scope == Scope(template="test.mini.sigmoid_grad")
    assert leaf.label == "sigmoid_grad · number"
    session = make(catalog, store, scheduler, first="test.mini.sigmoid_grad", seed=1)
    session.submit(right_answer(session.next_problem()))
    clock.advance(hours=1)
    view = overview(catalog, scheduler, "ja")
    assert view.total == (1, 8, 0)
    assert view.streak == 1 and view.due_today == 1 and view.new_left == 19
    assert view.packs[0].children[0].counts == (1, 4, 0)
    assert counts_label(view.total, "ja") == "復習 1 · 新規 8 · 習得 0"
    assert counts_label(view.total, "en") == "due 1 · new 8 · mastered 0"


def test_durations():
    assert format_duration(5.4, "en") == "5 s"
    assert format_duration(65, "ja") == "1 分 5 秒"
    assert format_duration(3725, "en") == "1 h 2 min"
    assert format_when(timedelta(minutes=9, seconds=40), "en") == "in 10 min"
    assert format_when(timedelta(hours=5), "ja") == "5 時間後"
    assert format_when(timedelta(days=3), "en") == "in 3 days"


def test_the_answer_after_a_wrong_one_has_the_places_the_prompt_asks_for():
    """Issue #13 item 5: 「小数第 3 位まで」 shows 0.333, not 0.333333 (study as in grade)."""
    from quizapp.grading import grade
    from quizapp.packs.generation import generate
    from quizapp.packs.loader import load_catalog

    ref = load_catalog().templates["det.iou.value"]
    problem = generate(ref.template, 977116563, pack_id=ref.pack.id)
    assert "decimal places" in problem.prompt("en")
    result = grade(problem, "0.3")
    assert result.valid and not result.correct
    for lang in ("en", "ja"):
        view = feedback_view(problem, result, lang, raw="0.3")
        places = f"{float(problem.answer):.3f}"
        assert view.answer.endswith(places) and places + "3" not in view.answer, view.answer


def test_the_prompt_places_are_shown_also_when_the_template_grades_with_its_own_tolerance():
    """ffn.backprop.hidden_weight_grad asks for 3 places and grades with rel/abs tolerances:
    the right answer is still shown to 3 places (0.056, not 0.055768), in the study
    feedback and so in the session summary."""
    from quizapp.grading import grade
    from quizapp.packs.generation import generate
    from quizapp.packs.loader import load_catalog

    ref = load_catalog().templates["ffn.backprop.hidden_weight_grad"]
    assert "tolerance" in ref.template.answer.model_fields_set
    problem = generate(ref.template, 4, pack_id=ref.pack.id)
    result = grade(problem, "0.1")
    assert result.valid and not result.correct
    for lang in ("en", "ja"):
        view = feedback_view(problem, result, lang, raw="0.1")
        places = f"{float(problem.answer):.3f}"
        assert view.answer.endswith(places), view.answer
        assert f"{float(problem.answer):.4f}" not in view.answer
