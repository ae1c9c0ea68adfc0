"""Scale against small: each measure's ratio between two saved runs (target: at most 2x).

    python -m bench.compare [SMALL.json] [SCALE.json] [--write]

The defaults are bench/results-postgresql-small.json and …-scale.json.

Times compare medians (p50 for throughput, where the ratio is small rps /
scale rps, so above 1 is worse either way); queries compare counts. Exits 1
if any ratio is above 2.
"""

import argparse
import json
import sys
from pathlib import Path

from bench.__main__ import REPORT, write_report

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 2.0


def ratios(small, scale):
    by_measure = {(row["section"], row["measure"]): row for row in small["rows"]}
    rows = []
    for row in scale["rows"]:
        base = by_measure.get((row["section"], row["measure"]))
        if base is None:
            continue
        if "rps" in row:
            time_ratio = base["rps"] / row["rps"]
            small_ms, scale_ms = base["p50_ms"], row["p50_ms"]
        elif "median_ms" in row:
            time_ratio = row["median_ms"] / base["median_ms"]
            small_ms, scale_ms = base["median_ms"], row["median_ms"]
        else:
            continue
        rows.append(
            {
                "measure": row["measure"] + (" (gunicorn)" if "rps" in row else ""),
                "small_ms": small_ms,
                "scale_ms": scale_ms,
                "ratio": time_ratio,
                "queries": (base.get("queries"), row.get("queries")),
            }
        )
    return rows


def table(small, scale, rows):
    lines = [
        f"Small: {small['date']}, {small['environment']['database']}, "
        + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in small["volumes"].items())
        + ".  \n"
        f"Scale: {scale['date']}, {scale['environment']['database']}, "
        + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in scale["volumes"].items())
        + ".\n",
        "| Measure | Small | Scale | Scale / small | Queries small → scale | Within 2x |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        q_small, q_scale = row["queries"]
        queries = f"{q_small} → {q_scale}" if q_small is not None else ""
        ok = "yes" if row["ratio"] <= LIMIT else "**no**"
        lines.append(
            f"| {row['measure']} | {row['small_ms']:.1f} ms | {row['scale_ms']:.1f} ms "
            f"| {row['ratio']:.2f}x | {queries} | {ok} |"
        )
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("small", nargs="?", default=ROOT / "bench/results-postgresql-small.json")
    parser.add_argument("scale", nargs="?", default=ROOT / "bench/results-postgresql-scale.json")
    parser.add_argument("--write", action="store_true", help=f"update {REPORT.name}")
    args = parser.parse_args(argv)
    small = json.loads(Path(args.small).read_text())
    scale = json.loads(Path(args.scale).read_text())
    rows = ratios(small, scale)
    text = table(small, scale, rows)
    print(text)
    if args.write:
        write_report(REPORT, "scale-vs-small", text)
    return 1 if any(row["ratio"] > LIMIT for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
