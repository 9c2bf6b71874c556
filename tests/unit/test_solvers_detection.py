"""solvers.detection: IoU, NMS, VOC AP, Dice, mean IoU."""

from __future__ import annotations

import numpy as np
import pytest

import solvers


def ro(a):
    a = np.array(a, dtype=np.float64)
    a.flags.writeable = False
    return a


def test_iou_two_boxes_by_hand():
    # 2×2 boxes overlapping in a 1×1 square: 1 / (4 + 4 − 1)
    assert solvers.iou(ro([0, 0, 2, 2]), ro([1, 1, 3, 3])) == pytest.approx(1 / 7)
    assert solvers.iou([0, 0, 1, 1], [2, 2, 3, 3]) == 0.0
    assert solvers.iou([0, 0, 1, 1], [1, 0, 2, 1]) == 0.0  # touching edges
    assert solvers.iou([0, 0, 2, 2], [0, 0, 2, 2]) == 1.0
    assert solvers.iou([0, 0, 0, 0], [0, 0, 0, 0]) == 0.0  # zero union: 0 (documented)


def test_iou_matrix():
    a = ro([[0, 0, 2, 2], [1, 1, 3, 3]])
    b = ro([[0, 0, 2, 2], [0, 0, 1, 1], [5, 5, 6, 6]])
    m = solvers.iou(a, b)
    assert m.shape == (2, 3)
    for i in range(2):
        for j in range(3):
            assert m[i, j] == pytest.approx(solvers.iou(a[i], b[j]))
    np.testing.assert_allclose(solvers.iou(a[0], b), m[0])


def test_nms_two_boxes():
    boxes = ro([[0, 0, 2, 2], [0.1, 0, 2.1, 2], [3, 3, 4, 4]])
    scores = ro([0.8, 0.9, 0.7])
    # boxes 0 and 1 overlap with IoU 1.9·2 / (4 + 4 − 3.8) ≈ 0.905: the higher score (1) stays
    np.testing.assert_array_equal(solvers.nms(boxes, scores, 0.5), [1, 2])
    # threshold above their IoU: nothing suppressed, order by score
    np.testing.assert_array_equal(solvers.nms(boxes, scores, 0.95), [1, 0, 2])
    # suppression needs IoU strictly greater than the threshold
    iou01 = solvers.iou(boxes[0], boxes[1])
    np.testing.assert_array_equal(solvers.nms(boxes, scores, iou01), [1, 0, 2])
    assert solvers.nms(np.zeros((0, 4)), np.zeros(0), 0.5).tolist() == []


def test_voc_ap_all_point_and_11_point():
    rec, prec = ro([0.5, 0.5, 1.0]), ro([1.0, 0.5, 2 / 3])
    # all-point: precision envelope 1 on (0, 0.5], ⅔ on (0.5, 1]
    assert solvers.voc_ap(rec, prec) == pytest.approx(0.5 + 0.5 * 2 / 3)
    # 11-point: t = 0 … 0.5 (6 points) → 1, t = 0.6 … 1 (5 points) → ⅔
    assert solvers.voc_ap(rec, prec, "11point") == pytest.approx((6 + 5 * 2 / 3) / 11)
    # recall never reaching 1: the missing points count 0
    assert solvers.voc_ap([0.3], [1.0], "11point") == pytest.approx(4 / 11)
    with pytest.raises(ValueError, match="method"):
        solvers.voc_ap(rec, prec, "area")


def test_dice_and_mean_iou():
    a = ro([[1, 1], [0, 0]])
    b = ro([[1, 0], [1, 0]])
    assert solvers.dice(a, b) == pytest.approx(2 * 1 / (2 + 2))
    assert solvers.dice(np.zeros(3), np.zeros(3)) == 1.0
    pred = ro([[0, 1], [1, 1]])
    target = ro([[0, 1], [0, 1]])
    # class 0: 1/2, class 1: 2/3, class 2 absent from both: left out
    assert solvers.mean_iou(pred, target, 3) == pytest.approx((0.5 + 2 / 3) / 2)


def test_bad_inputs():
    with pytest.raises(ValueError, match=r"a has shape \(3,\), expected \(4,\) or \(N, 4\)"):
        solvers.iou([0, 0, 1], [0, 0, 1, 1])
    with pytest.raises(ValueError, match="x1 ≤ x2"):
        solvers.iou([2, 0, 1, 1], [0, 0, 1, 1])
    with pytest.raises(ValueError, match=r"expected \(N, 4\) and \(N,\)"):
        solvers.nms(np.zeros((2, 4)), np.zeros(3), 0.5)
    with pytest.raises(ValueError, match="class indices 0..1"):
        solvers.mean_iou([0, 2], [0, 1], 2)
    with pytest.raises(ValueError, match="expected equal"):
        solvers.dice([1, 0], [1])
