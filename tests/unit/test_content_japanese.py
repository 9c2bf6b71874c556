"""The Japanese of every built-in pack reads like a good question book (issue #13.21).

Every `ja:` text of every template (prompt, hint, explanation, options, misconception
messages, and the Japanese string constants inside `{...}` fields) is checked for:

- terms that read as a translation or are not the exam's (see FORBIDDEN);
- half-width brackets around Japanese prose: ``(隠れ層)`` must be ``（隠れ層）``, and so must a
  parenthetical right after a Japanese word (``恒等写像(f(u) = u)`` → ``恒等写像（f(u) = u）``;
  a function call such as ``f(x)`` follows a Latin letter and is not one). Allowed: a
  shape or tuple, i.e. brackets whose content has an ASCII comma and no 「、」/「。」 outside
  nested brackets, such as ``(出力数, 入力数)`` or ``(N, クラス数)``;
- a half-width colon right after Japanese: ``例: x`` must be ``例：x``.

The `{...}` fields themselves (expressions) are replaced by a placeholder before the check.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

import pytest

from quizapp.packs.expr_format import _Field, _parse_text
from quizapp.packs.loader import load_catalog
from quizapp.packs.model import Localized, Template

JP = "\u3040-\u30ff\u3400-\u9fff々ー"
FIELD = "\ue000"

FORBIDDEN = {
    r"書籍": "name the book: 『ゼロから作る Deep Learning』 (❷ for the NLP volume)",
    r"(数式|コード)の規約": "say 「数式での表記」／「実装での表記」",
    r"双曲線正接": "say 「tanh 関数（ハイパボリックタンジェント）」",
    r"誤差逆伝播(?!法)": "say 「誤差逆伝播法」",
    r"組合せ": "say 「組み合わせ」 (the exam's spelling)",
    r"ユニット数が入力層から順に": "say 「入力層 10・中間層 5・出力層 3 ユニット」",
}
PAREN = re.compile(r"\(([^()]*)\)")
COLON = re.compile(f"[{JP}）」]:")


def halfwidth_brackets(text: str) -> list[str]:
    """The half-width bracket pairs around Japanese prose in ``text`` (innermost first)."""
    found = []
    work = text
    while True:
        m = PAREN.search(work)
        if m is None:
            return found
        inner = m.group(1)
        bare = re.sub(r"\ue100[^\ue100\ue101]*\ue101|\[[^\]]*\]", "", inner)
        tuple_like = "," in bare and "、" not in bare and "。" not in bare
        aside = m.start() > 0 and re.match(f"[{JP}]", work[m.start() - 1]) is not None
        if (re.search(f"[{JP}]", inner) or aside) and not tuple_like:
            found.append(m.group(0).replace("\ue100", "(").replace("\ue101", ")"))
        work = work[: m.start()] + "\ue100" + inner + "\ue101" + work[m.end() :]


def prose(text: str) -> Iterator[str]:
    """The literal text with fields replaced by a placeholder, then each string constant
    written inside a field (e.g. the Japanese of ``{['学習モード', '推論モード'][mode]}``)."""
    try:
        parts = _parse_text(text)
    except Exception:  # not interpolated (validate reports it elsewhere)
        yield text
        return
    yield "".join(FIELD if isinstance(p, _Field) else p for p in parts)
    for p in parts:
        if isinstance(p, _Field):
            for node in ast.walk(p.expr.body):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    yield node.value


def ja_texts(tpl: Template) -> Iterator[str]:
    texts = [tpl.prompt, tpl.hint, tpl.explanation.summary, *tpl.explanation.steps]
    texts += [m.message for m in tpl.misconceptions]
    for opt in tpl.answer.options or []:
        texts += [opt.text, opt.message]
    for text in texts:
        if isinstance(text, Localized) and text.ja:
            yield text.ja


def faults(text: str) -> list[str]:
    out = []
    for piece in prose(text):
        for pattern, advice in FORBIDDEN.items():
            for m in re.finditer(pattern, piece):
                out.append(f"{m.group(0)!r}: {advice}")
        for pair in halfwidth_brackets(piece):
            out.append(f"{pair!r}: full-width （） around Japanese")
        for m in COLON.finditer(piece):
            out.append(f"{m.group(0)!r}: full-width ： after Japanese")
    return out


@pytest.fixture(scope="module")
def templates() -> list[Template]:
    return [ref.template for ref in load_catalog(builtin=True).templates.values()]


def test_the_checks_catch_what_they_should() -> None:
    assert faults("中間層(隠れ層)の数") == ["'(隠れ層)': full-width （） around Japanese"]
    assert faults("W の形状は (出力数, 入力数)") == []
    assert faults("恒等写像(f(u) = u)で") != [] and faults("恒等写像（f(u) = u）で") == []
    assert faults("、(1 − p) を掛ける") == []  # a grouping in a formula, not an aside
    assert faults("（数式での表記：W の形状は (出力数, 入力数)）") == []
    assert faults("出力 (形状 (3, 2)) を求めよ") != []
    assert faults("例: sigmoid(x)") and not faults("例：sigmoid(x)")
    assert faults("書籍のコードでは") and faults("数式の規約") and faults("誤差逆伝播で")
    assert not faults("誤差逆伝播法で") and not faults("f(x) = max(0, x)")
    assert faults("{['学習モード(訓練)', 'b'][k]}") != []  # inside a field's string
    assert faults("{['model.train()', 'b'][k]}") == []
    assert faults("{x:.3f}(ユニット)") != [] and faults("x = {f(a, b)} です") == []


def test_every_japanese_text_uses_the_exams_terms_and_full_width_punctuation(
    templates,
) -> None:
    problems = []
    for tpl in templates:
        for text in ja_texts(tpl):
            problems += [f"{tpl.id}: {f}" for f in faults(text)]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])


def _field_names(text: str) -> set[str]:
    names: set[str] = set()
    for part in _parse_text(text):
        if isinstance(part, _Field):
            names |= {n.removesuffix("_ja").removesuffix("_en") for n in part.expr.names}
    return names


def test_both_languages_show_the_same_numbers(templates) -> None:
    """A text's Japanese and English use the same parameters (a name_ja / name_en pair counts
    as one), so the two languages say the same thing about this problem."""
    problems = []
    for tpl in templates:
        texts = [tpl.prompt, tpl.hint, tpl.explanation.summary, *tpl.explanation.steps]
        texts += [m.message for m in tpl.misconceptions]
        for opt in tpl.answer.options or []:
            texts += [opt.text, opt.message]
        for text in texts:
            if isinstance(text, Localized) and text.ja and text.en:
                ja, en = _field_names(text.ja), _field_names(text.en)
                if ja != en:
                    problems.append(f"{tpl.id}: ja {sorted(ja - en)} / en {sorted(en - ja)}")
    assert not problems, "\n".join(problems)


def test_english_options_have_no_hiragana():
    """An English learner reads (a)/(b), not （あ）（い）: option texts in English carry no
    hiragana (katakana blank names such as 【ア】 match the code and stay)."""
    from quizapp.packs.generation import generate

    catalog = load_catalog(builtin=True)
    hiragana = re.compile(r"[\u3040-\u309f]")
    bad = []
    for tid, ref in catalog.templates.items():
        tpl = ref.template
        if tpl.parts or tpl.kind not in ("single_choice", "multi_choice"):
            continue
        for seed in (1, 11):
            problem = generate(tpl, seed)
            bad += [f"{tid}: {c.text('en')}" for c in problem.choices
                    if hiragana.search(c.text("en"))]
    assert not bad, "\n".join(bad[:20])
