"""Object detection and segmentation: IoU, non-maximum suppression, VOC AP, Dice, mean IoU.

Boxes are ``(x1, y1, x2, y2)`` with x1 ≤ x2 and y1 ≤ y2 in continuous
coordinates: the area is (x2 − x1)(y2 − y1), with no "+1" (torchvision's
convention, not the VOC devkit's pixel-inclusive one).
"""

from __future__ import annotations

import numpy as np

from ._arrays import as_float

__all__ = ["dice", "iou", "mean_iou", "nms", "voc_ap"]


def _boxes(what: str, name: str, b) -> np.ndarray:
    b = as_float(b)
    if b.ndim not in (1, 2) or b.shape[-1] != 4:
        raise ValueError(f"{what}: {name} has shape {b.shape}, expected (4,) or (N, 4)")
    if not np.all(np.isfinite(b)) or np.any(b[..., 2] < b[..., 0]) or np.any(b[..., 3] < b[..., 1]):
        raise ValueError(f"{what}: {name} must be finite boxes (x1, y1, x2, y2), x1 ≤ x2, y1 ≤ y2")
    return b


def _area(b: np.ndarray) -> np.ndarray:
    return (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])


def _iou_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(N, M) IoU of boxes a (N, 4) and b (M, 4); 0 where the union is 0."""
    lt = np.maximum(a[:, None, :2], b[None, :, :2])
    rb = np.minimum(a[:, None, 2:], b[None, :, 2:])
    wh = np.clip(rb - lt, 0.0, None)
    inter = wh[..., 0] * wh[..., 1]
    union = _area(a)[:, None] + _area(b)[None, :] - inter
    return np.where(union > 0, inter / np.where(union > 0, union, 1.0), 0.0)


def iou(a, b):
    """Intersection over union |A ∩ B| / |A ∪ B| of boxes.

    Two boxes ``(4,)`` → a float; ``(N, 4)`` and ``(M, 4)`` → ``(N, M)`` (one 1-D
    and one 2-D → a vector). Equals ``torchvision.ops.box_iou``, except that two
    boxes of zero area give 0 here (torchvision: nan).
    """
    a2, b2 = _boxes("iou", "a", a), _boxes("iou", "b", b)
    out = _iou_matrix(np.atleast_2d(a2), np.atleast_2d(b2))
    if a2.ndim == 1 and b2.ndim == 1:
        return np.float64(out[0, 0])
    if a2.ndim == 1:
        return out[0]
    if b2.ndim == 1:
        return out[:, 0]
    return out


def nms(boxes, scores, iou_threshold):
    """Greedy non-maximum suppression.

    Take the box of highest score, drop every remaining box whose IoU with it
    is **greater than** ``iou_threshold``, repeat. ``boxes`` ``(N, 4)``, ``scores``
    ``(N,)``. Returns the kept indices (int64) by descending score (equal scores:
    the lower index first). Equals ``torchvision.ops.nms``.
    """
    b = _boxes("nms", "boxes", boxes)
    s = as_float(scores)
    if b.ndim != 2 or s.shape != (b.shape[0],):
        raise ValueError(f"nms: boxes {b.shape}, scores {s.shape}; expected (N, 4) and (N,)")
    order = np.argsort(-s, kind="stable")
    keep = []
    while order.size:
        i = order[0]
        keep.append(i)
        overlaps = _iou_matrix(b[i : i + 1], b[order[1:]])[0]
        order = order[1:][overlaps <= float(iou_threshold)]
    return np.array(keep, dtype=np.int64)


def voc_ap(recall, precision, method="all"):
    """Average precision of a precision–recall curve (PASCAL VOC).

    ``recall``, ``precision`` ``(K,)``: the curve point by point, recall not
    decreasing (detections sorted by confidence).

    * ``"all"`` (VOC 2010+): the area under the interpolated curve, where the
      precision at r is max{p_k : r_k ≥ r}; summed over the points where the
      recall changes, with sentinels (0, 0) before and (1, 0) after.
    * ``"11point"`` (VOC 2007): the mean over t = 0, 0.1, …, 1 (exactly k/10) of
      max{p_k : r_k ≥ t}, 0 when no point reaches t.
    """
    r, p = as_float(recall), as_float(precision)
    if r.ndim != 1 or r.shape != p.shape:
        raise ValueError(
            f"voc_ap: recall has shape {r.shape}, precision has shape {p.shape}; "
            "expected equal shapes (K,)"
        )
    if method == "11point":
        total = 0.0
        for k in range(11):
            reached = p[r >= k / 10]
            total += float(reached.max()) if reached.size else 0.0
        return np.float64(total / 11)
    if method != "all":
        raise ValueError(f"voc_ap: method must be 'all' or '11point', got {method!r}")
    mrec = np.r_[0.0, r, 1.0]
    mpre = np.r_[0.0, p, 0.0]
    mpre = np.maximum.accumulate(mpre[::-1])[::-1]
    i = np.flatnonzero(mrec[1:] != mrec[:-1])
    return np.float64(np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1]))


def dice(a, b):
    """Dice coefficient 2 |A ∩ B| / (|A| + |B|) of two masks (nonzero = in the set).

    ``a``, ``b`` of one shape (e.g. ``(H, W)``). Two empty masks give 1.0
    (they agree perfectly). Returns a float.
    """
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        raise ValueError(f"dice: a has shape {a.shape}, b has shape {b.shape}; expected equal")
    a, b = a != 0, b != 0
    total = int(a.sum()) + int(b.sum())
    return np.float64(2.0 * np.sum(a & b) / total if total else 1.0)


def mean_iou(pred, target, num_classes):
    """Mean intersection over union of label maps, over the classes that occur.

    ``pred``, ``target`` of one shape (e.g. ``(H, W)``), whole numbers in
    0 … num_classes − 1. IoU_c = |pred = c ∧ target = c| / |pred = c ∨ target = c|;
    **a class absent from both pred and target is left out of the mean**
    (its IoU is 0/0), as torchmetrics' JaccardIndex and mmseg's nan-skipping
    mean do. Returns a float.
    """
    p, t = as_float(pred), as_float(target)
    if p.shape != t.shape or p.size == 0:
        raise ValueError(
            f"mean_iou: pred has shape {p.shape}, target has shape {t.shape}; expected equal"
        )
    if isinstance(num_classes, (bool, np.bool_)) or int(num_classes) != num_classes:
        raise ValueError(f"mean_iou: num_classes must be a whole number, got {num_classes!r}")
    n = int(num_classes)
    for name, x in (("pred", p), ("target", t)):
        if not np.all((x == np.floor(x)) & (x >= 0) & (x < n)):
            raise ValueError(f"mean_iou: {name} must hold class indices 0..{n - 1}")
    pi, ti = p.astype(np.int64).ravel(), t.astype(np.int64).ravel()
    inter = np.bincount(pi[pi == ti], minlength=n)
    union = np.bincount(pi, minlength=n) + np.bincount(ti, minlength=n) - inter
    present = union > 0
    return np.float64(np.mean(inter[present] / union[present]))
