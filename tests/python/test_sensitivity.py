#!/usr/bin/env python3
"""End-to-end check of scripts/sensitivity.py on a Latin-hypercube sweep of a cascade in
which one varied key (firm.unit_cost) plays no part: transmission must come first with a
positive coefficient whose 95% interval excludes 0, and the inert key last, marked ~0 and
with |SRC| below a fifth of transmission's. The sweep is deterministic (fixed seeds), so
the check is too. Bad input: one line, non-zero exit.

    python3 test_sensitivity.py --cli build/campaign-sim --source-dir . --work-dir /tmp/w

Prints "N passed, N failed" last.
"""

import os
import re
import subprocess
import sys

from end_to_end import Tally, fresh_dir, parse_args, write_scenario

SCENARIO = "[run]\nreplications = 20\nsteps = 10\nseed = 4\n[audience]\nsize = 2000\n[graph]\nmean_degree = 6\n" \
           "[seeding]\ncount = 3\n"


def main():
    args = parse_args()
    tally = Tally()
    check = tally.check
    work = fresh_dir(args.work_dir, "sensitivity")
    scenario = write_scenario(work, "s.toml", SCENARIO)
    out = os.path.join(work, "lhs.h5")
    subprocess.run([args.cli, "sweep", scenario, "-o", out, "-q", "--design", "lhs", "--samples", "40",
                    "--vary", "diffusion.transmission=0.05:0.3", "--vary", "seeding.count=1:30:log",
                    "--vary", "firm.unit_cost=1:100"], check=True)
    script = os.path.join(args.source_dir, "scripts", "sensitivity.py")
    result = subprocess.run(["/usr/bin/python3", script, out, "--metric", "total_adopted", "--bootstrap", "500"],
                            capture_output=True, text=True)
    check(result.returncode == 0, f"sensitivity.py runs: {result.stderr!r}")
    rows = re.findall(r"^(\S+)(?: \(log\))?\s+([+-]\d\.\d+)\s+\[([+-]\d\.\d+), ([+-]\d\.\d+)\].*?(~0)?$",
                      result.stdout, re.M)
    check([r[0] for r in rows] == ["diffusion.transmission", "seeding.count", "firm.unit_cost"],
          f"keys by |SRC|: {result.stdout!r}")
    if len(rows) == 3:
        transmission, seeds, inert = rows
        check(float(transmission[2]) > 0 and transmission[4] == "", "transmission: its interval excludes 0")
        check(inert[4] == "~0" and abs(float(inert[1])) < abs(float(transmission[1])) / 5,
              "the inert key: ~0, |SRC| below a fifth of transmission's")
        check("seeding.count (log)" in result.stdout, "a key varied on a log scale is regressed on its logarithm")
    for label, extra, needle in [("unknown metric", ["--metric", "nope"], "metrics: active"),
                                 ("not a sweep", ["--metric", "x"], "not a sweep")]:
        path = out
        if label == "not a sweep":
            path = os.path.join(work, "run.h5")
            subprocess.run([args.cli, "run", scenario, "-o", path, "-q"], check=True)
        result = subprocess.run(["/usr/bin/python3", script, path, *extra], capture_output=True, text=True)
        check(result.returncode != 0 and needle in result.stderr and len(result.stderr.strip().splitlines()) == 1,
              f"{label}: {result.stderr!r}")
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
