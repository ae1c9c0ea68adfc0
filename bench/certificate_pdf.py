"""Time one certificate PDF per script of the holder's name (target: under 100 ms).

Run from the repository root: .venv/bin/python -m bench.certificate_pdf [--runs 50]
Font registration happens once, at import, and is timed separately. Exits 1
if any median is 100 ms or more.
"""

import argparse
import datetime
import math
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

NAMES = {
    "Latin": "Łukasz Wójcik",
    "Arabic": "نور الهدى",
    "Bengali": "মৌমিতা রায়",
}
LIMIT_MS = 100


def percentile(ordered, percent):
    """Nearest-rank percentile of an already sorted list."""
    return ordered[max(math.ceil(percent / 100 * len(ordered)) - 1, 0)]


def timings(runs):
    """{script: (sorted milliseconds, PDF bytes)} for each script of holder name."""
    from courses.certificates.pdf import CertificateData, certificate_pdf

    results = {}
    for script, name in NAMES.items():
        data = CertificateData(
            holder_name=name,
            course_title="Negotiating new technology at work",
            level="Intermediate",
            hours="1.5",
            issued_on=datetime.date(2026, 3, 3),
            expires_on=datetime.date(2029, 3, 3),
            code="0123456789abcdef0123456789abcdef",
            verify_url="https://knowhow.example.org/certificates/verify/0123456789abcdef0123456789abcdef/",
        )
        certificate_pdf(data)  # warm-up: first use of each font
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            pdf = certificate_pdf(data)
            times.append((time.perf_counter() - started) * 1000)
        results[script] = (sorted(times), len(pdf))
    return results


def run(ctx):
    """The suite's rows (python -m bench)."""
    rows = []
    for script, (times, size) in timings(ctx.runs).items():
        median = statistics.median(times)
        rows.append(
            {
                "section": "certificates",
                "measure": f"Certificate PDF, {script} name",
                "median_ms": round(median, 2),
                "p95_ms": round(percentile(times, 95), 2),
                "bytes": size,
                "target": f"< {LIMIT_MS} ms",
                "ok": median < LIMIT_MS,
            }
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    runs = parser.parse_args().runs

    started = time.perf_counter()
    import courses.certificates.pdf  # noqa: F401

    print(f"import and font registration: {(time.perf_counter() - started) * 1000:.0f} ms")
    print(f"{'script':<8} {'median ms':>9} {'p90 ms':>7} {'max ms':>7} {'bytes':>7}")
    worst = 0.0
    for script, (times, size) in timings(runs).items():
        median = statistics.median(times)
        worst = max(worst, median)
        p90 = times[max(0, int(len(times) * 0.9) - 1)]
        print(f"{script:<8} {median:>9.1f} {p90:>7.1f} {times[-1]:>7.1f} {size:>7}")
    return 1 if worst >= LIMIT_MS else 0


if __name__ == "__main__":
    sys.exit(main())
