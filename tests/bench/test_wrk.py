import pytest

from tests.bench import wrk

# A real report of wrk 4.1 (Debian) against a server answering 404.
REPORT = """\
Running 1s test @ http://127.0.0.1:38111/nonexistent
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.24ms    1.41ms  11.79ms   85.81%
    Req/Sec     2.04k   328.78     2.60k    70.00%
  Latency Distribution
     50%  560.00us
     75%    1.63ms
     90%    3.25ms
     99%    6.65ms
  2030 requests in 1.00s, 1.01MB read
  Non-2xx or 3xx responses: 2030
Requests/sec:   2027.80
Transfer/sec:      1.01MB
"""


def test_report_gives_requests_per_second_and_percentiles_in_milliseconds():
    result = wrk.parse(REPORT)

    assert result.requests == 2030
    assert result.requests_per_second == 2027.80
    assert result.p50_ms == pytest.approx(0.56)
    assert result.p99_ms == pytest.approx(6.65)


def test_error_responses_and_socket_errors_count_as_failed():
    report = REPORT.replace(
        "  Non-2xx or 3xx responses: 2030\n",
        "  Socket errors: connect 0, read 3, write 0, timeout 2\n  Non-2xx or 3xx responses: 10\n",
    )

    assert wrk.parse(report).failed == 15


def test_a_clean_report_has_no_failures():
    clean = REPORT.replace("  Non-2xx or 3xx responses: 2030\n", "")

    assert wrk.parse(clean).failed == 0


def test_a_report_without_latency_distribution_is_refused():
    without_latency = "\n".join(line for line in REPORT.splitlines() if "%" not in line or "Stdev" in line)

    with pytest.raises(ValueError, match="not a wrk --latency report"):
        wrk.parse(without_latency)


def test_the_lua_line_gives_p95_and_wins_over_the_distribution():
    report = REPORT + "percentiles-us p50=540 p95=4200 p99=6700 max=11790\n"

    result = wrk.parse(report)

    assert (result.p50_ms, result.p95_ms, result.p99_ms) == (0.54, 4.2, 6.7)


def test_without_the_lua_line_there_is_no_p95():
    assert wrk.parse(REPORT).p95_ms is None


def test_timeouts_are_failures_and_counted_apart():
    report = REPORT.replace(
        "  Non-2xx or 3xx responses: 2030\n", "  Socket errors: connect 0, read 0, write 0, timeout 7\n"
    )

    result = wrk.parse(report)

    assert (result.failed, result.timeouts) == (7, 7)
