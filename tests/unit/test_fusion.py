"""Fusion on hand-made lists: the arithmetic, the tie-break, the weights."""

from __future__ import annotations

import pytest

from search_api.core.fusion import fuse, minmax, rrf, weighted_minmax

KEYWORD = [("a", 12.0), ("b", 7.0), ("c", 3.0)]
SEMANTIC = [("c", 0.9), ("d", 0.8), ("a", 0.1)]


def test_rrf_sums_reciprocal_ranks():
    fused = dict(rrf([KEYWORD, SEMANTIC], k=60))
    assert fused["a"] == pytest.approx(1 / 61 + 1 / 63)
    assert fused["c"] == pytest.approx(1 / 63 + 1 / 61)
    assert fused["b"] == pytest.approx(1 / 62)
    assert fused["d"] == pytest.approx(1 / 62)


def test_rrf_breaks_ties_by_id():
    assert [item for item, _ in rrf([KEYWORD, SEMANTIC], k=60)] == ["a", "c", "b", "d"]


def test_rrf_weights_favour_a_leg():
    assert rrf([KEYWORD, SEMANTIC], k=60, weights=[1.0, 2.0])[0][0] == "c"
    assert rrf([KEYWORD, SEMANTIC], k=60, weights=[2.0, 1.0])[0][0] == "a"


def test_minmax_scales_within_a_list():
    assert minmax(KEYWORD) == {"a": 1.0, "b": pytest.approx(4 / 9), "c": 0.0}
    assert minmax([("x", 5.0), ("y", 5.0)]) == {"x": 1.0, "y": 1.0}
    assert minmax([]) == {}


def test_weighted_minmax_adds_normalised_scores():
    fused = dict(weighted_minmax([KEYWORD, SEMANTIC], weights=[1.0, 1.0]))
    assert fused["a"] == pytest.approx(1.0 + 0.0)
    assert fused["c"] == pytest.approx(0.0 + 1.0)
    assert fused["d"] == pytest.approx(0.875)
    assert fused["b"] == pytest.approx(4 / 9)
    assert [item for item, _ in weighted_minmax([KEYWORD, SEMANTIC])] == ["a", "c", "d", "b"]


def test_one_empty_leg_leaves_the_other_order():
    assert [i for i, _ in rrf([KEYWORD, []])] == ["a", "b", "c"]
    assert [i for i, _ in weighted_minmax([[], SEMANTIC])] == ["c", "d", "a"]


def test_fuse_dispatches_and_rejects_unknown_methods():
    assert fuse("rrf", [KEYWORD]) == rrf([KEYWORD])
    assert fuse("weighted", [KEYWORD]) == weighted_minmax([KEYWORD])
    with pytest.raises(ValueError):
        fuse("borda", [KEYWORD])
    with pytest.raises(ValueError):
        rrf([KEYWORD, SEMANTIC], weights=[1.0])
