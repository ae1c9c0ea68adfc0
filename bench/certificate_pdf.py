"""Time one certificate PDF per script of the holder's name (target: under 100 ms).

Run from the repository root: .venv/bin/python -m bench.certificate_pdf [--runs 50]
Font registration happens once, at import, and is timed separately. Exits 1
if any median is 100 ms or more.
"""

import argparse
import datetime
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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    runs = parser.parse_args().runs

    started = time.perf_counter()
    from courses.certificate_pdf import CertificateData, certificate_pdf

    print(f"import and font registration: {(time.perf_counter() - started) * 1000:.0f} ms")
    print(f"{'script':<8} {'median ms':>9} {'p90 ms':>7} {'max ms':>7} {'bytes':>7}")
    worst = 0.0
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
        times.sort()
        median = statistics.median(times)
        worst = max(worst, median)
        p90 = times[max(0, int(len(times) * 0.9) - 1)]
        print(f"{script:<8} {median:>9.1f} {p90:>7.1f} {times[-1]:>7.1f} {len(pdf):>7}")
    return 1 if worst >= LIMIT_MS else 0


if __name__ == "__main__":
    sys.exit(main())
