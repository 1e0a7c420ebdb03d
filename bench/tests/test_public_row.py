"""The residents' row's own parts (bench/public.py): the quiet and loaded windows, and which staff readings
count for which."""

from bench import public


def test_windows_alternate_quiet_then_loaded_and_give_the_load_its_seconds():
    windows = public._windows(100.0, 30)
    assert [busy for _t0, _t1, busy in windows] == [False, True] * 3
    assert windows[0][0] == 100.0
    assert all(a[1] == b[0] for a, b in zip(windows, windows[1:], strict=False))  # no gaps, no overlaps
    assert sum(t1 - t0 for t0, t1, busy in windows if busy) == 30


def test_readings_in_a_windows_first_second_count_for_neither_side():
    windows = public._windows(0.0, 20)  # quiet 0–10, loaded 10–20, quiet 20–30, loaded 30–40
    readings = [(0.5, 1.0), (2.0, 10.0), (10.5, 99.0), (12.0, 50.0), (25.0, 20.0), (39.9, 60.0), (45.0, 7.0)]
    quiet, loaded = public._split(readings, windows)
    assert quiet == [10.0, 20.0]
    assert loaded == [50.0, 60.0]
