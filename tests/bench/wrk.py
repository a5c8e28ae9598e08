"""Runs wrk against one URL and reads requests/s and latency percentiles from its report.

wrk's own latency distribution stops at 50/75/90/99 %; a small Lua script adds
one line with p50, p95, p99 and the maximum in microseconds, which `parse`
prefers. Headers (a session cookie) go through `-H`.
"""

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_PERCENTILE = re.compile(r"^\s*(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.MULTILINE)
_SCRIPTED = re.compile(r"^percentiles-us p50=(\d+) p95=(\d+) p99=(\d+) max=(\d+)\s*$", re.MULTILINE)
_REQUESTS_PER_SECOND = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_TOTAL = re.compile(r"^\s*(\d+) requests in", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET_ERRORS = re.compile(
    r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
)

LUA = """\
done = function(summary, latency, requests)
  io.write(string.format("percentiles-us p50=%d p95=%d p99=%d max=%d\\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""

# Appended for pages measured past the cache: every request another address (and so another
# cache key), numbered per wrk thread.
FRESH_ADDRESSES = """\
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end
local counter = 0
request = function()
  counter = counter + 1
  local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. separator .. "neu=" .. thread_number .. "-" .. counter)
end
"""


@dataclass(frozen=True)
class Result:
    requests: int
    requests_per_second: float
    p50_ms: float
    p95_ms: float | None
    p99_ms: float
    failed: int
    timeouts: int = 0


def parse(report: str) -> Result:
    """The figures of a `wrk --latency` report; a report without them is an error."""
    percentiles = {
        int(name): float(value) * _UNITS_MS[unit] for name, value, unit in _PERCENTILE.findall(report)
    }
    p95 = None
    if scripted := _SCRIPTED.search(report):
        p50, p95, p99, _max = (int(value) / 1000 for value in scripted.groups())
        percentiles = {50: p50, 99: p99}
    rps = _REQUESTS_PER_SECOND.search(report)
    total = _TOTAL.search(report)
    if rps is None or total is None or set(percentiles) != {50, 99}:
        raise ValueError(f"not a wrk --latency report:\n{report}")
    failed = sum(int(n) for n in _NON_2XX.findall(report))
    timeouts = 0
    if errors := _SOCKET_ERRORS.search(report):
        failed += sum(int(n) for n in errors.groups())
        timeouts = int(errors.group(4))
    return Result(
        requests=int(total.group(1)),
        requests_per_second=float(rps.group(1)),
        p50_ms=percentiles[50],
        p95_ms=p95,
        p99_ms=percentiles[99],
        failed=failed,
        timeouts=timeouts,
    )


def run(
    url: str,
    *,
    seconds: int,
    threads: int,
    connections: int,
    headers: dict[str, str] | None = None,
    timeout: int = 5,
    fresh_addresses: bool = False,
) -> Result:
    with tempfile.TemporaryDirectory(prefix="portal-wrk-") as folder:
        script = Path(folder) / "percentiles.lua"
        script.write_text(LUA + (FRESH_ADDRESSES if fresh_addresses else ""))
        command = [
            "wrk",
            f"--threads={threads}",
            f"--connections={connections}",
            f"--duration={seconds}s",
            f"--timeout={timeout}s",
            "--latency",
            f"--script={script}",
            *[f"--header={name}: {value}" for name, value in (headers or {}).items()],
            url,
        ]
        completed = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + timeout + 30, check=True
        )
    return parse(completed.stdout)
