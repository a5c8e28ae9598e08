"""Runs wrk against one URL and reads requests/s and latency percentiles from its report."""

import re
import subprocess
from dataclasses import dataclass

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_PERCENTILE = re.compile(r"^\s*(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.MULTILINE)
_REQUESTS_PER_SECOND = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_TOTAL = re.compile(r"^\s*(\d+) requests in", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET_ERRORS = re.compile(
    r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
)


@dataclass(frozen=True)
class Result:
    requests: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    failed: int


def parse(report: str) -> Result:
    """The figures of a `wrk --latency` report; a report without them is an error."""
    percentiles = {
        int(name): float(value) * _UNITS_MS[unit] for name, value, unit in _PERCENTILE.findall(report)
    }
    rps = _REQUESTS_PER_SECOND.search(report)
    total = _TOTAL.search(report)
    if rps is None or total is None or set(percentiles) != {50, 99}:
        raise ValueError(f"not a wrk --latency report:\n{report}")
    failed = sum(int(n) for n in _NON_2XX.findall(report))
    if errors := _SOCKET_ERRORS.search(report):
        failed += sum(int(n) for n in errors.groups())
    return Result(
        requests=int(total.group(1)),
        requests_per_second=float(rps.group(1)),
        p50_ms=percentiles[50],
        p99_ms=percentiles[99],
        failed=failed,
    )


def run(url: str, *, seconds: int, threads: int, connections: int) -> Result:
    command = [
        "wrk",
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=5s",
        "--latency",
        url,
    ]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, check=True)
    return parse(completed.stdout)
