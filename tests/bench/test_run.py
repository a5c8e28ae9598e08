"""The bench's verdicts: ratios to the baseline of the same round, medians, targets."""

from tests.bench import run, wrk


def _result(rps: float, p50: float = 10.0, p95: float | None = 20.0) -> wrk.Result:
    return wrk.Result(requests=100, requests_per_second=rps, p50_ms=p50, p95_ms=p95, p99_ms=30.0, failed=0)


def _measured(target: run.Target, *, size: int = 1000) -> run.Measured:
    page = run.Page("page", "/", run.PARTNER, run.SIGNED_IN, target)
    return run.Measured(page=page, url="http://127.0.0.1/", size=size)


def test_the_ratio_is_the_median_of_the_per_round_ratios():
    item = _measured(run.Target(min_ratio=0.5))
    item.ratios = [0.2, 0.9, 0.6]

    assert item.ratio == 0.6
    assert item.verdict() is True


def test_a_page_below_its_ratio_fails():
    item = _measured(run.Target(min_ratio=1.0))
    item.ratios = [0.4, 0.5, 0.45]

    assert item.verdict() is False


def test_p95_target_uses_the_median_p95_over_the_rounds():
    item = _measured(run.Target(max_p95_ms=100))
    item.rounds = [_result(50, p95=80), _result(50, p95=120), _result(50, p95=90)]

    assert item.median(lambda result: result.p95_ms) == 90
    assert item.verdict() is True


def test_a_missing_p95_never_passes():
    item = _measured(run.Target(max_p95_ms=100))
    item.rounds = [_result(50, p95=None)]

    assert item.verdict() is False


def test_a_feed_must_be_fast_and_small():
    fast_but_big = _measured(run.Target(max_p50_ms=200, max_kb=300), size=400 * 1024)
    fast_but_big.rounds = [_result(50, p50=20)]
    small_but_slow = _measured(run.Target(max_p50_ms=200, max_kb=300), size=10 * 1024)
    small_but_slow.rounds = [_result(50, p50=900)]

    assert fast_but_big.verdict() is False
    assert small_but_slow.verdict() is False


def test_a_page_without_target_has_no_verdict():
    assert _measured(None).verdict() is None


def test_every_page_has_its_baseline_in_the_same_run():
    for pages in (run.DEMO_PAGES, run.VOLUME_PAGES):
        measured = {page.key for page in pages}
        for page in pages:
            assert (page.role, page.baseline) in measured, page
