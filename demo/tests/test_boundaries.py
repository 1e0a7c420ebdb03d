"""The demo's generated outlines tile the county: simple, each holding its centre, none overlapping."""

import random

import pytest

from dashboards.geo import centre_of, check_geometry, contains
from demo.boundaries import outlines


@pytest.mark.parametrize("count", [1, 9, 21])
def test_outlines_are_valid_and_do_not_overlap(count):
    shapes = outlines(count, seed=2026)
    assert len(shapes) == count
    assert shapes == outlines(count, seed=2026)  # deterministic by seed
    centres = []
    for shape in shapes:
        check_geometry(shape, "demo")  # closed rings, coordinates in range
        centre = centre_of(shape)
        assert contains(shape, *centre)
        centres.append(centre)
    for i, centre in enumerate(centres):
        assert [j for j, shape in enumerate(shapes) if contains(shape, *centre)] == [i]
    # Random points of the county fall in at most one outline.
    rng = random.Random(1)
    xs = [p[0] for s in shapes for p in s["coordinates"][0]]
    ys = [p[1] for s in shapes for p in s["coordinates"][0]]
    for _ in range(2000):
        x, y = rng.uniform(min(xs), max(xs)), rng.uniform(min(ys), max(ys))
        assert sum(contains(s, x, y) for s in shapes) <= 1
