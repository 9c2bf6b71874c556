"""quizapp.i18n.layout: Japanese line breaks, vectors kept whole, matrices as blocks."""

from __future__ import annotations

import pytest

from quizapp.i18n.layout import cell_width, layout, matrix_rows, wrap

VGG = (
    "VGG のように、64 チャネル → 64 チャネルの 3×3 畳み込み層（ストライド 1、バイアスなし）を "
    "2 層重ねる。この積み重ねの受容野と同じ大きさのカーネルをもつ 1 層の畳み込み（64 → 64 "
    "チャネル、バイアスなし）の重みの数は、3×3 を 2 層重ねた場合の重みの数の何倍か（小数第 3 位まで）。"
)
MATRIX_PROMPT = "W = [[-0.2, 0.9, -0.4], [0, 0.8, -0.2]], b = [0.1, 0.2] のとき ∂E/∂W を求めよ。"


@pytest.mark.parametrize("width", [20, 34, 36, 50, 77])
def test_japanese_fills_lines_and_keeps_every_character(width):
    lines = wrap(VGG, width)
    assert all(cell_width(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == VGG.replace(" ", "")
    # lines are filled (a generic wrapper leaves half-empty lines at every space)
    assert all(cell_width(line) >= width - 8 for line in lines[:-1])


@pytest.mark.parametrize("width", [10, 20, 34, 36, 50])
def test_no_line_starts_with_closing_punctuation_or_a_lone_number(width):
    for line in wrap(VGG, width):
        assert line[0] not in "、。）」,."
        assert line.strip() not in {"1", "2", "3", "64"}
    for line in wrap(VGG, width):
        assert not line.endswith("（")


def test_a_number_stays_with_its_word():
    assert wrap("3 層のネットワーク", 4)[0] == "3 層"
    assert wrap("3 層のネットワーク", 6)[0] == "3 層の"
    lines = wrap("第 1 問 / 20   深層学習の応用 ・ 画像認識", 12)
    assert lines[0].startswith("第 1 問")


def test_english_wraps_at_spaces_and_keeps_double_spaces():
    assert wrap("one two three four", 9) == ["one two", "three", "four"]
    assert wrap("Item 3 of 20   Topic", 80) == ["Item 3 of 20   Topic"]


def test_a_vector_is_not_broken_inside():
    lines = wrap("so y = [0.7, 0.2, 0.1] and more words here", 24)
    assert any("[0.7, 0.2, 0.1]" in line for line in lines)


def test_a_matrix_is_a_block_after_its_label():
    lines = layout(MATRIX_PROMPT, 60)
    assert lines[0] == "W = [[-0.2, 0.9, -0.4],"
    assert lines[1] == "     [   0, 0.8, -0.2]],"
    assert lines[2].startswith("b = [0.1, 0.2]")
    assert all(cell_width(line) <= 60 for line in lines)


def test_a_matrix_too_wide_for_its_label_starts_its_own_line():
    lines = layout("とても長い説明文のあとに行列 [[10, 2], [3, 4]] が続く。", 24)
    assert lines[1:4] == ["行列 [[10, 2],", "      [ 3, 4]]", "が続く。"]
    lines = layout("とても長い説明文のあとに行列 [[10, 2], [3, 4]] が続く。", 12)
    assert "  [[10, 2]," in lines and "   [ 3, 4]]" in lines
    assert all(cell_width(line) <= 12 for line in lines)


def test_matrix_rows_align_columns_and_refuse_non_matrices():
    assert matrix_rows("[[1, -2.5], [10, 3]]") == ["[[ 1, -2.5],", " [10,    3]]"]
    assert matrix_rows("[1, 2]") is None
    assert matrix_rows("[[1, 2]]") is None
    assert matrix_rows("[[a, b], [c, d]]") is None


def test_paragraphs_are_kept():
    assert layout("一行目\n\n二行目", 20) == ["一行目", "", "二行目"]


@pytest.mark.parametrize("width", range(20, 60))
def test_a_short_tuple_of_symbols_is_not_broken_inside(width):
    text = ("中間層の重み W1 の (2, 2) 成分についての偏微分を求めよ。ボックス（(x1, y1, x2, y2) "
            "の連続座標）と A(s, a) と N(0, 1) を用い、[a, b] の形で答えよ。")
    lines = wrap(text, width)
    joined = "\n".join(lines)
    for piece in ("(2, 2)", "(x1, y1, x2, y2)", "A(s, a)", "N(0, 1)", "[a, b]"):
        assert piece in joined, (piece, lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_a_long_parenthesis_still_breaks_at_its_spaces():
    text = "Compute it (each entry to 3 decimal places, as [a, b]) and stop."
    lines = wrap(text, 30)
    assert all(cell_width(line) <= 30 for line in lines)
    assert any("[a, b])" in line for line in lines)


@pytest.mark.parametrize("width", range(16, 70))
def test_no_line_starts_with_an_operator(width):
    text = ("A network uses the identity at the output: z = σ(W1 x + b1), y = W2 z + b2 "
            "(entry (j, i) of W). 1 次元の入力 x に、残差ブロック x ← x + F_l(x) を順に適用し、"
            "y ≈ 0.25 × 4 − 1 となる。")
    lines = wrap(text, width)
    assert all(cell_width(line) <= width for line in lines)
    for line in lines[1:]:
        assert line.split(" ")[0] not in {"+", "−", "=", "≈", "×", "←"}, lines
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
